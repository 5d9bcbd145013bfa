import { isUsableEnvironmentName, RESERVED_ENVIRONMENT_NAMES } from '../environment-names.ts';
import { CommandError } from './types.ts';

/** One word of a command; `quoted` words are always values, never flags. */
export interface Token {
  text: string;
  quoted: boolean;
}

/** Flags as given: canonical name (e.g. `--env`) to value. */
export type Flags = ReadonlyMap<string, string>;

export interface SplitArgs {
  flags: Flags;
  positionals: string[];
}

// Long enough for any backup ARN (a 255-character table name makes one of about 330).
const MAX_SHOWN = 400;

/**
 * The token as it appears in an error message, cut short so that one pasted essay cannot blow
 * Slack's message limits. Errors use the same string as `part`, so the message always contains it.
 */
export function shown(token: string): string {
  return token.length > MAX_SHOWN ? `${token.slice(0, MAX_SHOWN - 1)}…` : token;
}

const HTML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
// Smart quotes arrive from phones and macOS autocorrect; they delimit like straight quotes.
const CURLY_QUOTES: Record<string, string> = { '“': '"', '”': '"', '‘': "'", '’': "'" };
const WHITESPACE = /\s/;

function isClosingQuote(s: string, i: number, quote: string): boolean {
  const next = s[i + 1];
  return s[i] === quote && (next === undefined || WHITESPACE.test(next));
}

/**
 * Splits command text into tokens. Slack HTML-escapes `& < >`, so those are unescaped first.
 * A quote opens only at the start of a word or right after `=` (as in `--reason="…"`) and closes
 * only before whitespace or the end, so apostrophes inside words (`can't`) stay literal.
 *
 * @throws CommandError when a quote is never closed.
 */
export function lex(text: string, usage: string): Token[] {
  const s = text
    .replace(/&(?:amp|lt|gt);/g, (e) => HTML_ENTITIES[e]!)
    .replace(/[“”‘’]/g, (q) => CURLY_QUOTES[q]!);
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    if (WHITESPACE.test(s[i]!)) {
      i++;
      continue;
    }
    let word = '';
    const quoted = s[i] === '"' || s[i] === "'";
    while (i < s.length && !WHITESPACE.test(s[i]!)) {
      const c = s[i]!;
      if ((c === '"' || c === "'") && (word === '' || word.endsWith('='))) {
        let end = i + 1;
        while (end < s.length && !isClosingQuote(s, end, c)) end++;
        if (end >= s.length) {
          const part = shown(s.slice(i));
          throw new CommandError(`The quote in ${part} is never closed: add a closing ${c}.`, part, usage);
        }
        word += s.slice(i + 1, end);
        i = end + 1;
        break;
      }
      word += c;
      i++;
    }
    // Autocorrect also turns a typed "--" into an en or em dash.
    tokens.push({ text: quoted ? word : word.replace(/^[–—](?=[A-Za-z])/, '--'), quoted });
  }
  return tokens;
}

/**
 * Splits Slack slash-command text into words, honouring straight and curly quotes.
 *
 * @throws CommandError when a quote is never closed.
 */
export function tokenize(text: string, usage = ''): string[] {
  return lex(text, usage).map((t) => t.text);
}

function isFlag(token: Token): boolean {
  // `-5` stays a value so that `--limit -5` gets a range error rather than an unknown-flag one.
  return !token.quoted && /^-[^\d]/.test(token.text);
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(next[j - 1]! + 1, row[j]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { flag: string; distance: number } | undefined;
  for (const flag of known) {
    // A prefix either way (`--backup`, `--environment`) is as good as a one-letter typo.
    const prefix = (flag.startsWith(lower) && lower.length > 3) || lower.startsWith(flag);
    const distance = prefix ? 1 : editDistance(lower, flag);
    if (!best || distance < best.distance) best = { flag, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.flag.length / 3)) ? best.flag : undefined;
}

/**
 * Separates `--flag value` / `--flag=value` pairs from positional words. Every flag takes a
 * value, except the `switches` (e.g. `--latest`), which take none and read as `true`; each flag
 * may be given once. `util.parseArgs` is not used: it rejects values that start with
 * `-`, cannot tell a quoted `"--x"` from a flag, and its errors do not fit our messages.
 *
 * @throws CommandError for an unknown or repeated flag, or a flag without a value.
 */
export function splitArgs(
  tokens: readonly Token[],
  known: readonly string[],
  usage: string,
  switches: readonly string[] = [],
): SplitArgs {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!isFlag(token)) {
      positionals.push(token.text);
      continue;
    }
    const eq = token.text.indexOf('=');
    const name = eq < 0 ? token.text : token.text.slice(0, eq);
    const part = shown(name);
    if (!known.includes(name) && !switches.includes(name)) {
      const guess = closest(name, [...known, ...switches]);
      throw new CommandError(
        `Unknown option ${part}. ${guess ? `Did you mean ${guess}?` : `Options: ${known.join(', ')}.`}`,
        part,
        usage,
      );
    }
    if (flags.has(name)) throw new CommandError(`${part} is given more than once.`, part, usage);
    if (switches.includes(name)) {
      if (eq >= 0) throw new CommandError(`${part} takes no value.`, part, usage);
      flags.set(name, 'true');
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = token.text.slice(eq + 1);
    else if (tokens[i + 1] && !isFlag(tokens[i + 1]!)) value = tokens[++i]!.text;
    if (!value) throw new CommandError(`${part} needs a value.`, part, usage);
    flags.set(name, value);
  }
  return { flags, positionals };
}

/** @throws CommandError naming the first flag that the subcommand `context` does not take. */
export function rejectFlags(flags: Flags, allowed: readonly string[], context: string, usage: string): void {
  for (const name of flags.keys()) {
    if (!allowed.includes(name)) {
      throw new CommandError(`${name} does not apply to ${context}.`, name, usage);
    }
  }
}

/** @throws CommandError naming the first word after the ones the command takes. */
export function rejectExtra(positionals: readonly string[], from: number, usage: string, hint = ''): void {
  const extra = positionals[from];
  if (extra !== undefined) {
    const part = shown(extra) || '""';
    throw new CommandError(`Unexpected argument ${extra ? `"${part}"` : part}.${hint}`, part, usage);
  }
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Checks a DynamoDB table or index name (3-255 of letters, digits, `_ . -`).
 *
 * @throws CommandError naming the value.
 */
export function checkTableName(value: string, what: string, usage: string): string {
  if (value.length >= 3 && value.length <= 255 && NAME.test(value)) return value;
  const part = shown(value) || '""';
  throw new CommandError(
    `${what} ${part} is not a valid DynamoDB name: use 3-255 letters, digits, _ . or -.`,
    part,
    usage,
  );
}

/** @throws CommandError unless `value` is an environment name as the config allows it. */
export function checkEnv(value: string, usage: string): string {
  if (isUsableEnvironmentName(value)) return value;
  const part = shown(value);
  if (RESERVED_ENVIRONMENT_NAMES.has(value)) {
    throw new CommandError(`Environment ${part} is a reserved name, not an environment.`, part, usage);
  }
  throw new CommandError(`Environment ${part} is not valid: use 1-32 letters, digits, _ or -.`, part, usage);
}

const BACKUP_ARN =
  /^arn:aws[a-z-]*:dynamodb:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:table\/[A-Za-z0-9_.-]{3,255}\/backup\/\d{14}-[0-9a-f]{8}$/;

/** `arn:aws:backup:REGION:ACCOUNT:recovery-point:ID`, an AWS Backup recovery point. */
export const RECOVERY_POINT_ARN =
  /^arn:aws[a-z-]*:backup:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:recovery-point:[A-Za-z0-9_.-]{1,128}$/;

/**
 * Checks a backup reference: a DynamoDB backup ARN, an AWS Backup recovery point ARN or a backup
 * name. With `arnOnly`, a name is refused (for `--backup-arn` and `--recovery-point-arn`).
 *
 * @throws CommandError naming the value.
 */
export function checkBackupRef(value: string, usage: string, arnOnly = false): string {
  const part = shown(value) || '""';
  if (/^arn:aws[a-z-]*:backup:/.test(value)) {
    if (RECOVERY_POINT_ARN.test(value)) return value;
    throw new CommandError(
      `${part} is not an AWS Backup recovery point ARN (arn:aws:backup:REGION:ACCOUNT:recovery-point:ID).`,
      part,
      usage,
    );
  }
  if (value.startsWith('arn:')) {
    if (BACKUP_ARN.test(value)) return value;
    throw new CommandError(
      `${part} is not a DynamoDB backup ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/backup/ID) or an AWS Backup recovery point ARN.`,
      part,
      usage,
    );
  }
  if (arnOnly) {
    throw new CommandError(
      `${part} is not a backup ARN; to restore by name use /restore NAME TARGET_TABLE.`,
      part,
      usage,
    );
  }
  if (value.length <= 255 && NAME.test(value)) return value;
  throw new CommandError(
    `Backup ${part} is neither a backup ARN nor a backup name (1-255 letters, digits, _ . or -).`,
    part,
    usage,
  );
}
