/**
 * Formatting of times, sizes and counts for Slack messages. Times are always UTC: an incident
 * channel spans time zones, and AWS consoles and logs speak UTC.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Built on first use: the first Intl object of a process loads ICU data (~8 ms), which the slack
// function's cold start should not pay for acknowledgements that format no number.
let countFormat: Intl.NumberFormat | undefined;

function parse(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-11-24T14:05:31Z` → `2026-11-24 14:05 UTC`. An unparsable value is returned as given. */
export function formatUtc(iso: string | undefined): string {
  const ms = parse(iso);
  if (ms === undefined) return iso ? iso : 'unknown time';
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} UTC`;
}

/** `2026-12-02T09:55:00Z` → `2026-12-02 09:55:00 UTC`: to the second, for restore points. */
export function formatUtcSeconds(iso: string | undefined): string {
  const ms = parse(iso);
  if (ms === undefined) return iso ? iso : 'unknown time';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * A span in words, to the minute: `45 seconds`, `14 minutes`, `2 hours 5 minutes`,
 * `3 days 4 hours`. Negative spans count as their size.
 */
export function formatSpan(ms: number): string {
  const abs = Math.abs(Number.isFinite(ms) ? ms : 0);
  if (abs < MINUTE) return plural(Math.floor(abs / 1000), 'second');
  if (abs < HOUR) return plural(Math.floor(abs / MINUTE), 'minute');
  if (abs < DAY) {
    const minutes = Math.floor((abs % HOUR) / MINUTE);
    return `${plural(Math.floor(abs / HOUR), 'hour')}${minutes ? ` ${plural(minutes, 'minute')}` : ''}`;
  }
  const hours = Math.floor((abs % DAY) / HOUR);
  return `${plural(Math.floor(abs / DAY), 'day')}${hours ? ` ${plural(hours, 'hour')}` : ''}`;
}

/**
 * How long ago (or how soon) `iso` is from `now`: `just now`, `12m ago`, `3h ago`, `4d ago`,
 * `in 25m`. Rounds down, so "3h ago" means at least three hours.
 */
export function formatRelative(iso: string | undefined, now: Date): string {
  const ms = parse(iso);
  if (ms === undefined) return 'at an unknown time';
  const delta = now.getTime() - ms;
  const abs = Math.abs(delta);
  if (abs < MINUTE) return 'just now';
  let span: string;
  if (abs < HOUR) span = `${Math.floor(abs / MINUTE)}m`;
  else if (abs < DAY) span = `${Math.floor(abs / HOUR)}h`;
  else span = `${formatCount(Math.floor(abs / DAY))}d`;
  return delta >= 0 ? `${span} ago` : `in ${span}`;
}

/** `2026-11-24 14:05 UTC (3h ago)`: the exact time plus how it relates to now. */
export function formatWhen(iso: string | undefined, now: Date): string {
  if (parse(iso) === undefined) return formatUtc(iso);
  return `${formatUtc(iso)} (${formatRelative(iso, now)})`;
}

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;

/**
 * A size in decimal units as the AWS console shows them: `512 B`, `1.2 MB`, `43.0 GB`.
 * Undefined or negative sizes read `unknown` rather than a misleading zero.
 */
export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n) || n < 0) return 'unknown';
  if (n < 1000) return `${Math.round(n)} B`;
  let value = n / 1000;
  let unit = 0;
  // Move up a unit at 999.95, or 999,999 bytes would print as "1000.0 KB".
  while (value >= 999.95 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** `1 approval`, `2 approvals`, `1,000 backups`. */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** `1234567` → `1,234,567`; undefined reads `unknown`. */
export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return 'unknown';
  countFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return countFormat.format(n);
}

/** `45s`, `12m 05s`, `2h 05m`, `26h 00m`. Negative durations count as zero. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor((Number.isFinite(ms) ? ms : 0) / 1000));
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes}m ${pad2(totalSeconds % 60)}s`;
  return `${formatCount(Math.floor(totalMinutes / 60))}h ${pad2(totalMinutes % 60)}m`;
}

/** The milliseconds from `fromIso` to `toIso`, or undefined if either is missing or unparsable. */
export function durationBetween(fromIso: string | undefined, toIso: string | undefined): number | undefined {
  const from = parse(fromIso);
  const to = parse(toIso);
  if (from === undefined || to === undefined) return undefined;
  return to - from;
}

/** The DynamoDB console page of a table. */
export function consoleTableUrl(region: string, table: string): string {
  const r = encodeURIComponent(region);
  return `https://${r}.console.aws.amazon.com/dynamodbv2/home?region=${r}#table?name=${encodeURIComponent(table)}`;
}

/**
 * Escapes the three characters Slack mrkdwn treats as control characters, so user text such as
 * a reason containing `<!channel>` is shown, not executed.
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A Slack user mention, or "the bot" for steps the bot takes on its own. */
export function who(actor: string | undefined): string {
  if (!actor || actor === 'bot') return 'the bot';
  return /^[UW][A-Z0-9]+$/.test(actor) ? `<@${actor}>` : escapeMrkdwn(actor);
}
