import { formatBytes, formatCount, formatWhen } from '../../../blocks/format.ts';
import { code, MAX_ARN } from '../../../blocks/kit.ts';
import { truncate } from '../../../blocks/limits.ts';
import type { BackupRef, BackupSource } from '../../types.ts';
import type { SourceViewModule } from '../types.ts';

/** How a DynamoDB backup reads in Slack and in the audit line. */
export const backupView: SourceViewModule<BackupSource, BackupRef> = {
  kind: 'backup',

  describeRef: (ref) => `backup ${ref.backup}`,

  label: ({ backup }) => backup.name,

  view({ backup: b }, now) {
    const facts = [formatBytes(b.sizeBytes)];
    if (b.itemCount !== undefined) facts.push(`${formatCount(b.itemCount)} items`);
    return {
      tableName: b.tableName,
      phrase: `from backup ${code(b.name)}, created ${formatWhen(b.createdAt, now)},`,
      details: `*Backup* ${facts.join(' · ')} · ${code(b.arn, MAX_ARN)}`,
      confirm: (max) => `backup "${truncate(b.name, max)}" of table ${truncate(b.tableName, max)}`,
      restoredFrom: () => `${code(b.name)} of ${code(b.tableName)}`,
      startedText: `AWS is creating the table from the backup (${formatBytes(b.sizeBytes)})`,
      expected: {
        what: 'backup',
        ...(b.itemCount !== undefined ? { itemCount: b.itemCount } : {}),
        ...(b.sizeBytes !== undefined ? { sizeBytes: b.sizeBytes } : {}),
      },
    };
  },

  auditFields({ backup }) {
    return { backupArn: backup.arn };
  },
};
