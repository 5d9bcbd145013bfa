import {
  type BackupDescription,
  type BackupSummary,
  DescribeBackupCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  ListBackupsCommand,
  type ListBackupsCommandOutput,
  type LocalSecondaryIndex,
  type ProvisionedThroughput,
  RestoreTableFromBackupCommand,
  type RestoreTableFromBackupInput,
  RestoreTableToPointInTimeCommand,
  type RestoreTableToPointInTimeInput,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { BotConfig, EnvironmentConfig } from '../config.ts';
import type { BackupInfo, RestoreOverrides } from '../restore/types.ts';
import {
  type BackupClientFactory,
  BackupRecoveryPoints,
  createBackupClient,
  type RecoveryPoints,
} from './backup.ts';
import { createDynamoDbClient } from './clients.ts';
import { compact, errorName, iso } from './convert.ts';
import { type AwsErrorContext, AwsOperationError, mapAwsError } from './errors.ts';
import { type RoleSessions, requireEnvironment, stsRoleSessions } from './sessions.ts';
import type {
  ListBackupsFilter,
  PitrStatus,
  PointInTimeRestoreInput,
  TableInfo,
  TargetAccount,
  TargetAccountFactory,
} from './types.ts';

/** Builds the DynamoDB client for one role session; tests hand in one pointed at a fake. */
export type DynamoDbClientFactory = (init: {
  region: string;
  credentials: () => Promise<{
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    expiration: Date;
  }>;
}) => DynamoDBClient;

/** A cached target unused this long is dropped: its role session has expired by then anyway. */
const IDLE_EVICT_MS = 2 * 60 * 60 * 1000;

function fromSummary(summary: BackupSummary): BackupInfo {
  return compact({
    arn: summary.BackupArn ?? '',
    name: summary.BackupName ?? '',
    tableName: summary.TableName ?? '',
    tableArn: summary.TableArn,
    createdAt: iso(summary.BackupCreationDateTime) ?? '',
    status: summary.BackupStatus ?? 'UNKNOWN',
    type: summary.BackupType ?? 'UNKNOWN',
    sizeBytes: summary.BackupSizeBytes,
    expiresAt: iso(summary.BackupExpiryDateTime),
  });
}

function fromDescription(description: BackupDescription | undefined, backupArn: string): BackupInfo {
  const details = description?.BackupDetails;
  const source = description?.SourceTableDetails;
  const features = description?.SourceTableFeatureDetails;
  const gsis = features?.GlobalSecondaryIndexes?.flatMap((i) => (i.IndexName ? [i.IndexName] : []));
  const lsis = features?.LocalSecondaryIndexes?.flatMap((i) => (i.IndexName ? [i.IndexName] : []));
  return compact({
    arn: details?.BackupArn ?? backupArn,
    name: details?.BackupName ?? '',
    tableName: source?.TableName ?? '',
    tableArn: source?.TableArn,
    createdAt: iso(details?.BackupCreationDateTime) ?? '',
    status: details?.BackupStatus ?? 'UNKNOWN',
    type: details?.BackupType ?? 'UNKNOWN',
    sizeBytes: details?.BackupSizeBytes ?? source?.TableSizeBytes,
    itemCount: source?.ItemCount,
    expiresAt: iso(details?.BackupExpiryDateTime),
    globalSecondaryIndexes: gsis,
    localSecondaryIndexes: lsis,
    // Tables created before on-demand existed report no BillingMode; they are provisioned.
    billingMode: source ? (source.BillingMode ?? 'PROVISIONED') : undefined,
  });
}

function fromTable(table: TableDescription | undefined, fallbackName: string): TableInfo {
  const restore = table?.RestoreSummary;
  const gsis = table?.GlobalSecondaryIndexes?.flatMap((i) => (i.IndexName ? [i.IndexName] : []));
  const lsis = table?.LocalSecondaryIndexes?.flatMap((i) => (i.IndexName ? [i.IndexName] : []));
  return compact({
    name: table?.TableName ?? fallbackName,
    arn: table?.TableArn,
    status: table?.TableStatus ?? 'UNKNOWN',
    itemCount: table?.ItemCount,
    sizeBytes: table?.TableSizeBytes,
    creationDateTime: iso(table?.CreationDateTime),
    restoreInProgress: restore?.RestoreInProgress,
    sourceBackupArn: restore?.SourceBackupArn,
    sourceTableArn: restore?.SourceTableArn,
    restoreDateTime: iso(restore?.RestoreDateTime),
    globalSecondaryIndexes: gsis?.length ? gsis : undefined,
    localSecondaryIndexes: lsis?.length ? lsis : undefined,
    // Tables created before on-demand existed report no BillingModeSummary; they are provisioned.
    billingMode: table ? (table.BillingModeSummary?.BillingMode ?? 'PROVISIONED') : undefined,
  });
}

function newestFirst(a: BackupInfo, b: BackupInfo): number {
  return b.createdAt.localeCompare(a.createdAt);
}

function usableThroughput(
  t: { ReadCapacityUnits?: number | undefined; WriteCapacityUnits?: number | undefined } | undefined,
): ProvisionedThroughput | undefined {
  // On-demand tables report 0/0 here, which AWS rejects as a provisioned setting.
  return t?.ReadCapacityUnits && t.WriteCapacityUnits
    ? { ReadCapacityUnits: t.ReadCapacityUnits, WriteCapacityUnits: t.WriteCapacityUnits }
    : undefined;
}

/** The index definitions a restore repeats when it leaves some indexes out. */
interface SourceIndexes {
  /** 'the backup' or 'table Orders', for messages. */
  what: string;
  gsis: readonly {
    IndexName?: string | undefined;
    KeySchema?: GlobalSecondaryIndex['KeySchema'];
    Projection?: GlobalSecondaryIndex['Projection'];
    ProvisionedThroughput?:
      | { ReadCapacityUnits?: number | undefined; WriteCapacityUnits?: number | undefined }
      | undefined;
    OnDemandThroughput?: GlobalSecondaryIndex['OnDemandThroughput'];
  }[];
  lsis: readonly {
    IndexName?: string | undefined;
    KeySchema?: LocalSecondaryIndex['KeySchema'];
    Projection?: LocalSecondaryIndex['Projection'];
  }[];
  billingMode?: string | undefined;
}

/** The indexes of a backup's source table, from DescribeBackup. */
function backupIndexes(description: BackupDescription | undefined): SourceIndexes {
  const features = description?.SourceTableFeatureDetails;
  return {
    what: 'The backup',
    gsis: features?.GlobalSecondaryIndexes ?? [],
    lsis: features?.LocalSecondaryIndexes ?? [],
    billingMode: description?.SourceTableDetails?.BillingMode,
  };
}

/** The indexes of a live table, from DescribeTable. */
function tableIndexes(table: TableDescription | undefined, name: string): SourceIndexes {
  return {
    what: `Table ${name}`,
    gsis: table?.GlobalSecondaryIndexes ?? [],
    lsis: table?.LocalSecondaryIndexes ?? [],
    billingMode: table ? (table.BillingModeSummary?.BillingMode ?? 'PROVISIONED') : undefined,
  };
}

/**
 * Index overrides for a restore that leaves some indexes out. AWS restores every index unless an
 * override list is given, and an override must repeat each kept index in full, so the definitions
 * come from the source itself (the backup, or the table restored to a point in time).
 */
function indexOverrides(
  source: SourceIndexes,
  overrides: RestoreOverrides,
  operation = 'RestoreTableFromBackup',
): Pick<RestoreTableFromBackupInput, 'GlobalSecondaryIndexOverride' | 'LocalSecondaryIndexOverride'> {
  const drop = overrides.dropIndexes;
  if (!drop || (Array.isArray(drop) && drop.length === 0)) return {};
  const { gsis, lsis } = source;
  const known = new Set([...gsis, ...lsis].flatMap((i) => (i.IndexName ? [i.IndexName] : [])));
  const dropped = new Set(drop === 'ALL' ? known : drop);
  if (drop !== 'ALL') {
    const unknown = drop.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      const have = known.size > 0 ? `It has: ${[...known].join(', ')}.` : 'It has no secondary indexes.';
      throw new AwsOperationError({
        code: 'UnknownIndex',
        operation,
        retryable: false,
        userMessage: `${source.what} has no index named ${unknown.join(', ')}, so it cannot be dropped. ${have}`,
      });
    }
  }

  const billing = overrides.billingMode ?? source.billingMode ?? 'PROVISIONED';
  const overrideThroughput = overrides.provisionedThroughput
    ? {
        ReadCapacityUnits: overrides.provisionedThroughput.readCapacityUnits,
        WriteCapacityUnits: overrides.provisionedThroughput.writeCapacityUnits,
      }
    : undefined;

  const result: ReturnType<typeof indexOverrides> = {};
  if (gsis.some((i) => i.IndexName && dropped.has(i.IndexName))) {
    result.GlobalSecondaryIndexOverride = gsis
      .filter((i) => i.IndexName && !dropped.has(i.IndexName))
      .map((i): GlobalSecondaryIndex => {
        const kept: GlobalSecondaryIndex = {
          IndexName: i.IndexName,
          KeySchema: i.KeySchema,
          Projection: i.Projection,
        };
        if (billing === 'PROVISIONED') {
          // A provisioned table needs throughput on every index; the override's units are what the
          // person asked for, the backup's own are the next best thing.
          const throughput = overrideThroughput ?? usableThroughput(i.ProvisionedThroughput);
          if (throughput) kept.ProvisionedThroughput = throughput;
        } else if (i.OnDemandThroughput) {
          kept.OnDemandThroughput = i.OnDemandThroughput;
        }
        return kept;
      });
  }
  if (lsis.some((i) => i.IndexName && dropped.has(i.IndexName))) {
    result.LocalSecondaryIndexOverride = lsis
      .filter((i) => i.IndexName && !dropped.has(i.IndexName))
      .map(
        (i): LocalSecondaryIndex => ({
          IndexName: i.IndexName,
          KeySchema: i.KeySchema,
          Projection: i.Projection,
        }),
      );
  }
  return result;
}

/** The billing, throughput and encryption overrides, as both restore calls spell them. */
function overrideParams(
  overrides: RestoreOverrides,
): Pick<
  RestoreTableFromBackupInput,
  'BillingModeOverride' | 'ProvisionedThroughputOverride' | 'SSESpecificationOverride'
> {
  const params: ReturnType<typeof overrideParams> = {};
  if (overrides.billingMode) params.BillingModeOverride = overrides.billingMode;
  if (overrides.provisionedThroughput) {
    params.ProvisionedThroughputOverride = {
      ReadCapacityUnits: overrides.provisionedThroughput.readCapacityUnits,
      WriteCapacityUnits: overrides.provisionedThroughput.writeCapacityUnits,
    };
  }
  if (overrides.sse) {
    params.SSESpecificationOverride = compact({
      Enabled: overrides.sse.enabled,
      SSEType: overrides.sse.sseType,
      KMSMasterKeyId: overrides.sse.kmsMasterKeyId,
    });
  }
  return params;
}

class DynamoDbTargetAccount implements TargetAccount {
  readonly accountId: string;
  readonly region: string;

  constructor(
    readonly environment: string,
    private readonly env: EnvironmentConfig,
    private readonly client: DynamoDBClient,
    readonly recoveryPoints: RecoveryPoints,
    /** A client of the same role session in another region (a cross-region source table). */
    private readonly clientIn: (region: string) => DynamoDBClient,
  ) {
    this.accountId = env.accountId;
    this.region = env.region;
  }

  private regional(region: string | undefined): DynamoDBClient {
    return !region || region === this.region ? this.client : this.clientIn(region);
  }

  private context(operation: string, extra: Partial<AwsErrorContext> = {}): AwsErrorContext {
    return {
      operation,
      environment: this.environment,
      accountId: this.accountId,
      region: this.region,
      roleArn: this.env.roleArn,
      ...extra,
    };
  }

  private async call<T>(context: AwsErrorContext, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw mapAwsError(err, context);
    }
  }

  async listBackups(filter: ListBackupsFilter): Promise<BackupInfo[]> {
    const context = this.context('ListBackups', compact({ tableName: filter.tableName }));
    const backups: BackupInfo[] = [];
    let startArn: string | undefined;
    do {
      const page: ListBackupsCommandOutput = await this.call(context, () =>
        this.client.send(
          new ListBackupsCommand(
            compact({
              TableName: filter.tableName,
              BackupType: filter.type,
              TimeRangeLowerBound: filter.since,
              ExclusiveStartBackupArn: startArn,
            }),
          ),
        ),
      );
      for (const summary of page.BackupSummaries ?? []) backups.push(fromSummary(summary));
      startArn = page.LastEvaluatedBackupArn;
    } while (startArn);
    return backups.sort(newestFirst);
  }

  private async describeBackupRaw(backupArn: string): Promise<BackupDescription | undefined> {
    const output = await this.call(this.context('DescribeBackup', { backupArn }), () =>
      this.client.send(new DescribeBackupCommand({ BackupArn: backupArn })),
    );
    return output.BackupDescription;
  }

  async describeBackup(backupArn: string): Promise<BackupInfo> {
    return fromDescription(await this.describeBackupRaw(backupArn), backupArn);
  }

  async findBackupsByName(name: string): Promise<BackupInfo[]> {
    const all = await this.listBackups({ type: 'ALL' });
    return all.filter((backup) => backup.name === name);
  }

  private async describeTableRaw(tableName: string, region?: string): Promise<TableDescription | undefined> {
    try {
      const output = await this.regional(region).send(new DescribeTableCommand({ TableName: tableName }));
      return output.Table ?? {};
    } catch (err) {
      if (errorName(err) === 'ResourceNotFoundException') return undefined;
      throw mapAwsError(err, this.context('DescribeTable', compact({ tableName, region })));
    }
  }

  async describeTable(tableName: string, region?: string): Promise<TableInfo | undefined> {
    const table = await this.describeTableRaw(tableName, region);
    return table ? fromTable(table, tableName) : undefined;
  }

  async describeContinuousBackups(tableName: string, region?: string): Promise<PitrStatus> {
    const output = await this.call(
      this.context('DescribeContinuousBackups', compact({ tableName, region })),
      () => this.regional(region).send(new DescribeContinuousBackupsCommand({ TableName: tableName })),
    );
    const pitr = output.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    return compact({
      enabled: pitr?.PointInTimeRecoveryStatus === 'ENABLED',
      earliest: iso(pitr?.EarliestRestorableDateTime),
      latest: iso(pitr?.LatestRestorableDateTime),
      recoveryPeriodInDays: pitr?.RecoveryPeriodInDays,
    });
  }

  async restoreTableToPointInTime(input: PointInTimeRestoreInput): Promise<TableInfo> {
    const { sourceTableArn, sourceTableName, sourceRegion, targetTable, overrides } = input;
    const operation = 'RestoreTableToPointInTime';
    const dropping = overrides.dropIndexes === 'ALL' || (overrides.dropIndexes?.length ?? 0) > 0;
    const indexes = dropping
      ? indexOverrides(
          tableIndexes(await this.describeTableRaw(sourceTableArn, sourceRegion), sourceTableName),
          overrides,
          operation,
        )
      : {};
    const request: RestoreTableToPointInTimeInput = {
      SourceTableArn: sourceTableArn,
      TargetTableName: targetTable,
      ...(input.restoreDateTime
        ? { RestoreDateTime: new Date(input.restoreDateTime) }
        : { UseLatestRestorableTime: true }),
      ...indexes,
      ...overrideParams(overrides),
    };
    // The call is made in the environment's region: a source in another region restores across.
    const output = await this.call(this.context(operation, { tableName: sourceTableName }), () =>
      this.client.send(new RestoreTableToPointInTimeCommand(request)),
    );
    return fromTable(output.TableDescription, targetTable);
  }

  async restoreTableFromBackup(input: {
    backup: BackupInfo;
    targetTable: string;
    overrides: RestoreOverrides;
  }): Promise<TableInfo> {
    const { backup, targetTable, overrides } = input;
    const dropping = overrides.dropIndexes === 'ALL' || (overrides.dropIndexes?.length ?? 0) > 0;
    const indexes = dropping
      ? indexOverrides(backupIndexes(await this.describeBackupRaw(backup.arn)), overrides)
      : {};
    const request: RestoreTableFromBackupInput = {
      TargetTableName: targetTable,
      BackupArn: backup.arn,
      ...indexes,
      ...overrideParams(overrides),
    };
    const output = await this.call(
      this.context('RestoreTableFromBackup', { tableName: targetTable, backupArn: backup.arn }),
      () => this.client.send(new RestoreTableFromBackupCommand(request)),
    );
    return fromTable(output.TableDescription, targetTable);
  }
}

/**
 * Target accounts per (environment, Slack user, tag). The factory assumes the role up front so a
 * broken trust policy surfaces as one clear AssumeRole error, and the client's credential provider
 * goes back to `sessions`, which re-assumes the role when the one-hour session runs out.
 */
export function createTargetAccountFactory(init: {
  config: BotConfig;
  sessions: RoleSessions;
  now?: () => Date;
  clientFactory?: DynamoDbClientFactory;
  /** The AWS Backup client of a role session (recovery points); default createBackupClient. */
  backupClientFactory?: BackupClientFactory;
}): TargetAccountFactory {
  const now = init.now ?? (() => new Date());
  const clientFactory: DynamoDbClientFactory = init.clientFactory ?? ((opts) => createDynamoDbClient(opts));
  const backupClientFactory: BackupClientFactory =
    init.backupClientFactory ?? ((opts) => createBackupClient(opts));
  const cache = new Map<
    string,
    { target: TargetAccount; clients: { destroy(): void }[]; lastUsed: number }
  >();

  const evictIdle = (at: number) => {
    for (const [key, entry] of cache) {
      if (at - entry.lastUsed > IDLE_EVICT_MS) {
        for (const client of entry.clients) client.destroy();
        cache.delete(key);
      }
    }
  };

  return async (environment, slackUserId, sessionTag, job = { kind: 'lookup' }) => {
    const env = requireEnvironment(init.config, environment);
    const credentials = await init.sessions.provider(environment, slackUserId, sessionTag, job);

    const at = now().getTime();
    const key = JSON.stringify([environment, slackUserId, sessionTag ?? null, job]);
    const cached = cache.get(key);
    if (cached) {
      cached.lastUsed = at;
      return cached.target;
    }
    evictIdle(at);
    const client = clientFactory({ region: env.region, credentials });
    const backupClient = backupClientFactory({ region: env.region, credentials });
    const recoveryPoints = new BackupRecoveryPoints(backupClient, {
      environment,
      accountId: env.accountId,
      region: env.region,
      roleArn: env.roleArn,
    });
    const clients: { destroy(): void }[] = [client, backupClient];
    const others = new Map<string, DynamoDBClient>();
    const clientIn = (region: string) => {
      let other = others.get(region);
      if (!other) {
        other = clientFactory({ region, credentials });
        others.set(region, other);
        clients.push(other);
      }
      return other;
    };
    const target = new DynamoDbTargetAccount(environment, env, client, recoveryPoints, clientIn);
    cache.set(key, { target, clients, lastUsed: at });
    return target;
  };
}

/**
 * Target accounts reached through STS role sessions made with the bot's own credentials: the
 * production wiring of the worker, the watcher and `npm start`.
 */
export function createStsTargets(
  config: BotConfig,
  now: () => Date = () => new Date(),
): TargetAccountFactory {
  return createTargetAccountFactory({ config, sessions: stsRoleSessions(config, now), now });
}
