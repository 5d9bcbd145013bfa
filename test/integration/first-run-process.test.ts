import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type SlackApiStand, startSlackApi } from '../../src/sandbox/slack-api.ts';
import { BOT_TOKEN, SIGNING_SECRET, testConfig } from '../helpers/bot.ts';
import { startNpmStart, stopNpmStart, waitForOutput } from '../helpers/process.ts';

let dir: string;
let slack: SlackApiStand;
let realEnv: NodeJS.ProcessEnv;

/**
 * `npm start` as a new user meets it (issue 11): src/server.ts run by tsx in its own process, in
 * a directory of its own (so no .env of the checkout leaks in).
 */
const start = (env: NodeJS.ProcessEnv, cwd = dir) => startNpmStart(env, cwd);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'restore-bot-first-run-'));
  slack = await startSlackApi();
  writeFileSync(join(dir, 'config.yml'), stringify(testConfig()));
  realEnv = {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: `${slack.url}/api/`,
    RESTORE_BOT_CONFIG: join(dir, 'config.yml'),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDFIRSTRUN',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  };
});
afterAll(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

function occupyPort(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return address.port;
}

describe('npm start on a fresh clone', () => {
  it('with no .env and no Slack variable starts the sandbox; its first line gives the page and the variables of a real workspace', async () => {
    const run = start({});
    try {
      const match = await waitForOutput(run, /^Sandbox: open (http:\/\/127\.0\.0\.1:\d+\/) .*\n/);
      expect(run.output().split('\n')[0]).toContain('SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN');
      const page = await fetch(match[1] ?? '');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('dynamodb-restore-bot sandbox');
    } finally {
      await stopNpmStart(run);
    }
  });

  it('regression: a half-configured .env is an error that lists what is missing, never a silent sandbox', async () => {
    const cwd = mkdtempSync(join(dir, 'half-'));
    writeFileSync(join(cwd, '.env'), 'SLACK_BOT_TOKEN=xoxb-only-the-token\n');
    const run = start({}, cwd);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('SLACK_SIGNING_SECRET: is required');
    expect(run.output()).not.toContain('SLACK_BOT_TOKEN: is required');
    expect(run.output()).not.toContain('Sandbox');
  });

  it('regression: a second npm start on the same data directory stops with one sentence (was "Database is closed")', async () => {
    const env = { ...realEnv, DATA_DIR: join(dir, 'shared-data') };
    const first = start(env);
    try {
      await waitForOutput(first, /dynamodb-restore-bot is running/);
      const second = start(env);
      expect(await second.exited).toBe(1);
      expect(second.output().trim()).toBe(
        `Another npm start (process ${first.child.pid}) is already using the state store in ${join(dir, 'shared-data')}; stop it first, or give this one its own DATA_DIR.`,
      );
    } finally {
      await stopNpmStart(first);
    }
    // Once the first one is gone, the directory is free again.
    const third = start(env);
    try {
      await waitForOutput(third, /dynamodb-restore-bot is running/);
    } finally {
      await stopNpmStart(third);
    }
  });

  it.each([
    ['the bot', () => realEnv],
    ['the sandbox', () => ({})],
  ])(
    'regression: a busy port stops %s with one sentence instead of an EADDRINUSE trace',
    async (_name, env) => {
      const busy = await occupyPort();
      try {
        const port = portOf(busy);
        const run = start({ ...env(), PORT: String(port), DATA_DIR: join(dir, `busy-${port}`) });
        expect(await run.exited).toBe(1);
        expect(run.output().trim()).toBe(
          `Port ${port} is already in use (is another npm start running?); stop that process or set PORT to a free port.`,
        );
      } finally {
        await new Promise((resolve) => busy.close(resolve));
      }
    },
  );
});
