import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  LocalEnvSchema,
  loadConfigFile,
  parseConfig,
  parseEnv,
  resolveEnvironment,
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

  it('rejects a role in another account than accountId', () => {
    const env = { ...good.environments.prod, roleArn: 'arn:aws:iam::999999999999:role/x' };
    expect(problemsOf({ environments: { prod: env } })[0]).toMatch(
      /^environments.prod.roleArn: is in account 999999999999/,
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

describe('resolveEnvironment', () => {
  const config = parseConfig(good);

  it('uses the default environment when --env is absent', () => {
    expect(resolveEnvironment(config, undefined)).toMatchObject({ name: 'prod' });
  });

  it('names the known environments for an unknown one', () => {
    expect(resolveEnvironment(config, 'qa')).toEqual({
      error: 'Unknown environment "qa". Known environments: prod.',
    });
  });
});

describe('LocalEnvSchema', () => {
  it('requires the Slack secrets and reports both', () => {
    expect(() => parseEnv(LocalEnvSchema, {})).toThrow(
      /SLACK_SIGNING_SECRET: is required[\s\S]*SLACK_BOT_TOKEN/,
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
