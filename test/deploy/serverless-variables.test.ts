import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

type Resolver = (args: { resolveVariable: (name: string) => Promise<unknown> }) => Promise<string>;
const variables = createRequire(import.meta.url)('../../deploy/serverless-variables.cjs') as {
  configFile: Resolver;
  targetRoleArnsFromConfig: Resolver;
};

const ROLE_A = 'arn:aws:iam::111111111111:role/dynamodb-restore-bot';
const ROLE_B = 'arn:aws:iam::222222222222:role/dynamodb-restore-bot';

function environment(roleArn: unknown): Record<string, unknown> {
  return { accountId: '111111111111', region: 'us-east-1', roleArn, approvers: { users: ['U0APPROVER'] } };
}

describe('deploy/serverless-variables.cjs', () => {
  const originalCwd = process.cwd();
  let serviceDir: string;

  /** osls resolves `${param:configFile}` through resolveVariable; the service directory is the cwd. */
  const withConfigParam = (value: unknown) => ({
    resolveVariable: async (name: string) => {
      if (name !== 'param:configFile') throw new Error(`unexpected variable ${name}`);
      return value;
    },
  });

  beforeEach(() => {
    serviceDir = mkdtempSync(join(tmpdir(), 'restore-bot-service-'));
    process.chdir(serviceDir);
  });

  afterEach(() => {
    process.chdir(originalCwd);
    rmSync(serviceDir, { recursive: true, force: true });
  });

  it('returns the config file path relative to the service directory', async () => {
    mkdirSync(join(serviceDir, 'config'));
    writeFileSync(join(serviceDir, 'config', 'prod.yml'), 'environments: {}\n');

    await expect(variables.configFile(withConfigParam('./config/prod.yml'))).resolves.toBe('config/prod.yml');
  });

  it('rejects a config file that does not exist, saying how to create it', async () => {
    await expect(variables.configFile(withConfigParam('restore-bot.config.yml'))).rejects.toThrow(
      /"restore-bot.config.yml" does not exist.*restore-bot.config.example.yml/,
    );
  });

  it('rejects a config file outside the service directory', async () => {
    await expect(variables.configFile(withConfigParam('../elsewhere.yml'))).rejects.toThrow(
      /must be inside the service directory/,
    );
  });

  it('derives the distinct role ARNs of the configured environments', async () => {
    writeFileSync(
      join(serviceDir, 'bot.yml'),
      JSON.stringify({
        environments: { prod: environment(ROLE_A), staging: environment(ROLE_B), dr: environment(ROLE_A) },
      }),
    );

    await expect(variables.targetRoleArnsFromConfig(withConfigParam('bot.yml'))).resolves.toBe(
      `${ROLE_A},${ROLE_B}`,
    );
  });

  it('rejects a config whose environment has no usable roleArn', async () => {
    writeFileSync(
      join(serviceDir, 'bot.yml'),
      JSON.stringify({ environments: { prod: environment(ROLE_A), dev: environment('not-an-arn') } }),
    );

    await expect(variables.targetRoleArnsFromConfig(withConfigParam('bot.yml'))).rejects.toThrow(
      /bot.yml: every environment needs a roleArn/,
    );
  });
});
