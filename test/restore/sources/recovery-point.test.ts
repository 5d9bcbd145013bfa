import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetAccount } from '../../../src/aws/types.ts';
import type { EnvironmentConfig } from '../../../src/config.ts';
import {
  resolveSource,
  restoredFrom,
  sourceAuditFields,
  sourceLabel,
  sourceSessionStatements,
  viewSource,
} from '../../../src/restore/sources/index.ts';
import {
  restoreJobToken,
  restoreMetadataOverrides,
} from '../../../src/restore/sources/recovery-point/exec.ts';
import type { Resolution } from '../../../src/restore/sources/types.ts';
import type { RecoveryPointSource, RestoreOverrides, RestoreSource } from '../../../src/restore/types.ts';
import { type FakeAws, startFakeAws } from '../../../src/sandbox/fake-aws.ts';
import { restoreTestConfig, targetOnFake, useFakeAws } from '../../helpers/restore.ts';

const NOW = new Date('2026-11-24T10:05:00.000Z');
const DAY = 24 * 3600_000;
const ROLE = 'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole';

let fake: FakeAws;
let target: TargetAccount;
const env = restoreTestConfig().environments.prod as EnvironmentConfig;

beforeAll(async () => {
  fake = await startFakeAws({ now: () => NOW });
  useFakeAws(fake);
  target = await targetOnFake(() => NOW);
});
afterAll(async () => fake.close());

function preflight(
  arn: string,
  overrides: RestoreOverrides = {},
  environment: EnvironmentConfig = env,
): Promise<Resolution<RestoreSource>> {
  return resolveSource(
    target,
    { kind: 'recovery-point', recoveryPointArn: arn },
    {
      envName: 'prod',
      overrides,
      now: NOW,
      env: environment,
    },
  );
}

function refusalOf(resolution: Resolution<RestoreSource>): string {
  if (!('refused' in resolution)) throw new Error(`not refused: ${JSON.stringify(resolution)}`);
  return resolution.refused;
}

describe('recovery point source: pre-flight', () => {
  it('accepts a COMPLETED, warm DynamoDB recovery point and records the restore role', async () => {
    const point = fake.backup.addRecoveryPoint({
      tableName: 'Orders',
      createdAt: new Date(NOW.getTime() - DAY),
    });
    const resolution = await preflight(point.arn);
    expect(resolution).toMatchObject({
      source: {
        kind: 'recovery-point',
        restoreRoleArn: ROLE,
        recoveryPoint: { arn: point.arn, vaultName: 'Default', tableName: 'Orders', status: 'COMPLETED' },
      },
    });
  });

  it('refuses a recovery point of another account without calling AWS Backup', async () => {
    const before = fake.calls.length;
    const arn = 'arn:aws:backup:us-east-1:999999999999:recovery-point:ABC-1';
    expect(refusalOf(await preflight(arn))).toContain(
      'That recovery point is in account 999999999999 (us-east-1), but environment *prod* is account 123456789012 (us-east-1)',
    );
    expect(fake.calls.length).toBe(before);
  });

  it('refuses a recovery point of another region', async () => {
    const arn = 'arn:aws:backup:eu-west-1:123456789012:recovery-point:ABC-1';
    expect(refusalOf(await preflight(arn))).toContain('is in account 123456789012 (eu-west-1)');
  });

  it('refuses a recovery point of a resource that is not a DynamoDB table', async () => {
    const point = fake.backup.addRecoveryPoint({
      tableName: 'vol-0abc',
      createdAt: NOW,
      resourceType: 'EBS',
      resourceArn: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc',
    });
    expect(refusalOf(await preflight(point.arn))).toBe(
      `Recovery point ${point.arn} is a backup of a EBS resource, not of a DynamoDB table; this bot restores DynamoDB tables only.`,
    );
  });

  it.each(['PARTIAL', 'CREATING', 'EXPIRED'] as const)('refuses a %s recovery point', async (status) => {
    const point = fake.backup.addRecoveryPoint({ tableName: 'Orders', createdAt: NOW, status });
    expect(refusalOf(await preflight(point.arn))).toContain(`is ${status}, not COMPLETED`);
  });

  it('refuses one in cold storage and says a warm restore usually takes under an hour', async () => {
    const point = fake.backup.addRecoveryPoint({
      tableName: 'Orders',
      createdAt: new Date(NOW.getTime() - 40 * DAY),
      storageClass: 'COLD',
      moveToColdStorageAfterDays: 30,
    });
    const text = refusalOf(await preflight(point.arn));
    expect(text).toContain(
      `is in cold storage since ${new Date(point.createdAt.getTime() + 30 * DAY).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    );
    expect(text).toContain('usually restores in under an hour');
    expect(text).toContain('/backups Orders --type AWS_BACKUP --env prod');
  });

  it('without awsBackupRoleArn says exactly what to configure', async () => {
    const point = fake.backup.addRecoveryPoint({ tableName: 'Orders', createdAt: NOW });
    const { awsBackupRoleArn: _role, ...noRole } = env;
    const text = refusalOf(await preflight(point.arn, {}, noRole));
    expect(text).toContain('Environment *prod* has no awsBackupRoleArn');
    expect(text).toContain(
      'Add `awsBackupRoleArn: arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole`',
    );
    expect(text).toContain('under environments.prod');
    expect(text).toContain('AwsBackupRoleArn');
  });

  it('refuses the overrides AWS Backup cannot apply, and accepts an encryption override', async () => {
    const point = fake.backup.addRecoveryPoint({ tableName: 'Orders', createdAt: NOW });
    expect(
      refusalOf(await preflight(point.arn, { billingMode: 'PAY_PER_REQUEST', dropIndexes: 'ALL' })),
    ).toContain('--billing-mode-override and --drop-indexes cannot be applied');
    const sse = {
      sse: {
        enabled: true,
        sseType: 'KMS' as const,
        kmsMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1',
      },
    };
    expect(await preflight(point.arn, sse)).toHaveProperty('source');
  });
});

describe('recovery point source: the rest of the interface', () => {
  const source: RecoveryPointSource = {
    kind: 'recovery-point',
    restoreRoleArn: ROLE,
    recoveryPoint: {
      arn: 'arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45',
      vaultName: 'prod-daily',
      resourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders',
      resourceType: 'DynamoDB',
      tableName: 'Orders',
      createdAt: '2026-11-23T08:00:00.000Z',
      status: 'COMPLETED',
      sizeBytes: 1_048_576,
      storageClass: 'WARM',
    },
  };

  it('reads in Slack with vault, recovery point, creation time and the restore role', () => {
    const view = viewSource(source, NOW);
    expect(sourceLabel(source)).toBe('recovery point 1EB3B5E7-9EB0-435A-A80B-108B488B0D45');
    expect(view.tableName).toBe('Orders');
    expect(view.phrase).toBe(
      'from AWS Backup recovery point `1EB3B5E7-9EB0-435A-A80B-108B488B0D45` in vault `prod-daily`, created 2026-11-23 08:00 UTC (1d ago),',
    );
    // What the sentence says (vault, creation) is not repeated in the details line.
    expect(view.details).not.toContain('prod-daily');
    expect(view.details).not.toContain('2026-11-23');
    expect(view.details).toContain('1.0 MB');
    expect(view.details).toContain(`*Restore role* \`${ROLE}\``);
    expect(view.details).toContain(source.recoveryPoint.arn);
    expect(view.confirm(10)).toBe('AWS Backup recovery point 1EB3B5E7-… (vault prod-daily) of table Orders');
    expect(view.expected).toEqual({ what: 'recovery point', sizeBytes: 1_048_576 });
  });

  it('lets the session start a job on this recovery point and pass exactly the restore role to AWS Backup', () => {
    expect(
      sourceSessionStatements(source, { partition: 'aws', accountId: '123456789012', region: 'us-east-1' }),
    ).toEqual([
      {
        Sid: 'RestoreThisRecoveryPoint',
        Effect: 'Allow',
        Action: [
          'backup:StartRestoreJob',
          'backup:GetRecoveryPointRestoreMetadata',
          'backup:DescribeRecoveryPoint',
        ],
        Resource: [source.recoveryPoint.arn],
      },
      { Sid: 'FollowRestoreJob', Effect: 'Allow', Action: ['backup:DescribeRestoreJob'], Resource: ['*'] },
      {
        Sid: 'PassTheRestoreRole',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [ROLE],
        Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
      },
    ]);
  });

  it('recognises the table its own job restored, and no other', () => {
    expect(
      restoredFrom({ name: 'T', status: 'CREATING', sourceBackupArn: source.recoveryPoint.arn }, source),
    ).toBe(true);
    expect(restoredFrom({ name: 'T', status: 'CREATING', sourceBackupArn: 'arn:other' }, source)).toBe(false);
  });

  it('names the recovery point, vault and role in the audit line', () => {
    expect(sourceAuditFields(source)).toEqual({
      recoveryPointArn: source.recoveryPoint.arn,
      backupVault: 'prod-daily',
      restoreRoleArn: ROLE,
    });
  });

  it('turns the encryption override into AWS Backup restore metadata', () => {
    expect(restoreMetadataOverrides({})).toEqual({});
    expect(restoreMetadataOverrides({ sse: { enabled: false } })).toEqual({ encryptionType: 'Default' });
    expect(
      restoreMetadataOverrides({ sse: { enabled: true, sseType: 'KMS', kmsMasterKeyId: 'alias/k' } }),
    ).toEqual({
      encryptionType: 'KMS',
      kmsMasterKeyArn: 'alias/k',
    });
  });

  it('uses one idempotency token per request', () => {
    expect(restoreJobToken('R-7K3QX9')).toBe(restoreJobToken('R-7K3QX9'));
    expect(restoreJobToken('R-7K3QX9')).not.toBe(restoreJobToken('R-7K3QXA'));
  });
});
