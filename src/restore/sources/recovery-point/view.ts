import { formatBytes, formatWhen } from '../../../blocks/format.ts';
import { code, MAX_ARN } from '../../../blocks/kit.ts';
import { truncate } from '../../../blocks/limits.ts';
import { recoveryPointId } from '../../../blocks/recovery-points.ts';
import type { RecoveryPointRef, RecoveryPointSource } from '../../types.ts';
import type { SourceViewModule } from '../types.ts';

/** How an AWS Backup recovery point reads in Slack and in the audit line. */
export const recoveryPointView: SourceViewModule<RecoveryPointSource, RecoveryPointRef> = {
  kind: 'recovery-point',

  describeRef: (ref) => `AWS Backup recovery point ${ref.recoveryPointArn}`,

  label: ({ recoveryPoint: p }) => `recovery point ${recoveryPointId(p.arn)}`,

  view({ recoveryPoint: p, restoreRoleArn }, now) {
    const id = recoveryPointId(p.arn);
    return {
      tableName: p.tableName,
      phrase: `from AWS Backup recovery point ${code(id, 100)} in vault ${code(p.vaultName, 50)}, created ${formatWhen(p.createdAt, now)},`,
      details: `*Recovery point* ${formatBytes(p.sizeBytes)} · ${code(p.arn, MAX_ARN)} · *Restore role* ${code(restoreRoleArn, MAX_ARN)}`,
      confirm: (max) =>
        `AWS Backup recovery point ${truncate(id, max)} (vault ${truncate(p.vaultName, max)}) of table ${truncate(p.tableName, max)}`,
      restoredFrom: () =>
        `recovery point ${code(id, 100)} (vault ${code(p.vaultName, 50)}) of ${code(p.tableName)}`,
      startedText: `AWS Backup is restoring the recovery point (${formatBytes(p.sizeBytes)}) as ${code(restoreRoleArn, MAX_ARN)}`,
      ...(p.sizeBytes !== undefined ? { expected: { what: 'recovery point', sizeBytes: p.sizeBytes } } : {}),
    };
  },

  auditFields({ recoveryPoint: p, restoreRoleArn }) {
    return { recoveryPointArn: p.arn, backupVault: p.vaultName, restoreRoleArn };
  },
};
