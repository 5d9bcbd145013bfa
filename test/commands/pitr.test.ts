import { describe, expect, it } from 'vitest';
import { parseRestoreCommand, parseRestoreFields } from '../../src/commands/restore.ts';
import { parseAgo, parseRestoreTime } from '../../src/commands/time.ts';
import { PITR_CLI_USAGE, PITR_USAGE } from '../../src/commands/types.ts';
import { commandErrorOf } from '../helpers/commands.ts';

const NOW = new Date('2026-12-02T10:09:00Z');
const TABLE_ARN = 'arn:aws:dynamodb:us-west-2:123456789012:table/Orders';

function parse(text: string) {
  return parseRestoreCommand(text, NOW);
}

const at = (iso: string) => ({ kind: 'time', at: iso });

describe('parseRestoreTime: every TIME form', () => {
  const time = (value: string) => parseRestoreTime(value, NOW, PITR_USAGE, '--at');

  it.each([
    ['2026-12-02T09:55:00Z', '2026-12-02T09:55:00.000Z'],
    ['2026-12-02T09:55Z', '2026-12-02T09:55:00.000Z'],
    ['2026-12-02T10:55+01:00', '2026-12-02T09:55:00.000Z'],
    ['2026-12-02T10:55:00+0100', '2026-12-02T09:55:00.000Z'],
    ['2026-12-02T04:55:00-05:00', '2026-12-02T09:55:00.000Z'],
    ['2026-12-02 09:55 UTC', '2026-12-02T09:55:00.000Z'],
    ['2026-12-02T09:55:30.250Z', '2026-12-02T09:55:30.250Z'],
  ])('reads %s with its zone', (value, iso) => {
    expect(time(value)).toEqual({ at: new Date(iso), assumedUtc: false });
  });

  it.each([
    ['2026-12-02 09:55', '2026-12-02T09:55:00.000Z'],
    ['2026-12-02 09:55:30', '2026-12-02T09:55:30.000Z'],
    ['2026-12-02T09:55', '2026-12-02T09:55:00.000Z'],
  ])('reads %s without a zone as UTC and says so', (value, iso) => {
    expect(time(value)).toEqual({ at: new Date(iso), assumedUtc: true });
  });

  it('reads epoch seconds, as the AWS CLI takes them', () => {
    expect(time('1796205300')).toEqual({ at: new Date('2026-12-02T09:55:00Z'), assumedUtc: false });
    expect(time('1796205300.5').at.toISOString()).toBe('2026-12-02T09:55:00.500Z');
  });

  it.each([
    ['tomorrow', 'is not a time'],
    ['09:55', 'is not a time'],
    ['2026-02-30 09:55', 'is not a real date and time'],
    ['2026-12-02 24:00', 'is not a real date and time'],
    ['2026-12-02T09:55+15:00', 'is not a real date and time'],
    ['2026-12-02', 'has no time of day: give one, in quotes, e.g. --at "2026-12-02 09:55" (UTC).'],
    ['2026-12-02T10:10:00Z', 'is in the future (it is now 2026-12-02 10:09:00 UTC).'],
    ['2026-10-01 09:55', 'is more than 35 days ago'],
  ])('refuses %s: %s', (value, why) => {
    const error = commandErrorOf(() => time(value));
    expect(error.message).toContain(`--at ${value} ${why}`);
    expect(error.part).toBe(value);
  });
});

describe('parseAgo', () => {
  it('counts back from now', () => {
    expect(parseAgo('15m', NOW, PITR_USAGE).toISOString()).toBe('2026-12-02T09:54:00.000Z');
    expect(parseAgo('2h', NOW, PITR_USAGE).toISOString()).toBe('2026-12-02T08:09:00.000Z');
    expect(parseAgo('1d', NOW, PITR_USAGE).toISOString()).toBe('2026-12-01T10:09:00.000Z');
  });

  it.each([
    ['15 minutes', 'is not a duration'],
    ['0m', 'is zero'],
    ['36d', 'is more than 35 days'],
  ])('refuses %s', (value, why) => {
    expect(commandErrorOf(() => parseAgo(value, NOW, PITR_USAGE)).message).toContain(why);
  });
});

describe('parseRestoreCommand: point in time', () => {
  it('reads /restore pitr with --at (the issue’s example), noting the UTC reading', () => {
    expect(parse('pitr Orders Orders-0955 --at "2026-12-02 09:55" --reason "INC-7: bad deploy"')).toEqual({
      kind: 'request',
      source: { kind: 'pitr', table: 'Orders', point: at('2026-12-02T09:55:00.000Z') },
      targetTable: 'Orders-0955',
      reason: 'INC-7: bad deploy',
      overrides: {},
      notes: ['--at "2026-12-02 09:55" has no time zone, so it was read as UTC: 2026-12-02 09:55:00 UTC.'],
    });
  });

  it('reads --ago and --latest', () => {
    expect(parse('PITR Orders Orders-r --ago 15m')).toMatchObject({
      source: { point: at('2026-12-02T09:54:00.000Z') },
    });
    expect(parse('pitr Orders Orders-r --latest --env prod')).toMatchObject({
      source: { kind: 'pitr', table: 'Orders', point: { kind: 'latest' } },
      env: 'prod',
    });
  });

  it('reads the AWS CLI spelling with --source-table-name and --restore-date-time', () => {
    expect(
      parse(
        '--source-table-name Orders --target-table-name Orders-0955 --restore-date-time 2026-12-02T09:55:00Z',
      ),
    ).toEqual({
      kind: 'request',
      source: { kind: 'pitr', table: 'Orders', point: at('2026-12-02T09:55:00.000Z') },
      targetTable: 'Orders-0955',
      overrides: {},
    });
  });

  it('reads --source-table-arn of another region with --use-latest-restorable-time', () => {
    expect(
      parse(`--source-table-arn ${TABLE_ARN} --target-table-name Orders-copy --use-latest-restorable-time`),
    ).toMatchObject({ source: { kind: 'pitr', table: TABLE_ARN, point: { kind: 'latest' } } });
  });

  it('reads --source-region and the overrides', () => {
    expect(
      parse(
        'pitr Orders Orders-r --ago 1h --source-region eu-west-1 --billing-mode-override PAY_PER_REQUEST --drop-indexes byDate',
      ),
    ).toMatchObject({
      source: { kind: 'pitr', table: 'Orders', region: 'eu-west-1' },
      overrides: { billingMode: 'PAY_PER_REQUEST', dropIndexes: ['byDate'] },
    });
  });

  it.each([
    [
      'pitr Orders Orders-r --at 2026-12-02T09:55Z --latest',
      '--at and --latest each say a point in time: give only one.',
    ],
    ['pitr Orders Orders-r --ago 5m --at 2026-12-02T09:55Z', '--at and --ago each say a point in time'],
    [
      '--source-table-name Orders --target-table-name X-r --restore-date-time 1796205300 --use-latest-restorable-time',
      '--restore-date-time and --use-latest-restorable-time each say a point in time',
    ],
    [
      `--source-table-name Orders --source-table-arn ${TABLE_ARN} --target-table-name X-r --latest`,
      '--source-table-name and --source-table-arn both name the source table',
    ],
    [
      'pitr Orders X-r --latest --backup-arn arn:aws:dynamodb:us-east-1:123456789012:table/Orders/backup/01489602797149-73d8d5bc',
      '--backup-arn restores a backup',
    ],
    [
      `pitr ${TABLE_ARN} X-r --latest --source-region us-east-1`,
      'contradicts the table ARN, which is in us-west-2',
    ],
    ['pitr Orders X-r --latest --source-region mars', '--source-region mars is not an AWS region'],
    ['pitr Orders X-r', 'Say which point in time to restore to: --at TIME, --ago DURATION or --latest'],
    ['pitr Orders --latest', 'Missing TARGET_TABLE'],
    ['pitr --latest', 'Missing SOURCE_TABLE'],
    ['pitr Orders X-r --latest=yes', '--latest takes no value.'],
    [
      'pitr Orders X-r --at 2026-12-02 09:55',
      'Unexpected argument "09:55". Put a time with a space in quotes: --at "2026-12-02 09:55".',
    ],
    ['pitr Orders X-r --at 2026-12-03T00:00Z', 'is in the future'],
    [
      'pitr arn:aws:dynamodb:us-east-1:123456789012:table/Orders/backup/01489602797149-73d8d5bc X-r --latest',
      'is a backup ARN, not a table',
    ],
    [
      '--source-table-arn Orders --target-table-name X-r --latest',
      'is not a table ARN; for a name use --source-table-name',
    ],
  ])('refuses %s', (text, why) => {
    const error = commandErrorOf(() => parse(text));
    expect(error.message).toContain(why);
  });

  it('shows the positional usage for /restore pitr and the CLI usage for the flags', () => {
    expect(commandErrorOf(() => parse('pitr Orders X-r')).usage).toBe(PITR_USAGE);
    expect(commandErrorOf(() => parse('--source-table-name Orders --target-table-name X-r')).usage).toBe(
      PITR_CLI_USAGE,
    );
  });
});

describe('parseRestoreFields: to a point in time', () => {
  const fields = { sourceKind: 'pitr', sourceTable: 'Orders', targetTable: 'Orders-r', environment: 'prod' };

  it('reads a time, a duration (with or without "ago") and latest', () => {
    expect(parseRestoreFields({ ...fields, pointInTime: '2026-12-02T09:55:00Z' }, NOW).source).toEqual({
      kind: 'pitr',
      table: 'Orders',
      point: at('2026-12-02T09:55:00.000Z'),
    });
    expect(parseRestoreFields({ ...fields, pointInTime: '15m ago' }, NOW).source).toMatchObject({
      point: at('2026-12-02T09:54:00.000Z'),
    });
    expect(parseRestoreFields({ ...fields, pointInTime: 'Latest' }, NOW).source).toMatchObject({
      point: { kind: 'latest' },
    });
  });

  it('notes a time read as UTC and takes the region of an ARN', () => {
    const parsed = parseRestoreFields(
      { ...fields, sourceTable: TABLE_ARN, pointInTime: '2026-12-02 09:55' },
      NOW,
    );
    expect(parsed.source).toEqual({
      kind: 'pitr',
      table: TABLE_ARN,
      region: 'us-west-2',
      point: at('2026-12-02T09:55:00.000Z'),
    });
    expect(parsed.notes).toEqual([
      '"2026-12-02 09:55" has no time zone, so it was read as UTC: 2026-12-02 09:55:00 UTC.',
    ]);
  });

  it.each([
    [{ pointInTime: undefined }, 'pointInTime', 'Give the point in time'],
    [{ sourceTable: undefined }, 'sourceTable', 'Give the table to restore'],
    [{ pointInTime: 'yesterday' }, 'pointInTime', 'is not a time'],
    [{ sourceTable: 'x' }, 'sourceTable', 'is not a valid DynamoDB name'],
  ])('names the field at fault: %o', (change, field, why) => {
    const error = commandErrorOf(() => parseRestoreFields({ ...fields, pointInTime: '15m', ...change }, NOW));
    expect(error.part).toBe(field);
    expect(error.message).toContain(why);
  });

  it('ignores the point-in-time fields for a restore from a backup', () => {
    expect(
      parseRestoreFields({ ...fields, sourceKind: 'backup', backup: 'nightly', pointInTime: 'nonsense' }, NOW)
        .source,
    ).toEqual({ kind: 'backup', backup: 'nightly' });
  });
});
