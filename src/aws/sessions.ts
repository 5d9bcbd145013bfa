import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import { type BotConfig, type EnvironmentConfig, environmentNamed } from '../config.ts';
import { createStsClient } from './clients.ts';
import { AwsOperationError, mapAwsError } from './errors.ts';
import { type SessionJob, sessionPolicyJson, sessionScopeOf } from './session-policy.ts';

/** Temporary credentials of one role session. */
export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

const SESSION_PREFIX = 'restore-bot';
const MAX_SESSION_NAME = 64;
/** Role chaining (a Lambda role assuming another role) caps sessions at one hour. */
export const SESSION_DURATION_SECONDS = 3600;
export const DEFAULT_REFRESH_BEFORE_MS = 5 * 60 * 1000;

function sessionSafe(text: string): string {
  return text.replace(/[^\w+=,.@-]/g, '-');
}

/**
 * The RoleSessionName for a Slack user, e.g. `restore-bot-U0ABC123` or, with a tag (a request ID),
 * `restore-bot-U0ABC123-R-7K3QX9`. CloudTrail shows it, so the user ID is kept whole and the tag is
 * shortened first; the result is always 2-64 characters of [\w+=,.@-].
 */
export function roleSessionName(slackUserId: string, tag?: string): string {
  const user = sessionSafe(slackUserId) || 'unknown';
  const base = `${SESSION_PREFIX}-${user}`.slice(0, MAX_SESSION_NAME);
  const cleanTag = tag ? sessionSafe(tag) : '';
  const room = MAX_SESSION_NAME - base.length - 1;
  if (!cleanTag || room < 1) return base;
  return `${base}-${cleanTag.slice(0, room)}`;
}

/** The environment of that name; an AwsOperationError naming the known ones otherwise. */
export function requireEnvironment(config: BotConfig, environment: string): EnvironmentConfig {
  const env = environmentNamed(config, environment);
  if (env) return env;
  throw new AwsOperationError({
    code: 'UnknownEnvironment',
    operation: 'AssumeRole',
    retryable: false,
    userMessage: `Unknown environment "${environment}". Known environments: ${Object.keys(config.environments).join(', ')}.`,
  });
}

interface CacheEntry {
  /** Set while AssumeRole is in flight, so concurrent callers share it. */
  pending?: Promise<RoleCredentials>;
  credentials?: RoleCredentials;
}

/**
 * Role sessions in the environments' accounts, one per (environment, Slack user, tag), reused until
 * shortly before they expire. The Slack user becomes the session's SourceIdentity, so CloudTrail in
 * the target account names the person behind every call.
 */
export class RoleSessions {
  private readonly sts: STSClient;
  private readonly config: BotConfig;
  private readonly now: () => Date;
  private readonly refreshBeforeMs: number;
  private readonly cache = new Map<string, CacheEntry>();

  constructor(init: { sts: STSClient; config: BotConfig; now?: () => Date; refreshBeforeMs?: number }) {
    this.sts = init.sts;
    this.config = init.config;
    this.now = init.now ?? (() => new Date());
    this.refreshBeforeMs = init.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  }

  /**
   * Credentials for `environment` on behalf of `slackUserId`, assuming the environment's role
   * when there is no usable cached session. Throws AwsOperationError.
   * @param job what the session is for: its AssumeRole carries that job's session policy.
   */
  credentialsFor(
    environment: string,
    slackUserId: string,
    tag?: string,
    job: SessionJob = { kind: 'lookup' },
  ): Promise<RoleCredentials> {
    // One cached session per job as well: a session made for one job never serves another.
    const key = JSON.stringify([environment, slackUserId, tag ?? null, job]);
    const entry = this.cache.get(key);
    if (entry?.credentials && this.isFresh(entry.credentials)) return Promise.resolve(entry.credentials);
    if (entry?.pending) return entry.pending;

    this.pruneExpired();
    const pending = this.assume(environment, slackUserId, job, tag).then(
      (credentials) => {
        this.cache.set(key, { credentials });
        return credentials;
      },
      (err: unknown) => {
        // Forget the failure so the next caller tries again instead of inheriting it.
        const current = this.cache.get(key);
        if (current?.pending === pending) this.cache.delete(key);
        throw err;
      },
    );
    this.cache.set(key, { ...entry, pending });
    return pending;
  }

  /**
   * The credential provider an SDK client of one session is given: it goes back to this cache,
   * which re-assumes the role when the one-hour session runs out. The role is assumed once up
   * front, so a broken trust policy surfaces as one clear AssumeRole error, not one per call.
   */
  async provider(
    environment: string,
    slackUserId: string,
    tag: string | undefined,
    job: SessionJob,
  ): Promise<() => Promise<RoleCredentials>> {
    await this.credentialsFor(environment, slackUserId, tag, job);
    return () => this.credentialsFor(environment, slackUserId, tag, job);
  }

  private isFresh(credentials: RoleCredentials): boolean {
    return credentials.expiration.getTime() - this.refreshBeforeMs > this.now().getTime();
  }

  /** Request tags make keys unbounded over a long-lived process; expired sessions are useless anyway. */
  private pruneExpired(): void {
    const now = this.now().getTime();
    for (const [key, entry] of this.cache) {
      if (!entry.pending && entry.credentials && entry.credentials.expiration.getTime() <= now) {
        this.cache.delete(key);
      }
    }
  }

  private async assume(
    environment: string,
    slackUserId: string,
    job: SessionJob,
    tag?: string,
  ): Promise<RoleCredentials> {
    const env = requireEnvironment(this.config, environment);
    const context = {
      operation: 'AssumeRole',
      environment,
      accountId: env.accountId,
      region: env.region,
      roleArn: env.roleArn,
      externalIdSent: env.externalId !== undefined,
    };
    let response: AssumeRoleCommandOutput;
    try {
      response = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: env.roleArn,
          RoleSessionName: roleSessionName(slackUserId, tag),
          SourceIdentity: sessionSafe(slackUserId),
          DurationSeconds: SESSION_DURATION_SECONDS,
          Policy: sessionPolicyJson(job, sessionScopeOf(env)),
          ...(env.externalId ? { ExternalId: env.externalId } : {}),
        }),
      );
    } catch (err) {
      throw mapAwsError(err, context);
    }
    const creds = response.Credentials;
    if (!creds?.AccessKeyId || !creds.SecretAccessKey || !creds.SessionToken || !creds.Expiration) {
      throw new AwsOperationError({
        code: 'IncompleteCredentials',
        operation: 'AssumeRole',
        retryable: true,
        userMessage: `STS answered AssumeRole for ${env.roleArn} without complete credentials. Try again.`,
      });
    }
    return {
      accessKeyId: creds.AccessKeyId,
      secretAccessKey: creds.SecretAccessKey,
      sessionToken: creds.SessionToken,
      expiration: creds.Expiration,
    };
  }
}

/**
 * Role sessions made with the bot's own credentials through STS (in the Lambda's region, else the
 * first environment's): the production wiring of target accounts and settings sessions.
 */
export function stsRoleSessions(config: BotConfig, now: () => Date = () => new Date()): RoleSessions {
  const region = process.env.AWS_REGION ?? Object.values(config.environments)[0]?.region;
  return new RoleSessions({ sts: createStsClient(region), config, now });
}
