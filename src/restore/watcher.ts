import { auditTransition } from '../audit.ts';
import type { RestoreJobInfo } from '../aws/backup.ts';
import type { TargetAccount } from '../aws/types.ts';
import { mapLimited } from '../concurrency.ts';
import { environmentNamed } from '../config.ts';
import { settingsAtActive, startRequestedCopy } from '../settings/service.ts';
import { attemptStart, executeRequest, sessionUser, startDue, toFailure } from './executor.ts';
import { decideExpire, type EventInput, isExpired, transition } from './lifecycle.ts';
import { decideReminder, reminderMentions } from './reminders.ts';
import { applyDecision, type RestoreDeps } from './service.ts';
import { describeRestoreJob } from './sources/index.ts';
import type { RestoreProgress, RestoreRequest } from './types.ts';

/** A progress reply at most this often while the table is CREATING. */
export const PROGRESS_INTERVAL_MS = 10 * 60_000;
/** After this long RESTORING, say so once in the thread and check the table hourly from then on. */
export const STUCK_AFTER_MS = 24 * 3600_000;
/** How often a restore past STUCK_AFTER_MS is checked: until it is ACTIVE or the table is gone. */
const SLOW_POLL_INTERVAL_MS = 3600_000;
/** An APPROVED request untouched this long lost its hand-off (a worker that never ran). */
export const LOST_HANDOFF_MS = 2 * 60_000;
/** DescribeTable failing this long is reported in the thread (once). */
export const WATCH_ERROR_REPORT_AFTER_MS = 10 * 60_000;
/** Requests handled at once in one sweep. */
const CONCURRENCY = 4;

export interface SweepResult {
  expired: number;
  reminded: number;
  started: number;
  polled: number;
  finished: number;
  notified: number;
  errors: number;
}

/** Table statuses that mean the restore cannot finish, with what to tell people. */
const DEAD_TABLE_STATUSES: Record<string, string> = {
  DELETING: 'is being deleted',
  INACCESSIBLE_ENCRYPTION_CREDENTIALS: 'cannot use its KMS key (the key is disabled or the role lost access)',
  ARCHIVING: 'is being archived',
  ARCHIVED: 'was archived',
};

async function record(
  deps: RestoreDeps,
  req: RestoreRequest,
  changes: Partial<RestoreRequest>,
  event: EventInput | undefined,
  action: string,
): Promise<RestoreRequest | undefined> {
  const next = transition(req, changes, event, deps.now());
  if (!(await deps.store.update(req, next))) return undefined;
  if (event) auditTransition(deps.audit, req, next, event.actor, action);
  return next;
}

/**
 * True once a restore is past STUCK_AFTER_MS and watched hourly. `stopPolling` is how an earlier
 * version marked it (it then stopped watching); such a request is watched hourly too.
 */
function watchedHourly(restore: RestoreProgress): boolean {
  return restore.hourlySince !== undefined || restore.stopPolling === true;
}

/** Whether the watcher should look at a started restore in this run. */
function pollDue(req: RestoreRequest, now: Date): boolean {
  const restore = req.restore;
  if (!restore?.startedAt) return false;
  if (!watchedHourly(restore)) return true;
  return now.getTime() - Date.parse(restore.lastCheckAt ?? restore.startedAt) >= SLOW_POLL_INTERVAL_MS;
}

/**
 * One DescribeTable of a restoring table and what follows from it: ACTIVE ends the request with
 * the details, a missing or dying table ends it FAILED, CREATING gives a progress reply at most
 * every 10 minutes. All of it from stored state, so any run (or two at once) can do it.
 * Returns true when the request ended.
 */
export async function pollRestore(deps: RestoreDeps, initial: RestoreRequest): Promise<boolean> {
  let req = initial;
  const now = deps.now();
  if (!pollDue(req, now)) return false;
  const restore: RestoreProgress = { ...req.restore };
  const startedAt = restore.startedAt ?? now.toISOString();
  const hourly = watchedHourly(restore);
  if (!hourly && now.getTime() - Date.parse(startedAt) >= STUCK_AFTER_MS) {
    await record(
      deps,
      req,
      { restore: { ...restore, hourlySince: now.toISOString(), lastCheckAt: now.toISOString() } },
      { actor: 'bot', action: 'stuck', detail: restore.tableStatus ?? 'CREATING' },
      'watch-hourly',
    );
    return false;
  }
  if (hourly) {
    // Claim this hour's check with one conditional write, so overlapping runs make one call.
    restore.lastCheckAt = now.toISOString();
    const claimed = await record(deps, req, { restore }, undefined, 'hourly-check');
    if (!claimed) return false;
    req = claimed;
  }
  let table: Awaited<ReturnType<TargetAccount['describeTable']>>;
  let job: RestoreJobInfo | undefined;
  try {
    const target = await deps.targets(req.environment, sessionUser(req), req.id, {
      kind: 'watch',
      targetTable: req.targetTable,
    });
    // A source that restores through a job (AWS Backup) is followed by its job until it completes.
    if (restore.restoreJobId && restore.jobStatus !== 'COMPLETED') {
      job = await describeRestoreJob(target, req.source, restore.restoreJobId);
    }
    if (!job || job.status === 'COMPLETED') table = await target.describeTable(req.targetTable);
  } catch (err) {
    await recordWatchError(deps, req, err);
    throw err;
  }
  if (restore.watchErrorSince) {
    // Checking works again; a later failure starts a new count.
    delete restore.watchErrorSince;
    delete restore.watchErrorReported;
  }
  if (job && job.status !== 'COMPLETED') return followJob(deps, req, restore, job);
  if (job) restore.jobStatus = 'COMPLETED';
  if (!table || DEAD_TABLE_STATUSES[table.status]) {
    const message = table
      ? `Table ${req.targetTable} ${DEAD_TABLE_STATUSES[table.status]} (status ${table.status}), so the restore cannot finish. Check the table in the console and CloudTrail, then ask for the restore again if needed.`
      : `Table ${req.targetTable} no longer exists in account ${req.accountId}: it was deleted while it was being restored, or the restore was abandoned by AWS. Check CloudTrail for DeleteTable, then ask for the restore again.`;
    const code = table ? `Table${table.status}` : 'TableDisappeared';
    await record(
      deps,
      req,
      {
        status: 'FAILED',
        failure: { code, message },
        restore: { ...restore, tableStatus: table?.status ?? 'MISSING' },
      },
      { actor: 'bot', action: 'failed', detail: message },
      'fail',
    );
    return true;
  }
  if (table.status === 'ACTIVE') {
    // The settings diff goes into the ACTIVE reply; reading it never keeps the request from ending.
    const { settingsClients } = deps;
    const settings = settingsClients
      ? await settingsAtActive({ ...deps, settingsClients }, req, sessionUser(req))
      : undefined;
    const ended = await record(
      deps,
      req,
      {
        status: 'ACTIVE',
        ...(settings ? { settings: { ...req.settings, ...settings } } : {}),
        restore: {
          ...restore,
          tableStatus: 'ACTIVE',
          completedAt: now.toISOString(),
          ...(table.itemCount !== undefined ? { itemCount: table.itemCount } : {}),
          ...(table.sizeBytes !== undefined ? { sizeBytes: table.sizeBytes } : {}),
          ...(table.arn ? { tableArn: table.arn } : {}),
          ...(table.restoreDateTime ? { restorePoint: table.restoreDateTime } : {}),
        },
      },
      { actor: 'bot', action: 'active' },
      'complete',
    );
    if (ended) await startRequestedCopy(deps, ended);
    return true;
  }
  const changed = table.status !== restore.tableStatus;
  // Past 24 hours the thread hears of a status change only; the hourly checks stay quiet.
  const due =
    !hourly &&
    now.getTime() - Date.parse(restore.lastProgressAt ?? startedAt) >=
      (deps.progressIntervalMs ?? PROGRESS_INTERVAL_MS);
  if (changed || due) {
    await record(
      deps,
      req,
      { restore: { ...restore, tableStatus: table.status, lastProgressAt: now.toISOString() } },
      { actor: 'bot', action: 'progress', detail: table.status },
      'progress',
    );
  } else if (req.restore?.watchErrorSince) {
    await record(deps, req, { restore }, undefined, 'watch-recovered');
  }
  return false;
}

/** Restore job statuses after which no table will come. */
const DEAD_JOB_STATUSES = new Set(['FAILED', 'ABORTED']);

/**
 * One look at a restore job that has not completed: FAILED or ABORTED ends the request with AWS
 * Backup's status message; PENDING and RUNNING give a progress reply when the status changes and
 * at most every 10 minutes otherwise. Returns true when the request ended.
 */
async function followJob(
  deps: RestoreDeps,
  req: RestoreRequest,
  restore: RestoreProgress,
  job: RestoreJobInfo,
): Promise<boolean> {
  const now = deps.now();
  if (DEAD_JOB_STATUSES.has(job.status)) {
    const why = job.statusMessage ? `: ${job.statusMessage}` : ' without a reason';
    const message = `AWS Backup restore job ${job.id} ended ${job.status}${why}. Nothing more will be restored; check the job in the AWS Backup console (Jobs, Restore jobs), and delete ${req.targetTable} if a partial table was left behind.`;
    await record(
      deps,
      req,
      {
        status: 'FAILED',
        failure: { code: job.status === 'FAILED' ? 'RestoreJobFailed' : 'RestoreJobAborted', message },
        restore: { ...restore, jobStatus: job.status },
      },
      { actor: 'bot', action: 'failed', detail: message },
      'fail',
    );
    return true;
  }
  const changed = job.status !== restore.jobStatus;
  const due =
    now.getTime() - Date.parse(restore.lastProgressAt ?? restore.startedAt ?? req.updatedAt) >=
    PROGRESS_INTERVAL_MS;
  if (changed || due) {
    await record(
      deps,
      req,
      { restore: { ...restore, jobStatus: job.status, lastProgressAt: now.toISOString() } },
      { actor: 'bot', action: 'progress', ...(job.percentDone ? { detail: `${job.percentDone} done` } : {}) },
      'progress',
    );
  } else if (req.restore?.watchErrorSince) {
    await record(deps, req, { restore }, undefined, 'watch-recovered');
  }
  return false;
}

/**
 * Remembers that the new table could not be checked. People are told once, after it has failed
 * for WATCH_ERROR_REPORT_AFTER_MS, so a passing blip stays out of the thread but a lost
 * permission does not leave the thread silent until the 24-hour warning.
 */
async function recordWatchError(deps: RestoreDeps, req: RestoreRequest, err: unknown): Promise<void> {
  const restore = req.restore ?? {};
  const now = deps.now();
  if (!restore.watchErrorSince) {
    await record(
      deps,
      req,
      { restore: { ...restore, watchErrorSince: now.toISOString() } },
      undefined,
      'watch-error',
    );
    return;
  }
  if (restore.watchErrorReported) return;
  if (now.getTime() - Date.parse(restore.watchErrorSince) < WATCH_ERROR_REPORT_AFTER_MS) return;
  await record(
    deps,
    req,
    { restore: { ...restore, watchErrorReported: true } },
    { actor: 'bot', action: 'watch_failing', detail: toFailure(err).message },
    'watch-failing',
  );
}

/**
 * The scheduled sweep (every minute on Lambda, every WATCH_INTERVAL_SECONDS locally): expires
 * PENDING requests past their deadline, reminds the approvers of those still waiting, picks up approved requests whose hand-off was lost and
 * restore starts due for a retry, polls every RESTORING table, and posts whatever Slack has not
 * been told yet. One failing request never stops the others.
 */
export async function sweep(
  deps: RestoreDeps,
  notify: (requestId: string) => Promise<void>,
): Promise<SweepResult> {
  const result: SweepResult = {
    expired: 0,
    reminded: 0,
    started: 0,
    polled: 0,
    finished: 0,
    notified: 0,
    errors: 0,
  };
  const guard = (what: string, fn: (req: RestoreRequest) => Promise<void>) => async (req: RestoreRequest) => {
    try {
      await fn(req);
    } catch (err) {
      result.errors += 1;
      deps.log.warn(`watcher: ${what} failed; the next run tries again`, {
        requestId: req.id,
        error: err,
        code: toFailure(err).code,
      });
    }
  };
  const now = () => deps.now().getTime();

  const waiting = await deps.store.listByStatus('PENDING');
  await mapLimited(
    waiting.filter((r) => isExpired(r, deps.now())),
    CONCURRENCY,
    guard('expiry', async (req) => {
      const outcome = await applyDecision(
        deps,
        req.id,
        'bot',
        'expire',
        (r) => decideExpire(r, deps.now()),
        req,
      );
      if (outcome.ok) result.expired += 1;
    }),
  );

  const reminderMinutes = deps.config.reminderMinutes;
  if (reminderMinutes !== undefined) {
    await mapLimited(
      waiting.filter((r) => !isExpired(r, deps.now())),
      CONCURRENCY,
      guard('reminder', async (req) => {
        const env = environmentNamed(deps.config, req.environment);
        if (!env) return;
        const outcome = await applyDecision(
          deps,
          req.id,
          'bot',
          'remind',
          (r) => decideReminder(r, reminderMinutes, reminderMentions(r, env), deps.now()),
          req,
        );
        if (outcome.ok) result.reminded += 1;
      }),
    );
  }

  const approved = (await deps.store.listByStatus('APPROVED')).filter(
    (r) => now() - Date.parse(r.updatedAt) >= LOST_HANDOFF_MS,
  );
  await mapLimited(
    approved,
    CONCURRENCY,
    guard('start', async (req) => {
      const after = await executeRequest(deps, req.id, req);
      if (after?.restore?.startedAt) result.started += 1;
    }),
  );

  const restoring = await deps.store.listByStatus('RESTORING');
  await mapLimited(
    restoring,
    CONCURRENCY,
    guard('poll', async (req) => {
      if (!req.restore?.startedAt) {
        if (!startDue(req, deps.now())) return;
        const after = await attemptStart(deps, req);
        if (after?.restore?.startedAt) result.started += 1;
        return;
      }
      if (!pollDue(req, deps.now())) return;
      result.polled += 1;
      if (await pollRestore(deps, req)) result.finished += 1;
    }),
  );

  const outbox = await deps.store.listOutbox();
  await mapLimited(
    outbox,
    CONCURRENCY,
    guard('notify', async (req) => {
      await notify(req.id);
      result.notified += 1;
    }),
  );
  return result;
}
