/**
 * Regression tests for issue 8 ("The approval gate and the target account hold under attack"),
 * driven through the real `npm start` HTTP receiver with signed requests. Each `describe` names the
 * finding it reproduces; every test here failed on the code before the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionBody, slashCommandBody } from '../../src/sandbox/slack-requests.ts';
import {
  APPROVER,
  type Bot,
  CHANNEL,
  messageText,
  REQUESTER,
  requestIdIn,
  STRANGER,
  startBot,
} from '../helpers/bot.ts';

let bot: Bot;

const ELSEWHERE = 'C0ELSEWHERE';

beforeAll(async () => {
  bot = await startBot({
    configure: (config) => {
      config.environments.prod = {
        ...config.environments.prod,
        targetTables: ['*-restored', 'MusicCollection'],
      };
    },
  });
  bot.fake.addBackup({ tableName: 'Orders', name: 'Nightly', createdAt: new Date(Date.now() - 3600_000) });
});
afterAll(async () => bot.close());

/** Every text a command produced: the acknowledgement and what the worker posted later. */
async function answers(command: '/backups' | '/restore', text: string, user = REQUESTER, channel = CHANNEL) {
  const res = await bot.command(command, text, user, channel);
  return [res.ack, ...res.responses()].map((m) => messageText(m as never)).join('\n');
}

/** The request ID in the worker's answer to a /restore request. */
async function newRequest(target: string): Promise<string> {
  const created = await bot.command('/restore', `Nightly ${target} --reason "issue 8"`);
  return requestIdIn(messageText(created.responses()[0] as never));
}

describe('regression 8.2: status, help and the modal show only what the caller may use there', () => {
  it('lists no request of an environment the caller cannot use in that channel', async () => {
    const id = await newRequest('Status-restored');

    const own = await bot.command('/restore', 'status');
    const elsewhere = await bot.command('/restore', 'status', REQUESTER, ELSEWHERE);
    const stranger = await bot.command('/restore', 'status', STRANGER, CHANNEL);

    expect(messageText(own.ack as never)).toContain(id);
    expect(messageText(elsewhere.ack as never)).not.toContain(id);
    expect(messageText(stranger.ack as never)).not.toContain(id);
  });

  it('answers a request ID the caller cannot see as if it did not exist', async () => {
    const id = await newRequest('Detail-restored');

    const text = messageText(
      (await bot.command('/restore', `status ${id}`, STRANGER, ELSEWHERE)).ack as never,
    );

    expect(text).toMatch(/no restore request .* that you can see in this channel/);
    expect(text).not.toMatch(/123456789012|Nightly|issue 8/);
  });

  it('names no environment in help or in an unknown-environment answer outside its channels', async () => {
    const help = messageText((await bot.command('/restore', 'help', STRANGER, ELSEWHERE)).ack as never);
    const unknown = await answers('/backups', '--env qa', STRANGER, ELSEWHERE);
    const inChannel = messageText((await bot.command('/restore', 'help')).ack as never);

    expect(help).toMatch(/one of: none that you can use in this channel/);
    expect(help).not.toMatch(/two-person/);
    expect(unknown).not.toMatch(/prod|two-person/);
    expect(inChannel).toMatch(/one of: `prod`, `two-person`/);
  });

  it('opens no modal listing environments for a caller who can use none in that channel', async () => {
    const opened = bot.slack.calls.filter((c) => c.method === 'views.open').length;

    const res = await bot.command('/restore', '', STRANGER, ELSEWHERE);

    expect(messageText(res.ack as never)).toMatch(/cannot use any environment in this channel/);
    expect(bot.slack.calls.filter((c) => c.method === 'views.open')).toHaveLength(opened);
  });
});

describe('targetTables: a target outside the patterns is refused when the request is made', () => {
  it('names the allowed patterns and creates nothing', async () => {
    const before = bot.fake.calls.length;

    const res = await bot.command('/restore', 'Nightly Orders --reason "restore over the live table"');
    const text = messageText(res.ack as never);

    expect(text).toContain('`*-restored`, `MusicCollection`');
    expect(text).toMatch(/Orders is not one of them/);
    expect(bot.fake.calls.length).toBe(before);
    expect(res.responses()).toHaveLength(0);
  });

  it('accepts a target that matches a pattern', async () => {
    expect(await newRequest('Orders-0930-restored')).toMatch(/^R-/);
  });
});

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

    const res = await bot.send(body);

    expect(res.status).toBe(200);
    expect(res.body).not.toMatch(/Looking up/);
    expect(bot.fake.assumeRoleCalls.length).toBe(before);
  });

  it('ignores a signed click from another app', async () => {
    const created = await bot.command('/restore', 'Nightly Orders-app-restored --reason "regression 8.8"');
    const id = requestIdIn(messageText(created.responses()[0] as never));
    const body = blockActionBody({
      actionId: 'request_approve',
      value: id,
      userId: APPROVER,
      channelId: CHANNEL,
      messageTs: '1700000000.000100',
      responseUrl: bot.slack.responseUrl('other-app'),
      appId: 'A0SOMEOTHERAPP',
    });

    await bot.send(body);

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

    const future = await bot.send(body, { timestampSeconds: now + 6 * 60 });
    const stale = await bot.send(body, { timestampSeconds: now - 6 * 60 });
    const fresh = await bot.send(body, { timestampSeconds: now + 60 });

    expect(future.status).toBe(401);
    expect(stale.status).toBe(401);
    expect(fresh.status).toBe(200);
  });
});
