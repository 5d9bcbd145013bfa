import { describe, expect, it } from 'vitest';
import {
  MAX_SESSION_POLICY_CHARS,
  type PolicyStatement,
  RESTORE_ITEM_ACTIONS,
  type SessionJob,
  type SessionScope,
  sessionPolicy,
  sessionPolicyJson,
  sessionScopeOf,
} from '../../src/aws/session-policy.ts';
import { sourceSessionStatements } from '../../src/restore/sources/index.ts';
import { pendingRequest } from '../helpers/requests.ts';

const scope: SessionScope = { partition: 'aws', accountId: '123456789012', region: 'us-east-1' };
const TABLE_PREFIX = 'arn:aws:dynamodb:us-east-1:123456789012:table/';
const backup = (pendingRequest().source as { backup: { arn: string } }).backup;

function restoreJob(targetTable: string): SessionJob {
  const source = { kind: 'backup' as const, backup: { ...backup } };
  return {
    kind: 'restore',
    targetTable,
    startOperation: 'RestoreTableFromBackup',
    sourceStatements: sourceSessionStatements(source as never, scope),
  };
}

/** Every DynamoDB resource of a policy, as the table (or table/backup) it names. */
function tablesNamed(statements: PolicyStatement[]): string[] {
  return statements
    .flatMap((s) => s.Resource)
    .filter((r) => r.startsWith(TABLE_PREFIX))
    .map((r) => r.slice(TABLE_PREFIX.length));
}

const isItemAction = (a: string) => (RESTORE_ITEM_ACTIONS as readonly string[]).includes(a);

describe('session policies (regression 8.1: every session is scoped to its job)', () => {
  const reads: SessionJob[] = [
    { kind: 'list' },
    { kind: 'list', tableName: 'Orders' },
    { kind: 'lookup' },
    { kind: 'preflight', targetTable: 'Orders-restored' },
    { kind: 'watch', targetTable: 'Orders-restored' },
  ];

  it('gives lookups, pre-flight and watching metadata reads only, never an item action', () => {
    for (const job of reads) {
      const actions = sessionPolicy(job, scope).Statement.flatMap((s) => s.Action);

      expect(actions.filter(isItemAction), job.kind).toEqual([]);
      const reads =
        /^(dynamodb:(ListBackups|DescribeBackup|DescribeTable|DescribeContinuousBackups)|backup:(Describe|List|GetRecoveryPointRestoreMetadata)\w*)$/;
      expect(
        actions.filter((a) => !reads.test(a)),
        job.kind,
      ).toEqual([]);
      expect(actions).not.toContain('backup:StartRestoreJob');
    }
  });

  it('names only the tables each read job touches', () => {
    const named = (job: SessionJob) => tablesNamed(sessionPolicy(job, scope).Statement);

    expect(named({ kind: 'list', tableName: 'Orders' })).toEqual(['Orders/backup/*', 'Orders']);
    expect(named({ kind: 'list' })).toEqual(['*/backup/*']);
    expect(named({ kind: 'lookup' })).toEqual(['*/backup/*']);
    expect(named({ kind: 'preflight', targetTable: 'Orders-restored' })).toEqual([
      '*/backup/*',
      'Orders-restored',
    ]);
    expect(named({ kind: 'watch', targetTable: 'Orders-restored' })).toEqual(['Orders-restored']);
    expect(
      named({ kind: 'preflight', targetTable: 'Orders-restored', sourceTableArn: `${TABLE_PREFIX}Orders` }),
    ).toEqual(['*/backup/*', 'Orders-restored', 'Orders']);
  });

  it('gives the restore session the start action on the approved backup and item actions on the target only', () => {
    const statements = sessionPolicy(restoreJob('MusicCollection-restored'), scope).Statement;
    const onTarget = statements.filter((s) => s.Resource.includes(`${TABLE_PREFIX}MusicCollection-restored`));
    const onBackup = statements.filter((s) => s.Resource.includes(backup.arn));

    expect(tablesNamed(statements).sort()).toEqual(
      [backup.arn.slice(TABLE_PREFIX.length), 'MusicCollection-restored'].sort(),
    );
    expect(onBackup.flatMap((s) => s.Action).sort()).toEqual([
      'dynamodb:DescribeBackup',
      'dynamodb:RestoreTableFromBackup',
    ]);
    expect(onTarget.flatMap((s) => s.Action).sort()).toEqual(
      ['dynamodb:DescribeTable', 'dynamodb:RestoreTableFromBackup', ...RESTORE_ITEM_ACTIONS].sort(),
    );
    for (const s of statements.filter((st) => st.Action.some(isItemAction))) {
      expect(s.Resource).toEqual([`${TABLE_PREFIX}MusicCollection-restored`]);
    }
  });

  it('keeps the KMS actions a restore of a CMK-encrypted backup needs, only through DynamoDB in the region', () => {
    const kms = sessionPolicy(restoreJob('T-restored'), scope).Statement.find((s) =>
      s.Action[0]?.startsWith('kms:'),
    );

    expect(kms?.Action.sort()).toEqual(
      [
        'kms:CreateGrant',
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKey*',
        'kms:ReEncrypt*',
      ].sort(),
    );
    expect(kms?.Resource).toEqual(['arn:aws:kms:us-east-1:*:key/*']);
    expect(kms?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' },
    });
  });

  it("fits STS's 2048-character limit with the longest table names", () => {
    const long = 'T'.repeat(255);
    const source = {
      kind: 'backup' as const,
      backup: { ...backup, arn: `${TABLE_PREFIX}${long}/backup/01700000000000-abcdefgh` },
    };
    const job: SessionJob = {
      kind: 'restore',
      targetTable: 'R'.repeat(255),
      startOperation: 'RestoreTableFromBackup',
      sourceStatements: sourceSessionStatements(source as never, scope),
    };

    expect(sessionPolicyJson(job, scope).length).toBeLessThanOrEqual(MAX_SESSION_POLICY_CHARS);
  });

  it('takes the partition from the role ARN', () => {
    expect(
      sessionScopeOf({
        accountId: '123456789012',
        region: 'cn-north-1',
        roleArn: 'arn:aws-cn:iam::123456789012:role/x',
      }),
    ).toEqual({ partition: 'aws-cn', accountId: '123456789012', region: 'cn-north-1' });
  });
});
