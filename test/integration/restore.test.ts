import { describe, expect, it } from 'vitest';
import {
  APPROVER,
  APPROVER2,
  manualClock,
  messageText,
  ONCALL,
  REQUESTER,
  requestIdIn,
  STRANGER,
} from '../helpers/bot.ts';
import { botsOnSharedStandIns } from '../helpers/stand-ins.ts';

let backupArn: string;
const shared = botsOnSharedStandIns({ creatingPolls: 2 }, (fake) => {
  backupArn = fake.addBackup({
    tableName: 'MusicCollection',
    name: 'MusicCollectionBackup',
    createdAt: new Date(Date.now() - 3600_000),
    itemCount: 1200,
    sizeBytes: 2_000_000,
    gsis: ['ByArtist'],
  }).arn;
});

describe('/restore end to end through npm start', () => {
  it('requests, refuses self-approval and outsiders, approves, restores and reports ACTIVE', async () => {
    const clock = manualClock();
    const bot = await shared.startBot({ now: clock.now });
    const req = await bot.command(
      '/restore',
      `MusicCollectionBackup Music-restored --reason “INC-7 rows lost”`,
    );
    const id = requestIdIn(req.ack.text);
    expect(messageText(req.responses()[0])).toContain(id);

    const posted = bot.rootOf(id);
    const text = messageText(posted);
    for (const part of [
      'MusicCollectionBackup',
      backupArn,
      'Music-restored',
      'INC-7 rows lost',
      '123456789012',
      'us-east-1',
    ]) {
      expect(text).toContain(part);
    }
    expect(text).toContain('request_approve');

    const self = await bot.click('request_approve', id, REQUESTER, posted!.ts);
    expect(messageText(self.responses()[0])).toMatch(/cannot approve/);
    const outsider = await bot.click('request_approve', id, STRANGER, posted!.ts);
    expect(messageText(outsider.responses()[0])).toMatch(/Only approvers/);
    expect(bot.fake.restoreCalls).toHaveLength(0);

    clock.advance(60_000);
    const ok = await bot.click('request_approve', id, APPROVER, posted!.ts);
    expect(ok.responses()).toHaveLength(0);
    expect(bot.fake.restoreCalls).toHaveLength(1);
    expect(bot.fake.restoreCalls[0]).toMatchObject({
      TargetTableName: 'Music-restored',
      BackupArn: backupArn,
    });
    const session = bot.fake.assumeRoleCalls.at(-1);
    expect(session?.SourceIdentity).toBe(APPROVER);

    // CREATING for two polls, then ACTIVE.
    clock.advance(60_000);
    await bot.watch();
    clock.advance(11 * 60_000);
    await bot.watch();
    clock.advance(60_000);
    await bot.watch();

    const thread = bot.threadOf(id).map((m) => messageText(m));
    expect(thread.some((t) => /approved/i.test(t))).toBe(true);
    expect(thread.some((t) => /started|CREATING/i.test(t))).toBe(true);
    const final = thread.at(-1) ?? '';
    expect(final).toMatch(/ACTIVE/);
    expect(final).toMatch(/TTL/);
    expect(final).toContain('console.aws.amazon.com');
    expect(messageText(bot.rootOf(id))).not.toContain('request_approve');
    expect(bot.fake.tables.get('Music-restored')?.status).toBe('ACTIVE');

    const actions = bot.audit.filter((a) => a.requestId === id).map((a) => a.action);
    expect(actions).toEqual(['request', 'approve', 'start', 'restore-started', 'progress', 'complete']);
  });

  it('keeps a pending request across a restart and approves it afterwards', async () => {
    const dataDir = `${process.env.TMPDIR ?? '/tmp'}/restore-bot-restart-${process.pid}`;
    let bot = await shared.startBot({ dataDir });
    const req = await bot.command('/restore', `${backupArn} Music-after-restart`);
    const id = requestIdIn(req.ack.text);
    expect(bot.rootOf(id)).toBeDefined();
    await bot.stop();

    bot = await shared.startBot({ dataDir });
    const status = await bot.command('/restore', `status ${id}`);
    expect(messageText(status.ack)).toContain('PENDING');
    await bot.click('request_approve', id, ONCALL);
    expect(bot.fake.restoreCalls.some((c) => c.TargetTableName === 'Music-after-restart')).toBe(true);
  });

  it('needs two distinct approvers where configured, and counts each once', async () => {
    const bot = await shared.startBot();
    const req = await bot.command('/restore', `MusicCollectionBackup Music-two --env two-person`);
    const id = requestIdIn(req.ack.text);
    await bot.click('request_approve', id, APPROVER);
    const again = await bot.click('request_approve', id, APPROVER);
    expect(messageText(again.responses()[0])).toMatch(/already approved/);
    expect(bot.fake.restoreCalls.some((c) => c.TargetTableName === 'Music-two')).toBe(false);
    expect(messageText(bot.rootOf(id))).toContain('1/2');
    await bot.click('request_approve', id, APPROVER2);
    expect(bot.fake.restoreCalls.filter((c) => c.TargetTableName === 'Music-two')).toHaveLength(1);
  });

  it('starts one restore when two approvers click at the same moment', async () => {
    const bot = await shared.startBot();
    const req = await bot.command('/restore', `MusicCollectionBackup Music-race`);
    const id = requestIdIn(req.ack.text);
    const clicks = await Promise.all([
      bot.click('request_approve', id, APPROVER),
      bot.click('request_approve', id, APPROVER2),
      bot.click('request_approve', id, APPROVER),
    ]);
    await bot.server.dispatcher.idle();
    expect(bot.fake.restoreCalls.filter((c) => c.TargetTableName === 'Music-race')).toHaveLength(1);
    expect(clicks.flatMap((c) => c.responses())).toHaveLength(2);
    expect(bot.audit.filter((a) => a.requestId === id && a.action === 'approve')).toHaveLength(1);
  });

  it('refuses a target table that already exists, and creates nothing', async () => {
    const bot = await shared.startBot();
    bot.fake.addTable('Existing');
    const req = await bot.command('/restore', 'MusicCollectionBackup Existing');
    expect(messageText(req.responses()[0])).toMatch(/already exists/);
    expect(bot.audit).toHaveLength(0);
  });

  it('lets only the requester cancel, and the message loses its buttons', async () => {
    const bot = await shared.startBot();
    const req = await bot.command('/restore', 'MusicCollectionBackup Music-cancel');
    const id = requestIdIn(req.ack.text);
    const other = await bot.click('request_cancel', id, APPROVER);
    expect(messageText(other.responses()[0])).toMatch(/can cancel/);
    const cancel = await bot.command('/restore', `cancel ${id}`);
    expect(messageText(cancel.ack)).toContain('cancelled');
    expect(messageText(bot.rootOf(id))).not.toContain('request_approve');
    const late = await bot.click('request_approve', id, APPROVER);
    expect(messageText(late.responses()[0])).toMatch(/CANCELLED/);
  });

  it('expires a request past the approval timeout, and a late approval is refused', async () => {
    const clock = manualClock();
    const bot = await shared.startBot({ now: clock.now });
    const req = await bot.command('/restore', 'MusicCollectionBackup Music-expire');
    const id = requestIdIn(req.ack.text);
    clock.advance(31 * 60_000);
    const late = await bot.click('request_approve', id, APPROVER);
    expect(messageText(late.responses()[0])).toMatch(/expired/);
    expect(messageText(bot.rootOf(id))).toMatch(/EXPIRED/);
    expect(bot.fake.restoreCalls.some((c) => c.TargetTableName === 'Music-expire')).toBe(false);
  });
});
