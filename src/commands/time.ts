import { durationMs } from './duration.ts';
import { shown } from './tokenize.ts';
import { CommandError } from './types.ts';

/** Point-in-time recovery keeps at most 35 days. */
export const PITR_MAX_DAYS = 35;
const DAY_MS = 86_400_000;

/** A restore point as read from the command, and whether a missing zone was read as UTC. */
export interface ParsedTime {
  at: Date;
  /** The text gave no zone, so it was read as UTC; the answer says so. */
  assumedUtc: boolean;
}

const EPOCH = /^\d{9,11}(?:\.\d{1,6})?$/;
// 2026-12-02T09:55, 2026-12-02 09:55:30.5, …Z, … UTC, …+01:00, …+0100
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function utcFrom(match: RegExpExecArray): Date | undefined {
  const [, y, mo, d, h, mi, sec = '0', frac = ''] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number) as number[];
  if (hour! > 23 || minute! > 59 || second! > 59) return undefined;
  const ms = Date.UTC(
    year!,
    month! - 1,
    day!,
    hour,
    minute,
    second,
    frac ? Math.floor(Number(frac) * 1000) : 0,
  );
  const date = new Date(ms);
  // Date.UTC rolls 2026-02-30 over into March; a real date reads back the same.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date;
}

function offsetMs(zone: string): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0;
  const [, sign, hh, mm] = m;
  if (Number(hh) > 14 || Number(mm) > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
}

/**
 * Reads a restore time as DESIGN's TIME: ISO 8601 with a zone (`2026-12-02T09:55:00Z`,
 * `2026-12-02T10:55+01:00`), `2026-12-02 09:55` (read as UTC), or epoch seconds, as the AWS CLI
 * takes `--restore-date-time`. It must lie in the last 35 days and not after `now`; whether
 * the table's own window holds it is the pre-flight's question.
 *
 * @throws CommandError naming the value.
 */
export function parseRestoreTime(value: string, now: Date, usage: string, flag: string): ParsedTime {
  const part = shown(value);
  const fail = (why: string): never => {
    throw new CommandError(`${flag} ${part} ${why}`, part, usage);
  };
  let at: Date | undefined;
  let assumedUtc = false;
  if (EPOCH.test(value)) {
    at = new Date(Math.round(Number(value) * 1000));
  } else if (DATE_ONLY.test(value)) {
    return fail(`has no time of day: give one, in quotes, e.g. ${flag} "${value} 09:55" (UTC).`);
  } else {
    const match = DATE_TIME.exec(value.trim());
    if (!match) {
      return fail(
        'is not a time: use ISO 8601 with a zone (2026-12-02T09:55:00Z, 2026-12-02T10:55+01:00), "2026-12-02 09:55" (read as UTC) or epoch seconds.',
      );
    }
    const utc = utcFrom(match);
    const zone = match[8]?.toUpperCase();
    const offset = zone ? offsetMs(zone) : 0;
    if (!utc || offset === undefined) return fail('is not a real date and time.');
    at = new Date(utc.getTime() - offset);
    assumedUtc = zone === undefined;
  }
  if (Number.isNaN(at.getTime())) return fail('is out of range.');
  if (at.getTime() > now.getTime()) {
    return fail(`is in the future (it is now ${now.toISOString().slice(0, 19).replace('T', ' ')} UTC).`);
  }
  if (now.getTime() - at.getTime() > PITR_MAX_DAYS * DAY_MS) {
    return fail(
      `is more than ${PITR_MAX_DAYS} days ago: point-in-time recovery keeps at most ${PITR_MAX_DAYS} days. Look for a backup instead: /backups TABLE.`,
    );
  }
  return { at, assumedUtc };
}

/**
 * Reads `--ago DURATION` (`15m`, `2h`, `1d`) as the time that long before `now`.
 *
 * @throws CommandError naming the value.
 */
export function parseAgo(value: string, now: Date, usage: string): Date {
  const part = shown(value);
  const ms = durationMs(value);
  if (ms === undefined) {
    throw new CommandError(`--ago ${part} is not a duration such as 15m, 2h or 1d.`, part, usage);
  }
  if (ms === 0)
    throw new CommandError(`--ago ${part} is zero: use --latest for the latest time.`, part, usage);
  if (ms > PITR_MAX_DAYS * DAY_MS) {
    throw new CommandError(
      `--ago ${part} is more than ${PITR_MAX_DAYS} days: point-in-time recovery keeps at most ${PITR_MAX_DAYS} days.`,
      part,
      usage,
    );
  }
  return new Date(now.getTime() - ms);
}
