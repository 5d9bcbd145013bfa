/** Realistic data for the Block Kit builder tests. */
import type { BackupInfo, BackupSource, RestoreRequest } from '../../src/restore/types.ts';

export const NOW = new Date('2026-11-24T17:05:00Z');

export const BACKUP_ARN =
  'arn:aws:dynamodb:us-east-1:123456789012:table/Orders/backup/01763996700000-3f9c2a1b';

export function sampleBackup(overrides: Partial<BackupInfo> = {}): BackupInfo {
  return {
    arn: BACKUP_ARN,
    name: 'orders-nightly-2026-11-24',
    tableName: 'Orders',
    tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders',
    createdAt: '2026-11-24T14:05:00Z',
    status: 'AVAILABLE',
    type: 'USER',
    sizeBytes: 1_234_567,
    itemCount: 48_213,
    billingMode: 'PAY_PER_REQUEST',
    globalSecondaryIndexes: ['byCustomer', 'byStatus'],
    localSecondaryIndexes: [],
    ...overrides,
  };
}

/** A backup source around {@link sampleBackup}. */
export function backupSource(overrides: Partial<BackupInfo> = {}): BackupSource {
  return { kind: 'backup', backup: sampleBackup(overrides) };
}

/** A PENDING request filed 5 minutes before NOW, expiring 25 minutes after it. */
export function sampleRequest(overrides: Partial<RestoreRequest> = {}): RestoreRequest {
  return {
    id: 'R-7K3QX9',
    version: 1,
    status: 'PENDING',
    environment: 'prod',
    accountId: '123456789012',
    region: 'us-east-1',
    requesterId: 'U0REQUEST',
    channelId: 'C0INCIDENT',
    source: { kind: 'backup', backup: sampleBackup() },
    targetTable: 'Orders-restored',
    overrides: {},
    reason: 'INC-4711: bad deploy deleted orders since 13:40 UTC',
    requiredApprovals: 1,
    approvals: [],
    createdAt: '2026-11-24T17:00:00Z',
    expiresAt: '2026-11-24T17:30:00Z',
    updatedAt: '2026-11-24T17:00:00Z',
    events: [{ seq: 1, at: '2026-11-24T17:00:00Z', actor: 'U0REQUEST', action: 'requested', to: 'PENDING' }],
    notifiedSeq: 1,
    ...overrides,
  };
}

/** Every piece of text in a message or view, joined, for "does it say X" assertions. */
export function allText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out.join('\n');
}

/** A string of exactly `n` characters, for limit tests. */
export function long(n: number, unit = 'x'): string {
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}
