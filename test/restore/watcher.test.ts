import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_SUMMARIES, NOT_RESTORED_SETTINGS } from '../../src/blocks/events.ts';
import { consoleTableUrl } from '../../src/blocks/format.ts';
import { executeRequest, REDRIVE_AFTER_MS } from '../../src/restore/executor.ts';
import { transition } from '../../src/restore/lifecycle.ts';
import type { BackupInfo, RestoreRequest } from '../../src/restore/types.ts';
import { LOST_HANDOFF_MS, PROGRESS_INTERVAL_MS, STUCK_AFTER_MS } from '../../src/restore/watcher.ts';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { type SlackApiStand, startSlackApi } from '../../src/sandbox/slack-api.ts';
import { notifyRequest } from '../../src/slack/notifier.ts';
import {
  APPROVER,
  type Bot,
  CHANNEL,
  manualClock,
  messageText,
  requestIdIn,
  startBot,
} from '../helpers/bot.ts';
import { uniqueTableName } from '../helpers/clock.ts';
import {
  approve,
  type RestoreHarness,
  requestRestore,
  startRestoreHarness,
  storeApproved,
  texts,
  useFakeAws,
} from '../helpers/restore.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let fake: FakeAws;
let backup: BackupInfo;
let h: RestoreHarness;
const table = (label: string) => uniqueTableName('Watch', label);

beforeAll(async () => {
  fake = await startFakeAws();
  useFakeAws(fake);
  backup = fake.addBackup({
    tableName: 'MusicCollection',
    name: 'MusicCollectionBackup',
    createdAt: new Date(Date.now() - 3600_000),
    itemCount: 1200,
    sizeBytes: 2_000_000,
  });
});
beforeEach(async () => {
  fake.creatingPolls = 2;
  h = await startRestoreHarness({ fake });
});
afterEach(async () => {
  await h.close();
});
afterAll(async () => {
  await fake.close();
});

function describeCalls(target: string): number {
  return fake.callsOf('DescribeTable').filter((c) => c.params.TableName === target).length;
}

function restoreAttempts(target: string): number {
  return fake.callsOf('RestoreTableFromBackup').filter((c) => c.params.TargetTableName === target).length;
}

/** Replies in a request's thread as people read them. */
function thread(id: string, harness: RestoreHarness = h): string[] {
  return texts(harness.threadOf(id));
}

/** The fallback text of each reply names what it reports (e.g. "restore started", "table ACTIVE"). */
function count(id: string, fallback: string, harness: RestoreHarness = h): number {
  return harness.threadOf(id).filter((m) => m.text?.endsWith(`: ${fallback}`)).length;
}

/** A restore that AWS has accepted and reports CREATING for `polls` more DescribeTable calls. */
async function restoring(
  target: string,
  polls: number,
  harness: RestoreHarness = h,
): Promise<RestoreRequest> {
  fake.creatingPolls = polls;
  const req = await requestRestore(harness, { backup: backup.name, targetTable: target });
  const after = await approve(harness, req.id);
  if (!after.restore?.startedAt) throw new Error(`restore did not start: ${JSON.stringify(after.events)}`);
  return after;
}

/** Each event after the request itself is posted exactly once, in order. */
function expectEachEventPostedOnce(req: RestoreRequest, harness: RestoreHarness = h): void {
  const expected = req.events.slice(1).map((e) => EVENT_SUMMARIES[e.action] ?? e.action);
  const posted = harness.threadOf(req.id).map((m) => m.text?.split(': ').at(-1));
  expect(posted).toEqual(expected);
}

describe('pollRestore through the watcher', () => {
  it('reports ACTIVE after several CREATING polls with duration, items, size, console link and what was not restored', async () => {
    const target = table('active');
    const req = await restoring(target, 3);

    const statuses: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      h.clock.advance(MINUTE);
      await h.watch();
      statuses.push((await h.request(req.id)).status);
    }

    expect(statuses).toEqual(['RESTORING', 'RESTORING', 'RESTORING', 'ACTIVE']);
    const done = await h.request(req.id);
    expect(done.restore).toMatchObject({
      tableStatus: 'ACTIVE',
      completedAt: h.clock.now().toISOString(),
      itemCount: 1200,
      sizeBytes: 2_000_000,
    });
    const final = thread(req.id).at(-1) ?? '';
    expect(final).toContain('is *ACTIVE*');
    expect(final).toContain('The restore took *4m 00s*');
    expect(final).toContain('1,200 (backup: 1,200)');
    expect(final).toContain('2.0 MB (backup: 2.0 MB)');
    expect(final).toContain(consoleTableUrl('us-east-1', target));
    for (const setting of NOT_RESTORED_SETTINGS) expect(final).toContain(setting);
    const root = messageText(h.rootOf(req.id));
    expect(root).toContain('is ACTIVE after 4m 00s');
    expect(root).not.toContain('request_approve');
    expectEachEventPostedOnce(done);
  });

  it('stops polling a table once it is ACTIVE', async () => {
    const target = table('done');
    const req = await restoring(target, 0);
    h.clock.advance(MINUTE);
    await h.watch();
    const polls = describeCalls(target);

    h.clock.advance(MINUTE);
    const result = await h.watch();

    expect((await h.request(req.id)).status).toBe('ACTIVE');
    expect(result.polled).toBe(0);
    expect(describeCalls(target)).toBe(polls);
    expect(count(req.id, 'table ACTIVE')).toBe(1);
  });

  it('posts a progress reply at most every 10 minutes while CREATING', async () => {
    const target = table('progress');
    const req = await restoring(target, 1000);
    const checksBeforeStart = describeCalls(target);

    const seen: number[] = [];
    for (let minute = 1; minute <= 35; minute += 1) {
      h.clock.advance(MINUTE);
      await h.watch();
      seen.push(count(req.id, 'still restoring'));
    }

    seen.forEach((replies, i) => {
      expect(replies).toBeLessThanOrEqual(Math.floor(((i + 1) * MINUTE) / PROGRESS_INTERVAL_MS));
    });
    expect(seen.at(-1)).toBe(3);
    const progress = thread(req.id).filter((t) => t.includes('Still restoring'));
    expect(progress.map((t) => /(\d+m \d+s) since the start/.exec(t)?.[1])).toEqual([
      '10m 00s',
      '20m 00s',
      '30m 00s',
    ]);
    expect(progress[0]).toContain('table status *CREATING*');
    expect(describeCalls(target) - checksBeforeStart).toBe(35);
    expectEachEventPostedOnce(await h.request(req.id));
  });

  it('fails the request with the reason when the table disappears', async () => {
    const target = table('gone');
    const req = await restoring(target, 1000);
    fake.tables.delete(target);

    h.clock.advance(MINUTE);
    const result = await h.watch();

    const after = await h.request(req.id);
    expect(result.finished).toBe(1);
    expect(after.status).toBe('FAILED');
    expect(after.failure?.code).toBe('TableDisappeared');
    expect(after.failure?.message).toContain(`Table ${target} no longer exists in account 123456789012`);
    const last = thread(req.id).at(-1) ?? '';
    expect(last).toContain('*failed*');
    expect(last).toContain('Check CloudTrail for DeleteTable');
    expect(last).toContain('AWS had accepted the restore, so a table may exist');
    expect(messageText(h.rootOf(req.id))).toContain('TableDisappeared');
  });

  it('fails the request when the table is being deleted while it restores', async () => {
    const target = table('deleting');
    const req = await restoring(target, 1000);
    const restoringTable = fake.tables.get(target);
    if (restoringTable) restoringTable.status = 'DELETING';
    const checksBeforeStart = describeCalls(target);

    h.clock.advance(MINUTE);
    await h.watch();
    h.clock.advance(MINUTE);
    await h.watch();

    const after = await h.request(req.id);
    expect(after.status).toBe('FAILED');
    expect(after.failure?.code).toBe('TableDELETING');
    expect(after.failure?.message).toContain('is being deleted (status DELETING)');
    expect(count(req.id, 'restore FAILED')).toBe(1);
    expect(describeCalls(target) - checksBeforeStart).toBe(1);
  });

  it('regression (issue 9, finding 7): after 24 hours says so once, checks hourly, and ends the request when the table is ACTIVE', async () => {
    const target = table('stuck');
    const req = await restoring(target, 100_000);
    h.clock.advance(STUCK_AFTER_MS - MINUTE);
    await h.watch();
    const polls = describeCalls(target);

    h.clock.advance(MINUTE);
    await h.watch();
    const warned = await h.request(req.id);
    // Within the hour: no DescribeTable, whatever the number of runs.
    for (let i = 0; i < 5; i += 1) {
      h.clock.advance(10 * MINUTE);
      await h.watch();
    }
    const quietPolls = describeCalls(target);
    h.clock.advance(10 * MINUTE);
    await h.watch();
    const hourlyPolls = describeCalls(target);

    expect(warned.status).toBe('RESTORING');
    expect(warned.restore?.hourlySince).toBe(warned.restore?.lastCheckAt);
    expect(quietPolls).toBe(polls);
    expect(hourlyPolls).toBe(polls + 1);
    expect(count(req.id, 'still restoring after 24h; checked hourly from now on')).toBe(1);
    const warning = thread(req.id).find((t) => t.includes('is still RESTORING after 24h 00m')) ?? '';
    expect(warning).toContain('checks it every hour');
    expect(warning).toContain(consoleTableUrl('us-east-1', target));

    // AWS finishes the table at last: the next hourly check ends the request.
    const fakeTable = fake.tables.get(target);
    if (fakeTable) fakeTable.pendingPolls = 0;
    h.clock.advance(HOUR);
    await h.watch();
    const after = await h.request(req.id);
    expect(after.status).toBe('ACTIVE');
    expect(await h.store.listByStatus('RESTORING')).not.toContainEqual(
      expect.objectContaining({ id: req.id }),
    );
    expectEachEventPostedOnce(after);
  });

  it('regression (issue 9, finding 7): a request an earlier version stopped watching is watched hourly again and fails when the table is gone', async () => {
    const target = table('legacy-stuck');
    const req = await restoring(target, 100_000);
    const current = await h.request(req.id);
    const legacy = transition(
      current,
      { restore: { ...current.restore, stopPolling: true } },
      undefined,
      h.clock.now(),
    );
    await h.store.update(current, legacy);
    fake.tables.delete(target);
    h.clock.advance(HOUR);

    await h.watch();

    const after = await h.request(req.id);
    expect(after.status).toBe('FAILED');
    expect(after.failure?.code).toBe('TableDisappeared');
  });
});

describe('sweep', () => {
  it('expires a PENDING request past its timeout and updates its message', async () => {
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('expire') });
    h.clock.advance(29 * MINUTE);
    await h.watch();
    const before = await h.request(req.id);

    h.clock.advance(MINUTE);
    const result = await h.watch();

    const after = await h.request(req.id);
    expect(before.status).toBe('PENDING');
    expect(result.expired).toBe(1);
    expect(after.status).toBe('EXPIRED');
    const root = messageText(h.rootOf(req.id));
    expect(root).toContain('Expired at');
    expect(root).not.toContain('request_approve');
    expect(thread(req.id)).toEqual([expect.stringContaining('Nobody approved in time')]);
    expect(h.audit.filter((a) => a.requestId === req.id).map((a) => a.action)).toEqual(['request', 'expire']);
  });

  it('starts an approved request whose hand-off was lost', async () => {
    const target = table('lost');
    const req = await storeApproved(h, { backup, targetTable: target, ageMs: LOST_HANDOFF_MS + MINUTE });

    const result = await h.watch();

    const after = await h.request(req.id);
    expect(result.started).toBe(1);
    expect(after.status).toBe('RESTORING');
    expect(after.restore?.startedAt).toBe(h.clock.now().toISOString());
    expect(restoreAttempts(target)).toBe(1);
    expect(fake.restoreCalls.find((c) => c.TargetTableName === target)?.BackupArn).toBe(backup.arn);
    expect(messageText(h.rootOf(req.id))).toContain(req.id);
    expectEachEventPostedOnce(after);
  });

  it('leaves a request approved moments ago to its own hand-off', async () => {
    const target = table('fresh');
    const req = await storeApproved(h, { backup, targetTable: target, ageMs: 30_000 });

    await h.watch();
    const untouched = await h.request(req.id);
    h.clock.advance(LOST_HANDOFF_MS);
    await h.watch();

    expect(untouched.status).toBe('APPROVED');
    expect((await h.request(req.id)).status).toBe('RESTORING');
    expect(restoreAttempts(target)).toBe(1);
  });

  it('finishes a request whose worker died between the RESTORING write and the restore call', async () => {
    const target = table('half-started');
    const approved = await storeApproved(h, { backup, targetTable: target, ageMs: LOST_HANDOFF_MS + MINUTE });
    const crashedAt = new Date(h.clock.now().getTime() - REDRIVE_AFTER_MS);
    const half = transition(
      approved,
      { status: 'RESTORING', restore: { attempts: 0 } },
      undefined,
      crashedAt,
    );
    await h.store.update(approved, half);

    await h.watch();

    const after = await h.request(half.id);
    expect(after.restore?.startedAt).toBeDefined();
    expect(restoreAttempts(target)).toBe(1);
  });

  it('regression (issue 9, finding 5): does not re-drive a start while the worker that made the call may still run', async () => {
    const target = table('slow-worker');
    const approved = await storeApproved(h, { backup, targetTable: target, ageMs: 3 * MINUTE });
    const calledAt = new Date(h.clock.now().getTime() - 3 * MINUTE);
    const restoring = transition(
      approved,
      { status: 'RESTORING', restore: { attempts: 0 } },
      undefined,
      calledAt,
    );
    const marked = transition(
      restoring,
      { restore: { attempts: 0, startCall: { attempt: 1, at: calledAt.toISOString() } } },
      undefined,
      calledAt,
    );
    await h.store.update(approved, restoring);
    await h.store.update(restoring, marked);

    await h.watch();
    const untouched = await h.request(marked.id);
    h.clock.advance(REDRIVE_AFTER_MS - 3 * MINUTE);
    await h.watch();

    expect(untouched.restore?.startedAt).toBeUndefined();
    expect(untouched.version).toBe(marked.version);
    expect(restoreAttempts(target)).toBe(1);
    expect((await h.request(marked.id)).restore?.startedAt).toBeDefined();
  });

  it('posts each update once when two watcher runs overlap', async () => {
    const slack = h.slack;
    const h2 = await h.anotherProcess();
    try {
      const pending = await requestRestore(h, { backup: backup.name, targetTable: table('race-expire') });
      const finishing = await restoring(table('race-active'), 0);
      const creating = await restoring(table('race-progress'), 1000);
      h.clock.advance(31 * MINUTE);
      const lostTarget = table('race-lost');
      const lost = await storeApproved(h, {
        backup,
        targetTable: lostTarget,
        ageMs: LOST_HANDOFF_MS + MINUTE,
      });

      const [a, b] = await Promise.all([h.watch(), h2.watch()]);

      expect(a.expired + b.expired).toBe(1);
      expect(restoreAttempts(lostTarget)).toBe(1);
      const ids = [pending.id, finishing.id, creating.id, lost.id];
      const after = await Promise.all(ids.map((id) => h.request(id)));
      expect(after.map((r) => r.status)).toEqual(['EXPIRED', 'ACTIVE', 'RESTORING', 'RESTORING']);
      expect(after[2]?.events.filter((e) => e.action === 'progress')).toHaveLength(1);
      for (const req of after) expectEachEventPostedOnce(req);
      expect(slack.messages(CHANNEL).filter((m) => !m.thread_ts)).toHaveLength(4);
      const audit = [...h.audit, ...h2.audit].map(
        (line) => `${String(line.requestId)} ${String(line.action)}`,
      );
      expect(audit.filter((l) => l === `${pending.id} expire`)).toHaveLength(1);
      expect(audit.filter((l) => l === `${finishing.id} complete`)).toHaveLength(1);
      expect(audit.filter((l) => l === `${creating.id} progress`)).toHaveLength(1);
      expect(audit.filter((l) => l === `${lost.id} start`)).toHaveLength(1);
    } finally {
      await h2.close();
    }
  });

  it('starts one restore when two watcher runs pick up the same due retry', async () => {
    const target = table('race-retry');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.failNext('RestoreTableFromBackup', 'TableInUseException');
    await approve(h, req.id);
    const h2 = await h.anotherProcess();
    try {
      h.clock.advance(MINUTE);

      await Promise.all([h.watch(), h2.watch()]);

      const after = await h.request(req.id);
      expect(after.restore?.startedAt).toBe(h.clock.now().toISOString());
      expect(fake.restoreCalls.filter((c) => c.TargetTableName === target)).toHaveLength(1);
      expect(after.events.filter((e) => e.action === 'restore_started')).toHaveLength(1);
      expectEachEventPostedOnce(after);
    } finally {
      await h2.close();
    }
  });

  it('keeps watching when one DescribeTable fails, and finishes the restore in a later run', async () => {
    const target = table('describe-fails');
    const req = await restoring(target, 0);
    fake.failNext('DescribeTable', 'InternalServerError', { times: 4 });

    h.clock.advance(MINUTE);
    const failed = await h.watch();
    const during = await h.request(req.id);
    h.clock.advance(MINUTE);
    await h.watch();

    expect(failed.errors).toBe(1);
    expect(during.status).toBe('RESTORING');
    expect((await h.request(req.id)).status).toBe('ACTIVE');
    expectEachEventPostedOnce(await h.request(req.id));
  });

  it('says once in the thread when the table cannot be checked for 10 minutes, then still reports ACTIVE', async () => {
    const target = table('describe-denied');
    const req = await restoring(target, 0);
    fake.failNext('DescribeTable', 'AccessDeniedException', { times: 13 });

    for (let i = 0; i < 13; i += 1) {
      h.clock.advance(MINUTE);
      await h.watch();
    }
    const during = await h.request(req.id);
    h.clock.advance(MINUTE);
    await h.watch();

    expect(during.status).toBe('RESTORING');
    expect(count(req.id, 'the bot cannot check the table at the moment')).toBe(1);
    const warning = thread(req.id).find((t) => t.includes('cannot check on'));
    expect(warning).toMatch(/permission|not allowed|AccessDenied/i);
    const done = await h.request(req.id);
    expect(done.status).toBe('ACTIVE');
    expect(done.restore?.watchErrorSince).toBeUndefined();
  });

  it('keeps a short DescribeTable outage out of the thread', async () => {
    const target = table('describe-blip');
    const req = await restoring(target, 1);
    fake.failNext('DescribeTable', 'AccessDeniedException', { times: 2 });

    for (let i = 0; i < 3; i += 1) {
      h.clock.advance(MINUTE);
      await h.watch();
    }

    expect(count(req.id, 'the bot cannot check the table at the moment')).toBe(0);
    expect((await h.request(req.id)).restore?.watchErrorSince).toBeUndefined();
  });

  it('posts a transition whose Slack post failed in the next run, exactly once', async () => {
    const target = table('ratelimited');
    const req = await restoring(target, 0);
    h.slack.failNext('chat.postMessage', 'ratelimited');

    h.clock.advance(MINUTE);
    const failed = await h.watch();
    const queued = (await h.store.listOutbox()).map((r) => r.id);
    const before = count(req.id, 'table ACTIVE');
    h.clock.advance(MINUTE);
    await h.watch();
    h.clock.advance(MINUTE);
    await h.watch();

    expect(failed.errors).toBe(1);
    expect((await h.request(req.id)).status).toBe('ACTIVE');
    expect(queued).toContain(req.id);
    expect(before).toBe(0);
    expect(count(req.id, 'table ACTIVE')).toBe(1);
    expect(messageText(h.rootOf(req.id))).toContain('is ACTIVE');
    expect((await h.store.listOutbox()).map((r) => r.id)).not.toContain(req.id);
    expectEachEventPostedOnce(await h.request(req.id));
  });

  it('posts the restore start in the next run when its post fails after a notifier run drained the request', async () => {
    // Regression: the executor writes restore_started over the request it read before the approval
    // was posted; the store left that event out of the outbox, so a failed post was never retried.
    const target = table('ratelimited-start');
    const req = await storeApproved(h, { backup, targetTable: target, ageMs: 0 });
    let reached!: () => void;
    const atAws = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const held: typeof h.deps = {
      ...h.deps,
      targets: async (...args) => {
        reached();
        await gate;
        return h.deps.targets(...args);
      },
    };
    const executing = executeRequest(held, req.id);
    await atAws;
    await notifyRequest(h.deps, req.id);
    h.slack.failNext('chat.postMessage', 'ratelimited');

    open();
    await executing;
    await h.idle();
    const beforeWatch = count(req.id, 'restore started');
    h.clock.advance(MINUTE);
    await h.watch();

    expect(beforeWatch).toBe(0);
    expect(count(req.id, 'restore started')).toBe(1);
    expectEachEventPostedOnce(await h.request(req.id));
  });
});

describe('a restart between approval and ACTIVE', () => {
  let slack: SlackApiStand;
  let dataDir: string;
  let bot: Bot | undefined;

  beforeEach(async () => {
    slack = await startSlackApi();
    dataDir = mkdtempSync(join(tmpdir(), 'restore-bot-watch-'));
  });
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets the new process watch the restore to ACTIVE and post each update once', async () => {
    const clock = manualClock();
    fake.creatingPolls = 2;
    const target = table('restart');
    bot = await startBot({ fake, slack, dataDir, now: clock.now });
    const ask = await bot.command('/restore', `${backup.name} ${target}`);
    const id = requestIdIn(ask.ack.text);
    await bot.click('request_approve', id, APPROVER);
    clock.advance(MINUTE);
    await bot.watch();
    await bot.stop();
    bot = undefined;

    bot = await startBot({ fake, slack, dataDir, now: clock.now });
    for (let i = 0; i < 3; i += 1) {
      clock.advance(MINUTE);
      await bot.watch();
    }

    const root = bot.rootOf(id);
    const replies = bot.threadOf(id).map((m) => m.text?.split(': ').at(-1));
    expect(replies).toEqual(['approved', 'restore started', 'table ACTIVE']);
    expect(fake.restoreCalls.filter((c) => c.TargetTableName === target)).toHaveLength(1);
    expect(messageText(root)).toContain('is ACTIVE');
    expect(fake.tables.get(target)?.status).toBe('ACTIVE');
  });
});
