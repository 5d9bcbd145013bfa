import type { BackupTypeFilter } from '../commands/types.ts';
import type { BackupInfo, RestoreOverrides } from '../restore/types.ts';
import type { RecoveryPoints } from './backup.ts';
import type { SessionJob } from './session-policy.ts';

/** What DescribeTable tells about a table, in plain data. */
export interface TableInfo {
  name: string;
  arn?: string;
  /** CREATING | ACTIVE | UPDATING | DELETING | ... */
  status: string;
  itemCount?: number;
  sizeBytes?: number;
  /** ISO-8601 */
  creationDateTime?: string;
  restoreInProgress?: boolean;
  /** RestoreSummary: the backup a restored table came from (absent for a point-in-time restore). */
  sourceBackupArn?: string;
  /** RestoreSummary: the table a restored table came from. */
  sourceTableArn?: string;
  /** ISO-8601, RestoreSummary.RestoreDateTime: the restore point, or the backup's time. */
  restoreDateTime?: string;
  globalSecondaryIndexes?: string[];
  localSecondaryIndexes?: string[];
  billingMode?: string;
}

/** A table's point-in-time recovery (DescribeContinuousBackups). */
export interface PitrStatus {
  enabled: boolean;
  /** ISO-8601; set when enabled. */
  earliest?: string;
  /** ISO-8601; set when enabled. */
  latest?: string;
  recoveryPeriodInDays?: number;
}

/** What RestoreTableToPointInTime needs. */
export interface PointInTimeRestoreInput {
  sourceTableArn: string;
  sourceTableName: string;
  /** The source table's region; the call itself is made in the environment's region. */
  sourceRegion: string;
  targetTable: string;
  /** ISO-8601; absent = the latest restorable time. */
  restoreDateTime?: string;
  overrides: RestoreOverrides;
}

export interface ListBackupsFilter {
  tableName?: string;
  type: BackupTypeFilter;
  since?: Date;
}

/**
 * The DynamoDB calls the bot makes in a target account, through a role session that is already
 * tied to a Slack user. Every method throws `AwsOperationError` (src/aws/errors.ts) on failure.
 */
export interface TargetAccount {
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  /** AWS Backup of the same account and region, through the same role session. */
  readonly recoveryPoints: RecoveryPoints;
  /** Every page of ListBackups for the filter, newest first. */
  listBackups(filter: ListBackupsFilter): Promise<BackupInfo[]>;
  /** DescribeBackup; a missing backup throws AwsOperationError with code BackupNotFoundException. */
  describeBackup(backupArn: string): Promise<BackupInfo>;
  /** Backups whose name equals `name` exactly (any table), newest first. */
  findBackupsByName(name: string): Promise<BackupInfo[]>;
  /** DescribeTable (in `region`, default the environment's); undefined when the table does not exist. */
  describeTable(tableName: string, region?: string): Promise<TableInfo | undefined>;
  /**
   * DescribeContinuousBackups (in `region`, default the environment's). A missing table throws
   * AwsOperationError with code TableNotFoundException.
   */
  describeContinuousBackups(tableName: string, region?: string): Promise<PitrStatus>;
  /** RestoreTableToPointInTime in the environment's region, with the overrides applied. */
  restoreTableToPointInTime(input: PointInTimeRestoreInput): Promise<TableInfo>;
  /** RestoreTableFromBackup with the overrides applied against the backup's own indexes. */
  restoreTableFromBackup(input: {
    backup: BackupInfo;
    targetTable: string;
    overrides: RestoreOverrides;
  }): Promise<TableInfo>;
}

/**
 * Opens (or reuses) a role session in an environment's account on behalf of a Slack user.
 * `sessionTag` is an optional extra (a request ID) for the session name.
 */
export type TargetAccountFactory = (
  environment: string,
  slackUserId: string,
  sessionTag?: string,
  /**
   * What the session is for; its AssumeRole carries that job's session policy
   * (src/aws/session-policy.ts). Absent = the narrowest read-only session (`lookup`).
   */
  job?: SessionJob,
) => Promise<TargetAccount>;
