import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { type SlackApiStand, startSlackApi } from '../../src/sandbox/slack-api.ts';
import { APPROVER, type Bot, manualClock, messageText, requestIdIn, startBot } from '../helpers/bot.ts';
import { texts } from '../helpers/restore.ts';

/**
 * Point-in-time recovery end to end through the bot as `npm start` runs it (HTTP receiver,
 * in-process worker and watcher, dynalite state), AWS and Slack replaced by the loopback stand-ins.
 */
const START = new Date('2026-12-02T10:09:00Z');
const DAY = 86_400_000;
const ACCOUNT = '123456789012';
const ordersArn = (region = 'us-east-1') => `arn:aws:dynamodb:${region}:${ACCOUNT}:table/Orders`;

let clock: ReturnType<typeof manualClock>;
let fake: FakeAws;
let slack: SlackApiStand;
let bot: Bot;

beforeAll(async () => {
  clock = manualClock(START);
  fake = await startFakeAws({ creatingPolls: 2, now: clock.now });
  slack = await startSlackApi();
  const earliest = new Date(START.getTime() - 10 * DAY);
  fake.addTable('Orders', 'ACTIVE', {
    pitr: { enabled: true, earliest },
    itemCount: 5000,
    sizeBytes: 3_000_000,
    gsis: ['ByCustomer'],
    createdAt: new Date(START.getTime() - 400 * DAY),
  });
  fake.addTable('Orders', 'ACTIVE', {
    region: 'us-west-2',
    pitr: { enabled: true, earliest },
    itemCount: 10,
  });
  fake.addTable('Sessions', 'ACTIVE');
  fake.addTable('Carts', 'ACTIVE', { pitr: { enabled: true, earliest } });
  fake.addBackup({
    tableName: 'Invoices',
    name: 'Invoices$DeletedTableBackup',
    type: 'SYSTEM',
    createdAt: new Date(START.getTime() - DAY),
  });
  bot = await startBot({ fake, slack, now: clock.now });
});
afterAll(async () => {
  await bot.close();
  await fake.close();
  await slack.close();
});

/** The text of each reply under a request's approval message. */
const threadOf = (id: string) => texts(bot.threadOf(id));

/** The Approve button's confirm dialog text. */
function confirmText(id: string): string {
  const blocks = (bot.rootOf(id)?.blocks ?? []) as {
    type: string;
    elements?: { action_id?: string; confirm?: { text?: { text?: string } } }[];
  }[];
  const approve = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'request_approve');
  return approve?.confirm?.text?.text ?? '';
}

async function request(text: string) {
  const res = await bot.command('/restore', text);
  const answer = messageText(res.responses()[0] ?? res.ack);
  return { ack: messageText(res.ack), answer, res };
}

/** Polls until the table is ACTIVE (the fake reports CREATING for two polls). */
async function watchUntilDone() {
  for (let i = 0; i < 3; i += 1) {
    clock.advance(60_000);
    await bot.watch();
  }
}

describe('/restore pitr end to end', () => {
  it('restores Orders as it was at 09:55 UTC after one approval, and the thread ends ACTIVE with the restore point', async () => {
    const { ack, answer } = await request(
      'pitr Orders Orders-0955 --at "2026-12-02 09:55" --reason "INC-9 bad deploy at 09:56"',
    );
    const id = requestIdIn(ack);
    expect(ack).toContain('point-in-time recovery of table Orders at 2026-12-02 09:55:00 UTC');
    expect(answer).toContain(id);
    expect(answer).toContain('has no time zone, so it was read as UTC: 2026-12-02 09:55:00 UTC');

    const text = messageText(bot.rootOf(id));
    for (const part of [
      'restore table `Orders` as it was at *2026-12-02 09:55:00 UTC, 14 minutes before this request*',
      'source region `us-east-1`',
      'Recovery window when requested: 2026-11-22 10:09:00 UTC to 2026-12-02 10:04:00 UTC',
      ordersArn(),
      'Orders-0955',
      'INC-9 bad deploy at 09:56',
    ]) {
      expect(text).toContain(part);
    }
    expect(confirmText(id)).toBe(
      'Restore table Orders (us-east-1) as it was at 2026-12-02 09:55:00 UTC (14 minutes before the request) into the NEW table Orders-0955 in prod (account 123456789012, us-east-1). The restore starts as soon as you confirm.',
    );
    expect(fake.pitrRestoreCalls).toHaveLength(0);

    clock.advance(60_000);
    await bot.click('request_approve', id, APPROVER, bot.rootOf(id)!.ts);

    expect(fake.pitrRestoreCalls).toHaveLength(1);
    const call = fake.pitrRestoreCalls[0]!;
    expect(call).toEqual({
      SourceTableArn: ordersArn(),
      TargetTableName: 'Orders-0955',
      RestoreDateTime: Date.parse('2026-12-02T09:55:00Z') / 1000,
      region: 'us-east-1',
    });
    expect(fake.restoreCalls).toHaveLength(0);

    clock.advance(60_000);
    await bot.watch();
    expect(threadOf(id).some((t) => t.includes('CREATING'))).toBe(true);
    await watchUntilDone();

    const thread = threadOf(id);
    expect(
      thread.some((t) => t.includes('point-in-time recovery of `Orders` at 2026-12-02 09:55:00 UTC')),
    ).toBe(true);
    const final = thread.at(-1) ?? '';
    expect(final).toContain('*ACTIVE*');
    expect(final).toContain('as it was at *2026-12-02 09:55:00 UTC*, the restore point DynamoDB used');
    expect(fake.tables.get('Orders-0955')?.status).toBe('ACTIVE');
    const audit = bot.audit.filter((a) => a.requestId === id);
    expect(audit.map((a) => a.action)).toContain('complete');
    expect(audit[0]).toMatchObject({
      source: 'pitr',
      sourceTableArn: ordersArn(),
      restoreDateTime: '2026-12-02T09:55:00.000Z',
    });
  });

  it('restores across regions: a table ARN of us-west-2 into the environment’s us-east-1 at the latest restorable time', async () => {
    const { ack } = await request(`pitr ${ordersArn('us-west-2')} Orders-from-west --latest`);
    const id = requestIdIn(ack);
    // The pre-flight read the source in its own region.
    expect(fake.callsOf('DescribeContinuousBackups').at(-1)).toMatchObject({
      region: 'us-west-2',
      params: { TableName: 'Orders' },
    });
    const text = messageText(bot.rootOf(id));
    expect(text).toContain('as of *the latest restorable time, resolved when the restore starts*');
    expect(text).toContain('source region `us-west-2`');
    expect(confirmText(id)).toContain(
      'Restore table Orders (us-west-2) as it was at its latest restorable time',
    );

    await bot.click('request_approve', id, APPROVER, bot.rootOf(id)!.ts);

    expect(fake.pitrRestoreCalls.at(-1)).toEqual({
      SourceTableArn: ordersArn('us-west-2'),
      TargetTableName: 'Orders-from-west',
      UseLatestRestorableTime: true,
      region: 'us-east-1',
    });
    expect(fake.tables.get('Orders-from-west')?.restore?.sourceTableArn).toBe(ordersArn('us-west-2'));
    await watchUntilDone();
    const final = threadOf(id).at(-1) ?? '';
    expect(final).toContain('*ACTIVE*');
    expect(final).toMatch(
      /`Orders` \(`us-west-2`\) as it was at \*2026-12-02 \d\d:\d\d:\d\d UTC\*, the restore point/,
    );
  });

  it('takes the source region from --source-region for a table name', async () => {
    const { ack } = await request('pitr Orders Orders-west-by-name --ago 1h --source-region us-west-2');
    const id = requestIdIn(ack);
    await bot.click('request_approve', id, APPROVER, bot.rootOf(id)!.ts);
    expect(fake.pitrRestoreCalls.at(-1)).toMatchObject({
      SourceTableArn: ordersArn('us-west-2'),
      TargetTableName: 'Orders-west-by-name',
    });
  });

  it('reads the AWS CLI spelling', async () => {
    const { ack } = await request(
      '--source-table-name Carts --target-table-name Carts-cli --restore-date-time 2026-12-01T12:00:00Z --billing-mode-override PAY_PER_REQUEST',
    );
    const id = requestIdIn(ack);
    await bot.click('request_approve', id, APPROVER, bot.rootOf(id)!.ts);
    expect(fake.pitrRestoreCalls.at(-1)).toMatchObject({
      SourceTableArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Carts`,
      RestoreDateTime: Date.parse('2026-12-01T12:00:00Z') / 1000,
      BillingModeOverride: 'PAY_PER_REQUEST',
    });
  });
});

describe('/restore pitr pre-flight refusals change nothing', () => {
  const refusals: [string, string, RegExp][] = [
    [
      'point-in-time recovery off',
      'pitr Sessions Sessions-r --latest',
      /Point-in-time recovery is not enabled on table Sessions in \*prod\* \(account 123456789012, us-east-1\), so it cannot be restored to a point in time. Restore one of its backups instead: \/backups Sessions/,
    ],
    [
      'before the window',
      'pitr Orders Orders-old --ago 12d',
      /2026-11-20 \d\d:\d\d:00 UTC is before the recovery window of table Orders: recovery is possible from 2026-11-22 10:09:00 UTC to 2026-12-02 \d\d:\d\d:00 UTC, about 5 minutes ago\. Choose a time inside it, or restore a backup/,
    ],
    [
      'after the latest restorable time',
      'pitr Orders Orders-soon --ago 2m',
      /is after the latest restorable time of table Orders \(DynamoDB trails the present by a few minutes\): recovery is possible from .* to 2026-12-02 \d\d:\d\d:00 UTC, about 5 minutes ago\. Choose an earlier time, or --latest/,
    ],
    ['in the future', 'pitr Orders Orders-later --at 2026-12-02T11:00:00Z', /is in the future/],
    [
      'a deleted source, pointing to its SYSTEM backup',
      'pitr Invoices Invoices-r --latest',
      /Table Invoices does not exist in \*prod\*.*\(a deleted table has no recovery window\)\. DynamoDB kept a SYSTEM backup when it was deleted: Invoices\$DeletedTableBackup .*`\/restore arn:aws:dynamodb:us-east-1:123456789012:table\/Invoices\/backup\/.*\/backups Invoices --type SYSTEM/,
    ],
    [
      'a table of another account',
      'pitr arn:aws:dynamodb:us-east-1:999999999999:table/Orders Orders-foreign --latest',
      /Table Orders is in account 999999999999, but environment \*prod\* is account 123456789012/,
    ],
    [
      'an index the source does not have',
      'pitr Orders Orders-idx --latest --drop-indexes ByRegion',
      /--drop-indexes names ByRegion, which table Orders does not have\. Its indexes: ByCustomer/,
    ],
    [
      'an unknown table in another region',
      'pitr Orders Orders-eu --latest --source-region eu-west-1',
      /does not exist/,
    ],
  ];

  it.each(refusals)('refuses %s', async (_what, text, message) => {
    const restoresBefore = fake.pitrRestoreCalls.length;
    const requestsBefore = bot.audit.filter((a) => a.action === 'request').length;

    const { answer } = await request(text);

    expect(answer).toMatch(message);
    expect(bot.audit.filter((a) => a.action === 'request')).toHaveLength(requestsBefore);
    expect(fake.pitrRestoreCalls).toHaveLength(restoresBefore);
  });
});

describe('/restore pitr execution errors', () => {
  it('fails with a plain explanation when point-in-time recovery was turned off after the request', async () => {
    fake.addTable('Payments', 'ACTIVE', { pitr: true, createdAt: new Date(START.getTime() - 3 * DAY) });
    const { ack } = await request('pitr Payments Payments-r --ago 30m');
    const id = requestIdIn(ack);
    delete fake.settings.of('Payments').pitr;

    await bot.click('request_approve', id, APPROVER, bot.rootOf(id)!.ts);

    const final = threadOf(id).at(-1) ?? '';
    expect(final).toContain('*failed*');
    expect(final).toContain('PointInTimeRecoveryUnavailableException');
    expect(final).toContain('Point-in-time recovery is not enabled on table Payments');
    expect(final).toContain('Restore one of its backups instead');
  });

  it('retries a throttled start and then restores', async () => {
    const { ack } = await request('pitr Carts Carts-throttled --latest');
    const id = requestIdIn(ack);
    // More throttles than the SDK's four attempts ride out.
    fake.failNext('RestoreTableToPointInTime', 'ThrottlingException', { times: 4 });

    await bot.click('request_approve', id, APPROVER, bot.rootOf(id)!.ts);
    expect(threadOf(id).at(-1)).toContain('could not start the restore yet');

    expect(fake.tables.has('Carts-throttled')).toBe(false);

    // Past the retry delay (and the worker's own time) the watcher tries again.
    clock.advance(20 * 60_000);
    await bot.watch();
    expect(fake.pitrRestoreCalls.at(-1)).toMatchObject({ TargetTableName: 'Carts-throttled' });
    expect(threadOf(id).at(-1)).toContain('started the restore');
  });
});

describe('/backups TABLE starts with the table’s point-in-time recovery', () => {
  it('gives the window when it is on', async () => {
    const res = await bot.command('/backups', 'Orders');
    const text = messageText(res.responses()[0]);
    expect(text).toContain(
      'Point-in-time recovery of `Orders` is *on*: restorable from 2026-11-22 10:09:00 UTC to 2026-12-02',
    );
    expect(text).toContain('/restore pitr Orders Orders-restored --at TIME');
  });

  it('says in one line that recovery to a point in time is not possible when it is off', async () => {
    const res = await bot.command('/backups', 'Sessions');
    expect(messageText(res.responses()[0])).toContain(
      'Point-in-time recovery of `Sessions` is *off*: it cannot be restored to a point in time, only from a backup.',
    );
  });

  it('says a deleted table has none and points to its SYSTEM backups', async () => {
    const res = await bot.command('/backups', 'Invoices --type SYSTEM');
    const text = messageText(res.responses()[0]);
    expect(text).toContain('Table `Invoices` does not exist, so it has no point-in-time recovery');
    expect(text).toContain('Invoices$DeletedTableBackup');
  });
});
