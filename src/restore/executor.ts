import { auditTransition } from '../audit.ts';
import { AwsOperationError } from '../aws/errors.ts';
import { type SessionJob, sessionScopeOf, tableArn } from '../aws/session-policy.ts';
import type { TableInfo, TargetAccount } from '../aws/types.ts';
import { environmentNamed } from '../config.ts';
import { approvedAt, type EventInput, finalApprover, transition } from './lifecycle.ts';
import { approvalProblem } from './policy.ts';
import type { RestoreDeps } from './service.ts';
import {
  restoredFrom,
  sourceSessionStatements,
  sourceTargetStatements,
  startOperation,
  startRestore,
} from './sources/index.ts';
import type { StartedJob } from './sources/types.ts';
import type { RequestFailure, RestoreRequest } from './types.ts';

/** Retryable start errors (throttling, account limits, a busy backup) are retried for this long. */
export const START_RETRY_WINDOW_MS = 30 * 60_000;
export const MAX_START_ATTEMPTS = 6;
/** The worker function's timeout (serverless.yml `worker.timeout`): a start call cannot outlive it. */
export const WORKER_TIMEOUT_MS = 300_000;
/**
 * A start that has not recorded its outcome is driven again only after this long from its marker:
 * by then the function that made the call has ended, whatever happened to it.
 */
export const REDRIVE_AFTER_MS = WORKER_TIMEOUT_MS + 60_000;

/**
 * Whether the watcher should (re)make the start call of a RESTORING request that has not started:
 * a scheduled retry at its time (the attempt before it has ended); otherwise only once no function
 * can still be making the call, REDRIVE_AFTER_MS after its start-attempt marker.
 */
export function startDue(req: RestoreRequest, now: Date): boolean {
  const restore = req.restore;
  if (restore?.startedAt) return false;
  if (restore?.nextAttemptAt) return Date.parse(restore.nextAttemptAt) <= now.getTime();
  return now.getTime() - Date.parse(restore?.startCall?.at ?? req.updatedAt) >= REDRIVE_AFTER_MS;
}

/** The role session for a request's AWS calls is tied to the approver who completed the approval. */
export function sessionUser(req: RestoreRequest): string {
  return finalApprover(req) ?? req.requesterId;
}

/**
 * True when the existing target table is the one this request's own start call created (a worker
 * that crashed after the restore call, or a call that answered with an error after AWS had
 * accepted it): a start-attempt marker was written before any call, and the table's
 * RestoreSummary names this request's source (the source module says how). The target name is
 * reserved for this request, so no other request of the bot restores into it meanwhile; no
 * timestamps are compared.
 */
export function isOwnRestore(table: TableInfo, req: RestoreRequest): boolean {
  return req.restore?.startCall !== undefined && restoredFrom(table, req.source);
}

/** Turns anything thrown into the failure recorded on the request. */
export function toFailure(err: unknown): RequestFailure & { retryable: boolean } {
  if (err instanceof AwsOperationError) {
    return { code: err.code, message: err.userMessage, retryable: err.retryable };
  }
  return {
    code: 'InternalError',
    message: `The bot hit an unexpected error (${err instanceof Error ? err.message : String(err)}). Check the bot's logs.`,
    retryable: false,
  };
}

async function write(
  deps: RestoreDeps,
  prev: RestoreRequest,
  next: RestoreRequest,
  action: string,
): Promise<RestoreRequest | undefined> {
  if (!(await deps.store.update(prev, next))) return undefined;
  auditTransition(deps.audit, prev, next, next.events.at(-1)?.actor ?? 'bot', action);
  await deps.dispatcher.dispatch({ type: 'request.notify', requestId: next.id });
  return next;
}

/**
 * Runs an approved request: one conditional APPROVED → RESTORING write (so a duplicate hand-off
 * or a racing watcher starts nothing), then the restore call. Returns the request as stored.
 */
export async function executeRequest(
  deps: RestoreDeps,
  requestId: string,
  /** The request as the caller just read it (the watcher's sweep); saves the first read. */
  initial?: RestoreRequest,
): Promise<RestoreRequest | undefined> {
  const req = initial ?? (await deps.store.get(requestId));
  if (req?.status !== 'APPROVED') return req;
  const problem = await approvalProblem(deps.config, deps.directory, req);
  if (problem) return refuseUnverified(deps, req, problem);
  const restoring = transition(req, { status: 'RESTORING', restore: { attempts: 0 } }, undefined, deps.now());
  if (!(await deps.store.update(req, restoring))) return deps.store.get(requestId);
  auditTransition(deps.audit, req, restoring, sessionUser(req), 'start');
  return attemptStart(deps, restoring);
}

/**
 * The restore session's job: the source module's statements for the approved source and for the
 * approved target table only (src/aws/session-policy.ts).
 */
export function restoreJob(deps: RestoreDeps, req: RestoreRequest): SessionJob {
  const env = environmentNamed(deps.config, req.environment);
  const scope = sessionScopeOf({
    accountId: req.accountId,
    region: req.region,
    roleArn: env?.roleArn ?? req.roleArn ?? 'arn:aws:iam::',
  });
  return {
    kind: 'restore',
    targetTable: req.targetTable,
    sourceStatements: sourceSessionStatements(req.source, scope),
    targetStatements: sourceTargetStatements(req.source, tableArn(scope, req.targetTable), scope),
  };
}

/**
 * Ends an APPROVED request that failed re-verification: FAILED with the reason (one conditional
 * write, an audit line, the thread told), and no AWS call at all.
 */
async function refuseUnverified(
  deps: RestoreDeps,
  req: RestoreRequest,
  problem: string,
): Promise<RestoreRequest | undefined> {
  const message = `The bot did not start this restore: ${problem} Nothing was restored; ask again with /restore if it is still needed.`;
  deps.log.warn('approved request failed re-verification', { requestId: req.id, problem });
  const failed = transition(
    req,
    { status: 'FAILED', failure: { code: 'ApprovalNotVerified', message } },
    { actor: 'bot', action: 'failed', detail: message },
    deps.now(),
  );
  return (await write(deps, req, failed, 'fail')) ?? deps.store.get(req.id);
}

/**
 * Makes the source's restore call (RestoreTableFromBackup, …) for a RESTORING request that has
 * not started yet, after checking once more that the target table does not exist and writing the
 * start-attempt marker. Any error from the call is followed by one more look at the table, which
 * is adopted when it is ours. Retryable AWS errors schedule another attempt (the watcher makes
 * it); anything else ends the request as FAILED with the reason.
 */
export async function attemptStart(
  deps: RestoreDeps,
  req: RestoreRequest,
): Promise<RestoreRequest | undefined> {
  const attempts = (req.restore?.attempts ?? 0) + 1;
  let current = req;
  let changes: Partial<RestoreRequest>;
  let event: EventInput;
  let action: string;
  try {
    const target = await deps.targets(req.environment, sessionUser(req), req.id, restoreJob(deps, req));
    let started: TableInfo | StartedJob | undefined = await target.describeTable(req.targetTable);
    if (started && !isOwnRestore(started, current)) throw clash(req);
    if (!started) {
      const marked = transition(
        current,
        { restore: { ...current.restore, startCall: { attempt: attempts, at: deps.now().toISOString() } } },
        undefined,
        deps.now(),
      );
      // Another run wrote first: it is making this attempt.
      if (!(await deps.store.update(current, marked))) return deps.store.get(req.id);
      current = marked;
      try {
        started = await startRestore(target, {
          requestId: req.id,
          source: req.source,
          targetTable: req.targetTable,
          overrides: req.overrides,
        });
      } catch (err) {
        started = await adoptAfterError(target, current, err);
      }
    }
    const now = deps.now().toISOString();
    const progress =
      'restoreJobId' in started
        ? { restoreJobId: started.restoreJobId, jobStatus: started.status }
        : { tableStatus: started.status, ...(started.arn ? { tableArn: started.arn } : {}) };
    changes = {
      restore: {
        ...current.restore,
        attempts,
        startedAt: now,
        lastProgressAt: now,
        ...progress,
        ...('restoreDateTime' in started && started.restoreDateTime
          ? { restorePoint: started.restoreDateTime }
          : {}),
      },
    };
    event = {
      actor: 'bot',
      action: 'restore_started',
      detail: 'restoreJobId' in started ? `AWS Backup restore job ${started.restoreJobId}` : started.status,
    };
    action = 'restore-started';
  } catch (err) {
    const failure = toFailure(err);
    const elapsed = deps.now().getTime() - Date.parse(approvedAt(req) ?? req.updatedAt);
    if (failure.retryable && attempts < MAX_START_ATTEMPTS && elapsed < START_RETRY_WINDOW_MS) {
      const delayMs = Math.min(2 ** (attempts - 1), 8) * 60_000;
      changes = {
        restore: {
          ...current.restore,
          attempts,
          nextAttemptAt: new Date(deps.now().getTime() + delayMs).toISOString(),
        },
      };
      event = { actor: 'bot', action: 'restore_retrying', detail: failure.message };
      action = 'restore-retry';
    } else {
      deps.log.warn('restore failed to start', { requestId: req.id, code: failure.code, error: err });
      changes = { status: 'FAILED', failure: { code: failure.code, message: failure.message } };
      event = { actor: 'bot', action: 'failed', detail: failure.message };
      action = 'fail';
    }
  }
  return write(deps, current, transition(current, changes, event, deps.now()), action);
}

/**
 * After an error from the start call, looks at the table once more: AWS may have accepted the call
 * (an earlier attempt, or this one before a timeout). Our own table is adopted; a table that is
 * not ours is a clash; no table means the error stands. When the table cannot be read either, the
 * outcome is unknown, so the attempt is retried rather than reported as failed.
 */
async function adoptAfterError(target: TargetAccount, req: RestoreRequest, err: unknown): Promise<TableInfo> {
  let again: TableInfo | undefined;
  try {
    again = await target.describeTable(req.targetTable);
  } catch {
    if (err instanceof AwsOperationError && !err.retryable) {
      throw new AwsOperationError({
        code: err.code,
        operation: err.operation,
        retryable: true,
        userMessage: `${err.userMessage} The bot could not check whether table ${req.targetTable} was created anyway, so it will look again.`,
      });
    }
    throw err;
  }
  if (!again) throw err;
  if (!isOwnRestore(again, req)) throw clash(req);
  return again;
}

function clash(req: RestoreRequest): AwsOperationError {
  return new AwsOperationError({
    code: 'TableAlreadyExistsException',
    operation: startOperation(req.source),
    retryable: false,
    userMessage: `A table named ${req.targetTable} was created in account ${req.accountId} after this request was made, and it is not this restore. Nothing was restored; ask again with another target table name.`,
  });
}
