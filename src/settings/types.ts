/**
 * The settings of a DynamoDB table that a restore does not carry over, in plain data (no SDK
 * types), so the diff builder, the Block Kit builders, the store and the tests share them.
 */

/** One setting as read from AWS: its value, or why it could not be read. */
export type Reading<T> = { value: T } | { error: string };

export interface ScalingPolicyInfo {
  name: string;
  /** Target utilisation in percent. */
  targetValue: number;
  /** DynamoDBReadCapacityUtilization or DynamoDBWriteCapacityUtilization. */
  metric?: string;
  scaleInCooldown?: number;
  scaleOutCooldown?: number;
  disableScaleIn?: boolean;
}

/** One Application Auto Scaling target of a table or of one of its global secondary indexes. */
export interface ScalingTargetInfo {
  /** Undefined for the table itself. */
  index?: string;
  dimension: 'ReadCapacityUnits' | 'WriteCapacityUnits';
  min: number;
  max: number;
  policies: ScalingPolicyInfo[];
}

export interface ContributorInsightsInfo {
  table: boolean;
  /** Global secondary indexes with contributor insights enabled. */
  indexes: string[];
}

export interface KinesisDestinationInfo {
  streamArn: string;
  status: string;
}

export interface AlarmInfo {
  name: string;
  metric?: string;
  state?: string;
}

/** Every setting the bot compares, in the order the thread shows them. */
export const SETTING_KEYS = [
  'ttl',
  'stream',
  'pitr',
  'deletionProtection',
  'tags',
  'tableClass',
  'autoScaling',
  'contributorInsights',
  'kinesis',
  'resourcePolicy',
  'sse',
  'alarms',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

export const SETTING_LABELS: Record<SettingKey, string> = {
  ttl: 'TTL',
  stream: 'Stream',
  pitr: 'Point-in-time recovery',
  deletionProtection: 'Deletion protection',
  tags: 'Tags',
  tableClass: 'Table class',
  autoScaling: 'Auto scaling',
  contributorInsights: 'Contributor insights',
  kinesis: 'Kinesis streaming',
  resourcePolicy: 'Resource policy',
  sse: 'Encryption',
  alarms: 'CloudWatch alarms',
};

/** The same names inside a sentence ("The bot can copy: TTL, stream, point-in-time recovery"). */
export const SETTING_NAMES: Record<SettingKey, string> = {
  ttl: 'TTL',
  stream: 'stream',
  pitr: 'point-in-time recovery',
  deletionProtection: 'deletion protection',
  tags: 'tags',
  tableClass: 'table class',
  autoScaling: 'auto scaling',
  contributorInsights: 'contributor insights',
  kinesis: 'Kinesis streaming',
  resourcePolicy: 'resource policy',
  sse: 'encryption',
  alarms: 'CloudWatch alarms',
};

export interface SettingValues {
  /** TTL attribute name; null when TTL is off. */
  ttl: string | null;
  /** Stream view type; null when there is no stream. */
  stream: string | null;
  /** Recovery period in days; null when PITR is off. */
  pitr: number | null;
  deletionProtection: boolean;
  tags: Record<string, string>;
  tableClass: string;
  autoScaling: ScalingTargetInfo[];
  contributorInsights: ContributorInsightsInfo;
  kinesis: KinesisDestinationInfo[];
  /** The policy document; null when there is none. */
  resourcePolicy: string | null;
  /** "AWS owned key", "AWS managed key" or the KMS key ARN. */
  sse: string;
  alarms: AlarmInfo[];
}

/**
 * What the bot knows about one table's settings. A setting left out was not recorded (a deleted
 * source table described only by its backup).
 */
export interface TableSettings {
  tableName: string;
  /** 'table' = read from the live table; 'backup' = the backup's SourceTableFeatureDetails. */
  origin: 'table' | 'backup';
  tableArn?: string;
  billingMode?: string;
  /** Global secondary indexes of the table. */
  indexes?: string[];
  settings: { [K in SettingKey]?: Reading<SettingValues[K]> };
}

/**
 * What the bot can do about one setting: nothing (equal), copy it (one step), leave it to a person
 * (manual, with the reason), or nothing because a side could not be read (unknown).
 */
export type RowAction = 'equal' | 'copy' | 'manual' | 'unknown';

/** One row of the settings diff as stored on the request and shown in Slack. */
export interface SettingRowView {
  key: SettingKey;
  label: string;
  /** The source's value, in words. */
  source: string;
  /** The new table's value, in words. */
  target: string;
  action: RowAction;
  /** What the bot does (copy) or why it does not (manual, unknown); "Same" when equal. */
  note: string;
}

export type CopyOutcome = 'done' | 'equal' | 'not_possible' | 'failed';

/** One line of the thread's copy report. */
export interface CopyLine {
  key: SettingKey;
  outcome: CopyOutcome;
  text: string;
}

/** A run of Copy settings: claimed by one conditional write, finished by another. */
export interface SettingsCopyRun {
  state: 'RUNNING' | 'DONE';
  /** Slack user who pressed Copy, or 'bot' for --copy-settings. */
  by: string;
  /** ISO-8601 */
  startedAt: string;
  /** ISO-8601 */
  finishedAt?: string;
  /** What was applied (DONE). */
  lines?: CopyLine[];
  /** Runs so far, this one included. */
  run: number;
}

/** The request's stored record of its settings: the diff at ACTIVE and the copy runs. */
export interface RequestSettings {
  /** ISO-8601: when the diff was read. */
  comparedAt?: string;
  /** 'table' = the live source; 'backup' = what the backup records (the source is gone). */
  sourceOrigin?: 'table' | 'backup';
  rows?: SettingRowView[];
  /** Why the diff could not be read. */
  compareError?: string;
  copy?: SettingsCopyRun;
}
