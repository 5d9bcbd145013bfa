import type { types } from '@slack/bolt';
import type { PitrStatus } from '../aws/types.ts';
import type { BackupInfo } from '../restore/types.ts';
import {
  formatBytes,
  formatCount,
  formatRelative,
  formatUtc,
  formatUtcSeconds,
  formatWhen,
  plural,
} from './format.ts';
import {
  actions,
  button,
  clip,
  code,
  context,
  fields,
  header,
  MAX_ARN,
  MAX_NAME,
  message,
  section,
} from './kit.ts';
import { MAX_BUTTON_VALUE, MAX_MESSAGE_BLOCKS } from './limits.ts';
import { type ListedRecoveryPoint, recoveryPointSection } from './recovery-points.ts';
import type { SlackMessage } from './types.ts';

/** action_id of the "Next N" button under a backups list; its value is the caller's `moreValue`. */
export const BACKUPS_MORE_ACTION_ID = 'backups_more';
/** A page size that stays readable on a phone. */
export const DEFAULT_BACKUPS_PAGE_SIZE = 20;
/**
 * Header, point-in-time recovery line, summary line, a notice, "Showing x–y of z" and the button
 * take six blocks; backups get the rest.
 */
export const MAX_BACKUPS_PAGE_SIZE = MAX_MESSAGE_BLOCKS - 6;

const RESTORED_SUFFIX = '-restored';

/** One entry of a `/backups` list: a DynamoDB backup or an AWS Backup recovery point. */
export type ListedBackup = BackupInfo | ListedRecoveryPoint;

function isRecoveryPoint(entry: ListedBackup): entry is ListedRecoveryPoint {
  return 'kind' in entry && entry.kind === 'recovery-point';
}

/** The point-in-time recovery of the table a `/backups TABLE` names, as far as it could be read. */
export type PitrLine =
  | { table: string; status: PitrStatus }
  | { table: string; missing: true }
  | { table: string; error: string };

export interface BackupsListInput {
  backups: ListedBackup[];
  /** With a TABLE, its point-in-time recovery heads the first page. */
  pitr?: PitrLine;
  environment: string;
  accountId: string;
  region: string;
  /** What the list was filtered by, for humans: "table Orders, type USER, since 2026-11-17". */
  filterSummary: string;
  /** Index of the first backup on this page. */
  offset: number;
  /** Backups per page; clipped to {@link MAX_BACKUPS_PAGE_SIZE}. */
  pageSize: number;
  now: Date;
  /** Button value for the next page; without it (or if it is too long) there is no button. */
  moreValue?: string;
  /** A line about what could not be listed (e.g. AWS Backup recovery points without permission). */
  notice?: string;
}

export interface BackupDetailInput {
  backup: BackupInfo;
  environment: string;
  accountId: string;
  region: string;
  now: Date;
}

/** AVAILABLE stays plain; anything else stands out, because it cannot be restored. */
function statusBadge(status: string): string {
  switch (status) {
    case 'AVAILABLE':
      return 'AVAILABLE';
    case 'CREATING':
      return ':hourglass_flowing_sand: *CREATING* (not restorable yet)';
    case 'DELETED':
      return ':x: *DELETED* (cannot be restored)';
    default:
      return `*${clip(status, 40)}*`;
  }
}

function where(environment: string, accountId: string, region: string): string {
  return `*${clip(environment, 64)}* (account ${code(accountId, 32)}, ${code(region, 32)})`;
}

function backupSection(b: BackupInfo, now: Date): types.SectionBlock {
  const facts = [`Created ${formatWhen(b.createdAt, now)}`, clip(b.type, 40), statusBadge(b.status)];
  facts.push(formatBytes(b.sizeBytes));
  // ListBackups does not report item counts; say nothing rather than "unknown" on every line.
  if (b.itemCount !== undefined) facts.push(`${formatCount(b.itemCount)} items`);
  return section(
    [
      `*${clip(b.name, MAX_NAME)}* — table ${code(b.tableName)}`,
      facts.join(' · '),
      code(b.arn, MAX_ARN),
    ].join('\n'),
  );
}

/** One section on the table's point-in-time recovery: on with its window, off, or unknown. */
function pitrSection(line: PitrLine, now: Date): types.SectionBlock {
  const table = code(line.table);
  if ('missing' in line) {
    return section(
      `:rewind: Table ${table} does not exist, so it has no point-in-time recovery. If it was deleted with point-in-time recovery on, DynamoDB kept a SYSTEM backup: \`/backups ${clip(line.table, MAX_NAME)} --type SYSTEM\`.`,
    );
  }
  if ('error' in line) {
    return section(
      `:rewind: The point-in-time recovery of ${table} could not be checked: ${clip(line.error, 1500)}`,
    );
  }
  const { status } = line;
  if (!status.enabled || !status.earliest || !status.latest) {
    return section(
      `:rewind: Point-in-time recovery of ${table} is *off*: it cannot be restored to a point in time, only from a backup.`,
    );
  }
  return section(
    `:rewind: Point-in-time recovery of ${table} is *on*: restorable from ${formatUtcSeconds(status.earliest)} to ${formatUtcSeconds(status.latest)} (${formatRelative(status.latest, now)}). Restore with \`/restore pitr ${clip(line.table, MAX_NAME)} ${clip(suggestedTargetName(line.table), MAX_NAME)} --at TIME\` (or \`--ago 15m\`, \`--latest\`).`,
  );
}

/** A target name to suggest: the source name plus "-restored", kept within DynamoDB's 255. */
export function suggestedTargetName(tableName: string): string {
  return tableName.slice(0, MAX_NAME - RESTORED_SUFFIX.length) + RESTORED_SUFFIX;
}

/**
 * The reply to `/backups`: one section per backup on this page (name, table, created, type,
 * status, size, items, ARN in a code span), and when the list is longer than a page, a
 * "Showing x–y of z" line and a "Next N" button (action_id {@link BACKUPS_MORE_ACTION_ID}).
 */
export function backupsListMessage(input: BackupsListInput): SlackMessage {
  const { backups, environment, accountId, region, filterSummary, now } = input;
  const pageSize = Math.min(MAX_BACKUPS_PAGE_SIZE, Math.max(1, Math.floor(input.pageSize) || 1));
  const offset = Math.max(0, Math.floor(input.offset) || 0);
  const total = backups.length;
  const filter = filterSummary.trim() === '' ? undefined : clip(filterSummary, 500);
  const head = header(`:floppy_disk: Backups in ${environment}`);
  const pitr = input.pitr && offset === 0 ? [pitrSection(input.pitr, now)] : [];

  if (total === 0) {
    const none = filter ? `No backups match ${filter}` : 'No backups found';
    return message(`${none} in ${clip(environment, 64)}.`, [
      head,
      ...pitr,
      section(`:mag: ${none} in ${where(environment, accountId, region)}.`),
      ...(input.notice ? [context([`:warning: ${clip(input.notice, 1000)}`])] : []),
      context([
        'Try a longer window with `--since 30d`, every backup type with `--type ALL`, or check the table name (names are case-sensitive). `/backups help` lists every option.',
      ]),
    ]);
  }

  const blocks: types.KnownBlock[] = [
    head,
    ...pitr,
    context([
      [where(environment, accountId, region), filter, plural(total, 'backup')]
        .filter((part) => part !== undefined)
        .join(' · '),
    ]),
  ];
  if (input.notice) blocks.push(context([`:warning: ${clip(input.notice, 1000)}`]));
  const page = backups.slice(offset, offset + pageSize);
  if (page.length === 0) {
    blocks.push(
      section(
        `That was all of them: ${plural(total, 'backup')} in total. Run \`/backups\` again to start over.`,
      ),
    );
    return message(`No more backups: all ${formatCount(total)} were shown.`, blocks);
  }
  for (const b of page)
    blocks.push(isRecoveryPoint(b) ? recoveryPointSection(b, now) : backupSection(b, now));

  const last = offset + page.length;
  const remaining = total - last;
  if (offset > 0 || remaining > 0) {
    const canPage =
      remaining > 0 && input.moreValue !== undefined && input.moreValue.length <= MAX_BUTTON_VALUE;
    const showing = `Showing ${formatCount(offset + 1)}–${formatCount(last)} of ${formatCount(total)}`;
    const hint =
      remaining > 0 && !canPage ? ' · narrow the list with TABLE, `--since` or `--type` to see the rest' : '';
    blocks.push(context([showing + hint]));
    if (canPage) {
      const next = Math.min(pageSize, remaining);
      blocks.push(
        actions(BACKUPS_MORE_ACTION_ID, [
          button({ text: `Next ${next}`, actionId: BACKUPS_MORE_ACTION_ID, value: input.moreValue! }),
        ]),
      );
    }
  }
  return message(
    `${plural(total, 'backup')} in ${clip(environment, 64)} (${clip(accountId, 32)}, ${clip(region, 32)})${filter ? ` matching ${filter}` : ''}`,
    blocks,
  );
}

function indexList(names: string[] | undefined): string {
  if (names === undefined) return 'unknown';
  if (names.length === 0) return 'none';
  return names.map((n) => code(n)).join(', ');
}

function expiryText(b: BackupInfo, now: Date): string | undefined {
  if (b.expiresAt) {
    const past = Date.parse(b.expiresAt) <= now.getTime();
    return past
      ? `expired ${formatUtc(b.expiresAt)} (${formatRelative(b.expiresAt, now)})`
      : formatWhen(b.expiresAt, now);
  }
  return b.type === 'SYSTEM' ? 'unknown' : undefined;
}

/**
 * The reply to `/backups describe`: every detail of one backup, including the expiry of SYSTEM
 * backups, the source table's indexes and billing mode, the ARN, and the `/restore` line to use.
 */
export function backupDetailMessage(input: BackupDetailInput): SlackMessage {
  const { backup: b, environment, accountId, region, now } = input;
  const facts = [
    `*Table*\n${code(b.tableName)}`,
    `*Status*\n${statusBadge(b.status)}`,
    `*Type*\n${clip(b.type, 40)}`,
    `*Created*\n${formatWhen(b.createdAt, now)}`,
    `*Size*\n${formatBytes(b.sizeBytes)}`,
    `*Items*\n${formatCount(b.itemCount)}`,
    `*Billing mode*\n${b.billingMode ? clip(b.billingMode, 40) : 'unknown'}`,
  ];
  const expiry = expiryText(b, now);
  if (expiry !== undefined) facts.push(`*Expires*\n${expiry}`);
  facts.push(
    `*Environment*\n${clip(environment, 64)}`,
    `*Account / region*\n${code(accountId, 32)} · ${code(region, 32)}`,
  );

  const arns = [`*Backup ARN*\n${code(b.arn, MAX_ARN)}`];
  if (b.tableArn) arns.push(`*Source table ARN*\n${code(b.tableArn, MAX_ARN)}`);

  const blocks: types.KnownBlock[] = [header(`:floppy_disk: Backup ${b.name}`), fields(facts)];
  if (b.status !== 'AVAILABLE') {
    blocks.push(
      section(`:warning: This backup is ${clip(b.status, 40)}: only AVAILABLE backups can be restored.`),
    );
  }
  blocks.push(
    section(
      `*Indexes*\nGlobal secondary: ${indexList(b.globalSecondaryIndexes)}\nLocal secondary: ${indexList(b.localSecondaryIndexes)}`,
    ),
    section(arns.join('\n')),
    context([
      `To restore it into a new table (the name must not exist yet): \`/restore ${clip(b.arn, MAX_ARN)} ${clip(suggestedTargetName(b.tableName), MAX_NAME)} --env ${clip(environment, 64)}\``,
    ]),
  );
  return message(
    `Backup ${clip(b.name, MAX_NAME)} of ${clip(b.tableName, MAX_NAME)} in ${clip(environment, 64)}: ${clip(b.status, 40)}, created ${formatUtc(b.createdAt)}, ${formatBytes(b.sizeBytes)}`,
    blocks,
  );
}

/** The intro and the closing hint take two blocks; candidates get the rest. */
const MAX_CANDIDATES = MAX_MESSAGE_BLOCKS - 2;

/**
 * The reply when a backup name matches more than one backup: lists the candidates with their
 * ARNs and asks for the ARN, because restoring the wrong one is worse than asking.
 */
export function backupCandidatesMessage(name: string, backups: BackupInfo[], now: Date): SlackMessage {
  const shown = code(name);
  if (backups.length === 0) {
    return message(`No backup is named ${shown}.`, [
      section(`:mag: No backup is named ${shown}. Find one with \`/backups TABLE\`, or use its ARN.`),
    ]);
  }
  const blocks: types.KnownBlock[] = [
    section(
      `:warning: ${plural(backups.length, 'backup')} are named ${shown}. Use the ARN of the one you mean:`,
    ),
  ];
  for (const b of backups.slice(0, MAX_CANDIDATES)) {
    blocks.push(
      section(
        [
          `Table ${code(b.tableName)} · created ${formatWhen(b.createdAt, now)} · ${clip(b.type, 40)} · ${statusBadge(b.status)} · ${formatBytes(b.sizeBytes)}`,
          code(b.arn, MAX_ARN),
        ].join('\n'),
      ),
    );
  }
  const hidden = backups.length - MAX_CANDIDATES;
  const more = hidden > 0 ? `…and ${formatCount(hidden)} more; narrow with \`/backups TABLE\`. ` : '';
  blocks.push(context([`${more}Then: \`/restore BACKUP_ARN TARGET_TABLE\``]));
  return message(
    `${formatCount(backups.length)} backups are named ${shown}; use the ARN to pick one.`,
    blocks,
  );
}
