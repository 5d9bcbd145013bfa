import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsOperationError } from '../../src/aws/errors.ts';
import type { TargetAccount } from '../../src/aws/types.ts';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { uniqueTableName } from '../helpers/clock.ts';
import { targetOnFake, useFakeAws } from '../helpers/restore.ts';

const T0 = new Date('2026-11-20T03:00:00Z');
const DAY = 24 * 3600_000;
const RESTORE_ROLE = 'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole';

let fake: FakeAws;
let target: TargetAccount;

beforeAll(async () => {
  fake = await startFakeAws({ now: () => T0 });
  useFakeAws(fake);
  target = await targetOnFake(() => T0, 'U0APPROVER', 'R-BACKUP');
});

afterAll(async () => {
  await fake.close();
});

async function failure(promise: Promise<unknown>): Promise<AwsOperationError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AwsOperationError);
  return err as AwsOperationError;
}

describe('RecoveryPoints.listForTable (ListRecoveryPointsByResource)', () => {
  it('lists every page of a table’s recovery points, newest first, with vault, status and size', async () => {
    const table = uniqueTableName('rp', 'list');
    const oldest = fake.backup.addRecoveryPoint({
      tableName: table,
      createdAt: new Date(T0.getTime() - 3 * DAY),
    });
    const newest = fake.backup.addRecoveryPoint({
      tableName: table,
      createdAt: new Date(T0.getTime() - DAY),
      vaultName: 'prod-vault',
      sizeBytes: 9000,
    });
    const middle = fake.backup.addRecoveryPoint({
      tableName: table,
      createdAt: new Date(T0.getTime() - 2 * DAY),
      status: 'PARTIAL',
      statusMessage: 'Backup job expired before completion',
    });
    fake.backup.addRecoveryPoint({ tableName: 'someone-else', createdAt: T0 });

    const points = await target.recoveryPoints.listForTable(fake.tableArn(table), table);

    expect(points.map((p) => p.arn)).toEqual([newest.arn, middle.arn, oldest.arn]);
    expect(points[0]).toMatchObject({
      vaultName: 'prod-vault',
      tableName: table,
      status: 'COMPLETED',
      sizeBytes: 9000,
      createdAt: newest.createdAt.toISOString(),
    });
    expect(points[1]).toMatchObject({
      status: 'PARTIAL',
      statusMessage: 'Backup job expired before completion',
    });
    const pages = fake
      .callsOf('ListRecoveryPointsByResource')
      .filter((c) => c.params.ResourceArn === fake.tableArn(table));
    expect(pages.length).toBe(2);
    // Signed with the role session, not the bot's own keys.
    expect(pages[0]?.roleArn).toBe('arn:aws:iam::123456789012:role/dynamodb-restore-bot');
  });

  it('maps AccessDenied to a sentence that names the backup: action', async () => {
    fake.failNext('ListRecoveryPointsByResource', 'AccessDeniedException', { status: 403 });
    const err = await failure(target.recoveryPoints.listForTable(fake.tableArn('orders'), 'orders'));
    expect(err.code).toBe('AccessDeniedException');
    expect(err.userMessage).toContain('lacks permission for backup:ListRecoveryPointsByResource');
  });
});

describe('RecoveryPoints.describe (DescribeRecoveryPoint)', () => {
  it('finds the vault itself and reads the lifecycle and storage class', async () => {
    const table = uniqueTableName('rp', 'describe');
    fake.backup.addRecoveryPoint({ tableName: table, createdAt: T0, vaultName: 'a-vault' });
    const point = fake.backup.addRecoveryPoint({
      tableName: table,
      createdAt: new Date(T0.getTime() - DAY),
      vaultName: 'z-vault',
      moveToColdStorageAfterDays: 30,
      deleteAfterDays: 120,
    });

    const info = await target.recoveryPoints.describe(point.arn);

    expect(info).toMatchObject({
      arn: point.arn,
      vaultName: 'z-vault',
      resourceType: 'DynamoDB',
      resourceArn: fake.tableArn(table),
      tableName: table,
      status: 'COMPLETED',
      storageClass: 'WARM',
      moveToColdStorageAt: new Date(point.createdAt.getTime() + 30 * DAY).toISOString(),
      deleteAt: new Date(point.createdAt.getTime() + 120 * DAY).toISOString(),
    });
  });

  it('asks only the given vault when the caller knows it', async () => {
    const point = fake.backup.addRecoveryPoint({ tableName: 'orders', createdAt: T0, vaultName: 'known' });
    const before = fake.callsOf('ListBackupVaults').length;
    const info = await target.recoveryPoints.describe(point.arn, 'known');
    expect(info.vaultName).toBe('known');
    expect(fake.callsOf('ListBackupVaults').length).toBe(before);
  });

  it('says plainly when no vault holds the recovery point', async () => {
    const arn = 'arn:aws:backup:us-east-1:123456789012:recovery-point:00000000-0000-0000-0000-000000000000';
    const err = await failure(target.recoveryPoints.describe(arn));
    expect(err.code).toBe('RecoveryPointNotFound');
    expect(err.userMessage).toContain(
      `No backup vault of account 123456789012 (us-east-1) holds recovery point ${arn}`,
    );
  });

  it('maps an AWS Backup outage to a retryable error', async () => {
    const point = fake.backup.addRecoveryPoint({ tableName: 'orders', createdAt: T0 });
    fake.failNext('DescribeRecoveryPoint', 'ServiceUnavailableException', { status: 503, times: 4 });
    const err = await failure(target.recoveryPoints.describe(point.arn, point.vaultName));
    expect(err.retryable).toBe(true);
    expect(err.userMessage).toContain('AWS had an internal error during DescribeRecoveryPoint');
  });
});

describe('RecoveryPoints.startRestoreJob and describeRestoreJob', () => {
  it('starts one job with the recovery point’s restore metadata, the target name and the restore role', async () => {
    const point = fake.backup.addRecoveryPoint({ tableName: 'orders', createdAt: T0, vaultName: 'v1' });
    const info = await target.recoveryPoints.describe(point.arn, 'v1');
    const target1 = uniqueTableName('orders', 'restored');

    const jobId = await target.recoveryPoints.startRestoreJob({
      recoveryPoint: info,
      iamRoleArn: RESTORE_ROLE,
      targetTable: target1,
      metadata: { encryptionType: 'KMS', kmsMasterKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k1' },
      idempotencyToken: 'R-AAAAAA-restore',
    });

    const job = fake.backup.restoreJobs.get(jobId);
    expect(job).toMatchObject({
      recoveryPointArn: point.arn,
      iamRoleArn: RESTORE_ROLE,
      idempotencyToken: 'R-AAAAAA-restore',
      resourceType: 'DynamoDB',
      metadata: {
        originalTableName: 'orders',
        targetTableName: target1,
        encryptionType: 'KMS',
        kmsMasterKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k1',
      },
    });
    expect(fake.callsOf('GetRecoveryPointRestoreMetadata').at(-1)?.params).toMatchObject({
      BackupVaultName: 'v1',
      RecoveryPointArn: point.arn,
    });
  });

  it('a retried start with the same idempotency token finds the same job instead of a second one', async () => {
    const point = fake.backup.addRecoveryPoint({ tableName: 'orders', createdAt: T0 });
    const info = await target.recoveryPoints.describe(point.arn, point.vaultName);
    const input = {
      recoveryPoint: info,
      iamRoleArn: RESTORE_ROLE,
      targetTable: uniqueTableName('orders', 'twice'),
      idempotencyToken: 'R-BBBBBB-restore',
    };
    const first = await target.recoveryPoints.startRestoreJob(input);
    const second = await target.recoveryPoints.startRestoreJob(input);
    expect(second).toBe(first);
    expect(
      [...fake.backup.restoreJobs.values()].filter((j) => j.recoveryPointArn === point.arn),
    ).toHaveLength(1);
  });

  it('follows a job PENDING → RUNNING → COMPLETED, the table appearing while it runs', async () => {
    const point = fake.backup.addRecoveryPoint({ tableName: 'orders', createdAt: T0, itemCount: 7 });
    const info = await target.recoveryPoints.describe(point.arn, point.vaultName);
    const name = uniqueTableName('orders', 'follow');
    const id = await target.recoveryPoints.startRestoreJob({
      recoveryPoint: info,
      iamRoleArn: RESTORE_ROLE,
      targetTable: name,
      idempotencyToken: `${name}-token`,
    });

    expect((await target.recoveryPoints.describeRestoreJob(id)).status).toBe('PENDING');
    expect(await target.describeTable(name)).toMatchObject({
      status: 'CREATING',
      sourceBackupArn: point.arn,
    });
    expect((await target.recoveryPoints.describeRestoreJob(id)).status).toBe('RUNNING');
    const done = await target.recoveryPoints.describeRestoreJob(id);
    expect(done).toMatchObject({ status: 'COMPLETED', createdResourceArn: fake.tableArn(name) });
  });

  it.each(['FAILED', 'ABORTED'] as const)('reports a %s job with its status message', async (status) => {
    const point = fake.backup.addRecoveryPoint({ tableName: 'orders', createdAt: T0 });
    const info = await target.recoveryPoints.describe(point.arn, point.vaultName);
    fake.backup.endNextJob(status, 'Access denied to KMS key arn:aws:kms:us-east-1:123456789012:key/k1');
    const id = await target.recoveryPoints.startRestoreJob({
      recoveryPoint: info,
      iamRoleArn: RESTORE_ROLE,
      targetTable: uniqueTableName('orders', status.toLowerCase()),
      idempotencyToken: `${status}-token`,
    });
    await target.recoveryPoints.describeRestoreJob(id);
    await target.recoveryPoints.describeRestoreJob(id);
    expect(await target.recoveryPoints.describeRestoreJob(id)).toMatchObject({
      status,
      statusMessage: 'Access denied to KMS key arn:aws:kms:us-east-1:123456789012:key/k1',
    });
  });

  it('maps a denied StartRestoreJob to a sentence that names iam:PassRole', async () => {
    const point = fake.backup.addRecoveryPoint({ tableName: 'orders', createdAt: T0 });
    const info = await target.recoveryPoints.describe(point.arn, point.vaultName);
    fake.failNext('StartRestoreJob', 'AccessDeniedException', { status: 403 });
    const err = await failure(
      target.recoveryPoints.startRestoreJob({
        recoveryPoint: info,
        iamRoleArn: RESTORE_ROLE,
        targetTable: uniqueTableName('orders', 'denied'),
        idempotencyToken: 'denied-token',
      }),
    );
    expect(err.userMessage).toContain('lacks permission for backup:StartRestoreJob');
    expect(err.userMessage).toContain('iam:PassRole');
    expect(err.userMessage).toContain('backup.amazonaws.com');
  });

  it('maps InvalidRequestException (e.g. the table exists) to AWS Backup’s own reason', async () => {
    const point = fake.backup.addRecoveryPoint({ tableName: 'orders', createdAt: T0 });
    const info = await target.recoveryPoints.describe(point.arn, point.vaultName);
    const taken = uniqueTableName('orders', 'taken');
    fake.addTable(taken);
    const err = await failure(
      target.recoveryPoints.startRestoreJob({
        recoveryPoint: info,
        iamRoleArn: RESTORE_ROLE,
        targetTable: taken,
        idempotencyToken: 'taken-token',
      }),
    );
    expect(err.code).toBe('InvalidRequestException');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toBe(
      `AWS Backup refused StartRestoreJob for recovery point ${point.arn} in prod (account 123456789012, us-east-1): Table already exists: ${taken}.`,
    );
  });

  it('maps an unknown restore job to a sentence that points at the console', async () => {
    const err = await failure(target.recoveryPoints.describeRestoreJob('RJ-missing'));
    expect(err.code).toBe('ResourceNotFoundException');
    expect(err.userMessage).toContain('AWS Backup has no restore job RJ-missing');
  });
});
