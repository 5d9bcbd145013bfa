import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { type SlackApiStand, startSlackApi } from '../../src/sandbox/slack-api.ts';
import { blockActionBody, slashCommandBody } from '../../src/sandbox/slack-requests.ts';
import {
  APPROVER,
  BOT_TOKEN,
  CHANNEL,
  messageText,
  REQUESTER,
  requestIdIn,
  SIGNING_SECRET,
  testConfig,
} from '../helpers/bot.ts';
import { RUNNING, sendTo as send, startNpmStart, stopNpmStart, waitForOutput } from '../helpers/process.ts';

/**
 * The real `npm start` entry point (src/server.ts run by tsx, as package.json does), in its own
 * process, configured only through DESIGN's environment variables.
 */
let fake: FakeAws;
let slack: SlackApiStand;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  fake = await startFakeAws();
  slack = await startSlackApi();
  slack.userGroups = { S0ONCALL: ['U0ONCALL'] };
  fake.externalIds.set('arn:aws:iam::123456789012:role/dynamodb-restore-bot', 'test-external-id');
  fake.addBackup({
    tableName: 'MusicCollection',
    name: 'MusicCollectionBackup',
    createdAt: new Date(Date.now() - 3600_000),
  });
  dir = mkdtempSync(join(tmpdir(), 'restore-bot-process-'));
  writeFileSync(join(dir, 'config.yml'), stringify(testConfig()));
  env = {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: `${slack.url}/api/`,
    RESTORE_BOT_CONFIG: join(dir, 'config.yml'),
    DATA_DIR: join(dir, 'data'),
    AWS_ENDPOINT_URL: fake.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDPROCESS',
    AWS_SECRET_ACCESS_KEY: 'secret',
    WATCH_INTERVAL_SECONDS: '3600',
  };
});
afterAll(async () => {
  await fake.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts npm start with the file's environment (and `extra`); resolves once it listens. */
async function startProcess(extra: NodeJS.ProcessEnv = {}) {
  const run = startNpmStart({ ...env, ...extra });
  const [, port] = await waitForOutput(run, RUNNING);
  return { ...run, port: Number(port) };
}

/** Clicks Approve on request `id` in the running process. */
function approve(port: number, id: string, responseId: string) {
  return send(
    port,
    blockActionBody({
      actionId: 'request_approve',
      value: id,
      userId: APPROVER,
      channelId: CHANNEL,
      messageTs: '1700000000.000100',
      responseUrl: slack.responseUrl(responseId),
    }),
  );
}

describe('npm start as a process', () => {
  it('answers a signed /backups with the backups the AWS endpoint holds', async () => {
    const run = await startProcess();
    try {
      const body = slashCommandBody({
        command: '/backups',
        text: 'MusicCollection',
        userId: REQUESTER,
        channelId: CHANNEL,
        responseUrl: slack.responseUrl('process-backups'),
      });
      const res = await send(run.port, body);
      expect(res.status).toBe(200);
      const answer = await slack.waitForResponse((r) => r.id === 'process-backups', 10_000);
      expect(messageText(answer.body)).toContain('MusicCollectionBackup');
    } finally {
      await stopNpmStart(run);
    }
  });

  it('keeps a pending request across a restart of the process', async () => {
    const first = await startProcess();
    let id: string;
    try {
      const res = await send(
        first.port,
        slashCommandBody({
          command: '/restore',
          text: 'MusicCollectionBackup Music-process',
          userId: REQUESTER,
          channelId: CHANNEL,
          responseUrl: slack.responseUrl('process-restore'),
        }),
      );
      id = requestIdIn(res.body);
      await slack.waitFor(
        (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes(id),
        10_000,
      );
    } finally {
      await stopNpmStart(first);
    }

    const second = await startProcess();
    try {
      const res = await approve(second.port, id, 'process-approve');
      expect(res.status).toBe(200);
      // The thread says the restore started once the second process has called AWS.
      await slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          JSON.stringify(c.body).includes('Music-process') &&
          JSON.stringify(c.body).includes('started the restore'),
        10_000,
      );
      expect(fake.restoreCalls.filter((c) => c.TargetTableName === 'Music-process')).toHaveLength(1);
    } finally {
      await stopNpmStart(second);
    }
  });

  it('restores an AWS Backup recovery point end to end: request, approval, restore job, ACTIVE in the thread', async () => {
    const point = fake.backup.addRecoveryPoint({
      tableName: 'MusicCollection',
      createdAt: new Date(Date.now() - 7200_000),
      vaultName: 'process-vault',
    });
    const run = await startProcess({ WATCH_INTERVAL_SECONDS: '1' });
    try {
      const res = await send(
        run.port,
        slashCommandBody({
          command: '/restore',
          text: `--recovery-point-arn ${point.arn} --target-table-name Music-from-rp`,
          userId: REQUESTER,
          channelId: CHANNEL,
          responseUrl: slack.responseUrl('process-rp'),
        }),
      );
      const id = requestIdIn(res.body);
      const posted = await slack.waitFor(
        (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes(id),
        10_000,
      );
      expect(JSON.stringify(posted.body)).toContain('process-vault');

      await approve(run.port, id, 'process-rp-approve');
      const active = await slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          JSON.stringify(c.body).includes('Music-from-rp') &&
          JSON.stringify(c.body).includes('is *ACTIVE*'),
        30_000,
      );
      expect(JSON.stringify(active.body)).toContain('process-vault');
      expect(
        [...fake.backup.restoreJobs.values()].filter((j) => j.recoveryPointArn === point.arn),
      ).toHaveLength(1);
      expect(fake.tables.get('Music-from-rp')?.status).toBe('ACTIVE');
    } finally {
      await stopNpmStart(run);
    }
  });

  it('restores a table to a point in time end to end: request, approval, RestoreTableToPointInTime with the exact time, CREATING polls, ACTIVE with the restore point', async () => {
    fake.addTable('ProcessOrders', 'ACTIVE', {
      pitr: { enabled: true, earliest: new Date(Date.now() - 3 * 86_400_000) },
      itemCount: 42,
    });
    const run = await startProcess({ WATCH_INTERVAL_SECONDS: '1' });
    try {
      // Whole seconds, 20 minutes back, written with an offset so the zone is honoured.
      const at = new Date(Math.floor((Date.now() - 20 * 60_000) / 1000) * 1000);
      const local = new Date(at.getTime() + 3600_000).toISOString().slice(0, 19);
      const res = await send(
        run.port,
        slashCommandBody({
          command: '/restore',
          text: `pitr ProcessOrders ProcessOrders-pit --at ${local}+01:00 --reason "INC-1 bad script"`,
          userId: REQUESTER,
          channelId: CHANNEL,
          responseUrl: slack.responseUrl('process-pitr'),
        }),
      );
      const id = requestIdIn(res.body);
      const shown = `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
      const posted = await slack.waitFor(
        (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes(id),
        10_000,
      );
      expect(JSON.stringify(posted.body)).toContain(`${shown}, 20 minutes before this request`);

      await approve(run.port, id, 'process-pitr-approve');
      const active = await slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          JSON.stringify(c.body).includes('ProcessOrders-pit') &&
          JSON.stringify(c.body).includes('is *ACTIVE*'),
        30_000,
      );
      expect(JSON.stringify(active.body)).toContain(
        `as it was at *${shown}*, the restore point DynamoDB used`,
      );
      const calls = fake.pitrRestoreCalls.filter((c) => c.TargetTableName === 'ProcessOrders-pit');
      expect(calls).toEqual([
        {
          SourceTableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/ProcessOrders',
          TargetTableName: 'ProcessOrders-pit',
          RestoreDateTime: at.getTime() / 1000,
          region: 'us-east-1',
        },
      ]);
      // The thread saw the table CREATING before it was ACTIVE.
      expect(
        slack.calls.some(
          (c) =>
            c.method === 'chat.postMessage' &&
            JSON.stringify(c.body).includes('ProcessOrders-pit') &&
            JSON.stringify(c.body).includes('CREATING'),
        ),
      ).toBe(true);
      expect(fake.tables.get('ProcessOrders-pit')?.status).toBe('ACTIVE');
    } finally {
      await stopNpmStart(run);
    }
  });

  it('keeps running when Slack cannot be reached, and answers each command that meets it', async () => {
    const run = await startProcess({ SLACK_API_URL: 'http://127.0.0.1:9/api/' });
    try {
      // Nothing calls Slack at start-up (auth.test waits for the first request, src/slack/identity.ts),
      expect(run.output()).not.toMatch(/WebAPIRequestError/);
      // so two commands meet the unreachable Slack; the second proves the first left the process up.
      for (const responseId of ['process-no-slack-1', 'process-no-slack-2']) {
        const res = await send(
          run.port,
          slashCommandBody({
            command: '/backups',
            text: 'MusicCollection',
            userId: REQUESTER,
            channelId: CHANNEL,
            responseUrl: slack.responseUrl(responseId),
          }),
        );
        expect(res.status).toBe(200);
        expect(messageText(JSON.parse(res.body))).toContain('could not get an answer from Slack');
      }
      expect(run.output()).toContain('Slack auth.test failed');
      expect(run.child.exitCode).toBeNull();
      // The failure is in the structured log lines only: no trace printed around them.
      const unstructured = run
        .output()
        .split('\n')
        .filter((line) => !line.startsWith('{'));
      expect(unstructured.join('\n')).not.toMatch(/WebAPIRequestError/);
    } finally {
      await stopNpmStart(run);
    }
  });

  it('refuses to start with a bad config file and lists every problem by path', async () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, stringify({ environments: { prod: { accountId: 12, region: 'x' } } }));
    await expect(startProcess({ RESTORE_BOT_CONFIG: bad })).rejects.toThrow(
      /exited with 1[\s\S]*environments\.prod\.accountId[\s\S]*environments\.prod\.region[\s\S]*environments\.prod\.roleArn/,
    );
  });
});
