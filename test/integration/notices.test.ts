import { describe, expect, it } from 'vitest';
import {
  APPROVER,
  APPROVER2,
  CHANNEL,
  manualClock,
  messageText,
  REQUESTER,
  requestIdIn,
  STRANGER,
} from '../helpers/bot.ts';
import { texts } from '../helpers/restore.ts';
import { botsOnSharedStandIns } from '../helpers/stand-ins.ts';

const AUDIT = 'C0AUDIT';

const shared = botsOnSharedStandIns({ creatingPolls: 2 }, (fake) => {
  fake.addBackup({
    tableName: 'MusicCollection',
    name: 'MusicCollectionBackup',
    createdAt: new Date(Date.now() - 3600_000),
    itemCount: 1200,
    sizeBytes: 2_000_000,
  });
});

function homeOf(user: string): string {
  return JSON.stringify(shared.slack.homeViews.get(user)?.blocks ?? []);
}

/** The blocks of the "Waiting for your approval" list only. */
function waitingSection(user: string): string {
  const home = homeOf(user);
  return home.slice(home.indexOf('Waiting for your approval'), home.indexOf('Your open requests'));
}

describe('reminders, requester DMs, the Home tab and the audit channel through npm start', () => {
  it('reminds, is approved from the Home tab, DMs the requester at ACTIVE, and audits each transition once', async () => {
    const clock = manualClock();
    const bot = await shared.startBot({
      now: clock.now,
      config: { auditChannel: AUDIT, reminderMinutes: 10 },
    });
    await bot.openHome(APPROVER);
    await bot.openHome(REQUESTER);
    expect(waitingSection(APPROVER)).toContain('Nothing waits for you');

    const asked = await bot.command(
      '/restore',
      'MusicCollectionBackup Music-notices --reason "INC-9 rows lost"',
    );
    const id = requestIdIn(asked.ack.text);
    const root = bot.rootOf(id);
    expect(root).toBeDefined();
    // The approver's open Home tab shows the request with the channel's buttons and confirmation.
    expect(waitingSection(APPROVER)).toContain(id);
    expect(waitingSection(APPROVER)).toContain('request_approve');
    expect(waitingSection(APPROVER)).toContain('Approve and restore');
    expect(waitingSection(REQUESTER)).not.toContain(id);
    expect(homeOf(REQUESTER)).toContain(id);

    // Nine minutes: no reminder yet; ten: one, mentioning every approver; again: still one.
    clock.advance(9 * 60_000);
    await bot.watch();
    expect(texts(bot.threadOf(id)).filter((t) => t.includes(':bell:'))).toHaveLength(0);
    clock.advance(60_000);
    await bot.watch();
    await bot.watch();
    const reminders = texts(bot.threadOf(id)).filter((t) => t.includes(':bell:'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toContain(`<@${APPROVER}>`);
    expect(reminders[0]).toContain(`<@${APPROVER2}>`);
    expect(reminders[0]).toContain('<!subteam^S0ONCALL>');
    expect(reminders[0]).not.toContain(`<@${REQUESTER}>`);
    expect(reminders[0]).toContain('closes in *20m 00s*');

    clock.advance(60_000);
    await bot.clickHome(`request_approve.${id}`, id, APPROVER);
    expect(bot.fake.restoreCalls.filter((c) => c.TargetTableName === 'Music-notices')).toHaveLength(1);
    expect(messageText(bot.slack.dmsTo(REQUESTER).at(-1))).toContain(`was approved by <@${APPROVER}>`);
    // The other approvers' view says who acted; the request no longer waits there.
    await bot.openHome(APPROVER2);
    expect(waitingSection(APPROVER2)).not.toContain(id);
    expect(homeOf(APPROVER2)).toContain(`approved by <@${APPROVER}>`);

    // CREATING for two polls, then ACTIVE.
    for (const step of [60_000, 11 * 60_000, 60_000]) {
      clock.advance(step);
      await bot.watch();
    }
    expect(bot.fake.tables.get('Music-notices')?.status).toBe('ACTIVE');
    const dms = bot.slack.dmsTo(REQUESTER).map((m) => messageText(m));
    expect(dms).toHaveLength(2);
    expect(dms[1]).toContain('is *ACTIVE*');
    const permalink = `https://fake-team.slack.test/archives/${CHANNEL}/p${root!.ts.replace('.', '')}`;
    expect(dms[1]).toContain(permalink);
    // Reminders stop with the decision, however late the clock runs.
    clock.advance(30 * 60_000);
    await bot.watch();
    expect(texts(bot.threadOf(id)).filter((t) => t.includes(':bell:'))).toHaveLength(1);

    const lines = bot.slack.messages(AUDIT).map((m) => messageText(m));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      new RegExp(`${id}.*<@${REQUESTER}> requested.*new → PENDING.*MusicCollectionBackup.*Music-notices`),
    );
    expect(lines[1]).toMatch(new RegExp(`${id}.*<@${APPROVER}> approved \\(1/1\\).*PENDING → APPROVED`));
    expect(lines[2]).toMatch(new RegExp(`${id}.*the bot started the restore · APPROVED → RESTORING`));
    expect(lines[3]).toMatch(new RegExp(`${id}.*saw the table ACTIVE.*RESTORING → ACTIVE`));
    for (const line of lines) expect(line).toContain(permalink);
  });

  it('refuses Home tab clicks as the channel does, in a modal, and changes nothing', async () => {
    const clock = manualClock();
    const bot = await shared.startBot({ now: clock.now });
    const asked = await bot.command('/restore', 'MusicCollectionBackup Music-home-refusals');
    const id = requestIdIn(asked.ack.text);
    const opened = bot.slack.callsOf('views.open').length;

    await bot.clickHome(`request_approve.${id}`, id, REQUESTER);
    await bot.clickHome(`request_approve.${id}`, id, STRANGER);
    await bot.clickHome(`request_reject.${id}`, id, STRANGER);

    const modals = bot.slack
      .callsOf('views.open')
      .slice(opened)
      .map((c) => JSON.stringify(c.body.view));
    expect(modals).toHaveLength(3);
    expect(modals[0]).toContain('cannot approve');
    expect(modals[1]).toContain('Only approvers');
    expect(modals[2]).toContain('Only approvers');
    expect(bot.fake.restoreCalls.filter((c) => c.TargetTableName === 'Music-home-refusals')).toHaveLength(0);
    expect(messageText(bot.rootOf(id))).toContain('PENDING');
    // The clicker's Home is drawn again; nothing was posted to the thread.
    expect(bot.slack.homeViews.has(STRANGER)).toBe(true);
    expect(texts(bot.threadOf(id))).toHaveLength(0);

    // Reject from the Home tab opens the same reason modal as in the channel.
    await bot.clickHome(`request_reject.${id}`, id, APPROVER);
    expect(JSON.stringify(bot.slack.callsOf('views.open').at(-1)?.body.view)).toContain('reject_modal');
  });
});
