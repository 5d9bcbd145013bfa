import { sourceAuditFields } from './restore/sources/index.ts';
import type { RestoreRequest } from './restore/types.ts';

/** Receives one JSON line per audited transition (stdout, i.e. CloudWatch Logs, by default). */
export type AuditSink = (line: string) => void;

export const stdoutAudit: AuditSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * Writes the audit line of one transition: who did what to which request, the status before and
 * after, and when. One line of JSON, so log queries can filter on `audit`.
 */
export function auditTransition(
  sink: AuditSink,
  prev: RestoreRequest | undefined,
  next: RestoreRequest,
  actor: string,
  action: string,
  /** What the transition did beyond the status change (e.g. the settings a copy applied). */
  extra?: Record<string, unknown>,
): void {
  sink(
    JSON.stringify({
      audit: 'restore-request',
      requestId: next.id,
      actor,
      action,
      before: prev?.status ?? null,
      after: next.status,
      at: next.updatedAt,
      environment: next.environment,
      accountId: next.accountId,
      source: next.source.kind,
      ...sourceAuditFields(next.source),
      targetTable: next.targetTable,
      version: next.version,
      ...(next.failure ? { failure: next.failure.code, detail: next.failure.message } : {}),
      ...extra,
    }),
  );
}
