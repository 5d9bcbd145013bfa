import type { BackupTypeFilter } from '../commands/types.ts';
import type { BackupInfo, RestoreOverrides } from '../restore/types.ts';
import type { RecoveryPoints } from './backup.ts';

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
  sourceBackupArn?: string;
  /** ISO-8601 */
  restoreDateTime?: string;
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
  /** DescribeTable; undefined when the table does not exist. */
  describeTable(tableName: string): Promise<TableInfo | undefined>;
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
) => Promise<TargetAccount>;
