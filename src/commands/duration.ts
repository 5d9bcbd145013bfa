import * as z from 'zod/mini';
import { shown } from './tokenize.ts';
import { CommandError } from './types.ts';

/** Milliseconds per duration unit: minutes, hours, days, weeks. */
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** `30m`, `24h`, `7d`, `2w` */
const DURATION = /^(\d+)([mhdw])$/i;

/** A DURATION (`30m`, `24h`, `7d`, `2w`) in milliseconds, or undefined when `value` is not one. */
export function durationMs(value: string): number | undefined {
  const match = DURATION.exec(value);
  return match ? Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]! : undefined;
}
const IsoDate = z.iso.date();
// Without an offset a datetime is read as UTC, like a plain date, not in the server's zone.
const IsoDateTime = z.iso.datetime({ offset: true, local: true });

/**
 * Reads a `--since` value: a duration back from `now` (`30m`, `24h`, `7d`, `2w`), a date
 * (`2026-11-01`, UTC midnight) or an ISO datetime.
 *
 * @throws CommandError naming the value when it is malformed, zero, or in the future.
 */
export function parseSince(value: string, now: Date, usage: string, flag = '--since'): Date {
  const part = shown(value);
  const fail = (why: string): never => {
    throw new CommandError(`${flag} ${part} ${why}`, part, usage);
  };
  let since: Date | undefined;
  const ms = durationMs(value);
  if (ms !== undefined) {
    if (ms === 0) fail('is zero: give a positive duration such as 7d.');
    since = new Date(now.getTime() - ms);
  } else if (IsoDate.safeParse(value).success) {
    since = new Date(`${value}T00:00:00Z`);
  } else if (IsoDateTime.safeParse(value).success) {
    since = new Date(/(?:Z|[+-]\d\d:\d\d)$/i.test(value) ? value : `${value}Z`);
  } else {
    return fail('is not a duration (30m, 24h, 7d, 2w) or a date (2026-11-01).');
  }
  if (Number.isNaN(since.getTime())) return fail('is out of range.');
  if (since.getTime() > now.getTime()) return fail('is in the future.');
  return since;
}
