/**
 * Regression tests for issue 8 ("The approval gate and the target account hold under attack"),
 * driven through the real `npm start` HTTP receiver with signed requests. Each `describe` names the
 * finding it reproduces; every test here failed on the code before the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionBody, postToLocal, signSlackBody, slashCommandBody } from '../../src/sandbox/slack-requests.ts';
import {
  APPROVER,
  type Bot,
  CHANNEL,
  messageText,
  REQUESTER,
  SIGNING_SECRET,
  STRANGER,
  startBot,
} from '../helpers/bot.ts';

let bot: Bot;

beforeAll(async () => {
  bot = await startBot();
  bot.fake.addBackup({ tableName: 'Orders', name: 'Nightly', createdAt: new Date(Date.now() - 3600_000) });
});
afterAll(async () => bot.close());

/** Every text a command produced: the acknowledgement and what the worker posted later. */
async function answers(command: '/backups' | '/restore', text: string, user = REQUESTER, channel = CHANNEL) {
  const res = await bot.command(command, text, user, channel);
  return [res.ack, ...res.responses()].map((m) => messageText(m as never)).join('\n');
}

describe('regression 8.4: --env names inherited from Object.prototype', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    it(`refuses --env ${name} for /backups and /restore and assumes no role`, async () => {
      const before = bot.fake.assumeRoleCalls.length;

      const listed = await answers('/backups', `--env ${name}`, STRANGER, 'C0ELSEWHERE');
      const restored = await answers(
        '/restore',
        `Nightly Orders-restored --env ${name}`,
        STRANGER,
        'C0ELSEWHERE',
      );

      expect(listed).toMatch(/reserved name/);
      expect(restored).toMatch(/reserved name/);
      expect(bot.fake.assumeRoleCalls.length).toBe(before);
    });
  }
});

describe('regression 8.5: user text echoed in replies is escaped', () => {
  const LIVE = /<!channel>|<!here>|<@U0APPROVER>|<https?:/;

  it('does not render a mention from a bad command argument', async () => {
    const texts = [
      await answers('/restore', '<!channel> Orders-restored'),
      await answers('/restore', 'Nightly <@U0APPROVER>'),
      await answers('/restore', 'Nightly Orders-restored --env <!here>'),
      await answers('/backups', '--type <!channel>'),
      await answers('/restore', 'Nightly Orders-restored <https://evil.example|click>'),
    ];
    for (const text of texts) {
      expect(text).toMatch(/&lt;/);
      expect(text).not.toMatch(LIVE);
    }
  });

  it('does not render a mention from a tampered button value', async () => {
    for (const action of ['request_approve', 'request_reject', 'request_cancel']) {
      const click = await bot.click(action, '<!channel>', APPROVER);
      const text = click
        .responses()
        .map((r) => messageText(r as never))
        .join('\n');

      expect(text).not.toMatch(LIVE);
      expect(text).toMatch(/not a restore request/);
    }
  });
});

describe('regression 8.6: npm start listens on loopback unless HOST says otherwise', () => {
  it('binds 127.0.0.1 by default', () => {
    expect(bot.server.host).toBe('127.0.0.1');
  });
});

describe('regression 8.8: requests are tied to this installation and to a bounded clock', () => {
  async function post(body: string, timestamp?: number) {
    const res = await postToLocal(bot.url, body, signSlackBody(SIGNING_SECRET, body, timestamp));
    await bot.server.dispatcher.idle();
    return res;
  }

  it('ignores a signed command from another workspace', async () => {
    const before = bot.fake.assumeRoleCalls.length;
    const body = slashCommandBody({
      command: '/backups',
      text: '',
      userId: REQUESTER,
      channelId: CHANNEL,
      responseUrl: bot.slack.responseUrl('other-team'),
      teamId: 'T0OTHERTEAM',
    });

    const res = await post(body);

    expect(res.status).toBe(200);
    expect(res.body).not.toMatch(/Looking up/);
    expect(bot.fake.assumeRoleCalls.length).toBe(before);
  });

  it('ignores a signed click from another app', async () => {
    const created = await bot.command('/restore', 'Nightly Orders-other-app --reason "regression 8.8"');
    const id = /R-[0-9A-Z]{6}/.exec(messageText(created.responses()[0] as never))?.[0] ?? '';
    expect(id).not.toBe('');
    const body = blockActionBody({
      actionId: 'request_approve',
      value: id,
      userId: APPROVER,
      channelId: CHANNEL,
      messageTs: '1700000000.000100',
      responseUrl: bot.slack.responseUrl('other-app'),
      appId: 'A0SOMEOTHERAPP',
    });

    await post(body);

    expect((await bot.server.deps.store.get(id))?.status).toBe('PENDING');
    expect(bot.fake.restoreCalls).toHaveLength(0);
  });

  it('refuses a timestamp more than five minutes in the future like a stale one', async () => {
    const body = slashCommandBody({
      command: '/backups',
      text: 'help',
      userId: REQUESTER,
      channelId: CHANNEL,
      responseUrl: bot.slack.responseUrl('future'),
    });
    const now = Math.floor(Date.now() / 1000);

    const future = await post(body, now + 6 * 60);
    const stale = await post(body, now - 6 * 60);
    const fresh = await post(body, now + 60);

    expect(future.status).toBe(401);
    expect(stale.status).toBe(401);
    expect(fresh.status).toBe(200);
  });
});
