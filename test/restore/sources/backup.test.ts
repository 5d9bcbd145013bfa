import { describe, expect, it } from 'vitest';
import { auditTransition } from '../../../src/audit.ts';
import {
  restoredFrom,
  sourceLabel,
  sourceSessionStatements,
  viewSource,
} from '../../../src/restore/sources/index.ts';
import { pendingRequest } from '../../helpers/requests.ts';

const req = pendingRequest();
const source = req.source;
const backup = source.kind === 'backup' ? source.backup : undefined;
const NOW = new Date('2026-11-24T10:05:00.000Z');

describe('backup source', () => {
  it('recognises a table restored from the same backup ARN, and only that', () => {
    const table = { name: 'T', status: 'CREATING', sourceBackupArn: backup?.arn };
    expect(restoredFrom(table, source)).toBe(true);
    expect(restoredFrom({ ...table, sourceBackupArn: `${backup?.arn}x` }, source)).toBe(false);
    expect(restoredFrom({ name: 'T', status: 'ACTIVE' }, source)).toBe(false);
  });

  it('reads as the backup in Slack: name, table, created, size and items', () => {
    const view = viewSource(source, NOW);
    expect(sourceLabel(source)).toBe('MusicCollectionBackup');
    expect(view.tableName).toBe('MusicCollection');
    // The backup's creation is the restore point: the request sentence says it, the details do not.
    expect(view.phrase).toBe('from backup `MusicCollectionBackup`, created 2026-11-23 08:00 UTC (1d ago),');
    expect(view.details).not.toContain('2026-11-23');
    expect(view.details).not.toContain('`MusicCollectionBackup`');
    expect(view.details).toContain('1,200 items');
    expect(view.details).toContain(`\`${backup?.arn}\``);
    expect(view.confirm(20)).toBe('backup "MusicCollectionBack…" of table MusicCollection');
    expect(view.expected).toEqual({ what: 'backup', itemCount: 1200, sizeBytes: 1_048_576 });
  });

  it('lets the restore session restore from and describe this backup only', () => {
    const statements = sourceSessionStatements(source, {
      partition: 'aws',
      accountId: '123456789012',
      region: 'us-east-1',
    });
    expect(statements).toEqual([
      {
        Sid: 'RestoreFromThisBackup',
        Effect: 'Allow',
        Action: ['dynamodb:RestoreTableFromBackup', 'dynamodb:DescribeBackup'],
        Resource: [backup?.arn],
      },
    ]);
  });

  it('names the backup in the audit line', () => {
    const lines: string[] = [];
    auditTransition((line) => lines.push(line), undefined, req, 'U0REQUESTER', 'request');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ source: 'backup', backupArn: backup?.arn });
  });
});
