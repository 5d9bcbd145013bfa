import {
  BackupNotFoundException,
  DescribeBackupCommand,
  type DescribeBackupCommandOutput,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ListBackupsCommand,
  ResourceNotFoundException,
  RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand,
  TableAlreadyExistsException,
  TableNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsOperationError } from '../../src/aws/errors.ts';
import { RoleSessions } from '../../src/aws/sessions.ts';
import { createTargetAccountFactory, type DynamoDbClientFactory } from '../../src/aws/target.ts';
import type { TargetAccount } from '../../src/aws/types.ts';
import { type BotConfig, parseConfig } from '../../src/config.ts';
import type { BackupInfo } from '../../src/restore/types.ts';

const config: BotConfig = parseConfig({
  defaultEnvironment: 'prod',
  environments: {
    prod: {
      accountId: '123456789012',
      region: 'us-east-1',
      roleArn: 'arn:aws:iam::123456789012:role/dynamodb-restore-bot',
      approvers: { users: ['U0APPROVER'] },
    },
    staging: {
      accountId: '210987654321',
      region: 'eu-west-1',
      roleArn: 'arn:aws:iam::210987654321:role/dynamodb-restore-bot',
      approvers: { users: ['U0APPROVER'] },
    },
  },
});

const T0 = new Date('2026-11-03T10:00:00Z');
const HOUR = 60 * 60 * 1000;
const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders';
const backupArn = (id: string) => `${TABLE_ARN}/backup/${id}`;

const sts = new STSClient({ region: 'us-east-1' });
const stsMock = mockClient(sts);
const ddb = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const ddbMock = mockClient(ddb);

let assumed = 0;
function assumeRoleAnswer(now: () => Date) {
  return () => {
    assumed += 1;
    return {
      Credentials: {
        AccessKeyId: `ASIA${assumed}`,
        SecretAccessKey: `secret-${assumed}`,
        SessionToken: `token-${assumed}`,
        Expiration: new Date(now().getTime() + HOUR),
      },
    };
  };
}

interface Harness {
  target: TargetAccount;
  factoryCalls: Parameters<DynamoDbClientFactory>[0][];
  clock: { now: () => Date; advance: (ms: number) => void };
  getTarget: (env: string, user: string, tag?: string) => Promise<TargetAccount>;
}

async function harness(): Promise<Harness> {
  let current = T0.getTime();
  const clock = {
    now: () => new Date(current),
    advance: (ms: number) => {
      current += ms;
    },
  };
  stsMock.on(AssumeRoleCommand).callsFake(assumeRoleAnswer(clock.now));
  const sessions = new RoleSessions({ sts, config, now: clock.now });
  const factoryCalls: Parameters<DynamoDbClientFactory>[0][] = [];
  const getTarget = createTargetAccountFactory({
    config,
    sessions,
    now: clock.now,
    clientFactory: (init) => {
      factoryCalls.push(init);
      return ddb;
    },
  });
  const target = await getTarget('prod', 'U0ABC123', 'R-1');
  return { target, factoryCalls, clock, getTarget };
}

function summary(id: string, created: string, extra: Record<string, unknown> = {}) {
  return {
    BackupArn: backupArn(id),
    BackupName: `orders-${id}`,
    TableName: 'orders',
    TableArn: TABLE_ARN,
    TableId: 'tbl-1',
    BackupCreationDateTime: new Date(created),
    BackupStatus: 'AVAILABLE' as const,
    BackupType: 'USER' as const,
    BackupSizeBytes: 1024,
    ...extra,
  };
}

const keySchema = [{ AttributeName: 'pk', KeyType: 'HASH' as const }];
const projection = { ProjectionType: 'ALL' as const };

function backupDescription(billingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST'): DescribeBackupCommandOutput {
  return {
    $metadata: {},
    BackupDescription: {
      BackupDetails: {
        BackupArn: backupArn('b1'),
        BackupName: 'before-migration',
        BackupSizeBytes: 2048,
        BackupStatus: 'AVAILABLE',
        BackupType: 'USER',
        BackupCreationDateTime: new Date('2026-11-01T08:00:00Z'),
      },
      SourceTableDetails: {
        TableName: 'orders',
        TableId: 'tbl-1',
        TableArn: TABLE_ARN,
        TableSizeBytes: 4096,
        KeySchema: keySchema,
        TableCreationDateTime: new Date('2025-01-01T00:00:00Z'),
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        ItemCount: 42,
        ...(billingMode ? { BillingMode: billingMode } : {}),
      },
      SourceTableFeatureDetails: {
        GlobalSecondaryIndexes: [
          {
            IndexName: 'by-customer',
            KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
            Projection: projection,
            ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 2 },
          },
          {
            IndexName: 'by-status',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
            ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 2 },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'by-date',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'date', KeyType: 'RANGE' },
            ],
            Projection: projection,
          },
        ],
      },
    },
  };
}

const backupInfo: BackupInfo = {
  arn: backupArn('b1'),
  name: 'before-migration',
  tableName: 'orders',
  createdAt: '2026-11-01T08:00:00.000Z',
  status: 'AVAILABLE',
  type: 'USER',
};

beforeEach(() => {
  stsMock.reset();
  ddbMock.reset();
});

afterEach(() => {
  stsMock.reset();
  ddbMock.reset();
});

describe('createTargetAccountFactory', () => {
  it('builds a client in the environment region whose credentials come from the role session', async () => {
    const { target, factoryCalls } = await harness();

    expect(target).toMatchObject({ environment: 'prod', accountId: '123456789012', region: 'us-east-1' });
    expect(factoryCalls).toHaveLength(1);
    expect(factoryCalls[0]!.region).toBe('us-east-1');
    const creds = await factoryCalls[0]!.credentials();
    const assumeInput = stsMock.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
    expect(assumeInput.RoleSessionName).toBe('restore-bot-U0ABC123-R-1');
    expect(creds.sessionToken).toBe(`token-${assumed}`);
  });

  it('re-assumes the role through the credential provider once the session nears expiry', async () => {
    const { factoryCalls, clock } = await harness();
    const provider = factoryCalls[0]!.credentials;
    const first = await provider();

    clock.advance(30 * 60 * 1000);
    expect(await provider()).toBe(first);
    clock.advance(26 * 60 * 1000);
    const renewed = await provider();

    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('reuses the target per environment, user and tag', async () => {
    const { target, factoryCalls, getTarget } = await harness();

    expect(await getTarget('prod', 'U0ABC123', 'R-1')).toBe(target);
    const other = await getTarget('prod', 'U0ABC123', 'R-2');
    const staging = await getTarget('staging', 'U0ABC123', 'R-1');

    expect(other).not.toBe(target);
    expect(staging.region).toBe('eu-west-1');
    expect(factoryCalls.map((c) => c.region)).toEqual(['us-east-1', 'us-east-1', 'eu-west-1']);
  });

  it('fails with the mapped AssumeRole error before building a client', async () => {
    stsMock.on(AssumeRoleCommand).rejects(
      Object.assign(new Error('The security token included in the request is invalid.'), {
        name: 'InvalidClientTokenId',
      }),
    );
    const created: unknown[] = [];
    const getTarget = createTargetAccountFactory({
      config,
      sessions: new RoleSessions({ sts, config, now: () => T0 }),
      clientFactory: (init) => {
        created.push(init);
        return ddb;
      },
    });

    await expect(getTarget('prod', 'U0ABC123')).rejects.toMatchObject({
      code: 'InvalidClientTokenId',
      operation: 'AssumeRole',
    });
    expect(created).toHaveLength(0);
  });

  it('refuses an unknown environment', async () => {
    const getTarget = createTargetAccountFactory({
      config,
      sessions: new RoleSessions({ sts, config, now: () => T0 }),
    });

    await expect(getTarget('qa', 'U0ABC123')).rejects.toMatchObject({ code: 'UnknownEnvironment' });
  });
});

describe('TargetAccount.listBackups', () => {
  it('follows LastEvaluatedBackupArn across pages and returns everything newest first', async () => {
    const { target } = await harness();
    ddbMock
      .on(ListBackupsCommand)
      .resolvesOnce({
        BackupSummaries: [summary('a', '2026-10-01T00:00:00Z'), summary('b', '2026-10-20T00:00:00Z')],
        LastEvaluatedBackupArn: backupArn('b'),
      })
      .resolvesOnce({
        BackupSummaries: [summary('c', '2026-09-15T00:00:00Z'), summary('d', '2026-11-02T00:00:00Z')],
        LastEvaluatedBackupArn: backupArn('d'),
      })
      .resolvesOnce({ BackupSummaries: [summary('e', '2026-10-10T00:00:00Z')] });

    const backups = await target.listBackups({ tableName: 'orders', type: 'USER' });

    const inputs = ddbMock.commandCalls(ListBackupsCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.ExclusiveStartBackupArn)).toEqual([undefined, backupArn('b'), backupArn('d')]);
    expect(backups.map((b) => b.arn)).toEqual(['d', 'b', 'e', 'a', 'c'].map(backupArn));
  });

  it('passes table, type and lower time bound to ListBackups', async () => {
    const { target } = await harness();
    ddbMock.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    const since = new Date('2026-10-27T10:00:00Z');

    await target.listBackups({ tableName: 'orders', type: 'SYSTEM', since });
    await target.listBackups({ type: 'ALL' });

    const [filtered, all] = ddbMock.commandCalls(ListBackupsCommand).map((c) => c.args[0].input);
    expect(filtered).toEqual({ TableName: 'orders', BackupType: 'SYSTEM', TimeRangeLowerBound: since });
    expect(all).toEqual({ BackupType: 'ALL' });
  });

  it('maps summaries to BackupInfo with ISO dates and sizes', async () => {
    const { target } = await harness();
    ddbMock.on(ListBackupsCommand).resolves({
      BackupSummaries: [
        summary('s1', '2026-11-02T03:04:05Z', {
          BackupType: 'SYSTEM',
          BackupExpiryDateTime: new Date('2026-12-07T03:04:05Z'),
          BackupSizeBytes: 987654,
        }),
      ],
    });

    const [backup] = await target.listBackups({ type: 'SYSTEM' });

    expect(backup).toEqual({
      arn: backupArn('s1'),
      name: 'orders-s1',
      tableName: 'orders',
      tableArn: TABLE_ARN,
      createdAt: '2026-11-02T03:04:05.000Z',
      status: 'AVAILABLE',
      type: 'SYSTEM',
      sizeBytes: 987654,
      expiresAt: '2026-12-07T03:04:05.000Z',
    });
  });

  it('maps a failing page to an AwsOperationError', async () => {
    const { target } = await harness();
    ddbMock.on(ListBackupsCommand).rejects(
      new DynamoDBServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: {},
        message: 'not authorized to perform: dynamodb:ListBackups',
      }),
    );

    const failure = await target.listBackups({ type: 'USER' }).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(AwsOperationError);
    expect(failure).toMatchObject({ code: 'AccessDeniedException', operation: 'ListBackups' });
  });
});

describe('TargetAccount.describeBackup', () => {
  it('fills counts, sizes, table, indexes and billing mode from DescribeBackup', async () => {
    const { target } = await harness();
    ddbMock.on(DescribeBackupCommand).resolves(backupDescription('PROVISIONED'));

    const backup = await target.describeBackup(backupArn('b1'));

    expect(ddbMock.commandCalls(DescribeBackupCommand)[0]!.args[0].input).toEqual({
      BackupArn: backupArn('b1'),
    });
    expect(backup).toEqual({
      arn: backupArn('b1'),
      name: 'before-migration',
      tableName: 'orders',
      tableArn: TABLE_ARN,
      createdAt: '2026-11-01T08:00:00.000Z',
      status: 'AVAILABLE',
      type: 'USER',
      sizeBytes: 2048,
      itemCount: 42,
      globalSecondaryIndexes: ['by-customer', 'by-status'],
      localSecondaryIndexes: ['by-date'],
      billingMode: 'PROVISIONED',
    });
  });

  it('reports a table without BillingMode as provisioned', async () => {
    const { target } = await harness();
    ddbMock.on(DescribeBackupCommand).resolves(backupDescription());

    const backup = await target.describeBackup(backupArn('b1'));

    expect(backup.billingMode).toBe('PROVISIONED');
  });

  it('throws BackupNotFoundException for a missing backup', async () => {
    const { target } = await harness();
    ddbMock
      .on(DescribeBackupCommand)
      .rejects(new BackupNotFoundException({ $metadata: {}, message: 'Backup not found' }));

    const failure = await target.describeBackup(backupArn('gone')).catch((err: unknown) => err);

    expect(failure).toMatchObject({ code: 'BackupNotFoundException', operation: 'DescribeBackup' });
    expect((failure as AwsOperationError).userMessage).toContain(backupArn('gone'));
  });
});

describe('TargetAccount.findBackupsByName', () => {
  it('keeps exact name matches of every backup type, newest first', async () => {
    const { target } = await harness();
    ddbMock
      .on(ListBackupsCommand)
      .resolvesOnce({
        BackupSummaries: [
          summary('1', '2026-10-01T00:00:00Z', { BackupName: 'nightly' }),
          summary('2', '2026-10-02T00:00:00Z', { BackupName: 'nightly-2' }),
        ],
        LastEvaluatedBackupArn: backupArn('2'),
      })
      .resolvesOnce({
        BackupSummaries: [
          summary('3', '2026-10-03T00:00:00Z', { BackupName: 'nightly', TableName: 'users' }),
          summary('4', '2026-10-04T00:00:00Z', { BackupName: 'Nightly' }),
        ],
      });

    const found = await target.findBackupsByName('nightly');

    expect(ddbMock.commandCalls(ListBackupsCommand)[0]!.args[0].input).toEqual({ BackupType: 'ALL' });
    expect(found.map((b) => [b.arn, b.tableName])).toEqual([
      [backupArn('3'), 'users'],
      [backupArn('1'), 'orders'],
    ]);
  });
});

describe('TargetAccount.describeTable', () => {
  it('returns undefined when the table does not exist', async () => {
    const { target } = await harness();
    ddbMock
      .on(DescribeTableCommand)
      .rejects(new ResourceNotFoundException({ $metadata: {}, message: 'Requested resource not found' }));

    expect(await target.describeTable('orders-restored')).toBeUndefined();
  });

  it('maps the table description including the restore summary', async () => {
    const { target } = await harness();
    ddbMock.on(DescribeTableCommand).resolves({
      Table: {
        TableName: 'orders-restored',
        TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders-restored',
        TableStatus: 'CREATING',
        ItemCount: 0,
        TableSizeBytes: 0,
        CreationDateTime: new Date('2026-11-03T10:01:00Z'),
        RestoreSummary: {
          SourceBackupArn: backupArn('b1'),
          SourceTableArn: TABLE_ARN,
          RestoreDateTime: new Date('2026-11-01T08:00:00Z'),
          RestoreInProgress: true,
        },
      },
    });

    const table = await target.describeTable('orders-restored');

    expect(ddbMock.commandCalls(DescribeTableCommand)[0]!.args[0].input).toEqual({
      TableName: 'orders-restored',
    });
    expect(table).toEqual({
      name: 'orders-restored',
      arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders-restored',
      status: 'CREATING',
      itemCount: 0,
      sizeBytes: 0,
      creationDateTime: '2026-11-03T10:01:00.000Z',
      restoreInProgress: true,
      sourceBackupArn: backupArn('b1'),
      sourceTableArn: TABLE_ARN,
      restoreDateTime: '2026-11-01T08:00:00.000Z',
      billingMode: 'PROVISIONED',
    });
  });

  it('maps other failures', async () => {
    const { target } = await harness();
    ddbMock.on(DescribeTableCommand).rejects(
      new DynamoDBServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: {},
        message: 'Rate exceeded',
      }),
    );

    await expect(target.describeTable('orders')).rejects.toMatchObject({
      code: 'ThrottlingException',
      operation: 'DescribeTable',
      retryable: true,
    });
  });
});

describe('TargetAccount.restoreTableFromBackup', () => {
  const restoredTable = {
    TableDescription: {
      TableName: 'orders-restored',
      TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders-restored',
      TableStatus: 'CREATING' as const,
      RestoreSummary: { SourceBackupArn: backupArn('b1'), RestoreDateTime: T0, RestoreInProgress: true },
    },
  };

  it('sends target, backup and every override, without DescribeBackup when no index is dropped', async () => {
    const { target } = await harness();
    ddbMock.on(RestoreTableFromBackupCommand).resolves(restoredTable);

    const table = await target.restoreTableFromBackup({
      backup: backupInfo,
      targetTable: 'orders-restored',
      overrides: {
        billingMode: 'PROVISIONED',
        provisionedThroughput: { readCapacityUnits: 10, writeCapacityUnits: 4 },
        sse: { enabled: true, sseType: 'KMS', kmsMasterKeyId: 'alias/restore' },
      },
    });

    expect(ddbMock.commandCalls(DescribeBackupCommand)).toHaveLength(0);
    expect(ddbMock.commandCalls(RestoreTableFromBackupCommand)[0]!.args[0].input).toEqual({
      TargetTableName: 'orders-restored',
      BackupArn: backupArn('b1'),
      BillingModeOverride: 'PROVISIONED',
      ProvisionedThroughputOverride: { ReadCapacityUnits: 10, WriteCapacityUnits: 4 },
      SSESpecificationOverride: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/restore' },
    });
    expect(table).toMatchObject({ name: 'orders-restored', status: 'CREATING', restoreInProgress: true });
  });

  it('sends no overrides when none are asked for', async () => {
    const { target } = await harness();
    ddbMock.on(RestoreTableFromBackupCommand).resolves(restoredTable);

    await target.restoreTableFromBackup({
      backup: backupInfo,
      targetTable: 'orders-restored',
      overrides: {},
    });

    expect(ddbMock.commandCalls(RestoreTableFromBackupCommand)[0]!.args[0].input).toEqual({
      TargetTableName: 'orders-restored',
      BackupArn: backupArn('b1'),
    });
  });

  it('repeats the kept GSIs from the backup with the override throughput when dropping one', async () => {
    const { target } = await harness();
    ddbMock.on(DescribeBackupCommand).resolves(backupDescription('PAY_PER_REQUEST'));
    ddbMock.on(RestoreTableFromBackupCommand).resolves(restoredTable);

    await target.restoreTableFromBackup({
      backup: backupInfo,
      targetTable: 'orders-restored',
      overrides: {
        billingMode: 'PROVISIONED',
        provisionedThroughput: { readCapacityUnits: 10, writeCapacityUnits: 4 },
        dropIndexes: ['by-status'],
      },
    });

    expect(ddbMock.commandCalls(DescribeBackupCommand)[0]!.args[0].input).toEqual({
      BackupArn: backupArn('b1'),
    });
    const input = ddbMock.commandCalls(RestoreTableFromBackupCommand)[0]!.args[0].input;
    expect(input.GlobalSecondaryIndexOverride).toEqual([
      {
        IndexName: 'by-customer',
        KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
        Projection: projection,
        ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 4 },
      },
    ]);
    expect(input).not.toHaveProperty('LocalSecondaryIndexOverride');
  });

  it('keeps the backup GSI throughput for a provisioned source without a throughput override', async () => {
    const { target } = await harness();
    ddbMock.on(DescribeBackupCommand).resolves(backupDescription('PROVISIONED'));
    ddbMock.on(RestoreTableFromBackupCommand).resolves(restoredTable);

    await target.restoreTableFromBackup({
      backup: backupInfo,
      targetTable: 'orders-restored',
      overrides: { dropIndexes: ['by-customer'] },
    });

    const input = ddbMock.commandCalls(RestoreTableFromBackupCommand)[0]!.args[0].input;
    expect(input.GlobalSecondaryIndexOverride).toEqual([
      {
        IndexName: 'by-status',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
        ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 2 },
      },
    ]);
  });

  it('leaves throughput off kept GSIs when the restored table is on-demand', async () => {
    const { target } = await harness();
    ddbMock.on(DescribeBackupCommand).resolves(backupDescription('PROVISIONED'));
    ddbMock.on(RestoreTableFromBackupCommand).resolves(restoredTable);

    await target.restoreTableFromBackup({
      backup: backupInfo,
      targetTable: 'orders-restored',
      overrides: { billingMode: 'PAY_PER_REQUEST', dropIndexes: ['by-customer'] },
    });

    const input = ddbMock.commandCalls(RestoreTableFromBackupCommand)[0]!.args[0].input;
    expect(input.BillingModeOverride).toBe('PAY_PER_REQUEST');
    expect(input.GlobalSecondaryIndexOverride).toEqual([
      {
        IndexName: 'by-status',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
  });

  it('drops a local index alone without touching the global ones', async () => {
    const { target } = await harness();
    ddbMock.on(DescribeBackupCommand).resolves(backupDescription('PAY_PER_REQUEST'));
    ddbMock.on(RestoreTableFromBackupCommand).resolves(restoredTable);

    await target.restoreTableFromBackup({
      backup: backupInfo,
      targetTable: 'orders-restored',
      overrides: { dropIndexes: ['by-date'] },
    });

    const input = ddbMock.commandCalls(RestoreTableFromBackupCommand)[0]!.args[0].input;
    expect(input.LocalSecondaryIndexOverride).toEqual([]);
    expect(input).not.toHaveProperty('GlobalSecondaryIndexOverride');
  });

  it('sends empty index lists when dropping every index', async () => {
    const { target } = await harness();
    ddbMock.on(DescribeBackupCommand).resolves(backupDescription('PAY_PER_REQUEST'));
    ddbMock.on(RestoreTableFromBackupCommand).resolves(restoredTable);

    await target.restoreTableFromBackup({
      backup: backupInfo,
      targetTable: 'orders-restored',
      overrides: { dropIndexes: 'ALL' },
    });

    const input = ddbMock.commandCalls(RestoreTableFromBackupCommand)[0]!.args[0].input;
    expect(input.GlobalSecondaryIndexOverride).toEqual([]);
    expect(input.LocalSecondaryIndexOverride).toEqual([]);
  });

  it('refuses an index name the backup does not have, without starting a restore', async () => {
    const { target } = await harness();
    ddbMock.on(DescribeBackupCommand).resolves(backupDescription('PAY_PER_REQUEST'));
    ddbMock.on(RestoreTableFromBackupCommand).resolves(restoredTable);

    const failure = await target
      .restoreTableFromBackup({
        backup: backupInfo,
        targetTable: 'orders-restored',
        overrides: { dropIndexes: ['by-status', 'by-colour'] },
      })
      .catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(AwsOperationError);
    expect(failure).toMatchObject({ code: 'UnknownIndex', retryable: false });
    expect((failure as AwsOperationError).userMessage).toContain('no index named by-colour');
    expect((failure as AwsOperationError).userMessage).toContain('by-customer, by-status, by-date');
    expect(ddbMock.commandCalls(RestoreTableFromBackupCommand)).toHaveLength(0);
  });

  it('maps a restore failure with the target table in the message', async () => {
    const { target } = await harness();
    ddbMock
      .on(RestoreTableFromBackupCommand)
      .rejects(new TableAlreadyExistsException({ $metadata: {}, message: 'Table already exists' }));

    const failure = await target
      .restoreTableFromBackup({ backup: backupInfo, targetTable: 'orders-restored', overrides: {} })
      .catch((err: unknown) => err);

    expect(failure).toMatchObject({
      code: 'TableAlreadyExistsException',
      operation: 'RestoreTableFromBackup',
    });
    expect((failure as AwsOperationError).userMessage).toContain('orders-restored already exists in prod');
  });
});

describe('TargetAccount: point-in-time recovery', () => {
  const SOURCE = 'arn:aws:dynamodb:us-west-2:123456789012:table/orders';

  it('reads the window with DescribeContinuousBackups, in the source region through a second client', async () => {
    const { target, factoryCalls } = await harness();
    ddbMock.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: {
          PointInTimeRecoveryStatus: 'ENABLED',
          EarliestRestorableDateTime: new Date('2026-11-01T00:00:00Z'),
          LatestRestorableDateTime: new Date('2026-12-02T10:04:00Z'),
          RecoveryPeriodInDays: 35,
        },
      },
    });

    const status = await target.describeContinuousBackups('orders', 'us-west-2');
    await target.describeContinuousBackups('orders', 'us-west-2');

    expect(status).toEqual({
      enabled: true,
      earliest: '2026-11-01T00:00:00.000Z',
      latest: '2026-12-02T10:04:00.000Z',
      recoveryPeriodInDays: 35,
    });
    // One client for the environment's region, one (reused) for the source's.
    expect(factoryCalls.map((c) => c.region)).toEqual(['us-east-1', 'us-west-2']);
  });

  it('reports PITR off without a window, and maps a missing table', async () => {
    const { target } = await harness();
    ddbMock
      .on(DescribeContinuousBackupsCommand)
      .resolvesOnce({
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
        },
      })
      .rejectsOnce(new TableNotFoundException({ $metadata: {}, message: 'Table not found: gone' }));

    expect(await target.describeContinuousBackups('orders')).toEqual({ enabled: false });
    const failure = await target.describeContinuousBackups('gone').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'TableNotFoundException', operation: 'DescribeContinuousBackups' });
    expect((failure as AwsOperationError).userMessage).toContain('/backups gone --type SYSTEM');
  });

  it('calls RestoreTableToPointInTime with the exact time, the overrides, and the kept indexes of the source table', async () => {
    const { target } = await harness();
    ddbMock.on(DescribeTableCommand).resolves({
      Table: {
        TableName: 'orders',
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byCustomer',
            KeySchema: [{ AttributeName: 'c', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: 'byDate',
            KeySchema: [{ AttributeName: 'd', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      },
    });
    ddbMock.on(RestoreTableToPointInTimeCommand).resolves({
      TableDescription: {
        TableName: 'orders-0955',
        TableStatus: 'CREATING',
        RestoreSummary: {
          SourceTableArn: SOURCE,
          RestoreDateTime: new Date('2026-12-02T09:55:00Z'),
          RestoreInProgress: true,
        },
      },
    });

    const table = await target.restoreTableToPointInTime({
      sourceTableArn: SOURCE,
      sourceTableName: 'orders',
      sourceRegion: 'us-west-2',
      targetTable: 'orders-0955',
      restoreDateTime: '2026-12-02T09:55:00.000Z',
      overrides: { dropIndexes: ['byDate'], sse: { enabled: true, sseType: 'KMS' } },
    });

    expect(ddbMock.commandCalls(DescribeTableCommand)[0]!.args[0].input).toEqual({ TableName: SOURCE });
    expect(ddbMock.commandCalls(RestoreTableToPointInTimeCommand)[0]!.args[0].input).toEqual({
      SourceTableArn: SOURCE,
      TargetTableName: 'orders-0955',
      RestoreDateTime: new Date('2026-12-02T09:55:00Z'),
      GlobalSecondaryIndexOverride: [
        {
          IndexName: 'byCustomer',
          KeySchema: [{ AttributeName: 'c', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      SSESpecificationOverride: { Enabled: true, SSEType: 'KMS' },
    });
    expect(table).toMatchObject({ sourceTableArn: SOURCE, restoreDateTime: '2026-12-02T09:55:00.000Z' });
  });

  it('asks for the latest restorable time when no time is given', async () => {
    const { target } = await harness();
    ddbMock.on(RestoreTableToPointInTimeCommand).resolves({ TableDescription: { TableStatus: 'CREATING' } });

    await target.restoreTableToPointInTime({
      sourceTableArn: SOURCE,
      sourceTableName: 'orders',
      sourceRegion: 'us-west-2',
      targetTable: 'orders-latest',
      overrides: {},
    });

    expect(ddbMock.commandCalls(RestoreTableToPointInTimeCommand)[0]!.args[0].input).toEqual({
      SourceTableArn: SOURCE,
      TargetTableName: 'orders-latest',
      UseLatestRestorableTime: true,
    });
  });
});
