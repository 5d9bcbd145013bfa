import {
  BACKUPS_DESCRIBE_USAGE,
  BACKUPS_USAGE,
  DEFAULT_BACKUPS_LIMIT,
  MAX_BACKUPS_LIMIT,
  PITR_CLI_USAGE,
  PITR_USAGE,
  RESTORE_CLI_USAGE,
  RESTORE_USAGE,
} from '../commands/types.ts';
import { clip, code, context, header, message, section } from './kit.ts';
import type { SlackMessage } from './types.ts';

/** The reply to `/backups help`. */
export function backupsHelpMessage(): SlackMessage {
  return message(`Usage: ${BACKUPS_USAGE}`, [
    header(':floppy_disk: /backups — find DynamoDB backups'),
    section(['```', BACKUPS_USAGE, BACKUPS_DESCRIBE_USAGE, '/backups help', '```'].join('\n')),
    section(
      [
        '*Options*',
        '• `TABLE` — only backups of this table (exact name, case-sensitive); the answer starts with its point-in-time recovery (on or off, and the window)',
        '• `--env ENV` — the environment (AWS account) to look in; default: the configured default',
        '• `--type USER|SYSTEM|AWS_BACKUP|ALL` — on-demand, automatic (deleted tables), AWS Backup recovery points (with a TABLE: vault, lifecycle), or all',
        '• `--since 7d|24h|2026-11-01` — only backups created since then (UTC)',
        `• \`--limit N\` — backups per message (default ${DEFAULT_BACKUPS_LIMIT}, at most ${MAX_BACKUPS_LIMIT}); a Next button shows the rest`,
        '• `describe BACKUP` — everything about one backup, by ARN or by name, or one AWS Backup recovery point by ARN',
      ].join('\n'),
    ),
    section(
      [
        '*Examples*',
        '`/backups Orders --since 24h`',
        '`/backups --env staging --type ALL`',
        '`/backups describe arn:aws:dynamodb:us-east-1:123456789012:table/Orders/backup/01700000000000-abcdefgh`',
      ].join('\n'),
    ),
    context([
      'Then restore one with `/restore BACKUP TARGET_TABLE`, or the table as it was at a point in time with `/restore pitr TABLE TARGET_TABLE --at TIME` (`/restore help`).',
    ]),
  ]);
}

/** The reply to `/restore help`, listing the environments the caller may use in that channel. */
export function restoreHelpMessage(environments: string[]): SlackMessage {
  const envs =
    environments.length === 0
      ? 'none that you can use in this channel'
      : clip(
          environments
            .slice(0, 50)
            .map((e) => code(e, 64))
            .join(', '),
          2000,
        );
  return message(`Usage: ${RESTORE_USAGE}`, [
    header(':recycle: /restore — restore a DynamoDB table from a backup or to a point in time'),
    section(
      [
        '```',
        RESTORE_USAGE,
        RESTORE_CLI_USAGE,
        PITR_USAGE,
        PITR_CLI_USAGE,
        '/restore status [REQUEST_ID]',
        '/restore settings REQUEST_ID   (the new table next to its source; Copy settings)',
        '/restore cancel REQUEST_ID',
        '/restore help',
        '/restore          (no arguments: opens a form)',
        '```',
      ].join('\n'),
    ),
    section(
      [
        '*Arguments*',
        '• `BACKUP` — a backup ARN, or a backup name (if several backups share it, you will be asked for the ARN), or an AWS Backup recovery point ARN (also as `--recovery-point-arn ARN`)',
        '• `TARGET_TABLE` — the *new* table to create; it must not exist yet. The source table is never touched.',
        `• \`--env ENV\` — one of: ${envs}`,
        '• `--reason "TEXT"` — why; shown to the approvers (straight or curly quotes)',
        '• `--copy-settings` — once the new table is ACTIVE, copy the source’s TTL, stream, PITR, deletion protection, tags, table class, auto scaling and contributor insights to it (the approvers approve that too)',
      ].join('\n'),
    ),
    section(
      [
        "*To a point in time* (point-in-time recovery, within the table's window of up to 35 days)",
        "• `SOURCE_TABLE` — a table name, or its ARN (`--source-table-arn`); an ARN or `--source-region` of another region restores across regions into the environment's region",
        '• `--at TIME` / `--restore-date-time TIME` — `2026-12-02T09:55:00Z`, `2026-12-02T10:55+01:00`, `"2026-12-02 09:55"` (no zone: read as UTC) or epoch seconds',
        '• `--ago DURATION` — e.g. `15m`, `2h`, `1d` before now · `--latest` / `--use-latest-restorable-time` — the latest restorable time (a few minutes ago)',
        '• `/backups TABLE` shows whether point-in-time recovery is on and its window',
      ].join('\n'),
    ),
    section(
      [
        '*Overrides* (AWS CLI flag names)',
        '• `--billing-mode-override PAY_PER_REQUEST|PROVISIONED`',
        '• `--provisioned-throughput-override ReadCapacityUnits=N,WriteCapacityUnits=N`',
        '• `--sse-specification-override Enabled=true,SSEType=KMS,KMSMasterKeyId=KEY`',
        '• `--drop-indexes INDEX,INDEX|ALL` — leave out global or local secondary indexes',
      ].join('\n'),
    ),
    section(
      [
        '*Examples*',
        '`/restore nightly-2026-11-24 Orders-restored --env prod --reason "INC-123 bad deploy deleted items"`',
        '`/restore --backup-arn arn:aws:dynamodb:us-east-1:123456789012:table/Orders/backup/01700000000000-abcdefgh --target-table-name Orders-restored`',
        '`/restore pitr Orders Orders-0955 --at "2026-12-02 09:55" --reason "INC-123 bad deploy at 09:56"`',
        '`/restore --source-table-name Orders --target-table-name Orders-latest --use-latest-restorable-time`',
        '`/restore status` · `/restore cancel R-7KQ2MX`',
      ].join('\n'),
    ),
    context([
      '*Approval:* a restore runs only after the required number of approvers from that environment approve with the button — never the requester, each person counts once — and unapproved requests expire.',
    ]),
  ]);
}
