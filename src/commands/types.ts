import type { RestoreOverrides, SourceRef } from '../restore/types.ts';

export const BACKUP_TYPE_FILTERS = ['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL'] as const;
export type BackupTypeFilter = (typeof BACKUP_TYPE_FILTERS)[number];

export const BACKUPS_USAGE =
  '/backups [TABLE] [--env ENV] [--type USER|SYSTEM|AWS_BACKUP|ALL] [--since 7d|24h|2026-11-01] [--limit N]';
/** `--limit` default and most backups one /backups message shows (Slack's 50-block limit). */
export const DEFAULT_BACKUPS_LIMIT = 20;
export const MAX_BACKUPS_LIMIT = 40;
export const BACKUPS_DESCRIBE_USAGE = '/backups describe BACKUP';
export const RESTORE_USAGE =
  '/restore BACKUP TARGET_TABLE [--env ENV] [--reason "TEXT"] [overrides] [--copy-settings]';
export const RESTORE_SETTINGS_USAGE = '/restore settings REQUEST_ID';
export const RESTORE_CLI_USAGE = '/restore --backup-arn ARN --target-table-name NAME [...]';
export const RESTORE_RECOVERY_POINT_USAGE =
  '/restore --recovery-point-arn ARN --target-table-name NAME [...]';
export const PITR_USAGE =
  '/restore pitr SOURCE_TABLE TARGET_TABLE (--at TIME | --ago DURATION | --latest) [--source-region REGION] [--env ENV] [--reason "TEXT"] [overrides]';
export const PITR_CLI_USAGE =
  '/restore (--source-table-name NAME | --source-table-arn ARN) --target-table-name NAME (--restore-date-time TIME | --use-latest-restorable-time) [...]';

/** `/backups [TABLE] [--env] [--type] [--since] [--limit]` */
export interface BackupsListCommand {
  kind: 'list';
  table?: string;
  env?: string;
  type: BackupTypeFilter;
  /** Lower bound on the backup's creation time. */
  since?: Date;
  limit: number;
}

/** `/backups describe BACKUP` (ARN or name) */
export interface BackupsDescribeCommand {
  kind: 'describe';
  backup: string;
  env?: string;
}

export interface HelpCommand {
  kind: 'help';
}

export type BackupsCommand = BackupsListCommand | BackupsDescribeCommand | HelpCommand;

/**
 * `/restore BACKUP TARGET [--env] [--reason] [overrides]` or `/restore pitr SOURCE TARGET (--at |
 * --ago | --latest) …`, each in either spelling.
 */
export interface RestoreRequestCommand {
  kind: 'request';
  /** What to restore from: a backup (ARN or name), or a table at a point in time. */
  source: SourceRef;
  targetTable: string;
  /** Things the answer should say about how the command was read (e.g. a time read as UTC). */
  notes?: string[];
  env?: string;
  reason?: string;
  overrides: RestoreOverrides;
  /** --copy-settings: copy the source's settings to the new table once it is ACTIVE. */
  copySettings?: boolean;
}

export type RestoreCommand =
  | RestoreRequestCommand
  | { kind: 'status'; requestId?: string }
  | { kind: 'cancel'; requestId: string }
  | { kind: 'settings'; requestId: string }
  | HelpCommand
  | { kind: 'modal' };

/**
 * Bad input in a slash command. `part` names the offending token or flag, `usage` is the
 * usage line to show with the message.
 */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    message: string,
    readonly part: string,
    readonly usage: string,
  ) {
    super(message);
  }
}
