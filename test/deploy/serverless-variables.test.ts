import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile, loadConfigJson } from '../../src/config.ts';

type Resolver = (args: { resolveVariable: (name: string) => Promise<unknown> }) => Promise<string>;
const variables = createRequire(import.meta.url)('../../deploy/serverless-variables.cjs') as {
  configFile: Resolver;
  configJson: Resolver;
  targetRoleArnsFromConfig: Resolver;
};

const ROLE_A = 'arn:aws:iam::111111111111:role/dynamodb-restore-bot';
const ROLE_B = 'arn:aws:iam::222222222222:role/dynamodb-restore-bot';
const EXAMPLE_CONFIG = fileURLToPath(new URL('../../restore-bot.config.example.yml', import.meta.url));

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

  it('writes the validated config as JSON into the service directory and returns its path', async () => {
    writeFileSync(join(serviceDir, 'bot.yml'), readFileSync(EXAMPLE_CONFIG, 'utf8'));

    const path = await variables.configJson(withConfigParam('bot.yml'));

    expect(path).toBe('.build/restore-bot.config.json');
    expect(JSON.parse(readFileSync(join(serviceDir, path), 'utf8'))).toEqual(loadConfigFile(EXAMPLE_CONFIG));
    expect(loadConfigJson(join(serviceDir, path))).toEqual(loadConfigFile(EXAMPLE_CONFIG));
  });

  it('stops packaging on an invalid config, listing every problem by path', async () => {
    const env = { ...environment(ROLE_A), region: 'Virginia', approvers: { users: ['bob'] }, surprise: 1 };
    writeFileSync(join(serviceDir, 'bot.yml'), JSON.stringify({ environments: { prod: env } }));

    const rejected = await variables.configJson(withConfigParam('bot.yml')).catch((error: Error) => error);

    expect((rejected as Error).message).toBe(
      [
        'Invalid configuration in bot.yml:',
        '  - environments.prod.region: must be an AWS region such as us-east-1',
        '  - environments.prod.approvers.users.0: must be a Slack user ID such as U0123ABCD',
        '  - environments.prod: Unrecognized key: "surprise"',
      ].join('\n'),
    );
    expect(existsSync(join(serviceDir, '.build'))).toBe(false);
  });

  it('stops packaging on a file that is not YAML', async () => {
    writeFileSync(join(serviceDir, 'bot.yml'), 'environments: [unclosed');

    await expect(variables.configJson(withConfigParam('bot.yml'))).rejects.toThrow(
      /^Invalid configuration in bot.yml:\n {2}- not valid YAML/,
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
