import type { RestoreJobInfo } from '../../aws/backup.ts';
import type { TableInfo, TargetAccount } from '../../aws/types.ts';
import type { RestoreSource, SourceKind, SourceRef } from '../types.ts';
import { backupSource } from './backup.ts';
import { pitrSource } from './pitr.ts';
import { recoveryPointSource } from './recovery-point.ts';
import type {
  PolicyStatement,
  Resolution,
  RestoreSourceModule,
  SessionScope,
  SettingsSource,
  SourceContext,
  SourceView,
  StartedJob,
  StartInput,
} from './types.ts';

type ModuleOf<K extends SourceKind> = RestoreSourceModule<
  Extract<RestoreSource, { kind: K }>,
  Extract<SourceRef, { kind: K }>
>;

/** One module per source kind. */
const MODULES: { readonly [K in SourceKind]: ModuleOf<K> } = {
  backup: backupSource,
  'recovery-point': recoveryPointSource,
  pitr: pitrSource,
};

/** The module of a source kind (the cast is safe: MODULES is keyed by the kind it implements). */
export function sourceModule(kind: SourceKind): RestoreSourceModule<RestoreSource, SourceRef> {
  return MODULES[kind] as unknown as RestoreSourceModule<RestoreSource, SourceRef>;
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
  return sourceModule(ref.kind).describeRef(ref);
}

/** A source's short name (a backup's name, …), plain text. */
export function sourceLabel(source: RestoreSource): string {
  return sourceModule(source.kind).label(source);
}

/** How a source reads in Slack. */
export function viewSource(source: RestoreSource, now: Date): SourceView {
  return sourceModule(source.kind).view(source, now);
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
  return sourceModule(source.kind).auditFields(source);
}

/** The source table the new table's settings are compared with. */
export function sourceForSettings(source: RestoreSource): SettingsSource {
  return sourceModule(source.kind).settingsSource(source);
}

export type {
  PolicyStatement,
  Resolution,
  RestoreSourceModule,
  SessionScope,
  SettingsSource,
  SourceContext,
  SourceView,
  StartedJob,
};
