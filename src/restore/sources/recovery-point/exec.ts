import { AwsOperationError } from '../../../aws/errors.ts';
import type { TargetAccount } from '../../../aws/types.ts';
import { formatUtc } from '../../../blocks/format.ts';
import type { EnvironmentConfig } from '../../../config.ts';
import type { RecoveryPointInfo, RecoveryPointSource, RestoreOverrides } from '../../types.ts';
import type { Resolution, SourceExecModule } from '../types.ts';

const RECOVERY_POINT = /^arn:aws[a-z-]*:backup:([a-z0-9-]+):(\d{12}):recovery-point:.+$/;

/**
 * Finds a recovery point by ARN in the environment's account and region. A recovery point of
 * another account or region (a cross-account copy, a wrong --env) is refused before any call.
 */
export async function resolveRecoveryPoint(
  target: TargetAccount,
  envName: string,
  arn: string,
): Promise<{ recoveryPoint: RecoveryPointInfo } | { refused: string }> {
  const match = RECOVERY_POINT.exec(arn);
  if (!match) return { refused: `${arn} is not an AWS Backup recovery point ARN.` };
  const [, region, account] = match;
  if (region !== target.region || account !== target.accountId) {
    return {
      refused: `That recovery point is in account ${account} (${region}), but environment *${envName}* is account ${target.accountId} (${target.region}). Pass --env for the right environment; a copy in another account is restored from that account.`,
    };
  }
  try {
    return { recoveryPoint: await target.recoveryPoints.describe(arn) };
  } catch (err) {
    if (err instanceof AwsOperationError && err.code === 'RecoveryPointNotFound')
      return { refused: err.userMessage };
    throw err;
  }
}

/** Overrides AWS Backup cannot apply to a DynamoDB restore job (its metadata has no such keys). */
const UNSUPPORTED_OVERRIDES: [keyof RestoreOverrides, string][] = [
  ['billingMode', '--billing-mode-override'],
  ['provisionedThroughput', '--provisioned-throughput-override'],
  ['dropIndexes', '--drop-indexes'],
];

/**
 * Why a recovery point cannot be restored from chat, or undefined when it can: it must be a
 * COMPLETED backup of a DynamoDB table in warm storage, the environment must name the role AWS
 * Backup restores with, and only the overrides AWS Backup supports may be asked for.
 */
function recoveryPointRefusal(
  point: RecoveryPointInfo,
  envName: string,
  env: EnvironmentConfig,
  overrides: RestoreOverrides,
): string | undefined {
  const name = `Recovery point ${point.arn}`;
  if (point.resourceType && point.resourceType !== 'DynamoDB') {
    return `${name} is a backup of a ${point.resourceType} resource, not of a DynamoDB table; this bot restores DynamoDB tables only.`;
  }
  if (point.status !== 'COMPLETED') {
    const why = point.statusMessage ? ` (AWS Backup says: ${point.statusMessage})` : '';
    return `${name} is ${point.status}, not COMPLETED${why}, so it cannot be restored. Pick a COMPLETED one from /backups ${point.tableName} --type AWS_BACKUP --env ${envName}.`;
  }
  if (point.storageClass === 'COLD') {
    const since = point.moveToColdStorageAt ? ` since ${formatUtc(point.moveToColdStorageAt)}` : '';
    return (
      `${name} is in cold storage${since}. The bot restores warm recovery points only, which AWS usually restores ` +
      'in under an hour; a restore from cold storage takes considerably longer. Restore this one from the AWS Backup ' +
      `console, or pick a warm one from /backups ${point.tableName} --type AWS_BACKUP --env ${envName}.`
    );
  }
  if (point.storageClass === 'DELETED')
    return `${name} has been deleted by its lifecycle; it cannot be restored.`;
  if (!env.awsBackupRoleArn) {
    return (
      `Environment *${envName}* has no awsBackupRoleArn, the IAM role AWS Backup assumes to create the restored table. ` +
      `Add \`awsBackupRoleArn: arn:aws:iam::${env.accountId}:role/service-role/AWSBackupDefaultServiceRole\` (or your own ` +
      `restore role) under environments.${envName} in the bot's config, deploy deploy/target-account-role.yml with ` +
      'the same role as AwsBackupRoleArn (it lets the bot pass that role to AWS Backup), and redeploy the bot.'
    );
  }
  const unsupported = UNSUPPORTED_OVERRIDES.filter(([key]) => overrides[key] !== undefined).map(
    ([, flag]) => flag,
  );
  if (unsupported.length > 0) {
    return (
      `AWS Backup restores a recovery point with the table's own billing mode, capacity and indexes, so ` +
      `${unsupported.join(' and ')} cannot be applied. Ask again without ${unsupported.length === 1 ? 'it' : 'them'} ` +
      'and change the table once it is ACTIVE; --sse-specification-override is supported.'
    );
  }
  return undefined;
}

/** The restore metadata that carries the overrides AWS Backup supports (encryption). */
export function restoreMetadataOverrides(overrides: RestoreOverrides): Record<string, string> {
  const sse = overrides.sse;
  if (!sse) return {};
  if (!sse.enabled || sse.sseType === 'AES256') return { encryptionType: 'Default' };
  return {
    encryptionType: 'KMS',
    ...(sse.kmsMasterKeyId ? { kmsMasterKeyArn: sse.kmsMasterKeyId } : {}),
  };
}

/**
 * The idempotency token of a request's StartRestoreJob: the same on every attempt, so a start
 * retried after a crash or a lost answer gets the job already started instead of a second one.
 */
export function restoreJobToken(requestId: string): string {
  return `dynamodb-restore-bot-${requestId}`;
}

/** An AWS Backup recovery point of the environment's account: StartRestoreJob, then the table. */
export const recoveryPointExec: SourceExecModule<
  RecoveryPointSource,
  { kind: 'recovery-point'; recoveryPointArn: string }
> = {
  kind: 'recovery-point',
  startOperation: 'StartRestoreJob',

  async resolve(target, ref, ctx): Promise<Resolution<RecoveryPointSource>> {
    const found = await resolveRecoveryPoint(target, ctx.envName, ref.recoveryPointArn);
    if ('refused' in found) return found;
    const refusal = recoveryPointRefusal(found.recoveryPoint, ctx.envName, ctx.env, ctx.overrides);
    if (refusal) return { refused: refusal };
    return {
      source: {
        kind: 'recovery-point',
        recoveryPoint: found.recoveryPoint,
        // recoveryPointRefusal checked that it is there.
        restoreRoleArn: ctx.env.awsBackupRoleArn ?? '',
      },
    };
  },

  async start(target, { requestId, source, targetTable, overrides }) {
    const restoreJobId = await target.recoveryPoints.startRestoreJob({
      recoveryPoint: source.recoveryPoint,
      iamRoleArn: source.restoreRoleArn,
      targetTable,
      metadata: restoreMetadataOverrides(overrides),
      idempotencyToken: restoreJobToken(requestId),
    });
    return { restoreJobId, status: 'PENDING' };
  },

  describeJob(target, restoreJobId) {
    return target.recoveryPoints.describeRestoreJob(restoreJobId);
  },

  restoredFrom(table, source) {
    return table.sourceBackupArn === source.recoveryPoint.arn;
  },

  sessionStatements({ recoveryPoint: p, restoreRoleArn }) {
    return [
      {
        Sid: 'RestoreThisRecoveryPoint',
        Effect: 'Allow',
        Action: [
          'backup:StartRestoreJob',
          'backup:GetRecoveryPointRestoreMetadata',
          'backup:DescribeRecoveryPoint',
        ],
        Resource: [p.arn],
      },
      {
        // DescribeRestoreJob has no resource type in IAM: it cannot be narrowed to one job.
        Sid: 'FollowRestoreJob',
        Effect: 'Allow',
        Action: ['backup:DescribeRestoreJob'],
        Resource: ['*'],
      },
      {
        Sid: 'PassTheRestoreRole',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [restoreRoleArn],
        Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
      },
    ];
  },

  targetStatements(_source, targetTableArn) {
    // AWS Backup's restore role (passed above) creates and fills the table: the session only looks
    // at it (the executor checks it does not exist yet, and adopts the table a retried job made).
    // No item action, no KMS, no DynamoDB start action.
    return [
      {
        Sid: 'ReadTheNewTable',
        Effect: 'Allow',
        Action: ['dynamodb:DescribeTable'],
        Resource: [targetTableArn],
      },
    ];
  },

  settingsSource({ recoveryPoint: p }) {
    // A recovery point kept as a DynamoDB backup (no advanced features) still answers DescribeBackup.
    return /^arn:[\w-]+:dynamodb:/.test(p.arn)
      ? { tableName: p.tableName, backupArn: p.arn }
      : { tableName: p.tableName };
  },
};
