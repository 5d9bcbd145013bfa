import { readFileSync } from 'node:fs';
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
  tableArn,
} from '../../src/aws/session-policy.ts';
import { sourceSessionStatements, sourceTargetStatements } from '../../src/restore/sources/index.ts';
import type { PitrSource, RecoveryPointSource, RestoreSource } from '../../src/restore/types.ts';
import { pendingRequest } from '../helpers/requests.ts';

const scope: SessionScope = { partition: 'aws', accountId: '123456789012', region: 'us-east-1' };
const TABLE_PREFIX = 'arn:aws:dynamodb:us-east-1:123456789012:table/';
const backup = (pendingRequest().source as { backup: { arn: string } }).backup;

/** The restore session's job for `source`, as the executor builds it. */
function restoreJobFor(source: RestoreSource, targetTable: string): SessionJob {
  return {
    kind: 'restore',
    targetTable,
    sourceStatements: sourceSessionStatements(source, scope),
    targetStatements: sourceTargetStatements(source, tableArn(scope, targetTable), scope),
  };
}

function restoreJob(targetTable: string): SessionJob {
  return restoreJobFor({ kind: 'backup', backup: { ...backup } } as never, targetTable);
}

const BACKUP_ROLE = 'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole';
const recoveryPoint: RecoveryPointSource = {
  kind: 'recovery-point',
  recoveryPoint: {
    arn: 'arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45',
    vaultName: 'prod-daily',
    resourceType: 'DynamoDB',
    tableName: 'Orders',
    createdAt: '2026-11-23T08:00:00.000Z',
    status: 'COMPLETED',
    storageClass: 'WARM',
  },
  restoreRoleArn: BACKUP_ROLE,
};
const pitr: PitrSource = {
  kind: 'pitr',
  tableName: 'Orders',
  tableArn: `${TABLE_PREFIX}Orders`,
  region: 'us-east-1',
  point: { kind: 'latest' },
  window: { earliest: '2026-11-20T00:00:00.000Z', latest: '2026-11-24T10:00:00.000Z' },
  checkedAt: '2026-11-24T10:05:00.000Z',
} as PitrSource;

/**
 * Every action the target-account role template grants (deploy/target-account-role.yml): the
 * items of its permission policies' `Action` lists, comments left out.
 */
function roleTemplateActions(): Set<string> {
  const text = readFileSync(new URL('../../deploy/target-account-role.yml', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.replace(/\s#.*$/, ''))
    .join('\n');
  const actions = new Set<string>();
  for (const m of text.matchAll(/Action:\s*([\w-]+:[\w*]+)|Action:\s*\n((?:\s*- [\w-]+:[\w*]+\s*\n)+)/g)) {
    if (m[1]) actions.add(m[1]);
    for (const item of m[2]?.matchAll(/- ([\w-]+:[\w*]+)/g) ?? []) actions.add(item[1] as string);
  }
  return actions;
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
    const job = restoreJobFor(source as never, 'R'.repeat(255));

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

  it('regression 13.1: a recovery-point restore session starts the job and passes the role, with no item action, no KMS and no DynamoDB start action', () => {
    const statements = sessionPolicy(restoreJobFor(recoveryPoint, 'Orders-restored'), scope).Statement;
    const actions = statements.flatMap((s) => s.Action);

    expect(actions.filter(isItemAction)).toEqual([]);
    expect(actions.filter((a) => a.startsWith('kms:'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('dynamodb:') && a !== 'dynamodb:DescribeTable')).toEqual([]);
    expect(statements.filter((s) => s.Action.includes('dynamodb:DescribeTable'))).toEqual([
      expect.objectContaining({ Resource: [`${TABLE_PREFIX}Orders-restored`] }),
    ]);
    expect(actions).toEqual(expect.arrayContaining(['backup:StartRestoreJob', 'iam:PassRole']));
  });

  it('regression 13.1: keeps the start, item and KMS actions of DynamoDB restores on the target table', () => {
    for (const [source, start] of [
      [{ kind: 'backup', backup: { ...backup } } as never, 'dynamodb:RestoreTableFromBackup'],
      [pitr, 'dynamodb:RestoreTableToPointInTime'],
    ] as [RestoreSource, string][]) {
      const statements = sessionPolicy(restoreJobFor(source, 'Orders-restored'), scope).Statement;
      const onTarget = statements.filter((s) => s.Resource.includes(`${TABLE_PREFIX}Orders-restored`));

      expect(onTarget.flatMap((s) => s.Action).sort(), source.kind).toEqual(
        [start, 'dynamodb:DescribeTable', ...RESTORE_ITEM_ACTIONS].sort(),
      );
      expect(
        statements.some((s) => s.Action.includes('kms:Decrypt')),
        source.kind,
      ).toBe(true);
    }
  });

  it('regression 13.1: every action of every session policy is one the target-account role grants, and none is dynamodb:StartRestoreJob', () => {
    const granted = roleTemplateActions();
    const jobs: SessionJob[] = [
      { kind: 'list' },
      { kind: 'list', tableName: 'Orders' },
      { kind: 'lookup' },
      { kind: 'preflight', targetTable: 'Orders-restored' },
      { kind: 'preflight', targetTable: 'Orders-restored', sourceTableArn: `${TABLE_PREFIX}Orders` },
      { kind: 'watch', targetTable: 'Orders-restored' },
      restoreJob('Orders-restored'),
      restoreJobFor(pitr, 'Orders-restored'),
      restoreJobFor(recoveryPoint, 'Orders-restored'),
    ];

    expect(granted).toContain('backup:StartRestoreJob');
    expect(granted).toContain('dynamodb:PutItem');
    for (const job of jobs) {
      const actions = sessionPolicy(job, scope).Statement.flatMap((s) => s.Action);
      expect(actions, job.kind).not.toContain('dynamodb:StartRestoreJob');
      expect(
        actions.filter((a) => !granted.has(a)),
        job.kind,
      ).toEqual([]);
    }
  });
});
