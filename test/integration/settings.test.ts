import { describe, expect, it } from 'vitest';
import {
  APPROVER,
  APPROVER2,
  type Bot,
  manualClock,
  messageText,
  REQUESTER,
  requestIdIn,
  STRANGER,
} from '../helpers/bot.ts';
import { botsOnSharedStandIns } from '../helpers/stand-ins.ts';
import { seedSourceAndRestored, writesNaming } from '../settings/seed.ts';

const shared = botsOnSharedStandIns({ creatingPolls: 1 });

/** A source table with TTL, stream, PITR, tags, deletion protection, auto scaling …, and its backup. */
function seedSource(name: string): string {
  const { fake } = shared;
  const { source } = seedSourceAndRestored(fake, { source: name, target: `${name}-scratch` });
  fake.tables.delete(`${name}-scratch`);
  return fake.addBackup({
    tableName: source,
    name: `${name}-backup`,
    createdAt: new Date(Date.now() - 3600_000),
    billingMode: 'PROVISIONED',
    gsis: ['byCustomer'],
  }).arn;
}

/** Requests, approves and watches until ACTIVE; returns the request ID. */
async function restoreToActive(b: Bot, clock: ReturnType<typeof manualClock>, text: string): Promise<string> {
  const req = await b.command('/restore', text);
  const id = requestIdIn(req.ack.text);
  clock.advance(60_000);
  await b.click('request_approve', id, APPROVER);
  for (let i = 0; i < 3; i++) {
    clock.advance(60_000);
    await b.watch();
  }
  return id;
}

describe('settings diff and Copy settings, end to end through npm start', () => {
  it('shows the diff at ACTIVE, copies on one approver click (once, for racing clicks), and never writes the source', async () => {
    seedSource('orders');
    const clock = manualClock();
    const bot = await shared.startBot({ now: clock.now });
    const id = await restoreToActive(bot, clock, 'orders-backup orders-restored --reason "INC-9 bad deploy"');
    expect(bot.fake.tables.get('orders-restored')?.status).toBe('ACTIVE');

    const active = bot.threadOf(id).at(-1);
    const activeText = messageText(active);
    expect(activeText).toMatch(
      /The bot can copy:\*? TTL, stream, point-in-time recovery, deletion protection, tags/,
    );
    expect(activeText).toContain('settings_copy');
    expect(activeText).toContain('Copy settings from orders');
    expect(activeText).toContain('cloudwatch/home');
    // The confirm dialog lists the changes.
    expect(activeText).toMatch(/Changes orders-restored: TTL: Turn TTL on for `expiresAt`/);

    const stranger = await bot.click('settings_copy', id, STRANGER);
    expect(messageText(stranger.responses()[0])).toMatch(/Only the requester or an approver/);
    expect(writesNaming(bot.fake, 'orders-restored')).toEqual([]);

    const clicks = await Promise.all([
      bot.click('settings_copy', id, APPROVER),
      bot.click('settings_copy', id, APPROVER2),
      bot.click('settings_copy', id, REQUESTER),
    ]);
    await bot.server.dispatcher.idle();
    const answers = clicks.flatMap((c) => c.responses()).map((r) => messageText(r));
    expect(answers.filter((t) => /Copying settings/.test(t))).toHaveLength(1);
    expect(answers.filter((t) => /already being copied/.test(t))).toHaveLength(2);
    expect(bot.audit.filter((a) => a.requestId === id && a.action === 'copy-settings')).toHaveLength(1);

    const t = bot.fake.settings.of('orders-restored');
    expect(t.ttl).toEqual({ status: 'ENABLED', attribute: 'expiresAt' });
    expect(t.stream).toEqual({ viewType: 'NEW_AND_OLD_IMAGES' });
    expect(t.pitr).toEqual({ recoveryPeriodDays: 14 });
    expect(t.deletionProtection).toBe(true);
    expect(Object.fromEntries(t.tags)).toEqual(Object.fromEntries(bot.fake.settings.of('orders').tags));
    expect(
      bot.fake.settings.scalableTargets.filter((x) => x.resourceId.startsWith('table/orders-restored')),
    ).toHaveLength(4);
    expect(writesNaming(bot.fake, 'orders')).toEqual([]);

    const report = messageText(bot.threadOf(id).at(-1));
    expect(report).toMatch(/copied settings from `orders` to `orders-restored`/);
    expect(report).toMatch(/TTL: done/);
    expect(report).toMatch(/CloudWatch alarms: not possible/);
    const audit = bot.audit.find((a) => a.action === 'copy-settings' && a.requestId === id);
    expect(audit).toMatchObject({ settings: { ttl: 'done', pitr: 'done', alarms: 'not_possible' } });

    // The settings session: writes on the new table only, reads on both.
    const policy = bot.fake.assumeRoleCalls
      .map((c) => c.Policy)
      .find((p) => p?.includes('ChangeOnlyTheNewTable'));
    const statements = JSON.parse(policy ?? '{}').Statement as { Sid: string; Resource: string[] }[];
    const writes = statements.find((s) => s.Sid === 'ChangeOnlyTheNewTable');
    expect(writes?.Resource).toEqual([
      bot.fake.tableArn('orders-restored'),
      `${bot.fake.tableArn('orders-restored')}/index/*`,
    ]);

    // A second press reports everything as already equal.
    const again = await bot.click('settings_copy', id, APPROVER);
    expect(messageText(again.responses()[0])).toMatch(/Copying settings/);
    const second = messageText(bot.threadOf(id).at(-1));
    expect(second).toMatch(/TTL: already equal/);
    expect(second).toMatch(/Auto scaling: already equal/);

    const shown = await bot.command('/restore', `settings ${id}`);
    const full = messageText(shown.responses()[0]);
    expect(full).toContain('Settings of orders-restored');
    expect(full).toContain('orders-throttles');
    expect(full).not.toContain('other-table-errors');
  });

  it('copies automatically at ACTIVE with --copy-settings, and the approval message says so', async () => {
    seedSource('carts');
    const clock = manualClock();
    const bot = await shared.startBot({ now: clock.now });
    const req = await bot.command('/restore', 'carts-backup carts-restored --copy-settings');
    const id = requestIdIn(req.ack.text);
    expect(messageText(bot.rootOf(id))).toMatch(/\*Settings\*\\n:gear: Copied from `carts` once ACTIVE/);
    clock.advance(60_000);
    await bot.click('request_approve', id, APPROVER);
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      await bot.watch();
    }
    expect(bot.fake.settings.of('carts-restored').ttl).toEqual({ status: 'ENABLED', attribute: 'expiresAt' });
    expect(bot.fake.settings.of('carts-restored').deletionProtection).toBe(true);
    const thread = bot.threadOf(id).map((m) => messageText(m));
    expect(thread.some((t) => /The bot copied settings from `carts`/.test(t))).toBe(true);
    expect(bot.audit.find((a) => a.requestId === id && a.action === 'copy-settings')).toMatchObject({
      actor: 'bot',
    });
    expect(writesNaming(bot.fake, 'carts')).toEqual([]);
  });

  it('refuses Copy before ACTIVE and /restore settings of an unknown request', async () => {
    seedSource('items');
    const bot = await shared.startBot();
    const req = await bot.command('/restore', 'items-backup items-restored');
    const id = requestIdIn(req.ack.text);
    const early = await bot.click('settings_copy', id, APPROVER);
    expect(messageText(early.responses()[0])).toMatch(/once items-restored is ACTIVE/);
    const unknown = await bot.command('/restore', 'settings R-ZZZZZZ');
    expect(messageText(unknown.ack)).toMatch(/no restore request R-ZZZZZZ/);
    const bad = await bot.command('/restore', 'settings');
    expect(messageText(bad.ack)).toMatch(/Missing REQUEST_ID/);
  });
});
