import type { RestoreJobInfo } from '../../aws/backup.ts';
import type { TableInfo, TargetAccount } from '../../aws/types.ts';
import type { RestoreSource, SourceKind, SourceRef } from '../types.ts';
import { backupView } from './backup/view.ts';
import { pitrView } from './pitr/view.ts';
import { recoveryPointView } from './recovery-point/view.ts';
import type {
  PolicyStatement,
  Resolution,
  SessionScope,
  SettingsSource,
  SourceContext,
  SourceExecModule,
  SourceView,
  SourceViewModule,
  StartedJob,
  StartInput,
} from './types.ts';

type Source<K extends SourceKind> = Extract<RestoreSource, { kind: K }>;
type Ref<K extends SourceKind> = Extract<SourceRef, { kind: K }>;

/** One view module per source kind (every function: Slack messages, audit lines). */
const VIEWS: { readonly [K in SourceKind]: SourceViewModule<Source<K>, Ref<K>> } = {
  backup: backupView,
  'recovery-point': recoveryPointView,
  pitr: pitrView,
};

/** One execution module per source kind: `sourceExecution` of ./execution.ts. */
export type SourceExecRegistry = { readonly [K in SourceKind]: SourceExecModule<Source<K>, Ref<K>> };

let execution: SourceExecRegistry | undefined;

/**
 * Called by the worker's entry module and by `npm start` with `sourceExecution`
 * (./execution.ts): pre-flight, start and restore-job code runs there only, and stays out of the
 * slack function's bundle.
 */
export function provideSourceExecution(registry: SourceExecRegistry): void {
  execution = registry;
}

/** The view of a source kind (the cast is safe: VIEWS is keyed by the kind it implements). */
function viewModule(kind: SourceKind): SourceViewModule<RestoreSource, SourceRef> {
  return VIEWS[kind] as unknown as SourceViewModule<RestoreSource, SourceRef>;
}

/** The execution part of a source kind; only where the entry module provided it. */
function sourceModule(kind: SourceKind): SourceExecModule<RestoreSource, SourceRef> {
  if (!execution) {
    throw new Error(
      'Restore sources run in the worker and watcher only (provideSourceExecution was not called)',
    );
  }
  return execution[kind] as unknown as SourceExecModule<RestoreSource, SourceRef>;
}

/** Pre-flight of a source reference in the target account. */
export function resolveSource(
  target: TargetAccount,
  ref: SourceRef,
  ctx: SourceContext,
): Promise<Resolution<RestoreSource>> {
  return sourceModule(ref.kind).resolve(target, ref, ctx);
}

/** The restore call for a request's source: the new table, or the job that creates it. */
export function startRestore(
  target: TargetAccount,
  input: StartInput<RestoreSource>,
): Promise<TableInfo | StartedJob> {
  return sourceModule(input.source.kind).start(target, input);
}

/** The state of the restore job a source's start call returned. */
export function describeRestoreJob(
  target: TargetAccount,
  source: RestoreSource,
  restoreJobId: string,
): Promise<RestoreJobInfo> {
  const module = sourceModule(source.kind);
  if (!module.describeJob) throw new Error(`A ${source.kind} source starts no restore job`);
  return module.describeJob(target, restoreJobId);
}

/** Whether `table` says it was restored from `source`. */
export function restoredFrom(table: TableInfo, source: RestoreSource): boolean {
  return sourceModule(source.kind).restoredFrom(table, source);
}

/** What a requester asked to restore from, in words, before the pre-flight. */
export function describeSourceRef(ref: SourceRef): string {
  return viewModule(ref.kind).describeRef(ref);
}

/** A source's short name (a backup's name, …), plain text. */
export function sourceLabel(source: RestoreSource): string {
  return viewModule(source.kind).label(source);
}

/** How a source reads in Slack. */
export function viewSource(source: RestoreSource, now: Date): SourceView {
  return viewModule(source.kind).view(source, now);
}

/** The source-side statements of a restore session's policy. */
export function sourceSessionStatements(source: RestoreSource, scope: SessionScope): PolicyStatement[] {
  return sourceModule(source.kind).sessionStatements(source, scope);
}

/** The target-side statements of a restore session's policy, on exactly `targetTableArn`. */
export function sourceTargetStatements(
  source: RestoreSource,
  targetTableArn: string,
  scope: SessionScope,
): PolicyStatement[] {
  return sourceModule(source.kind).targetStatements(source, targetTableArn, scope);
}

/** The AWS operation that starts a restore from this source. */
export function startOperation(source: RestoreSource): string {
  return sourceModule(source.kind).startOperation;
}

/** Fields naming the source in the audit line. */
export function sourceAuditFields(source: RestoreSource): Record<string, string> {
  return viewModule(source.kind).auditFields(source);
}

/** The source table the new table's settings are compared with. */
export function sourceForSettings(source: RestoreSource): SettingsSource {
  return sourceModule(source.kind).settingsSource(source);
}
