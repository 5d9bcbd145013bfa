import type { TableInfo, TargetAccount } from '../../aws/types.ts';
import type { BackupInfo, RestoreOverrides, RestoreSource, SourceRef } from '../types.ts';

/** Where and for whom a source is resolved at request time. */
export interface SourceContext {
  /** The environment's name, account and region (the role session's). */
  envName: string;
  accountId: string;
  region: string;
  overrides: RestoreOverrides;
  now: Date;
}

/** The pre-flight's answer: the resolved source, a plain refusal, or a name that matches several. */
export type Resolution<S extends RestoreSource> =
  | { source: S }
  | { refused: string }
  | { ambiguous: BackupInfo[]; name: string };

/** What the start call needs. */
export interface StartInput<S extends RestoreSource> {
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
  /** One or two mrkdwn lines with the source's facts, under the request sentence. */
  details: string;
  /**
   * The confirm dialog's description of the source, plain text, with outside names cut to `max`
   * characters (the dialog holds 300 characters).
   */
  confirm(max: number): string;
  /** The "Restored from" field of the ACTIVE reply, mrkdwn. */
  restoredFrom: string;
  /** What AWS is doing once the restore started, for the thread ("creating the table from the backup (1.0 MB)"). */
  startedText: string;
  /** Item count and size the source reported, compared with the new table's in the ACTIVE reply. */
  expected?: { what: string; itemCount?: number; sizeBytes?: number };
}

/** One IAM policy statement (JSON shape), for the restore session's policy. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

/** Where the session runs: the environment's account, region and partition. */
export interface SessionScope {
  partition: string;
  accountId: string;
  region: string;
}

/**
 * Everything that differs by source kind (DESIGN, "Where the code grows next"). A new kind is one
 * module implementing this, added to `index.ts`; the service, executor, watcher and message
 * builders only talk to this interface.
 */
export interface RestoreSourceModule<S extends RestoreSource, R extends SourceRef> {
  readonly kind: S['kind'];
  /** The AWS operation that starts the restore (error context and IAM). */
  readonly startOperation: string;
  /** Pre-flight in the target account: finds the source and checks that it can be restored now. */
  resolve(target: TargetAccount, ref: R, ctx: SourceContext): Promise<Resolution<S>>;
  /** The start call; returns the new table as AWS described it. */
  start(target: TargetAccount, input: StartInput<S>): Promise<TableInfo>;
  /**
   * True when an existing table's RestoreSummary says it was restored from this source (after a
   * crash or a retried call, the executor adopts such a table instead of reporting a clash).
   */
  restoredFrom(table: TableInfo, source: S): boolean;
  /** Short name for lists, status lines and notification texts, plain text (not escaped). */
  label(source: S): string;
  /** How the source reads in the approval message, confirm dialog and thread. */
  view(source: S, now: Date): SourceView;
  /**
   * The source-side statements of the restore session's policy: the start action on this source's
   * resources and the reads the executor makes of it. The target-table statements are common to
   * every kind and are not included.
   */
  sessionStatements(source: S, scope: SessionScope): PolicyStatement[];
  /** Fields identifying the source in the audit line. */
  auditFields(source: S): Record<string, string>;
}
