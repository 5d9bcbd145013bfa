import type { FakeAws } from '../../src/sandbox/fake-aws.ts';

/**
 * A source table with every setting a restore leaves out, and its restored copy (no settings),
 * seeded in the AWS stand-in. Returns the two names.
 */
export function seedSourceAndRestored(
  fake: FakeAws,
  options: {
    source?: string;
    target?: string;
    indexes?: string[];
    tags?: number;
    targetBillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  } = {},
): { source: string; target: string } {
  const source = options.source ?? 'orders';
  const target = options.target ?? 'orders-restored';
  const gsis = options.indexes ?? ['byCustomer'];
  fake.addTable(source, 'ACTIVE', { billingMode: 'PROVISIONED', gsis });
  fake.addTable(target, 'ACTIVE', { billingMode: options.targetBillingMode ?? 'PROVISIONED', gsis });
  const s = fake.settings.of(source);
  s.ttl = { status: 'ENABLED', attribute: 'expiresAt' };
  s.stream = { viewType: 'NEW_AND_OLD_IMAGES' };
  s.pitr = { recoveryPeriodDays: 14 };
  s.deletionProtection = true;
  s.tableClass = 'STANDARD_INFREQUENT_ACCESS';
  s.contributorInsights.add('');
  s.contributorInsights.add(gsis[0] ?? '');
  s.kinesis.push({
    streamArn: `arn:aws:kinesis:us-east-1:${fake.accountId}:stream/orders-cdc`,
    status: 'ACTIVE',
  });
  s.resourcePolicy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
  const tagCount = options.tags ?? 3;
  for (let i = 0; i < tagCount; i++)
    s.tags.set(i === 0 ? 'team' : `tag-${i}`, i === 0 ? 'payments' : `value-${i}`);
  const scaled = [undefined, ...gsis];
  for (const index of scaled) {
    const resourceId = index ? `table/${source}/index/${index}` : `table/${source}`;
    for (const dim of ['ReadCapacityUnits', 'WriteCapacityUnits']) {
      const dimension = `dynamodb:${index ? 'index' : 'table'}:${dim}`;
      fake.settings.scalableTargets.push({ resourceId, dimension, min: 5, max: 100 });
      fake.settings.scalingPolicies.push({
        name: `${dim === 'ReadCapacityUnits' ? 'read' : 'write'}-scaling`,
        resourceId,
        dimension,
        config: {
          TargetValue: 70,
          PredefinedMetricSpecification: {
            PredefinedMetricType:
              dim === 'ReadCapacityUnits'
                ? 'DynamoDBReadCapacityUtilization'
                : 'DynamoDBWriteCapacityUtilization',
          },
          ScaleInCooldown: 60,
          ScaleOutCooldown: 60,
        },
      });
    }
  }
  fake.settings.alarms.push(
    {
      name: 'orders-throttles',
      metric: 'ThrottledRequests',
      dimensions: [{ Name: 'TableName', Value: source }],
    },
    {
      name: 'other-table-errors',
      metric: 'SystemErrors',
      dimensions: [{ Name: 'TableName', Value: 'other' }],
    },
    {
      name: `TargetTracking-table/${source}-AlarmHigh-1234`,
      metric: 'ConsumedReadCapacityUnits',
      dimensions: [{ Name: 'TableName', Value: source }],
    },
  );
  return { source, target };
}

/** Write operations the settings copy may make; none of them may ever name the source. */
export const WRITE_OPERATIONS = new Set([
  'UpdateTimeToLive',
  'UpdateTable',
  'UpdateContinuousBackups',
  'TagResource',
  'UpdateContributorInsights',
  'RegisterScalableTarget',
  'PutScalingPolicy',
  'EnableKinesisStreamingDestination',
  'PutResourcePolicy',
  'DeleteTable',
  'RestoreTableFromBackup',
]);

/** The write calls that named `table` (by name, ARN or scalable-target resource ID). */
export function writesNaming(fake: FakeAws, table: string) {
  const arn = fake.tableArn(table);
  return fake.calls.filter(
    (c) =>
      WRITE_OPERATIONS.has(c.operation) &&
      (c.params.TableName === table ||
        c.params.ResourceArn === arn ||
        c.params.ResourceId === `table/${table}` ||
        String(c.params.ResourceId ?? '').startsWith(`table/${table}/`)),
  );
}
