import type { RestoreRequest } from '../../src/restore/types.ts';

/** A PENDING request as createRequest stores it, with fields overridable per test. */
export function pendingRequest(overrides: Partial<RestoreRequest> = {}): RestoreRequest {
  const createdAt = '2026-11-24T10:00:00.000Z';
  return {
    id: 'R-7K3QX9',
    version: 1,
    status: 'PENDING',
    environment: 'prod',
    accountId: '123456789012',
    roleArn: 'arn:aws:iam::123456789012:role/dynamodb-restore-bot',
    region: 'us-east-1',
    requesterId: 'U0REQUESTER',
    channelId: 'C0INCIDENTS',
    source: {
      kind: 'backup',
      backup: {
        arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/MusicCollection/backup/01489173575360-b308cd7d',
        name: 'MusicCollectionBackup',
        tableName: 'MusicCollection',
        createdAt: '2026-11-23T08:00:00.000Z',
        status: 'AVAILABLE',
        type: 'USER',
        sizeBytes: 1_048_576,
        itemCount: 1200,
      },
    },
    targetTable: 'MusicCollection-restored',
    overrides: {},
    reason: 'INC-42: bad deploy wiped rows',
    requiredApprovals: 1,
    approvals: [],
    createdAt,
    updatedAt: createdAt,
    expiresAt: '2026-11-24T10:30:00.000Z',
    events: [{ seq: 1, at: createdAt, actor: 'U0REQUESTER', action: 'requested', to: 'PENDING' }],
    notifiedSeq: 0,
    ...overrides,
  };
}
