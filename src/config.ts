import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { en } from 'zod/locales';
// zod/mini is zod v4 with the same checks, issue paths and messages, but a functional API that a
// bundler can trim to what is used: it keeps the slack function's bundle and cold start small.
import * as z from 'zod/mini';
import { ENVIRONMENT_NAME_PATTERN, RESERVED_ENVIRONMENT_NAMES } from './environment-names.ts';

// zod/mini loads no locale of its own; without one every problem would read "Invalid input".
z.config(en());

const SlackUserId = z
  .string()
  .check(z.regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user ID such as U0123ABCD'));
const SlackGroupId = z
  .string()
  .check(z.regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group ID such as S0123ABCD'));
const SlackChannelId = z
  .string()
  .check(z.regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C0123ABCD'));

const PrincipalsSchema = z.strictObject({
  users: z._default(z.array(SlackUserId), []),
  userGroups: z._default(z.array(SlackGroupId), []),
});

/** An IAM role ARN; `whenMissing` is the message for a required one that is left out. */
const RoleArn = (whenMissing = 'is required') =>
  z
    .string({ error: (issue) => (issue.input === undefined ? whenMissing : 'must be an IAM role ARN') })
    .check(z.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN'));

export const EnvironmentSchema = z
  .strictObject({
    accountId: z
      .string({
        error: (issue) =>
          typeof issue.input === 'number'
            ? `is the number ${issue.input}: put the 12-digit account ID in quotes, e.g. accountId: "123456789012" (YAML reads it as a number and drops leading zeros)`
            : issue.input === undefined
              ? 'is required: the 12-digit AWS account ID, in quotes'
              : 'must be a 12-digit AWS account ID in quotes',
      })
      .check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account ID (quote it in YAML)')),
    region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1')),
    roleArn: RoleArn(
      'is required: the ARN of the role the bot assumes in this account (deploy/target-account-role.yml creates it), e.g. arn:aws:iam::123456789012:role/dynamodb-restore-bot',
    ),
    externalId: z.optional(
      z
        .string()
        .check(
          z.regex(/^[\w+=,.@:/-]{2,1224}$/, 'must be 2-1224 characters of letters, digits and +=,.@:/-'),
        ),
    ),
    requiredApprovals: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(5)), 1),
    approvers: PrincipalsSchema,
    requesters: z.optional(PrincipalsSchema),
    channels: z.optional(z.array(SlackChannelId)),
    // Globs (* and ?) over DynamoDB table names; the role template's RestorableTableNames should match.
    targetTables: z.optional(
      z
        .array(
          z
            .string()
            .check(
              z.regex(
                /^[A-Za-z0-9_.*?-]{1,255}$/,
                'must be a table name or a glob of letters, digits, _ . - * ?',
              ),
            ),
        )
        .check(z.minLength(1, 'lists no pattern; leave targetTables out to allow any name')),
    ),
    /** The role AWS Backup assumes to restore a recovery point (StartRestoreJob's IamRoleArn). */
    awsBackupRoleArn: z.optional(RoleArn()),
  })
  .check(
    z.superRefine((env, ctx) => {
      if (env.approvers.users.length === 0 && env.approvers.userGroups.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['approvers'],
          message: 'needs at least one user or user group',
        });
      } else if (
        env.approvers.userGroups.length === 0 &&
        new Set(env.approvers.users).size < env.requiredApprovals
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['requiredApprovals'],
          message: `is ${env.requiredApprovals}, but only ${new Set(env.approvers.users).size} approver(s) are listed, so no request could ever be approved`,
        });
      }
      const roleAccount = env.roleArn.split(':')[4];
      if (roleAccount !== env.accountId) {
        ctx.addIssue({
          code: 'custom',
          path: ['roleArn'],
          message: `is in account ${roleAccount}, not in accountId ${env.accountId}`,
        });
      }
      const backupRoleAccount = env.awsBackupRoleArn?.split(':')[4];
      if (backupRoleAccount !== undefined && backupRoleAccount !== env.accountId) {
        ctx.addIssue({
          code: 'custom',
          path: ['awsBackupRoleArn'],
          message: `is in account ${backupRoleAccount}, not in accountId ${env.accountId}: AWS Backup restores with a role of the account it restores into`,
        });
      }
    }),
  );

const RESERVED_NAME =
  'is a reserved name (a built-in property of every object); choose another environment name';

export const ConfigSchema = z
  .strictObject({
    approvalTimeoutMinutes: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(24 * 60)), 30),
    defaultEnvironment: z.optional(z.string().check(z.minLength(1))),
    /** One line per transition of every environment is posted here (the bot must be a member). */
    auditChannel: z.optional(SlackChannelId),
    /** Remind the approvers of a request still waiting after this long, and 5 minutes before expiry. */
    reminderMinutes: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(24 * 60))),
    environments: z
      .record(
        z.string().check(z.regex(ENVIRONMENT_NAME_PATTERN, 'environment names are 1-32 of A-Z a-z 0-9 _ -')),
        EnvironmentSchema,
      )
      .check(z.refine((envs) => Object.keys(envs).length > 0, 'needs at least one environment')),
  })
  .check(
    z.superRefine((config, ctx) => {
      if (config.reminderMinutes !== undefined && config.reminderMinutes >= config.approvalTimeoutMinutes) {
        ctx.addIssue({
          code: 'custom',
          path: ['reminderMinutes'],
          message: `is ${config.reminderMinutes}, but requests expire after approvalTimeoutMinutes (${config.approvalTimeoutMinutes}), so no reminder would ever be sent`,
        });
      }
    }),
    // Runs even when an environment has problems of its own, so a misspelt default is reported
    // with them instead of only after they are fixed.
    z.superRefine(
      (config, ctx) => {
        const environments = isRecord(config.environments) ? config.environments : {};
        const wanted = config.defaultEnvironment;
        if (typeof wanted === 'string' && wanted !== '' && !Object.hasOwn(environments, wanted)) {
          ctx.addIssue({
            code: 'custom',
            path: ['defaultEnvironment'],
            message: `"${wanted}" is not one of the environments (${Object.keys(environments).join(', ')})`,
          });
        }
      },
      { when: (payload) => isRecord(payload.value) },
    ),
  );

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type BotConfig = z.infer<typeof ConfigSchema>;
export type EnvironmentConfig = z.infer<typeof EnvironmentSchema>;

/**
 * Problems that do not stop the bot but that its operators should know about, one sentence each.
 * `externalId` is optional in the config (DESIGN), but the role that deploy/target-account-role.yml
 * creates refuses AssumeRole without it, so an environment without one is flagged at start-up.
 */
export function configWarnings(config: BotConfig): string[] {
  return Object.entries(config.environments)
    .filter(([, env]) => env.externalId === undefined)
    .map(
      ([name]) =>
        `environments.${name}.externalId is not set: the shipped target-account role (deploy/target-account-role.yml) requires one, so every AssumeRole will be denied unless the role was changed to not require it.`,
    );
}

/** A config file that cannot be used; `problems` lists every problem as "path: message". */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

/** Validates an already-parsed config object; throws ConfigError listing every problem by path. */
export function parseConfig(raw: unknown, source = 'config'): BotConfig {
  const result = ConfigSchema.safeParse(raw);
  // Reserved names are looked for in the raw object: the schema never sees a "__proto__" key (zod
  // drops it), and this way they are reported even when an environment has problems of its own.
  const envs = (raw as { environments?: unknown } | null)?.environments;
  const reserved = isRecord(envs)
    ? Object.keys(envs)
        .filter((name) => RESERVED_ENVIRONMENT_NAMES.has(name))
        .map((name) => `environments.${name}: ${RESERVED_NAME}`)
    : [];
  if (!result.success || reserved.length > 0) {
    throw new ConfigError(source, [
      ...reserved,
      ...(result.success
        ? []
        : result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`)),
    ]);
  }
  return result.data;
}

function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read the file: ${(err as Error).message}`], { cause: err });
  }
}

/** Reads and validates the YAML config file. */
export function loadConfigFile(path: string): BotConfig {
  const text = readConfigText(path);
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(path, [`not valid YAML: ${(err as Error).message}`], { cause: err });
  }
  return parseConfig(raw, path);
}

/**
 * Reads and validates the JSON form of the config file that `osls package` writes for the Lambda
 * functions (deploy/serverless-variables.cjs): the same checks as {@link loadConfigFile}, without
 * a YAML parser in the function's bundle and cold start.
 */
export function loadConfigJson(path: string): BotConfig {
  const text = readConfigText(path);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, [`not valid JSON: ${(err as Error).message}`], { cause: err });
  }
  return parseConfig(raw, path);
}

/**
 * The configured environment called `name`, or undefined. Own properties only: `constructor` or
 * `__proto__` must never resolve to something every object inherits.
 */
export function environmentNamed(config: BotConfig, name: string): EnvironmentConfig | undefined {
  return Object.hasOwn(config.environments, name) ? config.environments[name] : undefined;
}

const Bool = z.pipe(
  z.enum(['true', 'false', '1', '0', 'yes', 'no']),
  z.transform((v) => v === 'true' || v === '1' || v === 'yes'),
);

/** Process environment for `npm start` (DESIGN, "Local run"). */
export const LocalEnvSchema = z.object({
  PORT: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(65535)), 3000),
  // Loopback unless asked: the embedded store and a demo signing secret are for one machine.
  HOST: z._default(z.string().check(z.minLength(1)), '127.0.0.1'),
  SLACK_SIGNING_SECRET: z.string({ error: 'is required (Slack app > Basic Information > Signing Secret)' }),
  SLACK_BOT_TOKEN: z.string({
    error: 'is required (Slack app > OAuth & Permissions > Bot User OAuth Token)',
  }),
  SLACK_API_URL: z.optional(z.url()),
  SLACK_APP_TOKEN: z.optional(
    z.string().check(z.startsWith('xapp-', 'must be an app-level token (xapp-...)')),
  ),
  RESTORE_BOT_CONFIG: z._default(z.string(), 'restore-bot.config.yml'),
  STATE_TABLE_NAME: z.optional(z.string().check(z.minLength(3))),
  WATCH_INTERVAL_SECONDS: z._default(z.coerce.number().check(z.minimum(1)), 60),
  DATA_DIR: z._default(z.string(), '.data'),
  LOG_LEVEL: z._default(z.enum(['debug', 'info', 'warn', 'error']), 'info'),
  SLACK_VERIFY_TOKEN: z._default(Bool, true),
});
export type LocalEnv = z.infer<typeof LocalEnvSchema>;

/** Process environment of the sandbox (`npm start` with no Slack variable): the page's port. */
export const SandboxEnvSchema = z.pick(LocalEnvSchema, { PORT: true, LOG_LEVEL: true });

/** Process environment of the Lambda functions: parameter names only, never secret values. */
export const LambdaEnvSchema = z.object({
  STATE_TABLE_NAME: z.string().check(z.minLength(3)),
  RESTORE_BOT_CONFIG: z._default(z.string(), 'restore-bot.config.yml'),
  // Set on the slack function only (serverless.yml): the others never read the signing secret.
  SLACK_SIGNING_SECRET_PARAM: z.optional(z.string().check(z.minLength(1))),
  SLACK_BOT_TOKEN_PARAM: z.string().check(z.minLength(1)),
  WORKER_FUNCTION_NAME: z.string().check(z.minLength(1)),
  SLACK_API_URL: z.optional(z.url()),
  LOG_LEVEL: z._default(z.enum(['debug', 'info', 'warn', 'error']), 'info'),
});
export type LambdaEnv = z.infer<typeof LambdaEnvSchema>;

/** Parses process.env with a schema; a bad environment lists every variable that is wrong. */
export function parseEnv<T extends z.ZodMiniType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      'the environment',
      result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  }
  return result.data;
}
