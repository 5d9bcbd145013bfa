/**
 * The settings part of the loopback AWS stand-in (fake-aws.ts): the DynamoDB calls
 * that read and change a table's settings (TTL, PITR, tags, contributor insights, Kinesis
 * destinations, resource policy, UpdateTable's stream / deletion protection / table class),
 * Application Auto Scaling (awsJson1_1, `AnyScaleFrontendService.*`) and CloudWatch DescribeAlarms
 * (awsJson1_0, `GraniteServiceVersion20100801.*`). FakeAws routes those calls here; the real SDK
 * clients talk to it unchanged. Validation follows AWS where a second call would differ from the
 * first (enabling TTL twice, a second stream), so the copy runner's idempotence is tested for real.
 */
import { AwsWireError, pageOf } from './wire.ts';

export interface FakeTableSettings {
  ttl?: { status: 'ENABLED' | 'DISABLED'; attribute?: string };
  stream?: { viewType: string };
  pitr?: { recoveryPeriodDays: number };
  deletionProtection: boolean;
  tags: Map<string, string>;
  tableClass: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
  /** '' is the table itself; other entries are index names. */
  contributorInsights: Set<string>;
  kinesis: { streamArn: string; status: string }[];
  resourcePolicy?: string;
}

export interface FakeScalableTarget {
  resourceId: string;
  dimension: string;
  min: number;
  max: number;
}

export interface FakeScalingPolicy {
  name: string;
  resourceId: string;
  dimension: string;
  config: Record<string, unknown>;
}

export interface FakeAlarm {
  name: string;
  metric: string;
  dimensions: { Name: string; Value: string }[];
  state?: string;
}

/** What FakeAws tells the settings part about its tables. */
export interface SettingsHost {
  region: string;
  accountId: string;
  hasTable(name: string): boolean;
  tableStatus(name: string): string | undefined;
  tableNameOfArn(arn: string): string | undefined;
  indexesOf(name: string): string[];
  billingModeOf(name: string): string | undefined;
}

export const AUTO_SCALING_TARGET_PREFIX = 'AnyScaleFrontendService.';
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

const DYNAMODB_SETTINGS_OPERATIONS = new Set([
  'DescribeTimeToLive',
  'UpdateTimeToLive',
  'DescribeContinuousBackups',
  'UpdateContinuousBackups',
  'ListTagsOfResource',
  'TagResource',
  'DescribeContributorInsights',
  'UpdateContributorInsights',
  'DescribeKinesisStreamingDestination',
  'GetResourcePolicy',
  'UpdateTable',
]);

/** The DynamoDB operations the settings part answers. */
export function isSettingsOperation(operation: string): boolean {
  return DYNAMODB_SETTINGS_OPERATIONS.has(operation);
}

function str(params: Record<string, unknown>, key: string): string | undefined {
  const v = params[key];
  return typeof v === 'string' ? v : undefined;
}

function notFound(name: string): AwsWireError {
  return new AwsWireError(
    'ResourceNotFoundException',
    `Requested resource not found: Table: ${name} not found`,
  );
}

/** The in-memory settings of the fake's tables, scaling targets and alarms. */
export class FakeSettings {
  readonly tables = new Map<string, FakeTableSettings>();
  readonly scalableTargets: FakeScalableTarget[] = [];
  readonly scalingPolicies: FakeScalingPolicy[] = [];
  readonly alarms: FakeAlarm[] = [];
  /** DescribeAlarms page size (AWS: up to 100). */
  alarmsPageSize = 100;

  constructor(private readonly host: SettingsHost) {}

  /** The settings of `tableName` (created with AWS's defaults on first use). */
  of(tableName: string): FakeTableSettings {
    let s = this.tables.get(tableName);
    if (!s) {
      s = {
        deletionProtection: false,
        tags: new Map(),
        tableClass: 'STANDARD',
        contributorInsights: new Set(),
        kinesis: [],
      };
      this.tables.set(tableName, s);
    }
    return s;
  }

  /** Forgets a deleted table's settings (AWS drops them with the table). */
  drop(tableName: string): void {
    this.tables.delete(tableName);
    const prefix = `table/${tableName}`;
    const owned = (id: string) => id === prefix || id.startsWith(`${prefix}/`);
    for (const list of [this.scalableTargets, this.scalingPolicies]) {
      for (let i = list.length - 1; i >= 0; i--) if (owned(list[i]!.resourceId)) list.splice(i, 1);
    }
  }

  /** Fields DescribeTable shows for the table's settings. */
  describeFields(tableName: string): Record<string, unknown> {
    const s = this.of(tableName);
    const fields: Record<string, unknown> = {
      DeletionProtectionEnabled: s.deletionProtection,
      TableClassSummary: { TableClass: s.tableClass },
    };
    if (s.stream) {
      fields.StreamSpecification = { StreamEnabled: true, StreamViewType: s.stream.viewType };
      fields.LatestStreamArn = `arn:aws:dynamodb:${this.host.region}:${this.host.accountId}:table/${tableName}/stream/2026-01-01T00:00:00.000`;
    }
    return fields;
  }

  private table(params: Record<string, unknown>, key = 'TableName'): string {
    const name = str(params, key) ?? '';
    if (!this.host.hasTable(name)) throw notFound(name);
    return name;
  }

  private tableOfArn(params: Record<string, unknown>): string {
    const arn = str(params, 'ResourceArn') ?? '';
    const name = this.host.tableNameOfArn(arn);
    if (!name || !this.host.hasTable(name)) {
      throw new AwsWireError(
        'ResourceNotFoundException',
        `Requested resource not found: ResourcArn: ${arn} not found`,
      );
    }
    return name;
  }

  // ------------------------------------------------------------ DynamoDB

  dynamo(operation: string, params: Record<string, unknown>): Record<string, unknown> {
    switch (operation) {
      case 'DescribeTimeToLive': {
        const ttl = this.of(this.table(params)).ttl;
        const d: Record<string, unknown> = { TimeToLiveStatus: ttl?.status ?? 'DISABLED' };
        if (ttl?.attribute && ttl.status === 'ENABLED') d.AttributeName = ttl.attribute;
        return { TimeToLiveDescription: d };
      }
      case 'UpdateTimeToLive': {
        const s = this.of(this.table(params));
        const spec = params.TimeToLiveSpecification as
          | { Enabled?: boolean; AttributeName?: string }
          | undefined;
        if (!spec?.AttributeName)
          throw new AwsWireError('ValidationException', 'TimeToLiveSpecification.AttributeName is required');
        if (spec.Enabled && s.ttl?.status === 'ENABLED') {
          throw new AwsWireError('ValidationException', 'TimeToLive is already enabled');
        }
        if (!spec.Enabled && s.ttl?.status !== 'ENABLED') {
          throw new AwsWireError('ValidationException', 'TimeToLive is already disabled');
        }
        s.ttl = spec.Enabled ? { status: 'ENABLED', attribute: spec.AttributeName } : { status: 'DISABLED' };
        return {
          TimeToLiveSpecification: { Enabled: spec.Enabled === true, AttributeName: spec.AttributeName },
        };
      }
      case 'DescribeContinuousBackups':
        return { ContinuousBackupsDescription: this.continuousBackups(this.table(params)) };
      case 'UpdateContinuousBackups': {
        const name = this.table(params);
        const spec = params.PointInTimeRecoverySpecification as
          | { PointInTimeRecoveryEnabled?: boolean; RecoveryPeriodInDays?: number }
          | undefined;
        const days = spec?.RecoveryPeriodInDays ?? 35;
        if (days < 1 || days > 35) {
          throw new AwsWireError('ValidationException', 'RecoveryPeriodInDays must be between 1 and 35');
        }
        const s = this.of(name);
        if (spec?.PointInTimeRecoveryEnabled) s.pitr = { recoveryPeriodDays: days };
        else delete s.pitr;
        return { ContinuousBackupsDescription: this.continuousBackups(name) };
      }
      case 'ListTagsOfResource': {
        const s = this.of(this.tableOfArn(params));
        const all = [...s.tags].map(([Key, Value]) => ({ Key, Value }));
        // AWS pages tags; 10 a page keeps pagination exercised.
        const { items, nextToken } = pageOf(all, str(params, 'NextToken'), 10);
        return { Tags: items, ...(nextToken ? { NextToken: nextToken } : {}) };
      }
      case 'TagResource': {
        const s = this.of(this.tableOfArn(params));
        const tags = (params.Tags as { Key: string; Value: string }[] | undefined) ?? [];
        const reserved = tags.find((t) => t.Key.startsWith('aws:'));
        if (reserved)
          throw new AwsWireError(
            'ValidationException',
            `Tag keys starting with aws: are reserved: ${reserved.Key}`,
          );
        const after = new Set([...s.tags.keys(), ...tags.map((t) => t.Key)]);
        if (after.size > 50)
          throw new AwsWireError('LimitExceededException', 'A table can have at most 50 tags');
        for (const t of tags) s.tags.set(t.Key, t.Value);
        return {};
      }
      case 'DescribeContributorInsights': {
        const name = this.table(params);
        const index = str(params, 'IndexName');
        this.requireIndex(name, index);
        const on = this.of(name).contributorInsights.has(index ?? '');
        return {
          TableName: name,
          ...(index ? { IndexName: index } : {}),
          ContributorInsightsStatus: on ? 'ENABLED' : 'DISABLED',
        };
      }
      case 'UpdateContributorInsights': {
        const name = this.table(params);
        const index = str(params, 'IndexName');
        this.requireIndex(name, index);
        const set = this.of(name).contributorInsights;
        if (str(params, 'ContributorInsightsAction') === 'ENABLE') set.add(index ?? '');
        else set.delete(index ?? '');
        return {
          TableName: name,
          ...(index ? { IndexName: index } : {}),
          ContributorInsightsStatus: 'ENABLING',
        };
      }
      case 'DescribeKinesisStreamingDestination': {
        const name = this.table(params);
        return {
          TableName: name,
          KinesisDataStreamDestinations: this.of(name).kinesis.map((k) => ({
            StreamArn: k.streamArn,
            DestinationStatus: k.status,
          })),
        };
      }
      case 'GetResourcePolicy': {
        const policy = this.of(this.tableOfArn(params)).resourcePolicy;
        if (!policy) {
          throw new AwsWireError(
            'PolicyNotFoundException',
            `Resource-based policy not found for the provided ResourceArn: ${str(params, 'ResourceArn')}`,
          );
        }
        return { Policy: policy, RevisionId: '1' };
      }
      case 'UpdateTable':
        return this.updateTable(params);
      default:
        throw new AwsWireError(
          'UnknownOperationException',
          `fake-aws does not implement DynamoDB ${operation}`,
        );
    }
  }

  private requireIndex(table: string, index: string | undefined): void {
    if (index && !this.host.indexesOf(table).includes(index)) {
      throw new AwsWireError(
        'ResourceNotFoundException',
        `Requested resource not found: Index: ${index} not found`,
      );
    }
  }

  private continuousBackups(name: string): Record<string, unknown> {
    const pitr = this.of(name).pitr;
    return {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: pitr
        ? { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: pitr.recoveryPeriodDays }
        : { PointInTimeRecoveryStatus: 'DISABLED' },
    };
  }

  private updateTable(params: Record<string, unknown>): Record<string, unknown> {
    const name = this.table(params);
    const status = this.host.tableStatus(name);
    if (status !== 'ACTIVE') {
      throw new AwsWireError(
        'ResourceInUseException',
        `Attempt to change a resource which is still in use: Table is being ${status === 'CREATING' ? 'created' : 'updated'}: ${name}`,
      );
    }
    const s = this.of(name);
    const stream = params.StreamSpecification as
      | { StreamEnabled?: boolean; StreamViewType?: string }
      | undefined;
    if (stream?.StreamEnabled && s.stream) {
      throw new AwsWireError(
        'ValidationException',
        `Table already has an enabled stream: TableName: ${name}`,
      );
    }
    if (stream?.StreamEnabled) s.stream = { viewType: stream.StreamViewType ?? 'NEW_AND_OLD_IMAGES' };
    else if (stream) delete s.stream;
    if (typeof params.DeletionProtectionEnabled === 'boolean')
      s.deletionProtection = params.DeletionProtectionEnabled;
    const tableClass = str(params, 'TableClass');
    if (tableClass === 'STANDARD' || tableClass === 'STANDARD_INFREQUENT_ACCESS') s.tableClass = tableClass;
    else if (tableClass !== undefined)
      throw new AwsWireError('ValidationException', `Invalid TableClass: ${tableClass}`);
    return { TableDescription: { TableName: name, TableStatus: 'ACTIVE', ...this.describeFields(name) } };
  }

  // ----------------------------------------------- Application Auto Scaling

  /** Splits `table/NAME[/index/INDEX]`; throws the error AWS gives for a missing table. */
  private scalableResource(resourceId: string, dimension: string): { table: string; index?: string } {
    const match = /^table\/([^/]+)(?:\/index\/([^/]+))?$/.exec(resourceId);
    if (!match) throw new AwsWireError('ValidationException', `Unsupported resource ID: ${resourceId}`);
    const [, table = '', index] = match;
    const kind = index ? 'index' : 'table';
    if (
      !/^dynamodb:(table|index):(Read|Write)CapacityUnits$/.test(dimension) ||
      !dimension.startsWith(`dynamodb:${kind}:`)
    ) {
      throw new AwsWireError(
        'ValidationException',
        `Unsupported scalable dimension ${dimension} for ${resourceId}`,
      );
    }
    if (!this.host.hasTable(table) || (index && !this.host.indexesOf(table).includes(index))) {
      throw new AwsWireError('ValidationException', `DynamoDB resource ${resourceId} does not exist`);
    }
    return index ? { table, index } : { table };
  }

  autoScaling(operation: string, params: Record<string, unknown>): Record<string, unknown> {
    if (str(params, 'ServiceNamespace') !== 'dynamodb') {
      throw new AwsWireError('ValidationException', 'fake-aws serves the dynamodb service namespace only');
    }
    switch (operation) {
      case 'DescribeScalableTargets': {
        const ids = params.ResourceIds as string[] | undefined;
        if (ids && ids.length > 50) throw new AwsWireError('ValidationException', 'ResourceIds: at most 50');
        const found = this.scalableTargets.filter((t) => !ids || ids.includes(t.resourceId));
        return {
          ScalableTargets: found.map((t) => ({
            ServiceNamespace: 'dynamodb',
            ResourceId: t.resourceId,
            ScalableDimension: t.dimension,
            MinCapacity: t.min,
            MaxCapacity: t.max,
            RoleARN: `arn:aws:iam::${this.host.accountId}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable`,
            CreationTime: 1_700_000_000,
          })),
        };
      }
      case 'DescribeScalingPolicies': {
        const id = str(params, 'ResourceId');
        const found = this.scalingPolicies.filter((p) => id === undefined || p.resourceId === id);
        return {
          ScalingPolicies: found.map((p) => ({
            PolicyARN: `arn:aws:autoscaling:${this.host.region}:${this.host.accountId}:scalingPolicy:fake:resource/dynamodb/${p.resourceId}:policyName/${p.name}`,
            PolicyName: p.name,
            ServiceNamespace: 'dynamodb',
            ResourceId: p.resourceId,
            ScalableDimension: p.dimension,
            PolicyType: 'TargetTrackingScaling',
            TargetTrackingScalingPolicyConfiguration: p.config,
            CreationTime: 1_700_000_000,
          })),
        };
      }
      case 'RegisterScalableTarget': {
        const resourceId = str(params, 'ResourceId') ?? '';
        const dimension = str(params, 'ScalableDimension') ?? '';
        const { table } = this.scalableResource(resourceId, dimension);
        if (this.host.billingModeOf(table) === 'PAY_PER_REQUEST') {
          throw new AwsWireError(
            'ValidationException',
            `Scaling is not supported for on-demand table ${table}`,
          );
        }
        const min = Number(params.MinCapacity);
        const max = Number(params.MaxCapacity);
        if (!(min >= 1 && max >= min))
          throw new AwsWireError(
            'ValidationException',
            'MinCapacity must be at least 1 and not above MaxCapacity',
          );
        const existing = this.scalableTargets.find(
          (t) => t.resourceId === resourceId && t.dimension === dimension,
        );
        if (existing) Object.assign(existing, { min, max });
        else this.scalableTargets.push({ resourceId, dimension, min, max });
        return {};
      }
      case 'PutScalingPolicy': {
        const resourceId = str(params, 'ResourceId') ?? '';
        const dimension = str(params, 'ScalableDimension') ?? '';
        if (!this.scalableTargets.some((t) => t.resourceId === resourceId && t.dimension === dimension)) {
          throw new AwsWireError(
            'ObjectNotFoundException',
            `No scalable target registered for service namespace: dynamodb, resource ID: ${resourceId}, scalable dimension: ${dimension}`,
          );
        }
        const name = str(params, 'PolicyName') ?? '';
        const config =
          (params.TargetTrackingScalingPolicyConfiguration as Record<string, unknown> | undefined) ?? {};
        const existing = this.scalingPolicies.find(
          (p) => p.resourceId === resourceId && p.dimension === dimension && p.name === name,
        );
        if (existing) existing.config = config;
        else this.scalingPolicies.push({ name, resourceId, dimension, config });
        return {
          PolicyARN: `arn:aws:autoscaling:${this.host.region}:${this.host.accountId}:scalingPolicy:fake:resource/dynamodb/${resourceId}:policyName/${name}`,
          Alarms: [],
        };
      }
      default:
        throw new AwsWireError(
          'UnknownOperationException',
          `fake-aws does not implement Application Auto Scaling ${operation}`,
        );
    }
  }

  // ---------------------------------------------------------- CloudWatch

  cloudWatch(operation: string, params: Record<string, unknown>): Record<string, unknown> {
    if (operation !== 'DescribeAlarms') {
      throw new AwsWireError(
        'UnknownOperationException',
        `fake-aws does not implement CloudWatch ${operation}`,
      );
    }
    const size = Math.min(Number(params.MaxRecords ?? 50), this.alarmsPageSize);
    const { items, nextToken } = pageOf(this.alarms, str(params, 'NextToken'), size);
    return {
      MetricAlarms: items.map((a) => ({
        AlarmName: a.name,
        AlarmArn: `arn:aws:cloudwatch:${this.host.region}:${this.host.accountId}:alarm:${a.name}`,
        MetricName: a.metric,
        Namespace: 'AWS/DynamoDB',
        Dimensions: a.dimensions,
        StateValue: a.state ?? 'OK',
      })),
      CompositeAlarms: [],
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }
}
