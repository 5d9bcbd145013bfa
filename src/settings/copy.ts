import {
  type MetricType,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  type ScalableDimension,
} from '@aws-sdk/client-application-auto-scaling';
import {
  DescribeBackupCommand,
  DescribeTableCommand,
  type StreamViewType,
  type TableClass,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateContributorInsightsCommand,
  UpdateTableCommand,
  type UpdateTableCommandInput,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { AwsOperationError, mapAwsError } from '../aws/errors.ts';
import { buildSettingsDiff, type CopyStep, type SettingRow } from './diff.ts';
import {
  readTableSettings,
  type SettingsClients,
  scalableDimension,
  scalingResourceId,
  settingsFromBackup,
} from './read.ts';
import type { CopyLine, TableSettings } from './types.ts';

export interface SettingsComparison {
  source: TableSettings;
  target: TableSettings;
  rows: SettingRow[];
}

export interface CopyOptions {
  /** Waits between DescribeTable polls while the new table is UPDATING. */
  sleep?: (ms: number) => Promise<void>;
  /** Longest wait for the new table to be ACTIVE before an UpdateTable call. Default 2 minutes. */
  activeWaitMs?: number;
  pollMs?: number;
}

const DEFAULT_ACTIVE_WAIT_MS = 120_000;
const DEFAULT_POLL_MS = 3_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The source's settings: the live table when it still exists, otherwise what its backup records.
 * `backupArn` is absent for sources that have no backup (a point in time); then a deleted source
 * is reported with nothing recorded.
 */
async function readSourceSettings(
  clients: SettingsClients,
  source: { tableName: string; backupArn?: string },
): Promise<TableSettings> {
  const live = await readTableSettings(clients, source.tableName, { alarms: true });
  if (live) return live;
  if (!source.backupArn) return { tableName: source.tableName, origin: 'backup', settings: {} };
  try {
    const out = await clients.dynamodb.send(new DescribeBackupCommand({ BackupArn: source.backupArn }));
    return settingsFromBackup(out.BackupDescription ?? {}, source.tableName);
  } catch (err) {
    throw mapAwsError(err, { operation: 'DescribeBackup', backupArn: source.backupArn });
  }
}

/** Reads both tables and diffs them. Throws AwsOperationError when the new table does not exist. */
export async function compareSettings(
  clients: SettingsClients,
  input: { sourceTable: string; backupArn?: string; targetTable: string },
): Promise<SettingsComparison> {
  const [source, target] = await Promise.all([
    readSourceSettings(clients, {
      tableName: input.sourceTable,
      ...(input.backupArn ? { backupArn: input.backupArn } : {}),
    }),
    readTableSettings(clients, input.targetTable),
  ]);
  if (!target) {
    throw new AwsOperationError({
      code: 'ResourceNotFoundException',
      operation: 'DescribeTable',
      retryable: false,
      userMessage: `The new table ${input.targetTable} does not exist any more, so there is nothing to compare or copy.`,
    });
  }
  return { source, target, rows: buildSettingsDiff(source, target) };
}

async function waitUntilActive(
  clients: SettingsClients,
  tableName: string,
  options: CopyOptions,
): Promise<void> {
  const sleep = options.sleep ?? realSleep;
  const poll = options.pollMs ?? DEFAULT_POLL_MS;
  const deadline = options.activeWaitMs ?? DEFAULT_ACTIVE_WAIT_MS;
  for (let waited = 0; ; waited += poll) {
    const table = (await clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    if (table?.TableStatus === 'ACTIVE') return;
    if (waited >= deadline) {
      throw new AwsOperationError({
        code: 'TableNotActive',
        operation: 'UpdateTable',
        retryable: true,
        userMessage: `${tableName} is still ${table?.TableStatus ?? 'changing'} after an earlier change; press Copy again in a few minutes.`,
      });
    }
    await sleep(poll);
  }
}

/** The calls of one step, made against the new table only (its ARN comes from the new table's own DescribeTable). */
async function apply(
  clients: SettingsClients,
  target: TableSettings,
  step: CopyStep,
  options: CopyOptions,
): Promise<{ operation: string; run: () => Promise<unknown> }> {
  const db = clients.dynamodb;
  const TableName = target.tableName;
  const updateTable = (input: Omit<UpdateTableCommandInput, 'TableName'>) => async () => {
    await waitUntilActive(clients, TableName, options);
    return db.send(new UpdateTableCommand({ TableName, ...input }));
  };
  switch (step.key) {
    case 'ttl':
      return {
        operation: 'UpdateTimeToLive',
        run: () =>
          db.send(
            new UpdateTimeToLiveCommand({
              TableName,
              TimeToLiveSpecification: { Enabled: true, AttributeName: step.attribute },
            }),
          ),
      };
    case 'stream':
      return {
        operation: 'UpdateTable',
        run: updateTable({
          StreamSpecification: { StreamEnabled: true, StreamViewType: step.viewType as StreamViewType },
        }),
      };
    case 'pitr':
      return {
        operation: 'UpdateContinuousBackups',
        run: () =>
          db.send(
            new UpdateContinuousBackupsCommand({
              TableName,
              PointInTimeRecoverySpecification: {
                PointInTimeRecoveryEnabled: true,
                RecoveryPeriodInDays: step.recoveryPeriodDays,
              },
            }),
          ),
      };
    case 'deletionProtection':
      return { operation: 'UpdateTable', run: updateTable({ DeletionProtectionEnabled: true }) };
    case 'tableClass':
      return { operation: 'UpdateTable', run: updateTable({ TableClass: step.tableClass as TableClass }) };
    case 'tags':
      return {
        operation: 'TagResource',
        run: () =>
          db.send(
            new TagResourceCommand({
              ResourceArn: target.tableArn,
              Tags: Object.entries(step.tags).map(([Key, Value]) => ({ Key, Value })),
            }),
          ),
      };
    case 'autoScaling':
      return {
        operation: 'RegisterScalableTarget',
        run: async () => {
          for (const t of step.targets) {
            const ResourceId = scalingResourceId(TableName, t.index);
            const ScalableDimension = scalableDimension(t.dimension, t.index) as ScalableDimension;
            await clients.autoScaling.send(
              new RegisterScalableTargetCommand({
                ServiceNamespace: 'dynamodb',
                ResourceId,
                ScalableDimension,
                MinCapacity: t.min,
                MaxCapacity: t.max,
              }),
            );
            for (const p of t.policies) {
              await clients.autoScaling.send(
                new PutScalingPolicyCommand({
                  PolicyName: p.name,
                  ServiceNamespace: 'dynamodb',
                  ResourceId,
                  ScalableDimension,
                  PolicyType: 'TargetTrackingScaling',
                  TargetTrackingScalingPolicyConfiguration: {
                    TargetValue: p.targetValue,
                    ...(p.metric
                      ? { PredefinedMetricSpecification: { PredefinedMetricType: p.metric as MetricType } }
                      : {}),
                    ...(p.scaleInCooldown !== undefined ? { ScaleInCooldown: p.scaleInCooldown } : {}),
                    ...(p.scaleOutCooldown !== undefined ? { ScaleOutCooldown: p.scaleOutCooldown } : {}),
                    ...(p.disableScaleIn !== undefined ? { DisableScaleIn: p.disableScaleIn } : {}),
                  },
                }),
              );
            }
          }
        },
      };
    case 'contributorInsights':
      return {
        operation: 'UpdateContributorInsights',
        run: async () => {
          const scopes = [...(step.table ? [undefined] : []), ...step.indexes];
          for (const IndexName of scopes) {
            await db.send(
              new UpdateContributorInsightsCommand({
                TableName,
                ...(IndexName ? { IndexName } : {}),
                ContributorInsightsAction: 'ENABLE',
              }),
            );
          }
        },
      };
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Applies every 'copy' row of a comparison to the new table, one setting at a time, and reports
 * one line per setting. A failure is reported on its own line and the next setting still runs.
 * Idempotent through the comparison: a setting already copied diffs as equal and is not called.
 */
async function applySettings(
  clients: SettingsClients,
  comparison: SettingsComparison,
  options: CopyOptions = {},
): Promise<CopyLine[]> {
  const lines: CopyLine[] = [];
  for (const row of comparison.rows) {
    if (row.action === 'equal') {
      lines.push({ key: row.key, outcome: 'equal', text: `${row.label}: already equal` });
      continue;
    }
    if (row.action !== 'copy' || !row.step) {
      lines.push({
        key: row.key,
        outcome: 'not_possible',
        text: `${row.label}: not possible — ${lowerFirst(row.note)}`,
      });
      continue;
    }
    const call = await apply(clients, comparison.target, row.step, options);
    try {
      await call.run();
      lines.push({ key: row.key, outcome: 'done', text: `${row.label}: done — ${lowerFirst(row.note)}` });
    } catch (err) {
      const mapped = mapAwsError(err, { operation: call.operation, tableName: comparison.target.tableName });
      lines.push({ key: row.key, outcome: 'failed', text: `${row.label}: failed — ${mapped.userMessage}` });
    }
  }
  return lines;
}

/** Reads, diffs and copies: what one press of the Copy button does. */
export async function copySettings(
  clients: SettingsClients,
  input: { sourceTable: string; backupArn?: string; targetTable: string },
  options: CopyOptions = {},
): Promise<{ comparison: SettingsComparison; lines: CopyLine[] }> {
  const comparison = await compareSettings(clients, input);
  return { comparison, lines: await applySettings(clients, comparison, options) };
}
