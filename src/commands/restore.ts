import type { BillingMode, PitrRef, RestoreOverrides, RestorePoint, SourceRef } from '../restore/types.ts';
import { parseAgo, parseRestoreTime } from './time.ts';
import {
  checkBackupRef,
  checkEnv,
  checkTableName,
  type Flags,
  lex,
  RECOVERY_POINT_ARN,
  rejectExtra,
  rejectFlags,
  shown,
  splitArgs,
} from './tokenize.ts';
import {
  CommandError,
  PITR_CLI_USAGE,
  PITR_USAGE,
  RESTORE_CLI_USAGE,
  RESTORE_RECOVERY_POINT_USAGE,
  RESTORE_SETTINGS_USAGE,
  RESTORE_USAGE,
  type RestoreCommand,
  type RestoreRequestCommand,
} from './types.ts';

const STATUS_USAGE = '/restore status [REQUEST_ID]';
const CANCEL_USAGE = '/restore cancel REQUEST_ID';
const HELP_USAGE = '/restore help';
const MAX_REASON = 500;

const FLAGS = [
  '--env',
  '--reason',
  '--backup-arn',
  '--recovery-point-arn',
  '--target-table-name',
  '--billing-mode-override',
  '--provisioned-throughput-override',
  '--sse-specification-override',
  '--drop-indexes',
  // point-in-time recovery
  '--at',
  '--ago',
  '--latest',
  '--source-region',
  '--source-table-name',
  '--source-table-arn',
  '--restore-date-time',
  '--use-latest-restorable-time',
] as const;

/** Flags that take no value. */
const SWITCHES = ['--latest', '--use-latest-restorable-time', '--copy-settings'] as const;

/** The ways to say the restore point; exactly one is needed. */
const POINT_FLAGS = [
  '--at',
  '--restore-date-time',
  '--ago',
  '--latest',
  '--use-latest-restorable-time',
] as const;

/** Any of these makes a request a point-in-time restore. */
const PITR_FLAGS = [...POINT_FLAGS, '--source-table-name', '--source-table-arn', '--source-region'] as const;

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([^/]+)$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

function fail(message: string, part: string, usage: string): never {
  throw new CommandError(message, part, usage);
}

function parseRequestId(value: string, usage: string): string {
  const id = value.toUpperCase();
  if (/^R-[0-9A-HJKMNP-TV-Z]{6}$/.test(id)) return id;
  const part = shown(value) || '""';
  return fail(`${part} is not a request ID; they look like R-7K3QX9.`, part, usage);
}

/**
 * Reads AWS CLI shorthand (`Key=value,Key=value`) for `flag`. Keys match case-insensitively
 * and come back spelled as in `keys`.
 */
function parseShorthand(flag: string, value: string, keys: readonly string[], usage: string) {
  const pairs = new Map<string, string>();
  for (const item of value.split(',')) {
    const eq = item.indexOf('=');
    const key = keys.find((k) => k.toLowerCase() === item.slice(0, eq).toLowerCase());
    const part = shown(item) || '""';
    if (eq < 0 || !key) {
      fail(`${flag} has ${part}; expected Key=value with a key from ${keys.join(', ')}.`, part, usage);
    }
    if (pairs.has(key)) fail(`${flag} gives ${key} more than once.`, key, usage);
    pairs.set(key, item.slice(eq + 1));
  }
  return pairs;
}

function parseBillingMode(value: string, usage: string): BillingMode {
  const mode = value.toUpperCase();
  if (mode === 'PAY_PER_REQUEST' || mode === 'PROVISIONED') return mode;
  const part = shown(value);
  return fail(`--billing-mode-override ${part} is not PAY_PER_REQUEST or PROVISIONED.`, part, usage);
}

function parseThroughput(value: string, usage: string): RestoreOverrides['provisionedThroughput'] {
  const flag = '--provisioned-throughput-override';
  const keys = ['ReadCapacityUnits', 'WriteCapacityUnits'] as const;
  const pairs = parseShorthand(flag, value, keys, usage);
  const [read, write] = keys.map((key) => {
    const units = pairs.get(key);
    if (units === undefined) return fail(`${flag} is missing ${key}=N.`, key, usage);
    if (/^\d+$/.test(units) && Number(units) > 0 && Number.isSafeInteger(Number(units))) return Number(units);
    const part = `${key}=${shown(units)}`;
    return fail(`${flag} ${part} must be a positive whole number.`, part, usage);
  }) as [number, number];
  return { readCapacityUnits: read, writeCapacityUnits: write };
}

function parseSse(value: string, usage: string): RestoreOverrides['sse'] {
  const flag = '--sse-specification-override';
  const pairs = parseShorthand(flag, value, ['Enabled', 'SSEType', 'KMSMasterKeyId'], usage);
  const enabled = pairs.get('Enabled')?.toLowerCase();
  const sseType = pairs.get('SSEType')?.toUpperCase();
  const keyId = pairs.get('KMSMasterKeyId');
  if (enabled === undefined)
    return fail(`${flag} is missing Enabled=true or Enabled=false.`, 'Enabled', usage);
  if (enabled !== 'true' && enabled !== 'false') {
    const part = `Enabled=${shown(pairs.get('Enabled')!)}`;
    return fail(`${flag} ${part} must be Enabled=true or Enabled=false.`, part, usage);
  }
  if (sseType !== undefined && sseType !== 'KMS' && sseType !== 'AES256') {
    const part = `SSEType=${shown(pairs.get('SSEType')!)}`;
    return fail(`${flag} ${part} is not KMS or AES256.`, part, usage);
  }
  if (enabled === 'false' && (sseType !== undefined || keyId !== undefined)) {
    const part = sseType !== undefined ? 'SSEType' : 'KMSMasterKeyId';
    return fail(`${flag} ${part} only applies with Enabled=true.`, part, usage);
  }
  if (keyId !== undefined) {
    if (sseType === 'AES256') {
      return fail(`${flag} KMSMasterKeyId only applies with SSEType=KMS.`, 'KMSMasterKeyId', usage);
    }
    if (!/^[A-Za-z0-9:/_.-]{1,2048}$/.test(keyId)) {
      const part = `KMSMasterKeyId=${shown(keyId)}`;
      return fail(`${flag} ${part} is not a KMS key ID, key ARN or alias.`, part, usage);
    }
  }
  return {
    enabled: enabled === 'true',
    ...(sseType !== undefined && { sseType: sseType as 'KMS' | 'AES256' }),
    ...(keyId !== undefined && { kmsMasterKeyId: keyId }),
  };
}

function parseDropIndexes(value: string, usage: string): string[] | 'ALL' {
  if (value.toLowerCase() === 'all') return 'ALL';
  const names = value.split(',').map((name) => checkTableName(name, '--drop-indexes index', usage));
  return [...new Set(names)];
}

function parseOverrides(flags: Flags, usage: string): RestoreOverrides {
  const mode = flags.get('--billing-mode-override');
  const throughput = flags.get('--provisioned-throughput-override');
  const sse = flags.get('--sse-specification-override');
  const drop = flags.get('--drop-indexes');
  const overrides: RestoreOverrides = {
    ...(mode !== undefined && { billingMode: parseBillingMode(mode, usage) }),
    ...(throughput !== undefined && { provisionedThroughput: parseThroughput(throughput, usage) }),
    ...(sse !== undefined && { sse: parseSse(sse, usage) }),
    ...(drop !== undefined && { dropIndexes: parseDropIndexes(drop, usage) }),
  };
  if (overrides.billingMode === 'PROVISIONED' && !overrides.provisionedThroughput) {
    fail(
      '--billing-mode-override PROVISIONED needs --provisioned-throughput-override ReadCapacityUnits=N,WriteCapacityUnits=N.',
      '--provisioned-throughput-override',
      usage,
    );
  }
  if (overrides.billingMode === 'PAY_PER_REQUEST' && overrides.provisionedThroughput) {
    fail(
      '--provisioned-throughput-override cannot be used with --billing-mode-override PAY_PER_REQUEST.',
      '--provisioned-throughput-override',
      usage,
    );
  }
  return overrides;
}

function parseReason(value: string, usage: string): string {
  const reason = value.trim();
  if (reason === '') return fail('--reason is empty.', '--reason', usage);
  const length = [...reason].length;
  if (length > MAX_REASON) {
    return fail(`--reason is ${length} characters; keep it to ${MAX_REASON}.`, '--reason', usage);
  }
  return reason;
}

/**
 * Parses the text of `/restore`: a restore request (positional or AWS CLI spelling, the two may
 * be mixed), `status [REQUEST_ID]`, `cancel REQUEST_ID`, `help`, or nothing (open the modal).
 *
 * @throws CommandError naming the bad part; nothing else for any string.
 */
export function parseRestoreCommand(text: string, now: Date = new Date()): RestoreCommand {
  const { flags, positionals } = splitArgs(lex(text, RESTORE_USAGE), FLAGS, RESTORE_USAGE, SWITCHES);
  if (flags.size === 0 && positionals.length === 0) return { kind: 'modal' };

  const keyword = positionals[0]?.toLowerCase();
  if (keyword === 'help') {
    rejectFlags(flags, [], '/restore help', HELP_USAGE);
    rejectExtra(positionals, 1, HELP_USAGE);
    return { kind: 'help' };
  }
  if (keyword === 'status') {
    rejectFlags(flags, [], '/restore status', STATUS_USAGE);
    rejectExtra(positionals, 2, STATUS_USAGE);
    const id = positionals[1];
    return id === undefined
      ? { kind: 'status' }
      : { kind: 'status', requestId: parseRequestId(id, STATUS_USAGE) };
  }
  if (keyword === 'cancel') {
    rejectFlags(flags, [], '/restore cancel', CANCEL_USAGE);
    const id = positionals[1];
    if (id === undefined) {
      fail('Missing REQUEST_ID: say which request to cancel, e.g. R-7K3QX9.', 'REQUEST_ID', CANCEL_USAGE);
    }
    rejectExtra(positionals, 2, CANCEL_USAGE);
    return { kind: 'cancel', requestId: parseRequestId(id, CANCEL_USAGE) };
  }

  if (keyword === 'settings') {
    rejectFlags(flags, [], '/restore settings', RESTORE_SETTINGS_USAGE);
    const id = positionals[1];
    if (id === undefined) {
      fail(
        'Missing REQUEST_ID: say which restore to compare, e.g. R-7K3QX9.',
        'REQUEST_ID',
        RESTORE_SETTINGS_USAGE,
      );
    }
    rejectExtra(positionals, 2, RESTORE_SETTINGS_USAGE);
    return { kind: 'settings', requestId: parseRequestId(id, RESTORE_SETTINGS_USAGE) };
  }

  if (keyword === 'pitr' || PITR_FLAGS.some((flag) => flags.has(flag))) {
    return parsePitrRequest(flags, positionals, keyword === 'pitr', now);
  }
  const pointFlag = flags.get('--recovery-point-arn');
  if (pointFlag !== undefined && flags.has('--backup-arn')) {
    fail(
      'Give either --backup-arn or --recovery-point-arn, not both.',
      '--recovery-point-arn',
      RESTORE_RECOVERY_POINT_USAGE,
    );
  }
  const arnFlag = flags.get('--backup-arn') ?? pointFlag;
  const targetFlag = flags.get('--target-table-name');
  const usage =
    pointFlag !== undefined
      ? RESTORE_RECOVERY_POINT_USAGE
      : arnFlag !== undefined || targetFlag !== undefined
        ? RESTORE_CLI_USAGE
        : RESTORE_USAGE;
  const rest = [...positionals];
  const backup = arnFlag ?? rest.shift();
  const target = targetFlag ?? rest.shift();
  if (backup === undefined) fail('Missing BACKUP: give a backup ARN or name.', 'BACKUP', usage);
  if (target === undefined) {
    fail('Missing TARGET_TABLE: give the name of the new table to restore into.', 'TARGET_TABLE', usage);
  }
  const reasonHint = flags.has('--reason') ? ' Put a reason of several words in quotes.' : '';
  rejectExtra(rest, 0, usage, reasonHint);
  return requestOf(flags, usage, sourceRefOf(checkBackupRef(backup, usage, arnFlag !== undefined)), target);
}

/** A request from the command text: what every source kind shares, checked in the order reported. */
function requestOf(
  flags: Flags,
  usage: string,
  source: SourceRef,
  target: string,
  notes: string[] = [],
): RestoreRequestCommand {
  const env = flags.get('--env');
  const reason = flags.get('--reason');
  return {
    kind: 'request',
    source,
    targetTable: checkTableName(target, 'Target table', usage),
    ...(env !== undefined && { env: checkEnv(env, usage) }),
    ...(reason !== undefined && { reason: parseReason(reason, usage) }),
    overrides: parseOverrides(flags, usage),
    ...(notes.length > 0 && { notes }),
    ...(flags.has('--copy-settings') && { copySettings: true }),
  };
}

/**
 * What a parsed BACKUP names: an AWS Backup recovery point (by its ARN) or a DynamoDB backup (ARN
 * or name). The worker's pre-flight resolves it with that kind's source module.
 */
export function sourceRefOf(backup: string): SourceRef {
  return RECOVERY_POINT_ARN.test(backup)
    ? { kind: 'recovery-point', recoveryPointArn: backup }
    : { kind: 'backup', backup };
}

/** The source table of a point-in-time restore: a table name or a table ARN. */
function checkSourceTable(value: string, usage: string, arnOnly: boolean): string {
  if (!value.startsWith('arn:')) {
    if (arnOnly) {
      const part = shown(value);
      return fail(
        `--source-table-arn ${part} is not a table ARN; for a name use --source-table-name.`,
        part,
        usage,
      );
    }
    return checkTableName(value, 'Source table', usage);
  }
  const part = shown(value);
  if (/:table\/[^/]+\/backup\//.test(value)) {
    return fail(
      `${part} is a backup ARN, not a table: restore a backup with /restore BACKUP TARGET_TABLE.`,
      part,
      usage,
    );
  }
  const arn = TABLE_ARN.exec(value);
  if (!arn || !REGION.test(arn[1]!)) {
    return fail(
      `${part} is not a DynamoDB table ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME).`,
      part,
      usage,
    );
  }
  checkTableName(arn[3]!, 'Source table', usage);
  return value;
}

/** Exactly one way of saying the restore point. */
function parsePoint(flags: Flags, now: Date, usage: string, notes: string[]): RestorePoint {
  const given = POINT_FLAGS.filter((flag) => flags.has(flag));
  if (given.length === 0) {
    return fail(
      'Say which point in time to restore to: --at TIME, --ago DURATION or --latest (--restore-date-time TIME or --use-latest-restorable-time in the AWS CLI spelling).',
      'TIME',
      usage,
    );
  }
  if (given.length > 1) {
    return fail(`${given.join(' and ')} each say a point in time: give only one.`, given[1]!, usage);
  }
  const flag = given[0]!;
  if (flag === '--latest' || flag === '--use-latest-restorable-time') return { kind: 'latest' };
  const value = flags.get(flag)!;
  if (flag === '--ago') {
    const at = parseAgo(value, now, usage);
    return { kind: 'time', at: at.toISOString() };
  }
  const parsed = parseRestoreTime(value, now, usage, flag);
  if (parsed.assumedUtc) {
    notes.push(utcNote(`${flag} "${shown(value)}"`, parsed.at));
  }
  return { kind: 'time', at: parsed.at.toISOString() };
}

/**
 * `/restore pitr SOURCE TARGET (--at | --ago | --latest) [--source-region] …` or the AWS CLI
 * spelling `--source-table-name|--source-table-arn … --target-table-name … (--restore-date-time |
 * --use-latest-restorable-time)`; the two may be mixed as for backups.
 */
function parsePitrRequest(flags: Flags, positionals: string[], keyword: boolean, now: Date): RestoreCommand {
  const nameFlag = flags.get('--source-table-name');
  const arnFlag = flags.get('--source-table-arn');
  const usage = keyword ? PITR_USAGE : PITR_CLI_USAGE;
  if (flags.has('--backup-arn')) {
    fail(
      '--backup-arn restores a backup; the other options here restore a table to a point in time. Use one or the other.',
      '--backup-arn',
      usage,
    );
  }
  if (nameFlag !== undefined && arnFlag !== undefined) {
    fail(
      '--source-table-name and --source-table-arn both name the source table: give only one.',
      '--source-table-arn',
      usage,
    );
  }
  const rest = positionals.slice(keyword ? 1 : 0);
  const source = nameFlag ?? arnFlag ?? rest.shift();
  const target = flags.get('--target-table-name') ?? rest.shift();
  if (source === undefined) {
    fail(
      'Missing SOURCE_TABLE: give the name or ARN of the table to restore to a point in time.',
      'SOURCE_TABLE',
      usage,
    );
  }
  if (target === undefined) {
    fail('Missing TARGET_TABLE: give the name of the new table to restore into.', 'TARGET_TABLE', usage);
  }
  const reasonHint = flags.has('--reason')
    ? ' Put a reason of several words in quotes.'
    : flags.has('--at') || flags.has('--restore-date-time')
      ? ' Put a time with a space in quotes: --at "2026-12-02 09:55".'
      : '';
  rejectExtra(rest, 0, usage, reasonHint);
  const table = checkSourceTable(source, usage, arnFlag !== undefined);
  const regionFlag = flags.get('--source-region');
  let region: string | undefined;
  if (regionFlag !== undefined) {
    if (!REGION.test(regionFlag)) {
      const part = shown(regionFlag);
      fail(`--source-region ${part} is not an AWS region such as us-east-1.`, part, usage);
    }
    const arnRegion = TABLE_ARN.exec(table)?.[1];
    if (arnRegion && arnRegion !== regionFlag) {
      fail(
        `--source-region ${regionFlag} contradicts the table ARN, which is in ${arnRegion}. Leave --source-region out when you give an ARN.`,
        '--source-region',
        usage,
      );
    }
    region = regionFlag;
  }
  const notes: string[] = [];
  const point = parsePoint(flags, now, usage, notes);
  const ref: PitrRef = { kind: 'pitr', table, point, ...(region !== undefined && { region }) };
  return requestOf(flags, usage, ref, target, notes);
}

/** The restore modal's inputs as raw trimmed strings (undefined when left empty). */
export interface RestoreFields {
  /** 'backup' (the default) or 'pitr' */
  sourceKind?: string | undefined;
  backup?: string | undefined;
  sourceTable?: string | undefined;
  /** A TIME, a DURATION back from now (`15m`, `15m ago`), or `latest`. */
  pointInTime?: string | undefined;
  targetTable?: string | undefined;
  environment?: string | undefined;
  reason?: string | undefined;
  billingMode?: string | undefined;
  readCapacity?: string | undefined;
  writeCapacity?: string | undefined;
  dropIndexes?: string | undefined;
}

const MODAL_USAGE = 'the /restore form';

/**
 * The restore modal's fields, checked with exactly the rules of the command text. A CommandError's
 * `part` is the name of the field at fault (`backup`, `targetTable`, …), so the form can show the
 * message next to that field.
 */
export function parseRestoreFields(fields: RestoreFields, now: Date = new Date()): RestoreRequestCommand {
  const at = <T>(field: keyof RestoreFields, check: () => T): T => {
    try {
      return check();
    } catch (err) {
      if (err instanceof CommandError) throw new CommandError(err.message, field, MODAL_USAGE);
      throw err;
    }
  };
  const { backup, targetTable, environment, reason, billingMode, readCapacity, writeCapacity, dropIndexes } =
    fields;
  const pitr = fields.sourceKind === 'pitr';
  if (!pitr && !backup) fail('Give the backup ARN or name.', 'backup', MODAL_USAGE);
  if (pitr && !fields.sourceTable) {
    fail('Give the table to restore to a point in time.', 'sourceTable', MODAL_USAGE);
  }
  if (pitr && !fields.pointInTime) {
    fail('Give the point in time: a time, a duration such as 15m, or latest.', 'pointInTime', MODAL_USAGE);
  }
  if (!targetTable) fail('Give the name of the new table.', 'targetTable', MODAL_USAGE);
  const notes: string[] = [];
  const source = (): SourceRef => {
    if (!pitr) return sourceRefOf(at('backup', () => checkBackupRef(backup!, MODAL_USAGE)));
    const table = at('sourceTable', () => checkSourceTable(fields.sourceTable!, MODAL_USAGE, false));
    const arnRegion = TABLE_ARN.exec(table)?.[1];
    const point = at('pointInTime', () => modalPoint(fields.pointInTime!, now, notes));
    return { kind: 'pitr', table, point, ...(arnRegion && { region: arnRegion }) };
  };
  const flags = new Map<string, string>();
  if (billingMode) flags.set('--billing-mode-override', billingMode);
  if (readCapacity || writeCapacity) {
    flags.set(
      '--provisioned-throughput-override',
      `ReadCapacityUnits=${readCapacity ?? ''},WriteCapacityUnits=${writeCapacity ?? ''}`,
    );
  }
  if (dropIndexes) flags.set('--drop-indexes', dropIndexes.replace(/\s+/g, ''));
  // One parser checks the overrides together; the message says which field it is about.
  const overrides = (): RestoreOverrides => {
    try {
      return parseOverrides(flags, MODAL_USAGE);
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      const field: keyof RestoreFields = err.message.includes('ReadCapacityUnits')
        ? 'readCapacity'
        : err.message.includes('WriteCapacityUnits')
          ? 'writeCapacity'
          : err.message.includes('--drop-indexes')
            ? 'dropIndexes'
            : 'billingMode';
      throw new CommandError(err.message, field, MODAL_USAGE);
    }
  };
  return {
    kind: 'request',
    source: source(),
    targetTable: at('targetTable', () => checkTableName(targetTable, 'Target table', MODAL_USAGE)),
    ...(environment !== undefined && { env: at('environment', () => checkEnv(environment, MODAL_USAGE)) }),
    ...(reason !== undefined && { reason: at('reason', () => parseReason(reason, MODAL_USAGE)) }),
    overrides: overrides(),
    ...(notes.length > 0 && { notes }),
  };
}

/** The modal's one point-in-time field: `latest`, a duration back from now (`15m`, `15m ago`), or a TIME. */
function modalPoint(value: string, now: Date, notes: string[]): RestorePoint {
  const text = value.trim();
  if (/^latest$/i.test(text)) return { kind: 'latest' };
  const ago = /^(\d+\s*[mhdw])(?:\s+ago)?$/i.exec(text);
  if (ago) return { kind: 'time', at: parseAgo(ago[1]!.replace(/\s+/g, ''), now, MODAL_USAGE).toISOString() };
  const parsed = parseRestoreTime(text, now, MODAL_USAGE, 'Point in time');
  if (parsed.assumedUtc) notes.push(utcNote(`"${shown(text)}"`, parsed.at));
  return { kind: 'time', at: parsed.at.toISOString() };
}

/** What the answer says when a time without a zone was read as UTC. */
function utcNote(what: string, at: Date): string {
  return `${what} has no time zone, so it was read as UTC: ${at.toISOString().slice(0, 19).replace('T', ' ')} UTC.`;
}
