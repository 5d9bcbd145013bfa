import {
  type ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  type DescribeScalableTargetsCommandOutput,
  DescribeScalingPoliciesCommand,
  type DescribeScalingPoliciesCommandOutput,
} from '@aws-sdk/client-application-auto-scaling';
import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import {
  type BackupDescription,
  DescribeContinuousBackupsCommand,
  DescribeContributorInsightsCommand,
  DescribeKinesisStreamingDestinationCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  GetResourcePolicyCommand,
  ListTagsOfResourceCommand,
  type ListTagsOfResourceCommandOutput,
  type SSEDescription,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { mapAwsError } from '../aws/errors.ts';
import { mapLimited } from '../concurrency.ts';
import type {
  AlarmInfo,
  KinesisDestinationInfo,
  Reading,
  ScalingPolicyInfo,
  ScalingTargetInfo,
  SettingValues,
  TableSettings,
} from './types.ts';

/** The SDK clients of one settings role session (the worker builds them; tests point them at the stand-in). */
export interface SettingsClients {
  dynamodb: DynamoDBClient;
  autoScaling: ApplicationAutoScalingClient;
  cloudWatch: CloudWatchClient;
}

/** Calls in flight for per-index reads (contributor insights, scaling policies). */
const READ_CONCURRENCY = 5;
/** DescribeAlarms pages read at most (100 alarms each): an account with more is listed in part. */
const MAX_ALARM_PAGES = 20;
/** DescribeScalableTargets accepts at most 50 resource IDs per call. */
const MAX_RESOURCE_IDS = 50;

/** The scalable-target resource ID of a table or of one of its indexes. */
export function scalingResourceId(tableName: string, index?: string): string {
  return index ? `table/${tableName}/index/${index}` : `table/${tableName}`;
}

/** The scalable dimension string for a table or index. */
export function scalableDimension(dimension: ScalingTargetInfo['dimension'], index?: string): string {
  return `dynamodb:${index ? 'index' : 'table'}:${dimension}`;
}

async function reading<T>(operation: string, tableName: string, read: () => Promise<T>): Promise<Reading<T>> {
  try {
    return { value: await read() };
  } catch (err) {
    return { error: mapAwsError(err, { operation, tableName }).userMessage };
  }
}

function errorName(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'name' in err ? String(err.name) : undefined;
}

/** Describes the encryption the way the console does. */
function describeSse(sse: SSEDescription | undefined): string {
  if (!sse || (sse.Status !== 'ENABLED' && sse.Status !== 'UPDATING')) return 'AWS owned key';
  if (sse.KMSMasterKeyArn && !sse.KMSMasterKeyArn.endsWith('/aws/dynamodb')) return sse.KMSMasterKeyArn;
  return 'AWS managed key';
}

function fromTableDescription(table: TableDescription): Partial<TableSettings['settings']> {
  const stream = table.StreamSpecification;
  return {
    stream: { value: stream?.StreamEnabled ? (stream.StreamViewType ?? 'NEW_AND_OLD_IMAGES') : null },
    deletionProtection: { value: table.DeletionProtectionEnabled === true },
    tableClass: { value: table.TableClassSummary?.TableClass ?? 'STANDARD' },
    sse: { value: describeSse(table.SSEDescription) },
  };
}

async function readTags(client: DynamoDBClient, arn: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page: ListTagsOfResourceCommandOutput = await client.send(
      new ListTagsOfResourceCommand({ ResourceArn: arn, ...(token ? { NextToken: token } : {}) }),
    );
    for (const tag of page.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
    token = page.NextToken;
  } while (token);
  return tags;
}

async function readScaling(
  client: ApplicationAutoScalingClient,
  tableName: string,
  indexes: string[],
): Promise<ScalingTargetInfo[]> {
  const byResource = new Map<string, string | undefined>([[scalingResourceId(tableName), undefined]]);
  for (const index of indexes) byResource.set(scalingResourceId(tableName, index), index);
  const ids = [...byResource.keys()];
  const targets: ScalingTargetInfo[] = [];
  for (let i = 0; i < ids.length; i += MAX_RESOURCE_IDS) {
    let token: string | undefined;
    do {
      const page: DescribeScalableTargetsCommandOutput = await client.send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: 'dynamodb',
          ResourceIds: ids.slice(i, i + MAX_RESOURCE_IDS),
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const t of page.ScalableTargets ?? []) {
        const dimension = t.ScalableDimension?.endsWith('WriteCapacityUnits')
          ? 'WriteCapacityUnits'
          : 'ReadCapacityUnits';
        const index = byResource.get(t.ResourceId ?? '');
        targets.push({
          ...(index ? { index } : {}),
          dimension,
          min: t.MinCapacity ?? 0,
          max: t.MaxCapacity ?? 0,
          policies: [],
        });
      }
      token = page.NextToken;
    } while (token);
  }
  const resources = [...new Set(targets.map((t) => t.index))];
  await mapLimited(resources, READ_CONCURRENCY, async (index) => {
    let token: string | undefined;
    do {
      const page: DescribeScalingPoliciesCommandOutput = await client.send(
        new DescribeScalingPoliciesCommand({
          ServiceNamespace: 'dynamodb',
          ResourceId: scalingResourceId(tableName, index),
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const p of page.ScalingPolicies ?? []) {
        const config = p.TargetTrackingScalingPolicyConfiguration;
        if (p.PolicyType !== 'TargetTrackingScaling' || !config || config.TargetValue === undefined) continue;
        const target = targets.find(
          (t) => t.index === index && p.ScalableDimension === scalableDimension(t.dimension, index),
        );
        if (!target) continue;
        const policy: ScalingPolicyInfo = { name: p.PolicyName ?? 'policy', targetValue: config.TargetValue };
        const metric = config.PredefinedMetricSpecification?.PredefinedMetricType;
        if (metric) policy.metric = metric;
        if (config.ScaleInCooldown !== undefined) policy.scaleInCooldown = config.ScaleInCooldown;
        if (config.ScaleOutCooldown !== undefined) policy.scaleOutCooldown = config.ScaleOutCooldown;
        if (config.DisableScaleIn !== undefined) policy.disableScaleIn = config.DisableScaleIn;
        target.policies.push(policy);
      }
      token = page.NextToken;
    } while (token);
  });
  return targets.sort(
    (a, b) => (a.index ?? '').localeCompare(b.index ?? '') || a.dimension.localeCompare(b.dimension),
  );
}

async function readContributorInsights(
  client: DynamoDBClient,
  tableName: string,
  indexes: string[],
): Promise<SettingValues['contributorInsights']> {
  const scopes: (string | undefined)[] = [undefined, ...indexes];
  const enabled = await mapLimited(scopes, READ_CONCURRENCY, async (index) => {
    const out = await client.send(
      new DescribeContributorInsightsCommand({
        TableName: tableName,
        ...(index ? { IndexName: index } : {}),
      }),
    );
    return out.ContributorInsightsStatus === 'ENABLED' || out.ContributorInsightsStatus === 'ENABLING';
  });
  return { table: enabled[0] === true, indexes: indexes.filter((_, i) => enabled[i + 1]) };
}

async function readKinesis(client: DynamoDBClient, tableName: string): Promise<KinesisDestinationInfo[]> {
  const out = await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: tableName }));
  return (out.KinesisDataStreamDestinations ?? [])
    .filter((d) => d.StreamArn && (d.DestinationStatus === 'ACTIVE' || d.DestinationStatus === 'ENABLING'))
    .map((d) => ({ streamArn: d.StreamArn ?? '', status: d.DestinationStatus ?? 'ACTIVE' }));
}

async function readResourcePolicy(client: DynamoDBClient, arn: string): Promise<string | null> {
  try {
    const out = await client.send(new GetResourcePolicyCommand({ ResourceArn: arn }));
    return out.Policy ?? null;
  } catch (err) {
    if (errorName(err) === 'PolicyNotFoundException') return null;
    throw err;
  }
}

/** Metric alarms with a TableName dimension naming the table (DescribeAlarms cannot filter on dimensions). */
async function readAlarms(client: CloudWatchClient, tableName: string): Promise<AlarmInfo[]> {
  const alarms: AlarmInfo[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page: DescribeAlarmsCommandOutput = await client.send(
      new DescribeAlarmsCommand({
        AlarmTypes: ['MetricAlarm'],
        MaxRecords: 100,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const alarm of page.MetricAlarms ?? []) {
      const names = alarm.Dimensions?.some((d) => d.Name === 'TableName' && d.Value === tableName);
      // Application Auto Scaling owns its TargetTracking-* alarms; copying the scaling policy recreates them.
      if (!names || !alarm.AlarmName || alarm.AlarmName.startsWith('TargetTracking-')) continue;
      const info: AlarmInfo = { name: alarm.AlarmName };
      if (alarm.MetricName) info.metric = alarm.MetricName;
      if (alarm.StateValue) info.state = alarm.StateValue;
      alarms.push(info);
    }
    token = page.NextToken;
    pages += 1;
  } while (token && pages < MAX_ALARM_PAGES);
  return alarms;
}

/**
 * Reads every setting of a live table; undefined when the table does not exist. Each setting is
 * read on its own, so one that the role may not read is reported and the others are still shown.
 * @param options.alarms also list the CloudWatch alarms naming the table (the source only).
 */
export async function readTableSettings(
  clients: SettingsClients,
  tableName: string,
  options: { alarms?: boolean } = {},
): Promise<TableSettings | undefined> {
  let table: TableDescription | undefined;
  try {
    table = (await clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined;
    throw mapAwsError(err, { operation: 'DescribeTable', tableName });
  }
  if (!table) return undefined;
  const arn = table.TableArn ?? '';
  const indexes = (table.GlobalSecondaryIndexes ?? []).flatMap((i) => (i.IndexName ? [i.IndexName] : []));
  const db = clients.dynamodb;
  const [ttl, pitr, tags, autoScaling, contributorInsights, kinesis, resourcePolicy, alarms] =
    await Promise.all([
      reading('DescribeTimeToLive', tableName, async () => {
        const d = (await db.send(new DescribeTimeToLiveCommand({ TableName: tableName })))
          .TimeToLiveDescription;
        const on = d?.TimeToLiveStatus === 'ENABLED' || d?.TimeToLiveStatus === 'ENABLING';
        return on ? (d?.AttributeName ?? null) : null;
      }),
      reading('DescribeContinuousBackups', tableName, async () => {
        const d = (await db.send(new DescribeContinuousBackupsCommand({ TableName: tableName })))
          .ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
        return d?.PointInTimeRecoveryStatus === 'ENABLED' ? (d.RecoveryPeriodInDays ?? 35) : null;
      }),
      reading('ListTagsOfResource', tableName, () => readTags(db, arn)),
      reading('DescribeScalableTargets', tableName, () =>
        readScaling(clients.autoScaling, tableName, indexes),
      ),
      reading('DescribeContributorInsights', tableName, () =>
        readContributorInsights(db, tableName, indexes),
      ),
      reading('DescribeKinesisStreamingDestination', tableName, () => readKinesis(db, tableName)),
      reading('GetResourcePolicy', tableName, () => readResourcePolicy(db, arn)),
      options.alarms
        ? reading('DescribeAlarms', tableName, () => readAlarms(clients.cloudWatch, tableName))
        : Promise.resolve(undefined),
    ]);
  const settings: TableSettings['settings'] = {
    ...fromTableDescription(table),
    ttl,
    pitr,
    tags,
    autoScaling,
    contributorInsights,
    kinesis,
    resourcePolicy,
  };
  if (alarms) settings.alarms = alarms;
  return {
    tableName,
    origin: 'table',
    tableArn: arn,
    billingMode: table.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
    indexes,
    settings,
  };
}

/**
 * What a backup still records about its source table when the table is gone: streams, TTL and
 * encryption (SourceTableFeatureDetails). Everything else is left out, and the diff says so.
 */
export function settingsFromBackup(description: BackupDescription, fallbackName: string): TableSettings {
  const source = description.SourceTableDetails;
  const features = description.SourceTableFeatureDetails;
  const settings: TableSettings['settings'] = {};
  const stream = features?.StreamDescription;
  settings.stream = { value: stream?.StreamEnabled ? (stream.StreamViewType ?? 'NEW_AND_OLD_IMAGES') : null };
  const ttl = features?.TimeToLiveDescription;
  settings.ttl = {
    value:
      ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING'
        ? (ttl.AttributeName ?? null)
        : null,
  };
  settings.sse = { value: describeSse(features?.SSEDescription) };
  const result: TableSettings = {
    tableName: source?.TableName ?? fallbackName,
    origin: 'backup',
    billingMode: source?.BillingMode ?? 'PROVISIONED',
    indexes: (features?.GlobalSecondaryIndexes ?? []).flatMap((i) => (i.IndexName ? [i.IndexName] : [])),
    settings,
  };
  if (source?.TableArn) result.tableArn = source.TableArn;
  return result;
}
