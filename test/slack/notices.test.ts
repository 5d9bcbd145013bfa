import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotConfig } from '../../src/config.ts';
import type { BackupInfo } from '../../src/restore/types.ts';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { APPROVER, APPROVER2, CHANNEL, messageText, ONCALL, REQUESTER } from '../helpers/bot.ts';
import { uniqueTableName } from '../helpers/clock.ts';
import {
  approve,
  type RestoreHarness,
  requestRestore,
  startRestoreHarness,
  useFakeAws,
} from '../helpers/restore.ts';

const MINUTE = 60_000;
const AUDIT = 'C0AUDIT';

let fake: FakeAws;
let backup: BackupInfo;
const harnesses: RestoreHarness[] = [];
const table = (label: string) => uniqueTableName('Notice', label);

beforeAll(async () => {
  fake = await startFakeAws();
  useFakeAws(fake);
  backup = fake.addBackup({
    tableName: 'MusicCollection',
    name: 'MusicCollectionBackup',
    createdAt: new Date(Date.now() - 3600_000),
  });
});
afterEach(async () => {
  fake.creatingPolls = 2;
  for (const h of harnesses.splice(0).reverse()) await h.close();
});
afterAll(async () => fake.close());

/** A harness with `config`, closed after the test. */
async function harness(config: Partial<BotConfig>): Promise<RestoreHarness> {
  const h = await startRestoreHarness({ fake, config });
  harnesses.push(h);
  return h;
}

/** A second process of `h` (same config, clock, Slack and state table), closed after the test. */
async function secondProcess(h: RestoreHarness): Promise<RestoreHarness> {
  const h2 = await h.anotherProcess();
  harnesses.push(h2);
  return h2;
}

const reminders = (h: RestoreHarness, id: string) =>
  h.threadOf(id).filter((m) => messageText(m).includes(':bell:'));

/** Moves the clock and runs the watcher until the request is ACTIVE (CREATING for two polls). */
async function runToActive(h: RestoreHarness): Promise<void> {
  for (const step of [MINUTE, 11 * MINUTE, MINUTE]) {
    h.clock.advance(step);
    await h.watch();
  }
}

describe('reminders', () => {
  it('reminds once after reminderMinutes and once 5 minutes before expiry, never a third time', async () => {
    const h = await harness({ reminderMinutes: 10 });
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('schedule') });

    h.clock.advance(10 * MINUTE - 1000);
    await h.watch();
    expect(reminders(h, req.id)).toHaveLength(0);
    h.clock.advance(1000);
    await h.watch();
    await h.watch();
    expect(reminders(h, req.id)).toHaveLength(1);
    expect(messageText(reminders(h, req.id)[0])).toContain('closes in *20m 00s*');

    h.clock.advance(14 * MINUTE);
    await h.watch();
    expect(reminders(h, req.id)).toHaveLength(1);
    h.clock.advance(MINUTE);
    await h.watch();
    await h.watch();
    const all = reminders(h, req.id).map((m) => messageText(m));
    expect(all).toHaveLength(2);
    expect(all[1]).toContain('closes in *5m 00s*');
    expect(all[1]).toContain('This is the last reminder.');
    // Approvers who already approved and the requester are not pinged; the groups are.
    expect(all[1]).toContain(`<@${APPROVER}>`);
    expect(all[1]).toContain('<!subteam^S0ONCALL>');
    expect(all[1]).not.toContain(`<@${REQUESTER}>`);

    h.clock.advance(4 * MINUTE);
    await h.watch();
    expect(reminders(h, req.id)).toHaveLength(2);
    expect((await h.request(req.id)).reminders).toBe(2);
  });

  it('sends only the last reminder when the watcher was down through the first', async () => {
    const h = await harness({ reminderMinutes: 10 });
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('late') });

    h.clock.advance(26 * MINUTE);
    await h.watch();
    await h.watch();

    expect(reminders(h, req.id).map((m) => messageText(m))).toEqual([
      expect.stringContaining('This is the last reminder.'),
    ]);
  });

  it('sends none after the request is decided', async () => {
    const h = await harness({ reminderMinutes: 10 });
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('decided') });
    h.clock.advance(5 * MINUTE);
    await approve(h, req.id);

    for (let i = 0; i < 4; i += 1) {
      h.clock.advance(7 * MINUTE);
      await h.watch();
    }

    expect(reminders(h, req.id)).toHaveLength(0);
    expect((await h.request(req.id)).events.some((e) => e.action === 'reminded')).toBe(false);
  });

  it('does not remind the approver who has approved a two-person request', async () => {
    const h = await harness({ reminderMinutes: 10 });
    const req = await requestRestore(h, {
      backup: backup.name,
      targetTable: table('two'),
      env: 'two-person',
    });
    await approve(h, req.id, APPROVER);

    h.clock.advance(10 * MINUTE);
    await h.watch();

    const text = messageText(reminders(h, req.id)[0]);
    expect(text).toContain('still needs 1 approval');
    expect(text).toContain(`<@${APPROVER2}>`);
    expect(text).not.toContain(`<@${APPROVER}>`);
  });

  it('sends each reminder once when two watcher runs overlap', async () => {
    const h = await harness({ reminderMinutes: 10 });
    const h2 = await secondProcess(h);
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('race') });

    h.clock.advance(10 * MINUTE);
    const [a, b] = await Promise.all([h.watch(), h2.watch()]);
    h.clock.advance(15 * MINUTE);
    const [c, d] = await Promise.all([h.watch(), h2.watch()]);

    expect(a.reminded + b.reminded).toBe(1);
    expect(c.reminded + d.reminded).toBe(1);
    expect(reminders(h, req.id)).toHaveLength(2);
    expect((await h.request(req.id)).events.filter((e) => e.action === 'reminded')).toHaveLength(2);
  });

  it('sends none when reminderMinutes is not configured', async () => {
    const h = await harness({});
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('off') });
    h.clock.advance(26 * MINUTE);
    await h.watch();
    expect(reminders(h, req.id)).toHaveLength(0);
  });
});

describe('the audit channel', () => {
  it('holds one line per transition of a whole lifecycle, in order, across a failed post and overlapping runs', async () => {
    const h = await harness({ auditChannel: AUDIT });
    const h2 = await secondProcess(h);
    // The first audit post meets a rate limit: the line stays owed, the thread is not held up.
    h.slack.failNext('chat.postMessage', 'ratelimited', 1, (body) => body.channel === AUDIT);
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('audit') });
    expect(h.slack.messages(AUDIT)).toHaveLength(0);
    expect(h.rootOf(req.id)).toBeDefined();

    h.clock.advance(MINUTE);
    await approve(h, req.id);
    for (const step of [MINUTE, 11 * MINUTE, MINUTE]) {
      h.clock.advance(step);
      await Promise.all([h.watch(), h2.watch()]);
    }

    const lines = h.slack.messages(AUDIT).map((m) => messageText(m));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain(`<@${REQUESTER}> requested · new → PENDING`);
    expect(lines[1]).toContain(`<@${APPROVER}> approved (1/1) · PENDING → APPROVED`);
    expect(lines[2]).toContain('the bot started the restore · APPROVED → RESTORING');
    expect(lines[3]).toContain('the bot saw the table ACTIVE · RESTORING → ACTIVE');
    for (const line of lines) {
      expect(line).toContain(req.id);
      expect(line).toContain('prod');
      expect(line).toContain('MusicCollectionBackup');
      expect(line).toContain(req.targetTable);
    }
    const after = await h.request(req.id);
    expect(after.noticeSeqs?.audit).toBe(after.events.length);
    expect((await h.store.listOutbox()).map((r) => r.id)).not.toContain(req.id);
  });

  it('keeps lines owed while the bot is not in the channel, without redrawing the approval message each run', async () => {
    const h = await harness({ auditChannel: AUDIT });
    h.slack.failNext('chat.postMessage', 'not_in_channel', 3, (body) => body.channel === AUDIT);
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('audit-owed') });
    const root = h.rootOf(req.id)!;
    const updates = root.updates.length;

    h.clock.advance(MINUTE);
    await h.watch();
    await h.watch();
    expect(h.slack.messages(AUDIT)).toHaveLength(0);
    expect((await h.store.listOutbox()).map((r) => r.id)).toContain(req.id);
    expect(root.updates).toHaveLength(updates);

    // Invited: the next run posts the line it owes, once.
    await h.watch();
    await h.watch();
    expect(h.slack.messages(AUDIT).map((m) => m.text)).toEqual([`${req.id} prod: requested → PENDING`]);
    expect(root.updates).toHaveLength(updates);
    expect((await h.store.listOutbox()).map((r) => r.id)).not.toContain(req.id);
  });

  it('posts nothing without auditChannel', async () => {
    const h = await harness({});
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('no-audit') });
    await approve(h, req.id);
    expect(h.slack.messages(AUDIT)).toHaveLength(0);
    expect((await h.request(req.id)).noticeSeqs?.audit).toBeUndefined();
  });
});

describe('requester DMs', () => {
  it('tells the requester of the approval and of ACTIVE, each once, with the thread link', async () => {
    const h = await harness({});
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('dm-active') });
    await approve(h, req.id);
    await runToActive(h);

    const dms = h.slack.dmsTo(REQUESTER).map((m) => messageText(m));
    const root = h.rootOf(req.id)!;
    const permalink = `https://fake-team.slack.test/archives/${CHANNEL}/p${root.ts.replace('.', '')}`;
    expect(dms).toHaveLength(2);
    expect(dms[0]).toContain(`was approved by <@${APPROVER}>`);
    expect(dms[1]).toContain('is *ACTIVE*');
    for (const dm of dms) expect(dm).toContain(`<${permalink}|`);
    // chat.getPermalink once for the request; the link is stored with the message.
    expect(h.slack.callsOf('chat.getPermalink')).toHaveLength(1);
    expect((await h.request(req.id)).message?.permalink).toBe(permalink);
    expect(h.slack.dmsTo(APPROVER)).toHaveLength(0);
  });

  it('keeps its place across a restart between approval and ACTIVE', async () => {
    const before = await harness({ auditChannel: AUDIT });
    const req = await requestRestore(before, { backup: backup.name, targetTable: table('dm-restart') });
    await approve(before, req.id);
    // Another process on the same state takes over (the first is gone).
    const after = await secondProcess(before);
    for (const step of [MINUTE, 11 * MINUTE, MINUTE]) {
      after.clock.advance(step);
      await after.watch();
    }

    const dms = after.slack.dmsTo(REQUESTER).map((m) => messageText(m));
    expect(dms).toEqual([expect.stringContaining('was approved by'), expect.stringContaining('is *ACTIVE*')]);
    expect(after.slack.messages(AUDIT).map((m) => m.text)).toEqual([
      `${req.id} prod: requested → PENDING`,
      `${req.id} prod: approved → APPROVED`,
      `${req.id} prod: restore_started`,
      `${req.id} prod: active → ACTIVE`,
    ]);
  });

  it('retries a rate-limited DM without repeating it or the thread reply', async () => {
    const h = await harness({});
    h.slack.failNext('chat.postMessage', 'ratelimited', 1, (body) => body.channel === REQUESTER);
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('dm-retry') });
    await approve(h, req.id);
    expect(h.slack.dmsTo(REQUESTER)).toHaveLength(0);
    expect((await h.store.listOutbox()).map((r) => r.id)).toContain(req.id);

    h.clock.advance(MINUTE);
    await h.watch();
    await h.watch();

    expect(h.slack.dmsTo(REQUESTER)).toHaveLength(1);
    expect(h.threadOf(req.id).filter((m) => messageText(m).includes('approved (1/1)'))).toHaveLength(1);
  });

  it('skips a DM that Slack refuses for good, and moves on', async () => {
    const h = await harness({ auditChannel: AUDIT });
    h.slack.failNext('chat.postMessage', 'cannot_dm_bot', 1, (body) => body.channel === REQUESTER);
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('dm-refused') });
    await approve(h, req.id);

    expect(h.slack.dmsTo(REQUESTER)).toHaveLength(0);
    // requested, approved, restore started: the kinds after the refused DM went on.
    expect(h.slack.messages(AUDIT)).toHaveLength(3);
    expect((await h.store.listOutbox()).map((r) => r.id)).not.toContain(req.id);
  });

  it('tells the requester of a rejection with its reason, and of an expiry', async () => {
    const h = await harness({});
    const rejected = await requestRestore(h, { backup: backup.name, targetTable: table('dm-reject') });
    const { rejectRequest } = await import('../../src/restore/service.ts');
    await rejectRequest(h.deps, rejected.id, ONCALL, 'Wrong backup: use the 09:00 one');
    await h.idle();
    const expired = await requestRestore(h, { backup: backup.name, targetTable: table('dm-expire') });
    h.clock.advance(31 * MINUTE);
    await h.watch();

    const dms = h.slack.dmsTo(REQUESTER).map((m) => messageText(m));
    expect(dms).toHaveLength(2);
    expect(dms[0]).toContain(`was rejected by <@${ONCALL}>`);
    expect(dms[0]).toContain('Wrong backup: use the 09:00 one');
    expect(dms[0]).toContain(rejected.id);
    expect(dms[1]).toContain('expired at');
    expect(dms[1]).toContain(expired.id);
  });
});
