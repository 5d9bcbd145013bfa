import type { RequestSettings } from '../settings/types.ts';

/**
 * Domain types of a restore request. No Slack or AWS SDK types here: the domain is
 * described in plain data so that the store, the Block Kit builders and the tests share it.
 */

export const REQUEST_STATUSES = [
  'PENDING',
  'APPROVED',
  'RESTORING',
  'ACTIVE',
  'FAILED',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses after which nothing more happens to a request. */
export const TERMINAL_STATUSES: ReadonlySet<RequestStatus> = new Set([
  'ACTIVE',
  'FAILED',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
]);

/** Every status a request can move to from a given one (DESIGN, "Request lifecycle"). */
export const ALLOWED_TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  PENDING: ['APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED'],
  APPROVED: ['RESTORING', 'FAILED'],
  RESTORING: ['ACTIVE', 'FAILED'],
  ACTIVE: [],
  FAILED: [],
  REJECTED: [],
  CANCELLED: [],
  EXPIRED: [],
};

export type BillingMode = 'PAY_PER_REQUEST' | 'PROVISIONED';

/** Restore overrides, spelled after the AWS CLI flags of restore-table-from-backup. */
export interface RestoreOverrides {
  billingMode?: BillingMode;
  provisionedThroughput?: { readCapacityUnits: number; writeCapacityUnits: number };
  sse?: { enabled: boolean; sseType?: 'KMS' | 'AES256'; kmsMasterKeyId?: string };
  /** Index names (global or local) to leave out of the restored table, or 'ALL' for every index. */
  dropIndexes?: string[] | 'ALL';
}

export type BackupType = 'USER' | 'SYSTEM' | 'AWS_BACKUP';
export type BackupStatus = 'CREATING' | 'DELETED' | 'AVAILABLE';

/** What the bot knows about one backup (from ListBackups or DescribeBackup). */
export interface BackupInfo {
  arn: string;
  name: string;
  tableName: string;
  tableArn?: string;
  /** ISO-8601 timestamp */
  createdAt: string;
  status: BackupStatus | string;
  type: BackupType | string;
  sizeBytes?: number;
  itemCount?: number;
  /** ISO-8601; only for SYSTEM backups */
  expiresAt?: string;
  /** Secondary indexes of the source table at backup time (DescribeBackup only). */
  globalSecondaryIndexes?: string[];
  localSecondaryIndexes?: string[];
  billingMode?: string;
}

/** What AWS Backup tells about one recovery point, in plain data (ISO-8601 dates). */
export interface RecoveryPointInfo {
  arn: string;
  vaultName: string;
  /** The table the recovery point was made of. */
  resourceArn?: string;
  /** 'DynamoDB' for a table; other kinds cannot be restored by this bot. */
  resourceType?: string;
  tableName: string;
  createdAt: string;
  completedAt?: string;
  /** COMPLETED | PARTIAL | DELETING | EXPIRED | AVAILABLE | STOPPED | CREATING */
  status: string;
  statusMessage?: string;
  sizeBytes?: number;
  /** WARM | COLD | DELETED (DescribeRecoveryPoint only) */
  storageClass?: string;
  /** When the lifecycle moves it to cold storage (DescribeRecoveryPoint only). */
  moveToColdStorageAt?: string;
  /** When the lifecycle deletes it (DescribeRecoveryPoint only). */
  deleteAt?: string;
}

/** A backup of the environment's own account, restored with RestoreTableFromBackup. */
export interface BackupSource {
  kind: 'backup';
  backup: BackupInfo;
}

/** A restore point: an exact time, or the latest restorable time (resolved by AWS at the start). */
export type RestorePoint = { kind: 'time' /** ISO-8601 */; at: string } | { kind: 'latest' };

/** A table of the environment's account as it was at a point in time: RestoreTableToPointInTime. */
export interface PitrSource {
  kind: 'pitr';
  tableName: string;
  tableArn: string;
  /** The source table's region (another region than the environment's restores across regions). */
  region: string;
  point: RestorePoint;
  /** The recovery window when the request was checked (ISO-8601). */
  window: { earliest: string; latest: string };
  /** ISO-8601: when the pre-flight ran, i.e. the request time the restore point is relative to. */
  checkedAt: string;
  /** The source table's reported size (DynamoDB refreshes it about every six hours). */
  itemCount?: number;
  sizeBytes?: number;
  globalSecondaryIndexes?: string[];
  localSecondaryIndexes?: string[];
}

/**
 * An AWS Backup recovery point of the environment's own account: StartRestoreJob, run by AWS
 * Backup with `restoreRoleArn` (the environment's awsBackupRoleArn when the request was made).
 */
export interface RecoveryPointSource {
  kind: 'recovery-point';
  recoveryPoint: RecoveryPointInfo;
  restoreRoleArn: string;
}

/**
 * Where a request restores from, resolved and checked at request time (DESIGN, "Where the code
 * grows next"). Each kind has one module in `src/restore/sources/`.
 */
export type RestoreSource = BackupSource | PitrSource | RecoveryPointSource;
export type SourceKind = RestoreSource['kind'];

/** A backup to restore: a backup ARN or name. */
export interface BackupRef {
  kind: 'backup';
  backup: string;
}

/** A table to restore to a point in time. */
export interface PitrRef {
  kind: 'pitr';
  /** A table name, or a table ARN (possibly of another region). */
  table: string;
  /** --source-region: the source table's region when `table` is a name. */
  region?: string;
  point: RestorePoint;
}

/** An AWS Backup recovery point to restore, by its ARN. */
export interface RecoveryPointRef {
  kind: 'recovery-point';
  recoveryPointArn: string;
}

/** What the requester asked to restore from, before the pre-flight resolves it. */
export type SourceRef = BackupRef | PitrRef | RecoveryPointRef;

export interface Approval {
  userId: string;
  /** ISO-8601 */
  at: string;
}

export type RequestAction =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'restore_started'
  | 'restore_retrying'
  | 'progress'
  | 'active'
  | 'failed'
  | 'stuck'
  | 'watch_failing'
  | 'reminded'
  | 'settings_copied';

/** One step in a request's history; each is posted once as a threaded reply. */
export interface RequestEvent {
  seq: number;
  /** ISO-8601 */
  at: string;
  /** Slack user ID, or 'bot' for steps the bot takes on its own. */
  actor: string;
  action: RequestAction;
  from?: RequestStatus;
  to?: RequestStatus;
  detail?: string;
  /** Who the reply must mention (reminders): Slack user IDs (U…, W…) and user group IDs (S…). */
  mentions?: string[];
}

export interface RestoreProgress {
  /** ISO-8601: when the restore call (e.g. RestoreTableFromBackup) was accepted. */
  startedAt?: string;
  tableArn?: string;
  tableStatus?: string;
  /** ISO-8601: last progress reply */
  lastProgressAt?: string;
  /** ISO-8601 */
  completedAt?: string;
  itemCount?: number;
  sizeBytes?: number;
  /** Start attempts that AWS asked us to retry (throttling, limits). */
  attempts?: number;
  /**
   * The start-attempt marker: written (one conditional write) right after DescribeTable found no
   * target table and before the restore call is sent. A target table that exists later and was
   * restored from this request's source can only come from one of these calls, so it is adopted;
   * without a marker, any table under the name belongs to someone else.
   */
  startCall?: { attempt: number; at: string };
  /** ISO-8601: do not retry the start before this. */
  nextAttemptAt?: string;
  /** The AWS Backup restore job that creates the table (recovery point sources). */
  restoreJobId?: string;
  /** Its last status seen: PENDING | RUNNING | COMPLETED | ABORTED | FAILED. */
  jobStatus?: string;
  /** ISO-8601: RestoreSummary.RestoreDateTime of the new table (the restore point DynamoDB used). */
  restorePoint?: string;
  /** Set by earlier versions at the 24-hour warning (they stopped watching); read as `hourlySince`. */
  stopPolling?: boolean;
  /** ISO-8601: since when the restore, past 24 hours, is checked hourly instead of every minute. */
  hourlySince?: string;
  /** ISO-8601: the last hourly check. */
  lastCheckAt?: string;
  /** ISO-8601: since when DescribeTable of the new table keeps failing (cleared on success). */
  watchErrorSince?: string;
  /** The thread has been told that the bot cannot check the table. */
  watchErrorReported?: boolean;
}

export interface RequestFailure {
  /** AWS error name or the bot's own code */
  code: string;
  message: string;
}

export interface RestoreRequest {
  id: string;
  version: number;
  status: RequestStatus;
  environment: string;
  accountId: string;
  /**
   * The environment's role when the request was made. The executor refuses to run a request whose
   * environment has since moved to another account or role.
   */
  roleArn?: string;
  region: string;
  requesterId: string;
  channelId: string;
  source: RestoreSource;
  targetTable: string;
  overrides: RestoreOverrides;
  reason?: string;
  requiredApprovals: number;
  approvals: Approval[];
  /** ISO-8601 */
  createdAt: string;
  /** ISO-8601: approval deadline */
  expiresAt: string;
  /** ISO-8601: last change */
  updatedAt: string;
  /** Who rejected or cancelled */
  decidedBy?: string;
  rejectReason?: string;
  restore?: RestoreProgress;
  /** --copy-settings: copy the source's settings to the new table once it is ACTIVE. */
  copySettings?: boolean;
  /** The settings diff read at ACTIVE and the Copy settings runs (src/settings). */
  settings?: RequestSettings;
  failure?: RequestFailure;
  /** The approval message in the channel, once posted; `permalink` from chat.getPermalink. */
  message?: { channel: string; ts: string; permalink?: string };
  /**
   * ISO-8601: when a notifier run was about to post the approval message. Set and no `message`:
   * a run may have posted it and stopped before storing its ts, so the next run looks for it first.
   */
  messagePosting?: string;
  events: RequestEvent[];
  /** Highest event seq that has been posted to Slack. */
  notifiedSeq: number;
  /** Reminders sent to the approvers while the request waited (at most two). */
  reminders?: number;
  /**
   * Highest event seq each further notice kind (requester DM, audit line, Home refresh) has
   * delivered; the thread replies use `notifiedSeq`. Written only by the notifier.
   */
  noticeSeqs?: Record<string, number>;
  /** The version the approval message last showed; it is redrawn only for a newer one. Notifier-owned. */
  drawnVersion?: number;
}
