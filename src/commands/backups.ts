import { parseSince } from './duration.ts';
import {
  checkBackupRef,
  checkEnv,
  checkTableName,
  lex,
  rejectExtra,
  rejectFlags,
  shown,
  splitArgs,
} from './tokenize.ts';
import {
  BACKUP_TYPE_FILTERS,
  BACKUPS_DESCRIBE_USAGE,
  BACKUPS_USAGE,
  type BackupsCommand,
  type BackupTypeFilter,
  CommandError,
  DEFAULT_BACKUPS_LIMIT,
  MAX_BACKUPS_LIMIT,
} from './types.ts';

const FLAGS = ['--env', '--type', '--since', '--limit'] as const;

function parseType(value: string): BackupTypeFilter {
  const type = BACKUP_TYPE_FILTERS.find((t) => t === value.toUpperCase());
  if (type) return type;
  const part = shown(value);
  throw new CommandError(
    `--type ${part} is not one of ${BACKUP_TYPE_FILTERS.join(', ')}.`,
    part,
    BACKUPS_USAGE,
  );
}

function parseLimit(value: string): number {
  const limit = /^\d{1,3}$/.test(value) ? Number(value) : 0;
  if (limit >= 1 && limit <= MAX_BACKUPS_LIMIT) return limit;
  const part = shown(value);
  throw new CommandError(
    `--limit ${part} must be a whole number from 1 to ${MAX_BACKUPS_LIMIT}; Next shows the following page.`,
    part,
    BACKUPS_USAGE,
  );
}

/**
 * Parses the text of `/backups`: list (the default), `describe BACKUP` or `help`.
 * `now` anchors relative `--since` durations.
 *
 * @throws CommandError naming the bad part; nothing else for any string.
 */
export function parseBackupsCommand(text: string, now: Date): BackupsCommand {
  const { flags, positionals } = splitArgs(lex(text, BACKUPS_USAGE), FLAGS, BACKUPS_USAGE);
  const env = flags.get('--env');
  const keyword = positionals[0]?.toLowerCase();

  if (keyword === 'help') {
    rejectFlags(flags, [], '/backups help', BACKUPS_USAGE);
    rejectExtra(positionals, 1, BACKUPS_USAGE);
    return { kind: 'help' };
  }

  if (keyword === 'describe') {
    const usage = BACKUPS_DESCRIBE_USAGE;
    rejectFlags(flags, ['--env'], '/backups describe', usage);
    const backup = positionals[1];
    if (backup === undefined)
      throw new CommandError('Missing BACKUP: give a backup ARN or name.', 'BACKUP', usage);
    rejectExtra(positionals, 2, usage);
    return {
      kind: 'describe',
      backup: checkBackupRef(backup, usage),
      ...(env !== undefined && { env: checkEnv(env, usage) }),
    };
  }

  rejectExtra(positionals, 1, BACKUPS_USAGE, ' /backups lists one table at a time.');
  const table = positionals[0];
  const type = flags.get('--type');
  const since = flags.get('--since');
  const limit = flags.get('--limit');
  return {
    kind: 'list',
    ...(table !== undefined && { table: checkTableName(table, 'Table', BACKUPS_USAGE) }),
    ...(env !== undefined && { env: checkEnv(env, BACKUPS_USAGE) }),
    type: type === undefined ? 'ALL' : parseType(type),
    ...(since !== undefined && { since: parseSince(since, now, BACKUPS_USAGE) }),
    limit: limit === undefined ? DEFAULT_BACKUPS_LIMIT : parseLimit(limit),
  };
}
