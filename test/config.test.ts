import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  environmentNamed,
  LambdaEnvSchema,
  LocalEnvSchema,
  loadConfigFile,
  loadConfigJson,
  parseConfig,
  parseEnv,
} from '../src/config.ts';

const good = {
  approvalTimeoutMinutes: 30,
  defaultEnvironment: 'prod',
  environments: {
    prod: {
      accountId: '123456789012',
      region: 'us-east-1',
      roleArn: 'arn:aws:iam::123456789012:role/dynamodb-restore-bot',
      approvers: { users: ['U0APPROVER'], userGroups: ['S0ONCALL'] },
      channels: ['C0INCIDENTS'],
    },
  },
};

function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('parseConfig', () => {
  it('accepts the documented shape and fills defaults', () => {
    const config = parseConfig(good);
    expect(config.environments.prod?.requiredApprovals).toBe(1);
    expect(config.environments.prod?.requesters).toBeUndefined();
  });

  it('accepts the shipped example file', () => {
    const config = loadConfigFile('restore-bot.config.example.yml');
    expect(Object.keys(config.environments)).toContain('prod');
  });

  it('lists every problem by path', () => {
    const problems = problemsOf({
      defaultEnvironment: 'nowhere',
      environments: {
        prod: {
          accountId: 123456789012,
          region: 'Virginia',
          roleArn: 'role/x',
          requiredApprovals: 0,
          approvers: { users: ['bob'] },
          surprise: true,
        },
      },
    });
    const paths = problems.map((p) => p.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'environments.prod.accountId',
        'environments.prod.region',
        'environments.prod.roleArn',
        'environments.prod.requiredApprovals',
        'environments.prod.approvers.users.0',
        'environments.prod',
      ]),
    );
    expect(problems.some((p) => p.includes('surprise'))).toBe(true);
  });

  it('regression: an unquoted account ID, a missing roleArn and a misspelt defaultEnvironment are reported together, each saying what to write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-first-run-'));
    const file = join(dir, 'restore-bot.config.yml');
    writeFileSync(
      file,
      [
        'defaultEnvironment: production',
        'environments:',
        '  prod:',
        '    accountId: 012345678901',
        '    region: us-east-1',
        '    approvers:',
        '      users: [U0APPROVER]',
      ].join('\n'),
    );
    let error: unknown;
    try {
      loadConfigFile(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'environments.prod.accountId: is the number 12345678901: put the 12-digit account ID in quotes, e.g. accountId: "123456789012" (YAML reads it as a number and drops leading zeros)',
      'environments.prod.roleArn: is required: the ARN of the role the bot assumes in this account (deploy/target-account-role.yml creates it), e.g. arn:aws:iam::123456789012:role/dynamodb-restore-bot',
      'defaultEnvironment: "production" is not one of the environments (prod)',
    ]);
  });

  it('rejects a default environment that is not configured', () => {
    expect(problemsOf({ ...good, defaultEnvironment: 'staging' })).toEqual([
      expect.stringMatching(/^defaultEnvironment: "staging" is not one of the environments/),
    ]);
  });

  it('rejects an environment nobody can approve in', () => {
    const env = { ...good.environments.prod, approvers: { users: [], userGroups: [] } };
    expect(problemsOf({ environments: { prod: env } })).toEqual([
      'environments.prod.approvers: needs at least one user or user group',
    ]);
  });

  it('rejects more required approvals than listed approvers', () => {
    const env = { ...good.environments.prod, requiredApprovals: 2, approvers: { users: ['U0APPROVER'] } };
    expect(problemsOf({ environments: { prod: env } })).toEqual([
      'environments.prod.requiredApprovals: is 2, but only 1 approver(s) are listed, so no request could ever be approved',
    ]);
  });

  it('words each problem in plain English, unknown keys by name', () => {
    const env = { ...good.environments.prod, requiredApprovals: 0, surprise: true };
    expect(problemsOf({ approvalTimeoutMinutes: 1.5, environments: { prod: env }, extra: 1 })).toEqual([
      'approvalTimeoutMinutes: Invalid input: expected int, received number',
      'environments.prod.requiredApprovals: Too small: expected number to be >=1',
      'environments.prod: Unrecognized key: "surprise"',
      '(top level): Unrecognized key: "extra"',
    ]);
  });

  it('accepts an audit channel and a reminder time, and refuses ones that cannot work', () => {
    expect(parseConfig({ ...good, auditChannel: 'C0AUDIT', reminderMinutes: 10 })).toMatchObject({
      auditChannel: 'C0AUDIT',
      reminderMinutes: 10,
    });
    expect(problemsOf({ ...good, auditChannel: '#audit', reminderMinutes: 0 })).toEqual([
      'auditChannel: must be a Slack channel ID such as C0123ABCD',
      'reminderMinutes: Too small: expected number to be >=1',
    ]);
    expect(problemsOf({ ...good, approvalTimeoutMinutes: 30, reminderMinutes: 30 })).toEqual([
      'reminderMinutes: is 30, but requests expire after approvalTimeoutMinutes (30), so no reminder would ever be sent',
    ]);
  });

  it('rejects a role in another account than accountId', () => {
    const env = { ...good.environments.prod, roleArn: 'arn:aws:iam::999999999999:role/x' };
    expect(problemsOf({ environments: { prod: env } })[0]).toMatch(
      /^environments.prod.roleArn: is in account 999999999999/,
    );
  });

  it('accepts awsBackupRoleArn, the role AWS Backup restores recovery points with', () => {
    const role = 'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole';
    const config = parseConfig({
      environments: { prod: { ...good.environments.prod, awsBackupRoleArn: role } },
    });
    expect(config.environments.prod?.awsBackupRoleArn).toBe(role);
  });

  it('rejects an awsBackupRoleArn that is not a role, or is in another account', () => {
    const bad = (awsBackupRoleArn: string) =>
      problemsOf({ environments: { prod: { ...good.environments.prod, awsBackupRoleArn } } });
    expect(bad('AWSBackupDefaultServiceRole')).toEqual([
      'environments.prod.awsBackupRoleArn: must be an IAM role ARN',
    ]);
    expect(bad('arn:aws:iam::999999999999:role/backup')[0]).toMatch(
      /^environments.prod.awsBackupRoleArn: is in account 999999999999, not in accountId 123456789012/,
    );
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-test-'));

  it('names the file when it cannot be read', () => {
    expect(() => loadConfigFile(join(dir, 'missing.yml'))).toThrow(/missing\.yml[\s\S]*cannot read the file/);
  });

  it('reports YAML syntax errors', () => {
    const path = join(dir, 'bad.yml');
    writeFileSync(path, 'environments: [unclosed');
    expect(() => loadConfigFile(path)).toThrow(/not valid YAML/);
  });
});

describe('loadConfigJson', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-json-test-'));

  it('reads the JSON form of a config as the YAML file reads', () => {
    const fromYaml = loadConfigFile('restore-bot.config.example.yml');
    const path = join(dir, 'example.json');
    writeFileSync(path, JSON.stringify(fromYaml));

    expect(loadConfigJson(path)).toEqual(fromYaml);
  });

  it('lists every problem by path, naming the file', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({ environments: { prod: { ...good.environments.prod, region: 'Virginia' } } }),
    );

    expect(() => loadConfigJson(path)).toThrow(
      expect.objectContaining({
        source: path,
        problems: ['environments.prod.region: must be an AWS region such as us-east-1'],
      }),
    );
  });

  it('reports JSON syntax errors', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"environments": ');

    expect(() => loadConfigJson(path)).toThrow(/broken\.json[\s\S]*not valid JSON/);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadConfigJson(join(dir, 'missing.json'))).toThrow(
      /missing\.json[\s\S]*cannot read the file/,
    );
  });
});

describe('environmentNamed', () => {
  const config = parseConfig(good);

  it('finds a configured environment', () => {
    expect(environmentNamed(config, 'prod')?.accountId).toBe('123456789012');
  });

  it('regression 8.4: never resolves a name every object inherits', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(environmentNamed(config, name)).toBeUndefined();
    }
  });
});

describe('regression 8.4: reserved environment names', () => {
  it('refuses an environment named after an Object.prototype member', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const raw = {
        ...good,
        defaultEnvironment: undefined,
        environments: { [name]: good.environments.prod },
      };
      expect(problemsOf(raw)).toContainEqual(
        expect.stringMatching(new RegExp(`^environments\\.${name}: is a reserved name`)),
      );
    }
  });

  it('refuses __proto__ as an environment read from JSON', () => {
    const prod = JSON.stringify(good.environments.prod);
    const raw = JSON.parse(`{"environments": {"__proto__": ${prod}, "prod": ${prod}}}`);
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/^environments\.__proto__: is a reserved name/)]);
  });
});

describe('targetTables', () => {
  const withTargets = (targetTables: unknown) => ({
    ...good,
    environments: { prod: { ...good.environments.prod, targetTables } },
  });

  it('accepts table names and globs', () => {
    expect(problemsOf(withTargets(['*-restored', 'Music?ollection']))).toEqual([]);
  });

  it('refuses an empty list and characters a table name cannot have', () => {
    expect(problemsOf(withTargets([]))).toEqual([
      'environments.prod.targetTables: lists no pattern; leave targetTables out to allow any name',
    ]);
    expect(problemsOf(withTargets(['orders/*']))).toEqual([
      'environments.prod.targetTables.0: must be a table name or a glob of letters, digits, _ . - * ?',
    ]);
  });
});

describe('LocalEnvSchema HOST', () => {
  it('regression 8.6: defaults to loopback', () => {
    const env = parseEnv(LocalEnvSchema, { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(env.HOST).toBe('127.0.0.1');
  });
});

describe('LambdaEnvSchema', () => {
  it('lists every missing or malformed variable', () => {
    expect(() =>
      parseEnv(LambdaEnvSchema, { STATE_TABLE_NAME: 'ab', SLACK_API_URL: 'nope', LOG_LEVEL: 'loud' }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'STATE_TABLE_NAME: Too small: expected string to have >=3 characters',
          'SLACK_BOT_TOKEN_PARAM: Invalid input: expected string, received undefined',
          'WORKER_FUNCTION_NAME: Invalid input: expected string, received undefined',
          'SLACK_API_URL: Invalid URL',
          'LOG_LEVEL: Invalid option: expected one of "debug"|"info"|"warn"|"error"',
        ],
      }),
    );
  });

  it('ignores other variables and applies the defaults', () => {
    const env = parseEnv(LambdaEnvSchema, {
      STATE_TABLE_NAME: 'bot-state',
      SLACK_SIGNING_SECRET_PARAM: '/bot/signing',
      SLACK_BOT_TOKEN_PARAM: '/bot/token',
      WORKER_FUNCTION_NAME: 'bot-worker',
      AWS_REGION: 'us-east-1',
      SLACK_API_URL: '',
    });
    expect(env).toEqual({
      STATE_TABLE_NAME: 'bot-state',
      SLACK_SIGNING_SECRET_PARAM: '/bot/signing',
      SLACK_BOT_TOKEN_PARAM: '/bot/token',
      WORKER_FUNCTION_NAME: 'bot-worker',
      RESTORE_BOT_CONFIG: 'restore-bot.config.yml',
      LOG_LEVEL: 'info',
    });
  });
});

describe('LocalEnvSchema', () => {
  it('requires the Slack secrets and reports both', () => {
    expect(() => parseEnv(LocalEnvSchema, {})).toThrow(
      /SLACK_SIGNING_SECRET: is required[\s\S]*SLACK_BOT_TOKEN/,
    );
  });

  it('rejects a bad port, flag or app token', () => {
    expect(() =>
      parseEnv(LocalEnvSchema, {
        SLACK_SIGNING_SECRET: 's',
        SLACK_BOT_TOKEN: 'xoxb-1',
        PORT: '70000',
        SLACK_VERIFY_TOKEN: 'maybe',
        SLACK_APP_TOKEN: 'xoxb-1',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'PORT: Too big: expected number to be <=65535',
          'SLACK_APP_TOKEN: must be an app-level token (xapp-...)',
          'SLACK_VERIFY_TOKEN: Invalid option: expected one of "0"|"1"|"true"|"false"|"yes"|"no"',
        ],
      }),
    );
  });

  it('applies the documented defaults', () => {
    const env = parseEnv(LocalEnvSchema, { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(env).toMatchObject({
      PORT: 3000,
      RESTORE_BOT_CONFIG: 'restore-bot.config.yml',
      WATCH_INTERVAL_SECONDS: 60,
    });
    expect(env.STATE_TABLE_NAME).toBeUndefined();
  });
});
