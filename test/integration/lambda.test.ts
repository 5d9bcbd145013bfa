import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { slack, watcher, worker } from '../../src/handler.ts';
import { startFakeAws } from '../../src/sandbox/fake-aws.ts';
import {
  apiGatewayEvent,
  appHomeOpenedBody,
  homeBlockActionBody,
  signSlackBody,
  slashCommandBody,
} from '../../src/sandbox/slack-requests.ts';
import { startEmbeddedDynamo } from '../../src/store/embedded.ts';
import { APPROVER, CHANNEL, messageText, REQUESTER, requestIdIn, SIGNING_SECRET } from '../helpers/bot.ts';
import {
  BOT_TOKEN_PARAM,
  type LambdaBot,
  SIGNING_SECRET_PARAM,
  STATE_TABLE,
  startLambdaBot,
  WORKER_FUNCTION,
} from '../helpers/lambda.ts';

const DAY_MS = 24 * 3600_000;

let bot: LambdaBot;
let backupArn: string;

beforeAll(async () => {
  bot = await startLambdaBot({ creatingPolls: 1 });
  for (let i = 0; i < 4; i += 1) {
    bot.fake.addBackup({
      tableName: 'MusicCollection',
      name: `MusicCollectionNightly-${i}`,
      createdAt: new Date(Date.now() - (i + 1) * DAY_MS),
      itemCount: 10 * (i + 1),
    });
  }
  bot.fake.addBackup({ tableName: 'Orders', name: 'OrdersBackup', createdAt: new Date(Date.now() - DAY_MS) });
  backupArn = bot.fake.addBackup({
    tableName: 'MusicCollection',
    name: 'MusicCollectionBackup',
    createdAt: new Date(Date.now() - 3600_000),
    itemCount: 1200,
    sizeBytes: 2_000_000,
  }).arn;
});
afterAll(async () => bot?.close());
beforeEach(() => {
  bot.takeJobs();
});

describe('Lambda handler entry points', () => {
  it('exports two-argument async handlers, as Node 24 runtimes require', async () => {
    expect(slack.length).toBeLessThanOrEqual(2);
    expect(worker.length).toBeLessThanOrEqual(2);
    expect(watcher.length).toBeLessThanOrEqual(2);
    const body = slashCommandBody({
      command: '/backups',
      text: 'help',
      userId: REQUESTER,
      channelId: CHANNEL,
      responseUrl: bot.slack.responseUrl('help'),
    });
    const pending = slack(apiGatewayEvent(body, signSlackBody(SIGNING_SECRET, body)), {});
    expect(pending).toBeInstanceOf(Promise);
    const result = (await pending) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(messageText(JSON.parse(result.body))).toContain('/backups describe');
  });
});

describe('/backups through the slack and worker functions', () => {
  it('acknowledges at once, hands one backups.list job to the worker, which posts the backups newest first', async () => {
    const before = bot.fake.calls.filter((c) => !c.forwarded).length;
    const res = await bot.command('/backups', 'MusicCollection');

    expect(res.result.statusCode).toBe(200);
    expect(res.ack.response_type).toBe('ephemeral');
    expect(messageText(res.ack)).toContain('Looking up backups of MusicCollection');
    // The slack function itself never touches the target account.
    expect(bot.fake.calls.filter((c) => !c.forwarded)).toHaveLength(before);
    expect(res.responses()).toHaveLength(0);

    expect(bot.invokes).toHaveLength(1);
    const [invoke] = bot.invokes;
    expect(invoke?.functionName).toBe(WORKER_FUNCTION);
    expect(invoke?.invocationType).toBe('Event');
    expect(invoke?.payload).toMatchObject({
      type: 'backups.list',
      table: 'MusicCollection',
      userId: REQUESTER,
      channelId: CHANNEL,
      replyTo: { responseUrl: res.responseUrl },
    });

    const [job] = bot.takeJobs();
    await bot.worker(job);

    const [answer] = res.responses();
    expect(answer?.response_type).toBe('ephemeral');
    const text = messageText(answer);
    const names = ['MusicCollectionBackup', ...[0, 1, 2, 3].map((i) => `MusicCollectionNightly-${i}`)];
    const positions = names.map((name) => text.indexOf(name));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).not.toContain('OrdersBackup');
    expect(bot.fake.assumeRoleCalls.at(-1)).toMatchObject({
      SourceIdentity: REQUESTER,
      ExternalId: 'test-external-id',
    });
    expect(bot.invokes).toHaveLength(0);
  });
});

describe('request signatures', () => {
  /** The `/backups Orders` body each test signs its own way; answers would go to `responseId`. */
  const ordersCommand = (responseId: string, extra: { teamId?: string } = {}) =>
    slashCommandBody({
      command: '/backups',
      text: 'Orders',
      userId: REQUESTER,
      channelId: CHANNEL,
      responseUrl: bot.slack.responseUrl(responseId),
      ...extra,
    });

  it('answers 401 to a bad signature and hands nothing to the worker', async () => {
    const body = ordersCommand('bad-signature');
    const slackCalls = bot.slack.calls.length;
    const res = await bot.send(body, { secret: 'not-the-signing-secret' });
    expect(res.statusCode).toBe(401);
    expect(bot.invokes).toHaveLength(0);
    expect(bot.slack.calls).toHaveLength(slackCalls);
    expect(bot.slack.responsesTo('bad-signature')).toHaveLength(0);
  });

  it('answers 401 to a correctly signed request older than five minutes', async () => {
    const body = ordersCommand('stale');
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await bot.send(body, { timestampSeconds: sixMinutesAgo });
    expect(res.statusCode).toBe(401);
    expect(bot.invokes).toHaveLength(0);
  });

  it('regression 8.8: answers 401 to a correctly signed request dated more than five minutes ahead', async () => {
    const body = ordersCommand('future');
    const sixMinutesAhead = Math.floor(Date.now() / 1000) + 6 * 60;
    const res = await bot.send(body, { timestampSeconds: sixMinutesAhead });
    expect(res.statusCode).toBe(401);
    expect(bot.invokes).toHaveLength(0);
  });

  it('regression 8.8: hands nothing to the worker for a signed command from another workspace', async () => {
    const body = ordersCommand('other-team', { teamId: 'T0ELSEWHERE' });
    const res = await bot.send(body);
    expect(res.statusCode).toBe(200);
    expect(bot.invokes).toHaveLength(0);
  });
});

describe('/restore through the slack, worker and watcher functions', () => {
  it('requests, posts for approval, restores once after an approval and reports ACTIVE in the thread', async () => {
    // The slash command: an ack naming the request, and one restore.request job.
    const req = await bot.command('/restore', 'MusicCollectionBackup Music-restored --reason "x"');
    expect(req.result.statusCode).toBe(200);
    const id = requestIdIn(req.ack.text);
    const [requestJob, ...extra] = bot.takeJobs();
    expect(extra).toHaveLength(0);
    expect(requestJob).toMatchObject({
      type: 'restore.request',
      requestId: id,
      source: { kind: 'backup', backup: 'MusicCollectionBackup' },
      targetTable: 'Music-restored',
      reason: 'x',
    });
    expect(await bot.store.get(id)).toBeUndefined();

    // The worker creates the request and hands the Slack post on.
    await bot.worker(requestJob);
    const created = await bot.store.get(id);
    expect(created?.status).toBe('PENDING');
    expect(created?.source).toMatchObject({ kind: 'backup', backup: { arn: backupArn } });
    expect(messageText(req.responses()[0])).toContain(id);
    // The handler's own DynamoDB client wrote it through AWS_ENDPOINT_URL (the fake's pass-through).
    expect(
      bot.fake.calls.some(
        (c) => c.forwarded && c.operation === 'PutItem' && c.params.TableName === STATE_TABLE,
      ),
    ).toBe(true);
    const [notifyJob, ...more] = bot.takeJobs();
    expect(more).toHaveLength(0);
    expect(notifyJob).toEqual({ type: 'request.notify', requestId: id });

    await bot.worker(notifyJob);
    const post = bot.slack.callsOf('chat.postMessage').find((c) => messageText(c.body).includes(id));
    expect(post?.body.channel).toBe(CHANNEL);
    const approval = bot.slack.messages(CHANNEL).find((m) => !m.thread_ts && messageText(m).includes(id));
    expect(messageText(approval)).toContain('request_approve');
    expect(messageText(approval)).toContain('Music-restored');
    const ts = approval?.ts ?? '';

    // Another approver clicks Approve: 200, no refusal, the state says APPROVED, nothing restored yet.
    const click = await bot.click('request_approve', id, APPROVER, ts);
    expect(click.result.statusCode).toBe(200);
    expect(click.responses()).toHaveLength(0);
    expect((await bot.store.get(id))?.status).toBe('APPROVED');
    expect(bot.fake.restoreCalls).toHaveLength(0);
    const handedOff = bot.takeJobs();
    expect(handedOff).toEqual([
      { type: 'request.notify', requestId: id },
      { type: 'request.execute', requestId: id },
    ]);

    // The execute job runs twice (Lambda retries async invokes): one restore all the same.
    const execute = handedOff[1];
    await bot.worker(handedOff[0]);
    await bot.worker(execute);
    await bot.worker(execute);
    expect(bot.fake.restoreCalls).toHaveLength(1);
    expect(bot.fake.restoreCalls[0]).toMatchObject({
      TargetTableName: 'Music-restored',
      BackupArn: backupArn,
    });
    expect(bot.fake.assumeRoleCalls.at(-1)?.SourceIdentity).toBe(APPROVER);
    expect((await bot.store.get(id))?.status).toBe('RESTORING');
    await bot.drain();

    // The scheduled watcher: CREATING once, then ACTIVE.
    await bot.watcher();
    expect((await bot.store.get(id))?.status).toBe('RESTORING');
    await bot.watcher();
    await bot.drain();
    const done = await bot.store.get(id);
    expect(done?.status).toBe('ACTIVE');
    expect(done?.restore?.itemCount).toBe(1200);
    expect(bot.fake.tables.get('Music-restored')?.status).toBe('ACTIVE');
    expect(bot.fake.restoreCalls).toHaveLength(1);

    const thread = bot.slack.thread(CHANNEL, ts).map((m) => messageText(m));
    expect(thread.some((t) => /approved/i.test(t))).toBe(true);
    const final = thread.at(-1) ?? '';
    expect(final).toContain('ACTIVE');
    expect(final).toContain('TTL');
    expect(final).toContain('console.aws.amazon.com');
    const redrawn = bot.slack.messages(CHANNEL).find((m) => m.ts === ts);
    expect(messageText(redrawn)).not.toContain('request_approve');

    const actions = bot.audit.filter((a) => a.requestId === id).map((a) => a.action);
    expect(actions).toEqual(['request', 'approve', 'start', 'restore-started', 'complete']);
  });
});

describe('worker function', () => {
  it('rejects a payload that is not a job with a zod error and posts nothing', async () => {
    const slackCalls = bot.slack.calls.length;
    const responses = bot.slack.responses.length;
    const awsCalls = bot.fake.calls.length;
    await expect(
      bot.worker({ type: 'backups.list', replyTo: { responseUrl: 'not a url' }, userId: REQUESTER }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(bot.worker({ type: 'table.drop', requestId: 'R-AAAAAA' })).rejects.toBeInstanceOf(ZodError);
    expect(bot.slack.calls).toHaveLength(slackCalls);
    expect(bot.slack.responses).toHaveLength(responses);
    expect(bot.fake.calls).toHaveLength(awsCalls);
    expect(bot.invokes).toHaveLength(0);
  });
});

describe('cold start secrets', () => {
  it('reads both secrets decrypted in one GetParameters call, once per container', async () => {
    bot.coldStart();
    bot.ssm.resetHistory();
    await bot.command('/backups', 'help');
    await bot.command('/backups', 'help');
    await bot.worker({ type: 'request.notify', requestId: 'R-NOSUCH' });
    const calls = bot.ssm.commandCalls(GetParametersCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      Names: [SIGNING_SECRET_PARAM, BOT_TOKEN_PARAM],
      WithDecryption: true,
    });
  });

  it('fails a cold start with a missing parameter by name, and the next invocation starts again', async () => {
    bot.coldStart();
    bot.ssm.resetHistory();
    const token = bot.parameters.get(BOT_TOKEN_PARAM) ?? '';
    bot.parameters.delete(BOT_TOKEN_PARAM);
    try {
      const failed = bot.command('/backups', 'help');
      await expect(failed).rejects.toMatchObject({ name: 'SecretsError' });
      await expect(failed).rejects.toThrow(`SSM parameters missing or empty: ${BOT_TOKEN_PARAM}`);
      await expect(bot.worker({ type: 'request.notify', requestId: 'R-NOSUCH' })).rejects.toMatchObject({
        name: 'SecretsError',
      });
    } finally {
      bot.parameters.set(BOT_TOKEN_PARAM, token);
    }
    const res = await bot.command('/backups', 'help');
    expect(res.result.statusCode).toBe(200);
    expect(messageText(res.ack)).toContain('/backups describe');
    expect(bot.ssm.commandCalls(GetParametersCommand)).toHaveLength(3);
  });
});

describe('fake AWS DynamoDB pass-through', () => {
  it('relays what the fake does not serve to the backend and keeps answering for its own tables', async () => {
    const backend = await startEmbeddedDynamo({ transport: 'tcp' });
    const fake = await startFakeAws({ dynamoBackend: backend.endpoint });
    const client = new DynamoDBClient({
      endpoint: fake.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDPASS', secretAccessKey: 'pass' },
      maxAttempts: 1,
    });
    try {
      fake.addTable('FakeOnly');
      await client.send(
        new CreateTableCommand({
          TableName: 'Relayed',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      await client.send(
        new PutItemCommand({ TableName: 'Relayed', Item: { pk: { S: 'a' }, n: { N: '1' } } }),
      );
      const got = await client.send(new GetItemCommand({ TableName: 'Relayed', Key: { pk: { S: 'a' } } }));
      expect(got.Item).toEqual({ pk: { S: 'a' }, n: { N: '1' } });
      // Stored in the backend itself, not in the fake.
      const direct = await backend.client.send(
        new GetItemCommand({ TableName: 'Relayed', Key: { pk: { S: 'a' } } }),
      );
      expect(direct.Item?.n).toEqual({ N: '1' });
      expect(fake.tables.has('Relayed')).toBe(false);

      const relayed = await client.send(new DescribeTableCommand({ TableName: 'Relayed' }));
      expect(relayed.Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
      const own = await client.send(new DescribeTableCommand({ TableName: 'FakeOnly' }));
      expect(own.Table?.TableArn).toBe(fake.tableArn('FakeOnly'));

      // A backend error reaches the client as the backend's own AWS error.
      await expect(
        client.send(new GetItemCommand({ TableName: 'Missing', Key: { pk: { S: 'a' } } })),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

      const forwarded = fake.calls.filter((c) => c.forwarded).map((c) => [c.operation, c.error]);
      expect(forwarded).toEqual([
        ['CreateTable', undefined],
        ['PutItem', undefined],
        ['GetItem', undefined],
        ['DescribeTable', undefined],
        ['GetItem', 'ResourceNotFoundException'],
      ]);
      expect(fake.calls.find((c) => c.params.TableName === 'FakeOnly')?.forwarded).toBeUndefined();
    } finally {
      client.destroy();
      await fake.close();
      await backend.close();
    }
  });

  it('answers an unknown operation itself when no backend is set, as before', async () => {
    const fake = await startFakeAws();
    const client = new DynamoDBClient({
      endpoint: fake.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDPASS', secretAccessKey: 'pass' },
      maxAttempts: 1,
    });
    try {
      await expect(
        client.send(new GetItemCommand({ TableName: 'Any', Key: { pk: { S: 'a' } } })),
      ).rejects.toMatchObject({ name: 'UnknownOperationException' });
      expect(fake.calls[0]?.forwarded).toBeUndefined();
    } finally {
      client.destroy();
      await fake.close();
    }
  });

  it('answers 500 naming the backend when the backend does not answer', async () => {
    const fake = await startFakeAws({ dynamoBackend: 'http://127.0.0.1:9' });
    const client = new DynamoDBClient({
      endpoint: fake.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDPASS', secretAccessKey: 'pass' },
      maxAttempts: 1,
    });
    try {
      await expect(
        client.send(new GetItemCommand({ TableName: 'Any', Key: { pk: { S: 'a' } } })),
      ).rejects.toThrow(/DynamoDB backend http:\/\/127\.0\.0\.1:9 did not answer/);
    } finally {
      client.destroy();
      await fake.close();
    }
  });
});

describe('the Home tab through the slack function', () => {
  it('publishes the Home tab on app_home_opened, and an approval from it reaches the worker', async () => {
    const req = await bot.command('/restore', 'MusicCollectionBackup Music-home-lambda');
    const id = requestIdIn(req.ack.text);
    await bot.drain();

    const opened = await bot.send(appHomeOpenedBody(APPROVER));
    expect(opened.statusCode).toBe(200);
    const view = JSON.stringify(bot.slack.homeViews.get(APPROVER)?.blocks);
    expect(view).toContain(id);
    expect(view).toContain(`request_approve.${id}`);
    // Only the Home tab counts; opening the Messages tab publishes nothing.
    await bot.send(appHomeOpenedBody(REQUESTER, 'messages'));
    expect(bot.slack.homeViews.has(REQUESTER)).toBe(false);

    const click = await bot.send(
      homeBlockActionBody({ actionId: `request_approve.${id}`, value: id, userId: APPROVER }),
    );
    expect(click.statusCode).toBe(200);
    expect(bot.invokes.map((i) => (i.payload as { type: string }).type)).toEqual([
      'request.notify',
      'request.execute',
    ]);
    expect((await bot.store.get(id))?.status).toBe('APPROVED');

    // The worker function carries the notice kinds: the requester hears of the approval, and the
    // approver's Home no longer offers the request.
    await bot.drain();
    expect(
      bot.slack
        .dmsTo(REQUESTER)
        .map((m) => messageText(m))
        .join('\n'),
    ).toContain(`${id}) was approved by <@${APPROVER}>`);
    expect(JSON.stringify(bot.slack.homeViews.get(APPROVER)?.blocks)).not.toContain(`request_approve.${id}`);
  });
});
