import type { RestoreJobInfo } from '../../aws/backup.ts';
import type { PolicyStatement, SessionScope } from '../../aws/session-policy.ts';
import type { TableInfo, TargetAccount } from '../../aws/types.ts';
import type { EnvironmentConfig } from '../../config.ts';
import type { BackupInfo, RestoreOverrides, RestoreSource, SourceRef } from '../types.ts';

/** Where and for whom a source is resolved at request time. */
export interface SourceContext {
  /** The environment's name. */
  envName: string;
  overrides: RestoreOverrides;
  now: Date;
  /** The environment's configuration: account and region (the role session's), AWS Backup's restore role. */
  env: EnvironmentConfig;
}

/** The pre-flight's answer: the resolved source, a plain refusal, or a name that matches several. */
export type Resolution<S extends RestoreSource> =
  | { source: S }
  | { refused: string }
  | { ambiguous: BackupInfo[]; name: string };

/** What the start call needs. */
export interface StartInput<S extends RestoreSource> {
  /** The request: the same for every attempt, so a start call can be made idempotent with it. */
  requestId: string;
  source: S;
  targetTable: string;
  overrides: RestoreOverrides;
}

/**
 * How a source reads in Slack (mrkdwn, already escaped): the request message, the confirm dialog,
 * the thread. Plain strings, so the Block Kit builders stay free of source kinds.
 */
export interface SourceView {
  /** The source table's name, plain text. */
  tableName: string;
  /** What follows "restore table X" in the request sentence, mrkdwn: "from backup `B`". */
  phrase: string;
  /**
   * The source's facts the request sentence does not say (size, items, ARN, recovery window,
   * restore role), one mrkdwn line for the context line under the buttons.
   */
  details: string;
  /**
   * The confirm dialog's description of the source, plain text, with outside names cut to `max`
   * characters (the dialog holds 300 characters).
   */
  confirm(max: number): string;
  /**
   * The "Restored from" field of the ACTIVE reply, mrkdwn; `restorePoint` is the new table's
   * RestoreSummary.RestoreDateTime (the point DynamoDB used), when known.
   */
  restoredFrom(restorePoint: string | undefined): string;
  /** What AWS is doing once the restore started, for the thread ("creating the table from the backup (1.0 MB)"). */
  startedText: string;
  /** Item count and size the source reported, compared with the new table's in the ACTIVE reply. */
  expected?: { what: string; itemCount?: number; sizeBytes?: number };
}

/**
 * A restore that AWS runs as a job (AWS Backup's StartRestoreJob): the table appears while the
 * job runs, so the watcher follows the job first and the table after it.
 */
export interface StartedJob {
  restoreJobId: string;
  status: string;
}

// The statement and scope shapes are the session-policy builder's (src/aws/session-policy.ts).
export type { PolicyStatement, SessionScope };

/**
 * Everything that differs by source kind (DESIGN, "Where the code grows next") comes in two parts,
 * one module each per kind under `sources/<kind>/`:
 *
 * - the view (`view.ts`, {@link SourceViewModule}): how the source reads in Slack and in the audit
 *   line. Every function has it (the slack function's approve, reject and message builders).
 * - the execution (`exec.ts`, {@link SourceExecModule}): pre-flight, start, the restore job, its
 *   session policy. Only the worker and the watcher (and `npm start`) load it: their entry modules
 *   wire `sources/execution.ts` with `provideSourceExecution`, so the slack function's bundle
 *   carries none of it.
 */
export interface SourceViewModule<S extends RestoreSource, R extends SourceRef> {
  readonly kind: S['kind'];
  /** What the requester asked for, before the pre-flight, plain text: "backup B", "table T at …". */
  describeRef(ref: R): string;
  /** Short name for lists, status lines and notification texts, plain text (not escaped). */
  label(source: S): string;
  /** How the source reads in the approval message, confirm dialog and thread. */
  view(source: S, now: Date): SourceView;
  /** Fields identifying the source in the audit line. */
  auditFields(source: S): Record<string, string>;
}

/** The execution part of a source kind (see {@link SourceViewModule}). */
export interface SourceExecModule<S extends RestoreSource, R extends SourceRef> {
  readonly kind: S['kind'];
  /** The AWS operation that starts the restore (error context and IAM). */
  readonly startOperation: string;
  /** Pre-flight in the target account: finds the source and checks that it can be restored now. */
  resolve(target: TargetAccount, ref: R, ctx: SourceContext): Promise<Resolution<S>>;
  /** The start call; returns the new table as AWS described it, or the job that will create it. */
  start(target: TargetAccount, input: StartInput<S>): Promise<TableInfo | StartedJob>;
  /** For sources whose start call returns a job: reads the job's state (the watcher, before the table). */
  describeJob?(target: TargetAccount, restoreJobId: string): Promise<RestoreJobInfo>;
  /**
   * True when an existing table's RestoreSummary says it was restored from this source (after a
   * crash or a retried call, the executor adopts such a table instead of reporting a clash).
   */
  restoredFrom(table: TableInfo, source: S): boolean;
  /**
   * The source-side statements of the restore session's policy: the start action on this source's
   * resources and the reads the executor makes of it.
   */
  sessionStatements(source: S, scope: SessionScope): PolicyStatement[];
  /**
   * The target-side statements of the restore session's policy, on exactly `targetTableArn` (the
   * approved new table): what this kind's start call needs of the caller there.
   */
  targetStatements(source: S, targetTableArn: string, scope: SessionScope): PolicyStatement[];
  /**
   * Where the source table's settings are read for the settings diff (src/settings): the live
   * table, and the backup that still describes it (streams, TTL, encryption) once it is gone.
   */
  settingsSource(source: S): SettingsSource;
}

/** The source table whose settings the new table is compared with. */
export interface SettingsSource {
  tableName: string;
  /** A DynamoDB backup (DescribeBackup) that records the source's features, when there is one. */
  backupArn?: string;
}
