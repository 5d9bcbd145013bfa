import type { types } from '@slack/bolt';
import type { RecoveryPointInfo } from '../restore/types.ts';
import { formatBytes, formatUtc, formatWhen } from './format.ts';
import { clip, code, context, fields, header, MAX_ARN, MAX_NAME, message, section } from './kit.ts';
import type { SlackMessage } from './types.ts';

/** A recovery point in a `/backups` list, next to DynamoDB backups. */
export interface ListedRecoveryPoint extends RecoveryPointInfo {
  kind: 'recovery-point';
}

export interface RecoveryPointDetailInput {
  recoveryPoint: RecoveryPointInfo;
  environment: string;
  accountId: string;
  region: string;
  now: Date;
  /** The environment's awsBackupRoleArn; without one the detail says what to configure. */
  restoreRoleArn?: string;
  /** The suggested target table name for the `/restore` line. */
  suggestedTarget: string;
}

/** The recovery point's own ID: the part of its ARN after `recovery-point:` (or after the last `/`). */
export function recoveryPointId(arn: string): string {
  const marker = arn.indexOf(':recovery-point:');
  return marker >= 0 ? arn.slice(marker + ':recovery-point:'.length) : (arn.split('/').pop() ?? arn);
}

/** COMPLETED stays plain; anything else stands out, because only COMPLETED ones can be restored. */
function recoveryPointStatus(p: RecoveryPointInfo): string {
  if (p.status === 'COMPLETED') return 'COMPLETED';
  const why = p.statusMessage ? ` — ${clip(p.statusMessage, 200)}` : '';
  return `:warning: *${clip(p.status, 40)}* (cannot be restored)${why}`;
}

/** Where the recovery point stands in its lifecycle: cold storage and expiry, as far as AWS Backup says. */
function lifecycleText(p: RecoveryPointInfo, now: Date): string | undefined {
  const parts: string[] = [];
  if (p.storageClass === 'COLD') parts.push(':snowflake: in cold storage');
  else if (p.moveToColdStorageAt) {
    const past = Date.parse(p.moveToColdStorageAt) <= now.getTime();
    parts.push(`${past ? 'moved to' : 'moves to'} cold storage ${formatWhen(p.moveToColdStorageAt, now)}`);
  }
  if (p.deleteAt) {
    const past = Date.parse(p.deleteAt) <= now.getTime();
    parts.push(`${past ? 'expired' : 'expires'} ${formatWhen(p.deleteAt, now)}`);
  }
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** One line-group in the `/backups` list: vault and ID, table, facts, lifecycle and the ARN. */
export function recoveryPointSection(p: RecoveryPointInfo, now: Date): types.SectionBlock {
  const facts = [
    `Created ${formatWhen(p.createdAt, now)}`,
    'AWS Backup',
    `vault ${code(p.vaultName, 50)}`,
    recoveryPointStatus(p),
    formatBytes(p.sizeBytes),
  ];
  const lifecycle = lifecycleText(p, now);
  return section(
    [
      `*Recovery point ${clip(recoveryPointId(p.arn), 64)}* — table ${code(p.tableName)}`,
      facts.join(' · '),
      ...(lifecycle ? [lifecycle] : []),
      code(p.arn, MAX_ARN),
    ].join('\n'),
  );
}

/**
 * The reply to `/backups describe RECOVERY_POINT_ARN`: vault, status, times, size, storage class
 * and lifecycle, the table it was made of, what stands in the way of a restore, and the
 * `/restore` line to use.
 */
export function recoveryPointDetailMessage(input: RecoveryPointDetailInput): SlackMessage {
  const { recoveryPoint: p, environment, accountId, region, now } = input;
  const facts = [
    `*Table*\n${code(p.tableName)}`,
    `*Status*\n${recoveryPointStatus(p)}`,
    `*Vault*\n${code(p.vaultName, 50)}`,
    `*Created*\n${formatWhen(p.createdAt, now)}`,
    `*Size*\n${formatBytes(p.sizeBytes)}`,
    `*Storage*\n${p.storageClass === 'COLD' ? ':snowflake: cold' : p.storageClass ? clip(p.storageClass, 20).toLowerCase() : 'unknown'}`,
    `*Moves to cold storage*\n${p.moveToColdStorageAt ? formatWhen(p.moveToColdStorageAt, now) : 'never (no lifecycle rule)'}`,
    `*Expires*\n${p.deleteAt ? formatWhen(p.deleteAt, now) : 'never (no lifecycle rule)'}`,
    `*Environment*\n${clip(environment, 64)}`,
    `*Account / region*\n${code(accountId, 32)} · ${code(region, 32)}`,
  ];
  const blocks: types.KnownBlock[] = [
    header(`:floppy_disk: Recovery point ${clip(recoveryPointId(p.arn), 100)}`),
    fields(facts),
  ];
  const problems: string[] = [];
  if (p.status !== 'COMPLETED')
    problems.push(`it is ${clip(p.status, 40)}; only COMPLETED recovery points can be restored`);
  if (p.resourceType && p.resourceType !== 'DynamoDB') {
    problems.push(`it is a backup of a ${clip(p.resourceType, 40)} resource, not of a DynamoDB table`);
  }
  if (p.storageClass === 'COLD')
    problems.push('it is in cold storage; the bot restores only warm recovery points');
  if (!input.restoreRoleArn) {
    problems.push(`environment *${clip(environment, 64)}* has no \`awsBackupRoleArn\` in the bot's config`);
  }
  if (problems.length > 0) {
    blocks.push(
      section(`:warning: This recovery point cannot be restored from chat: ${problems.join('; ')}.`),
    );
  }
  const arns = [`*Recovery point ARN*\n${code(p.arn, MAX_ARN)}`];
  if (p.resourceArn) arns.push(`*Source table ARN*\n${code(p.resourceArn, MAX_ARN)}`);
  if (input.restoreRoleArn) arns.push(`*Restore role*\n${code(input.restoreRoleArn, MAX_ARN)}`);
  blocks.push(
    section(arns.join('\n')),
    context([
      `To restore it into a new table (the name must not exist yet): \`/restore ${clip(p.arn, MAX_ARN)} ${clip(input.suggestedTarget, MAX_NAME)} --env ${clip(environment, 64)}\``,
    ]),
  );
  return message(
    `Recovery point ${clip(recoveryPointId(p.arn), 100)} of ${clip(p.tableName, MAX_NAME)} in ${clip(environment, 64)}: ${clip(p.status, 40)}, vault ${clip(p.vaultName, 50)}, created ${formatUtc(p.createdAt)}, ${formatBytes(p.sizeBytes)}`,
    blocks,
  );
}
