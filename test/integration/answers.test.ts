import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Bot, CHANNEL, messageText, ONCALL, REQUESTER, startBot } from '../helpers/bot.ts';
import { type LambdaBot, startLambdaBot } from '../helpers/lambda.ts';

/** A signed interaction body whose payload is `payload` verbatim. */
function payloadBody(payload: string): string {
  return new URLSearchParams({ payload }).toString();
}

const NO_ACTIONS = JSON.stringify({
  type: 'block_actions',
  user: { id: REQUESTER, team_id: 'T0TEAM' },
  team: { id: 'T0TEAM' },
  api_app_id: 'A0RESTOREBOT',
  channel: { id: CHANNEL },
  response_url: 'https://hooks.slack.invalid/x',
  trigger_id: '1.2.3',
});

describe('regression (issue 9, finding 2): auth.test once per process, and a failing auth.test never silences the bot', () => {
  let bot: Bot;
  beforeEach(async () => {
    bot = await startBot();
  });
  afterEach(async () => bot.close());

  it('calls auth.test once for many commands', async () => {
    for (let i = 0; i < 3; i += 1) await bot.command('/restore', 'help');
    await bot.command('/backups', 'help');

    expect(bot.slack.callsOf('auth.test')).toHaveLength(1);
  });

  it('answers while auth.test fails, and tries it again with the next request only', async () => {
    bot.slack.failNext('auth.test', 'fatal_error');

    const first = await bot.command('/restore', 'help');
    const second = await bot.command('/restore', 'help');
    await bot.command('/restore', 'help');

    expect(first.status).toBe(200);
    expect(messageText(first.ack)).toContain('could not get an answer from Slack (fatal_error)');
    expect(messageText(second.ack)).toContain('/restore BACKUP TARGET_TABLE');
    expect(bot.slack.callsOf('auth.test')).toHaveLength(2);
  });
});

describe('regression (issue 9, finding 6): every listener answers', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => bot.close());

  it('tells the user when the user-group lookup fails, instead of letting Slack time out', async () => {
    bot.slack.failNext('usergroups.users.list', 'fatal_error', 3);

    const res = await bot.command('/backups', '', ONCALL);

    expect(res.status).toBe(200);
    expect(messageText(res.ack)).toContain('could not get an answer from Slack (fatal_error)');
    expect(messageText(res.ack)).toContain('Nothing was changed');
  });

  it('answers an unknown command with what the app does answer', async () => {
    const res = await bot.command('/restor' as '/restore', 'help');

    expect(res.status).toBe(200);
    expect(messageText(res.ack)).toContain('/restore help');
  });

  it('answers a form submission it cannot read with an error in the form', async () => {
    // Values that are not an object: the form's reader cannot take them apart.
    const res = await bot.submit(
      'restore_modal',
      null as never,
      REQUESTER,
      JSON.stringify({ channelId: CHANNEL }),
    );

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response_action: expect.stringMatching(/errors|update/) });
  });

  it('answers 400 to a click payload without actions', async () => {
    const body = payloadBody(NO_ACTIONS);
    const res = await bot.send(body);

    expect(res.status).toBe(400);
  });

  it('answers 400 to a payload that is not JSON', async () => {
    const body = payloadBody('{not json');
    const res = await bot.send(body);

    expect(res.status).toBe(400);
  });
});

describe('regression (issue 9, finding 6): the Lambda receiver answers a malformed body with 400', () => {
  let lambda: LambdaBot;
  beforeAll(async () => {
    lambda = await startLambdaBot();
  });
  afterAll(async () => lambda.close());

  it('answers 400 to a signed payload= that is not JSON, instead of throwing', async () => {
    const result = await lambda.send(payloadBody('{not json'));

    expect(result.statusCode).toBe(400);
  });

  it('answers 400 to a signed click payload without actions', async () => {
    const result = await lambda.send(payloadBody(NO_ACTIONS));

    expect(result.statusCode).toBe(400);
  });
});
