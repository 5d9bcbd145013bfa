/**
 * The bot under load, in one process against loopback stand-ins (issue 9):
 * - 50 restores in flight (the AWS default limit of concurrent restores per account): one watcher
 *   run's duration and calls, next to 10 in flight, and with 1,000 ended requests added;
 * - 10,000 ended requests in the state table: `/restore status` answer time and the watcher's
 *   state-table reads, next to 10 ended requests;
 * - ack p50/p99 of `/restore` and of an approval click while the Slack stand-in answers each Web
 *   API call after 150 ms, to show that no Slack call sits before the ack.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mapLimited } from '../src/concurrency.ts';
import { executeRequest } from '../src/restore/executor.ts';
import { newRequestId } from '../src/restore/ids.ts';
import type { BackupInfo, RestoreRequest } from '../src/restore/types.ts';
import { type FakeAws, startFakeAws } from '../src/sandbox/fake-aws.ts';
import { startSlackApi } from '../src/sandbox/slack-api.ts';
import {
  blockActionBody,
  postToLocal,
  signSlackBody,
  slashCommandBody,
} from '../src/sandbox/slack-requests.ts';
import type { RequestStore } from '../src/store/requests.ts';
import { APPROVER, CHANNEL, messageText, REQUESTER, SIGNING_SECRET, startBot } from '../test/helpers/bot.ts';
import {
  type RestoreHarness,
  startRestoreHarness,
  storeApproved,
  useFakeAws,
} from '../test/helpers/restore.ts';
import { BenchCheckError } from './latency.ts';
import { percentile } from './stats.ts';

export interface WatcherLoadRun {
  inFlight: number;
  ended: number;
  ms: number;
  targetAccountCalls: number;
  stateTableCalls: number;
  slackCalls: number;
}

export interface LoadResults {
  watcher: WatcherLoadRun[];
  status: { ended: number; ackP50: number; ackP99: number; watcherStateCalls: number; watcherMs: number }[];
  slackDelayed: { delayMs: number; restoreAck: number[]; approveAck: number[] };
}

/** Counts the commands a DynamoDB client sends (the state table's). */
function countCalls(client: DynamoDBClient): () => number {
  let n = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      n += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCallCounter' },
  );
  return () => n;
}

/** An ACTIVE request, ended an hour ago, with everything posted: what /restore status skips. */
function endedRequest(backup: BackupInfo, i: number, now: Date): RestoreRequest {
  const at = new Date(now.getTime() - 3600_000).toISOString();
  return {
    id: newRequestId(),
    version: 5,
    status: 'ACTIVE',
    environment: 'prod',
    accountId: '123456789012',
    region: 'us-east-1',
    requesterId: REQUESTER,
    channelId: CHANNEL,
    source: { kind: 'backup', backup },
    targetTable: `Ended-${i}`,
    overrides: {},
    requiredApprovals: 1,
    approvals: [{ userId: APPROVER, at }],
    createdAt: at,
    updatedAt: at,
    expiresAt: at,
    restore: { attempts: 1, startedAt: at, completedAt: at, tableStatus: 'ACTIVE' },
    events: [{ seq: 1, at, actor: REQUESTER, action: 'requested', to: 'PENDING' }],
    notifiedSeq: 1,
  };
}

async function storeEnded(store: RequestStore, backup: BackupInfo, count: number, now: Date): Promise<void> {
  await mapLimited(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      if (!(await store.create(endedRequest(backup, i, now)))) throw new BenchCheckError('id clash');
    },
  );
}

/** Restores in flight: `count` requests approved and started, their tables CREATING. */
async function startRestores(h: RestoreHarness, backup: BackupInfo, count: number, label: string) {
  const ids: string[] = [];
  await mapLimited(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      const req = await storeApproved(h, { backup, targetTable: `${label}-${i}`, ageMs: 0 });
      const after = await executeRequest(h.deps, req.id);
      if (after?.status !== 'RESTORING') throw new BenchCheckError(`${req.id} did not start`);
      ids.push(req.id);
    },
  );
  await h.idle();
  return ids;
}

async function watcherRun(
  h: RestoreHarness,
  fake: FakeAws,
  stateCalls: () => number,
  inFlight: number,
  ended: number,
): Promise<WatcherLoadRun> {
  // A minute later, as the schedule runs it; the first run after a start posts its updates.
  h.clock.advance(60_000);
  await h.watch();
  h.clock.advance(60_000);
  const aws = fake.calls.length;
  const slack = h.slack.calls.length;
  const state = stateCalls();
  const t0 = performance.now();
  await h.watch();
  const ms = performance.now() - t0;
  return {
    inFlight,
    ended,
    ms,
    targetAccountCalls: fake.calls.slice(aws).length,
    stateTableCalls: stateCalls() - state,
    slackCalls: h.slack.calls.length - slack,
  };
}

async function measureWatcherLoad(): Promise<WatcherLoadRun[]> {
  const fake = await startFakeAws({ creatingPolls: 1_000_000 });
  useFakeAws(fake);
  const backup = fake.addBackup({
    tableName: 'Orders',
    name: 'OrdersBackup',
    createdAt: new Date(Date.now() - 3600_000),
    itemCount: 1200,
    sizeBytes: 2_000_000,
  });
  const runs: WatcherLoadRun[] = [];
  try {
    for (const inFlight of [10, 50]) {
      const h = await startRestoreHarness({ fake });
      try {
        const stateCalls = countCalls(h.stateClient);
        await startRestores(h, backup, inFlight, `Load${inFlight}`);
        runs.push(await watcherRun(h, fake, stateCalls, inFlight, 0));
        if (inFlight === 50) {
          await storeEnded(h.store, backup, 1000, h.clock.now());
          runs.push(await watcherRun(h, fake, stateCalls, inFlight, 1000));
        }
      } finally {
        await h.close();
      }
    }
  } finally {
    await fake.close();
  }
  return runs;
}

/** Time of one signed POST until its HTTP answer (the ack), in ms. */
async function timedPost(url: string, body: string): Promise<{ ms: number; status: number; body: string }> {
  const headers = signSlackBody(SIGNING_SECRET, body);
  const t0 = performance.now();
  const res = await postToLocal(url, body, headers);
  return { ms: performance.now() - t0, status: res.status, body: res.body };
}

async function measureStatus(): Promise<LoadResults['status']> {
  const bot = await startBot();
  const out: LoadResults['status'] = [];
  try {
    const backup = bot.fake.addBackup({
      tableName: 'Orders',
      name: 'OrdersBackup',
      createdAt: new Date(Date.now() - 3600_000),
    });
    const store = bot.server.deps.store;
    const stateCalls = countCalls((store as unknown as { doc: DynamoDBClient }).doc);
    let ended = 0;
    for (const total of [10, 10_000]) {
      await storeEnded(store, backup, total - ended, new Date());
      ended = total;
      const samples: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        const body = slashCommandBody({
          command: '/restore',
          text: 'status',
          userId: REQUESTER,
          channelId: CHANNEL,
          responseUrl: bot.slack.responseUrl(`status-${total}-${i}`),
        });
        const res = await timedPost(bot.url, body);
        if (res.status !== 200) throw new BenchCheckError(`/restore status answered ${res.status}`);
        samples.push(res.ms);
      }
      const before = stateCalls();
      const t0 = performance.now();
      await bot.watch();
      out.push({
        ended: total,
        ackP50: percentile(samples, 50),
        ackP99: percentile(samples, 99),
        watcherStateCalls: stateCalls() - before,
        watcherMs: performance.now() - t0,
      });
    }
  } finally {
    await bot.close();
  }
  return out;
}

async function measureSlowSlack(delayMs: number, samples: number): Promise<LoadResults['slackDelayed']> {
  const slack = await startSlackApi();
  const bot = await startBot({ slack });
  const restoreAck: number[] = [];
  const approveAck: number[] = [];
  try {
    bot.fake.addBackup({
      tableName: 'Orders',
      name: 'OrdersBackup',
      createdAt: new Date(Date.now() - 3600_000),
    });
    // auth.test once per process: made here, before the measured requests, as any earlier request would.
    await bot.command('/restore', 'help');
    slack.latencyMs = delayMs;
    for (let i = 0; i < samples; i += 1) {
      const body = slashCommandBody({
        command: '/restore',
        text: `OrdersBackup Slow-${i} --reason "bench"`,
        userId: REQUESTER,
        channelId: CHANNEL,
        responseUrl: slack.responseUrl(`slow-${i}`),
      });
      const res = await timedPost(bot.url, body);
      if (!res.body.includes('Checking backup')) throw new BenchCheckError(`/restore answered ${res.body}`);
      restoreAck.push(res.ms);
      await bot.server.dispatcher.idle();
      const id = /R-[0-9A-Z]{6}/.exec(res.body)?.[0];
      const message = slack.messages(CHANNEL).find((m) => !m.thread_ts && id && messageText(m).includes(id));
      if (!id || !message) throw new BenchCheckError(`no approval message for /restore ${i}`);
      const click = blockActionBody({
        actionId: 'request_approve',
        value: id,
        userId: APPROVER,
        channelId: CHANNEL,
        messageTs: message.ts,
        responseUrl: slack.responseUrl(`slow-click-${i}`),
      });
      const clicked = await timedPost(bot.url, click);
      if (clicked.status !== 200) throw new BenchCheckError(`approval click answered ${clicked.status}`);
      approveAck.push(clicked.ms);
      await bot.server.dispatcher.idle();
    }
  } finally {
    await bot.close();
    await slack.close();
  }
  return { delayMs, restoreAck, approveAck };
}

export async function measureLoad(options: { slowSamples: number }): Promise<LoadResults> {
  const watcher = await measureWatcherLoad();
  const status = await measureStatus();
  const slackDelayed = await measureSlowSlack(150, options.slowSamples);
  return { watcher, status, slackDelayed };
}
