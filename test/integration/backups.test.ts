import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, messageText, REQUESTER, STRANGER, startBot } from '../helpers/bot.ts';

let bot: Bot;

beforeAll(async () => {
  bot = await startBot();
  const day = 24 * 3600_000;
  for (let i = 0; i < 5; i += 1) {
    bot.fake.addBackup({
      tableName: 'MusicCollection',
      name: `MusicCollectionBackup-${i}`,
      createdAt: new Date(Date.now() - (i + 1) * day),
      sizeBytes: 1000 * (i + 1),
      itemCount: 10 * (i + 1),
    });
  }
  bot.fake.addBackup({ tableName: 'Orders', name: 'OrdersBackup', createdAt: new Date(Date.now() - day) });
});
afterAll(async () => bot.close());

describe('/backups through npm start', () => {
  it("lists a table's backups newest first through the response_url", async () => {
    const res = await bot.command('/backups', 'MusicCollection');
    expect(res.status).toBe(200);
    expect(messageText(res.ack)).toContain('Looking up backups of MusicCollection');
    const [answer] = res.responses();
    const text = messageText(answer);
    expect(text).toContain('MusicCollectionBackup-0');
    expect(text).toContain('MusicCollectionBackup-4');
    expect(text).not.toContain('OrdersBackup');
    expect(text.indexOf('MusicCollectionBackup-0')).toBeLessThan(text.indexOf('MusicCollectionBackup-1'));
    expect(answer?.response_type).toBe('ephemeral');
  });

  it('assumes the role with the Slack user as SourceIdentity and the configured ExternalId', async () => {
    const call = bot.fake.assumeRoleCalls.at(-1);
    expect(call?.SourceIdentity).toBe(REQUESTER);
    expect(call?.ExternalId).toBe('test-external-id');
    expect(call?.RoleSessionName).toMatch(/^[\w+=,.@-]{2,64}$/);
  });

  it('pages with --limit and offers the rest behind a Next button', async () => {
    const res = await bot.command('/backups', 'MusicCollection --limit 2');
    const [answer] = res.responses();
    const text = messageText(answer);
    expect(text).toContain('MusicCollectionBackup-0');
    expect(text).not.toContain('MusicCollectionBackup-2');
    const button = JSON.stringify(answer?.blocks).match(
      /"action_id":"backups_more"[^}]*"value":"((?:[^"\\]|\\.)*)"/,
    );
    const value = button ? JSON.parse(`"${button[1]}"`) : undefined;
    expect(value).toBeDefined();
    const next = await bot.click('backups_more', value, REQUESTER);
    const page2 = messageText(next.responses()[0]);
    expect(page2).toContain('MusicCollectionBackup-2');
    expect(page2).not.toContain('MusicCollectionBackup-0');
  });

  it('describes a backup by name', async () => {
    const res = await bot.command('/backups', 'describe MusicCollectionBackup-3');
    const text = messageText(res.responses()[0]);
    expect(text).toContain('MusicCollectionBackup-3');
    expect(text).toMatch(/arn:aws:dynamodb:us-east-1:123456789012:table\/MusicCollection\/backup\//);
  });

  it('lists the candidates when a name is ambiguous', async () => {
    bot.fake.addBackup({ tableName: 'Other', name: 'Nightly', createdAt: new Date(Date.now() - 3600_000) });
    bot.fake.addBackup({ tableName: 'Orders', name: 'Nightly', createdAt: new Date(Date.now() - 7200_000) });
    const res = await bot.command('/backups', 'describe Nightly');
    const text = messageText(res.responses()[0]);
    expect(text).toContain('table/Other/backup/');
    expect(text).toContain('table/Orders/backup/');
  });

  it('says so when no backup matches', async () => {
    const res = await bot.command('/backups', 'NoSuchTable');
    expect(messageText(res.responses()[0])).toMatch(/no backups/i);
  });

  it('answers malformed input in the ack with the usage line and calls no AWS API', async () => {
    const before = bot.fake.calls.length;
    const res = await bot.command('/backups', 'MusicCollection --since 7x');
    expect(messageText(res.ack)).toContain('7x');
    expect(messageText(res.ack)).toContain('/backups [TABLE]');
    expect(bot.fake.calls.length).toBe(before);
  });

  it('refuses an unknown environment', async () => {
    const res = await bot.command('/backups', '--env nowhere');
    expect(messageText(res.ack)).toContain('Unknown environment "nowhere"');
  });

  it('refuses someone who is not a requester, and a channel that is not allowed', async () => {
    const before = bot.fake.calls.length;
    const stranger = await bot.command('/backups', '', STRANGER);
    expect(messageText(stranger.ack)).toMatch(/not on the requesters list/);
    const elsewhere = await bot.command('/backups', '', REQUESTER, 'C0RANDOM');
    expect(messageText(elsewhere.ack)).toContain('<#C0INCIDENTS>');
    expect(bot.fake.calls.length).toBe(before);
  });

  it('explains an AccessDenied on AssumeRole', async () => {
    bot.fake.denyAssumeRole = true;
    try {
      const res = await bot.command('/backups', 'Orders', 'U0ONCALL');
      expect(messageText(res.responses()[0])).toMatch(/assume|trust/i);
    } finally {
      bot.fake.denyAssumeRole = false;
    }
  });

  it('retries throttling and still answers', async () => {
    bot.fake.failNext('ListBackups', 'ThrottlingException', { times: 1 });
    const res = await bot.command('/backups', 'Orders');
    expect(messageText(res.responses()[0])).toContain('OrdersBackup');
  });

  it('shows help', async () => {
    const res = await bot.command('/backups', 'help');
    expect(messageText(res.ack)).toContain('/backups describe');
  });

  it('answers 401 to a bad signature and runs nothing', async () => {
    const before = bot.fake.calls.length;
    const body = 'command=%2Fbackups&text=Orders&user_id=U0REQUESTER&channel_id=C0INCIDENTS';
    const res = await fetch(bot.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-slack-signature': 'v0=deadbeef',
      },
      body,
    });
    expect(res.status).toBe(401);
    expect(bot.fake.calls.length).toBe(before);
  });
});
