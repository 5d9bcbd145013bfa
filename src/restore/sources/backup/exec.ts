import { dynamoDbRestoreTargetStatements } from '../../../aws/session-policy.ts';
import type { TargetAccount } from '../../../aws/types.ts';
import type { BackupInfo, BackupRef, BackupSource, RestoreOverrides } from '../../types.ts';
import type { Resolution, SourceExecModule } from '../types.ts';

const BACKUP_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/[^/]+\/backup\/.+$/;

/** Looks up a backup by ARN or by exact name in the environment's account. */
export async function resolveBackup(
  target: TargetAccount,
  envName: string,
  ref: string,
): Promise<{ backup: BackupInfo } | { refused: string } | { ambiguous: BackupInfo[] }> {
  const arn = BACKUP_ARN.exec(ref);
  if (arn) {
    const [, region, account] = arn;
    if (region !== target.region || account !== target.accountId) {
      return {
        refused: `That backup is in account ${account} (${region}), but environment *${envName}* is account ${target.accountId} (${target.region}). Pass --env for the right environment.`,
      };
    }
    return { backup: await target.describeBackup(ref) };
  }
  const matches = await target.findBackupsByName(ref);
  if (matches.length === 0) {
    return {
      refused: `No backup named "${ref}" in *${envName}* (account ${target.accountId}, ${target.region}). List them with /backups --env ${envName}.`,
    };
  }
  if (matches.length > 1) return { ambiguous: matches };
  return { backup: await target.describeBackup(matches[0]!.arn) };
}

function knownIndexes(backup: BackupInfo): string[] {
  return [...(backup.globalSecondaryIndexes ?? []), ...(backup.localSecondaryIndexes ?? [])];
}

/** Index names asked to be dropped that the backup does not have. */
function unknownIndexes(backup: BackupInfo, overrides: RestoreOverrides): string[] {
  if (!Array.isArray(overrides.dropIndexes)) return [];
  const known = new Set(knownIndexes(backup));
  return overrides.dropIndexes.filter((name) => !known.has(name));
}

/** A DynamoDB backup (USER or SYSTEM) of the environment's account: RestoreTableFromBackup. */
export const backupExec: SourceExecModule<BackupSource, BackupRef> = {
  kind: 'backup',
  startOperation: 'RestoreTableFromBackup',

  async resolve(target, ref, ctx): Promise<Resolution<BackupSource>> {
    const found = await resolveBackup(target, ctx.envName, ref.backup);
    if ('refused' in found) return found;
    if ('ambiguous' in found) return { ambiguous: found.ambiguous, name: ref.backup };
    const { backup } = found;
    if (backup.status !== 'AVAILABLE') {
      return {
        refused: `Backup ${backup.name} is ${backup.status}, not AVAILABLE, so it cannot be restored yet.`,
      };
    }
    const unknown = unknownIndexes(backup, ctx.overrides);
    if (unknown.length > 0) {
      return {
        refused: `--drop-indexes names ${unknown.join(', ')}, which backup ${backup.name} does not have. Its indexes: ${knownIndexes(backup).join(', ') || 'none'}.`,
      };
    }
    return { source: { kind: 'backup', backup } };
  },

  start(target, { source, targetTable, overrides }) {
    return target.restoreTableFromBackup({ backup: source.backup, targetTable, overrides });
  },

  restoredFrom(table, source) {
    return table.sourceBackupArn === source.backup.arn;
  },

  sessionStatements({ backup }) {
    // RestoreTableFromBackup is authorised on the backup and on the new table; the target-table
    // statement (restore action plus item writes) is common to every source kind.
    return [
      {
        Sid: 'RestoreFromThisBackup',
        Effect: 'Allow',
        Action: ['dynamodb:RestoreTableFromBackup', 'dynamodb:DescribeBackup'],
        Resource: [backup.arn],
      },
    ];
  },

  targetStatements(_source, targetTableArn, scope) {
    return dynamoDbRestoreTargetStatements('RestoreTableFromBackup', targetTableArn, scope);
  },

  settingsSource({ backup }) {
    return { tableName: backup.tableName, backupArn: backup.arn };
  },
};
