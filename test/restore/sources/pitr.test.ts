import { describe, expect, it } from 'vitest';
import { auditTransition } from '../../../src/audit.ts';
import { requestMessage } from '../../../src/blocks/request.ts';
import {
  restoredFrom,
  sourceLabel,
  sourceSessionStatements,
  viewSource,
} from '../../../src/restore/sources/index.ts';
import type { PitrSource } from '../../../src/restore/types.ts';
import { assertWithinSlackLimits } from '../../blocks/limits.ts';
import { pendingRequest } from '../../helpers/requests.ts';

const ARN = 'arn:aws:dynamodb:us-west-2:123456789012:table/Orders';
const source: PitrSource = {
  kind: 'pitr',
  tableName: 'Orders',
  tableArn: ARN,
  region: 'us-west-2',
  point: { kind: 'time', at: '2026-12-02T09:55:00.000Z' },
  window: { earliest: '2026-11-01T00:00:00.000Z', latest: '2026-12-02T10:04:00.000Z' },
  checkedAt: '2026-12-02T10:09:00.000Z',
};
const NOW = new Date('2026-12-02T10:10:00Z');
const table = (extra: Record<string, string | undefined>) => ({
  name: 'Orders-0955',
  status: 'CREATING',
  ...extra,
});

describe('pitr source', () => {
  it('recognises a table restored from this table at this point, and nothing else', () => {
    const ours = table({ sourceTableArn: ARN, restoreDateTime: '2026-12-02T09:55:00.000Z' });
    expect(restoredFrom(ours, source)).toBe(true);
    expect(restoredFrom({ ...ours, restoreDateTime: '2026-12-02T09:56:00.000Z' }, source)).toBe(false);
    expect(restoredFrom({ ...ours, sourceTableArn: `${ARN}2` }, source)).toBe(false);
    // A restore from a backup of the same table names the table too, but also its backup.
    expect(restoredFrom({ ...ours, sourceBackupArn: `${ARN}/backup/01489173575360-b308cd7d` }, source)).toBe(
      false,
    );
    expect(
      restoredFrom(table({ sourceTableArn: ARN, restoreDateTime: '2026-12-01T00:00:00Z' }), {
        ...source,
        point: { kind: 'latest' },
      }),
    ).toBe(true);
  });

  it('states the restore point exactly, in UTC and relative to the request, with the window', () => {
    const view = viewSource(source, NOW);
    expect(sourceLabel(source)).toBe('Orders at 2026-12-02 09:55:00 UTC');
    expect(view.phrase).toBe(
      'as it was at *2026-12-02 09:55:00 UTC, 14 minutes before this request* (source region `us-west-2`)',
    );
    expect(view.details).toContain(
      'Recovery window when requested: 2026-11-01 00:00:00 UTC to 2026-12-02 10:04:00 UTC',
    );
    // The restore point is the sentence's; the details line does not repeat it.
    expect(view.details).not.toContain('09:55:00');
    expect(view.confirm(255)).toBe(
      'table Orders (us-west-2) as it was at 2026-12-02 09:55:00 UTC (14 minutes before the request)',
    );
    expect(view.restoredFrom('2026-12-02T09:55:00Z')).toBe(
      '`Orders` (`us-west-2`) as it was at *2026-12-02 09:55:00 UTC*, the restore point DynamoDB used',
    );
  });

  it('says the latest restorable time is resolved when the restore starts', () => {
    const latest = viewSource({ ...source, point: { kind: 'latest' } }, NOW);
    expect(latest.phrase).toContain('the latest restorable time, resolved when the restore starts');
    expect(latest.confirm(255)).toContain('as it was at its latest restorable time');
  });

  it('lets the restore session restore from and read this source table only', () => {
    expect(
      sourceSessionStatements(source, { partition: 'aws', accountId: '123456789012', region: 'us-east-1' }),
    ).toEqual([
      {
        Sid: 'RestoreFromThisTable',
        Effect: 'Allow',
        Action: [
          'dynamodb:RestoreTableToPointInTime',
          'dynamodb:DescribeContinuousBackups',
          'dynamodb:DescribeTable',
        ],
        Resource: [ARN],
      },
    ]);
  });

  it('names the source table and the restore point in the audit line', () => {
    const lines: string[] = [];
    auditTransition((l) => lines.push(l), undefined, pendingRequest({ source }), 'U0REQUESTER', 'request');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      source: 'pitr',
      sourceTableArn: ARN,
      restoreDateTime: '2026-12-02T09:55:00.000Z',
    });
  });

  it('keeps the approval message within Slack limits for 255-character names', () => {
    const long = 'T'.repeat(255);
    const req = pendingRequest({
      source: {
        ...source,
        tableName: long,
        tableArn: `arn:aws:dynamodb:us-west-2:123456789012:table/${long}`,
      },
      targetTable: 'X'.repeat(255),
      createdAt: '2026-12-02T10:09:00.000Z',
      expiresAt: '2026-12-02T10:39:00.000Z',
    });
    const message = requestMessage(req, NOW);
    assertWithinSlackLimits(message);
    expect(JSON.stringify(message.blocks)).toContain('2026-12-02 09:55:00 UTC');
  });
});
