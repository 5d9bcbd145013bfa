import type { WebClient } from '@slack/web-api';
import { AwsOperationError } from './aws/errors.ts';
import { sessionScopeOf, tableArn } from './aws/session-policy.ts';
import type { TargetAccount } from './aws/types.ts';
import {
  backupCandidatesMessage,
  backupDetailMessage,
  backupsListMessage,
  type ListedBackup,
  type PitrLine,
  suggestedTargetName,
} from './blocks/backups.ts';
import { errorMessage, noticeMessage } from './blocks/errors.ts';
import { recoveryPointDetailMessage } from './blocks/recovery-points.ts';
import { settingsMessage } from './blocks/settings.ts';
import type { SlackMessage } from './blocks/types.ts';
import { RECOVERY_POINT_ARN } from './commands/tokenize.ts';
import { MAX_BACKUPS_LIMIT } from './commands/types.ts';
import { mapLimited } from './concurrency.ts';
import { type EnvironmentConfig, environmentNamed } from './config.ts';
import type { Job, JobOf, ReplyTo } from './jobs.ts';
import { executeRequest } from './restore/executor.ts';
import { authoriseRequester, isApprover } from './restore/policy.ts';
import { createRequest, type RestoreDeps } from './restore/service.ts';
import { resolveBackup } from './restore/sources/backup/exec.ts';
import { sourceLabel } from './restore/sources/index.ts';
import { resolveRecoveryPoint } from './restore/sources/recovery-point/exec.ts';
import { sweep } from './restore/watcher.ts';
import { rowView } from './settings/diff.ts';
import { compareRequest, runSettingsCopy, type SettingsDeps } from './settings/service.ts';
import type { Messenger } from './slack/messenger.ts';
import type { NoticeKind } from './slack/notices/index.ts';
import { notifyRequest } from './slack/notifier.ts';
import { replyTo } from './slack/reply.ts';

/** Most backups shown in one message: one section each, within Slack's 50 blocks. */
const MAX_BACKUPS_PAGE = MAX_BACKUPS_LIMIT;
const DESCRIBE_CONCURRENCY = 5;

export interface WorkerDeps extends RestoreDeps {
  slack: WebClient;
  messenger: Messenger;
  /** The notices that follow each request's thread (src/slack/notices/). */
  notices?: readonly NoticeKind[];
}

function filterSummary(job: JobOf<'backups.list'>): string {
  return [
    job.table ? `table ${job.table}` : 'all tables',
    `type ${job.backupType}`,
    job.since ? `since ${job.since.slice(0, 16).replace('T', ' ')} UTC` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * Backups and, for one table with --type AWS_BACKUP or ALL, its AWS Backup recovery points
 * (ListRecoveryPointsByResource: DynamoDB's ListBackups does not list what AWS Backup made), newest
 * first. With ALL, recovery points that cannot be listed leave a note instead of failing the list.
 */
async function listEntries(
  target: TargetAccount,
  env: EnvironmentConfig,
  job: JobOf<'backups.list'>,
): Promise<{ entries: ListedBackup[]; notice?: string }> {
  const since = job.since ? new Date(job.since) : undefined;
  const table = job.table;
  const withPoints = table !== undefined && (job.backupType === 'AWS_BACKUP' || job.backupType === 'ALL');
  const backups =
    withPoints && job.backupType === 'AWS_BACKUP'
      ? []
      : await target.listBackups({
          type: job.backupType,
          ...(table ? { tableName: table } : {}),
          ...(since ? { since } : {}),
        });
  if (!withPoints) return { entries: backups };
  let points: ListedBackup[];
  try {
    points = (await target.recoveryPoints.listForTable(tableArn(sessionScopeOf(env), table), table))
      .filter((p) => !since || Date.parse(p.createdAt) >= since.getTime())
      .map((p) => ({ ...p, kind: 'recovery-point' as const }));
  } catch (err) {
    if (job.backupType === 'AWS_BACKUP' || !(err instanceof AwsOperationError)) throw err;
    return {
      entries: backups,
      notice: `AWS Backup recovery points are not shown: ${err.userMessage}`,
    };
  }
  const pointArns = new Set(points.map((p) => p.arn));
  const entries = [...backups.filter((b) => !pointArns.has(b.arn)), ...points];
  return { entries: entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt)) };
}

/** The details a list does not carry: item counts (DescribeBackup), lifecycle (DescribeRecoveryPoint). */
function describeEntry(target: TargetAccount, entry: ListedBackup): Promise<ListedBackup> {
  const detail: Promise<object> =
    'kind' in entry
      ? target.recoveryPoints.describe(entry.arn, entry.vaultName)
      : target.describeBackup(entry.arn);
  return detail.then(
    (more) => ({ ...entry, ...more }),
    () => entry,
  );
}

/** The table's point-in-time recovery for the head of `/backups TABLE`; a failure is shown, not thrown. */
async function pitrLine(target: TargetAccount, table: string): Promise<PitrLine> {
  try {
    return { table, status: await target.describeContinuousBackups(table) };
  } catch (err) {
    if (err instanceof AwsOperationError && err.code === 'TableNotFoundException')
      return { table, missing: true };
    if (err instanceof AwsOperationError) return { table, error: err.userMessage };
    throw err;
  }
}

async function listBackups(deps: WorkerDeps, job: JobOf<'backups.list'>): Promise<SlackMessage> {
  const env = await authoriseRequester(deps.config, deps.directory, job);
  if ('refusal' in env) return errorMessage(env.refusal);
  const { accountId, region } = env.env;
  const target = await deps.targets(env.name, job.userId, undefined, {
    kind: 'list',
    ...(job.table ? { tableName: job.table } : {}),
  });
  const [{ entries, notice }, pitr] = await Promise.all([
    listEntries(target, env.env, job),
    job.table && job.offset === 0 ? pitrLine(target, job.table) : undefined,
  ]);
  const pageSize = Math.min(job.limit, MAX_BACKUPS_PAGE);
  const page = entries.slice(job.offset, job.offset + pageSize);
  const described = await mapLimited(page, DESCRIBE_CONCURRENCY, (entry) => describeEntry(target, entry));
  entries.splice(job.offset, page.length, ...described);
  const { type: _type, replyTo: _reply, userId: _user, channelId: _channel, ...query } = job;
  const more = { ...query, offset: job.offset + pageSize };
  return backupsListMessage({
    backups: entries,
    ...(pitr ? { pitr } : {}),
    environment: env.name,
    accountId,
    region,
    filterSummary: filterSummary(job),
    offset: job.offset,
    pageSize,
    now: deps.now(),
    moreValue: JSON.stringify(more),
    ...(notice ? { notice } : {}),
  });
}

async function describeBackup(deps: WorkerDeps, job: JobOf<'backups.describe'>): Promise<SlackMessage> {
  const env = await authoriseRequester(deps.config, deps.directory, job);
  if ('refusal' in env) return errorMessage(env.refusal);
  const { accountId, region } = env.env;
  const target = await deps.targets(env.name, job.userId, undefined, { kind: 'lookup' });
  if (RECOVERY_POINT_ARN.test(job.backup)) {
    const found = await resolveRecoveryPoint(target, env.name, job.backup);
    if ('refused' in found) return errorMessage(found.refused);
    return recoveryPointDetailMessage({
      recoveryPoint: found.recoveryPoint,
      environment: env.name,
      accountId,
      region,
      now: deps.now(),
      suggestedTarget: suggestedTargetName(found.recoveryPoint.tableName),
      ...(env.env.awsBackupRoleArn ? { restoreRoleArn: env.env.awsBackupRoleArn } : {}),
    });
  }
  const found = await resolveBackup(target, env.name, job.backup);
  if ('refused' in found) return errorMessage(found.refused);
  if ('ambiguous' in found) return backupCandidatesMessage(job.backup, found.ambiguous, deps.now());
  return backupDetailMessage({
    backup: found.backup,
    environment: env.name,
    accountId,
    region,
    now: deps.now(),
  });
}

async function requestRestore(deps: WorkerDeps, job: JobOf<'restore.request'>): Promise<SlackMessage> {
  const outcome = await createRequest(deps, {
    requestId: job.requestId,
    userId: job.userId,
    channelId: job.channelId,
    source: job.source,
    targetTable: job.targetTable,
    overrides: job.overrides,
    ...(job.env ? { env: job.env } : {}),
    ...(job.reason ? { reason: job.reason } : {}),
    ...(job.copySettings ? { copySettings: true } : {}),
  });
  const notes = job.notes?.length ? `${job.notes.map((n) => `:information_source: ${n}`).join('\n')}\n` : '';
  switch (outcome.kind) {
    case 'refused':
      return errorMessage(`${notes}${outcome.text}`);
    case 'ambiguous':
      return backupCandidatesMessage(outcome.name, outcome.candidates, deps.now());
    case 'created': {
      const r = outcome.request;
      const text = `Request *${r.id}* is posted in <#${r.channelId}>: restore ${sourceLabel(r.source)} into *${r.targetTable}* (${r.environment}). It needs ${r.requiredApprovals} approval${r.requiredApprovals === 1 ? '' : 's'} from ${outcome.approvers} by ${r.expiresAt.slice(11, 16)} UTC.`;
      return noticeMessage(`${notes}${text}`);
    }
  }
}

/** Explains a failure to the user; the technical detail goes to the log. */
function failureMessage(err: unknown): SlackMessage {
  if (err instanceof AwsOperationError) return errorMessage(err.userMessage);
  return errorMessage(
    'Something went wrong on the bot’s side; nothing was changed. The platform team can find the details in the bot’s logs.',
  );
}

async function answer(
  deps: WorkerDeps,
  to: ReplyTo,
  job: Job,
  build: () => Promise<SlackMessage>,
): Promise<void> {
  let message: SlackMessage;
  try {
    message = await build();
  } catch (err) {
    deps.log.error('job failed', { job: job.type, error: err });
    message = failureMessage(err);
  }
  await replyTo(deps.slack, to, message);
}

/**
 * Runs one job handed over by a listener or the watcher. Jobs are safe to run twice (Lambda
 * retries a failed asynchronous invoke): requests are created under an ID chosen before the
 * hand-off, and every transition is conditional.
 */
export async function runJob(deps: WorkerDeps, job: Job): Promise<void> {
  switch (job.type) {
    case 'backups.list':
      return answer(deps, job.replyTo, job, () => listBackups(deps, job));
    case 'backups.describe':
      return answer(deps, job.replyTo, job, () => describeBackup(deps, job));
    case 'restore.request':
      return answer(deps, job.replyTo, job, () => requestRestore(deps, job));
    case 'request.notify':
      return notifyRequest(deps, job.requestId);
    case 'request.execute':
      await executeRequest(deps, job.requestId);
      return;
    case 'settings.show':
      return answer(deps, job.replyTo, job, () => showSettings(deps, job));
    case 'settings.copy': {
      const settingsDeps = withSettings(deps);
      if (!settingsDeps) {
        deps.log.error('settings.copy job in a process without settings sessions', {
          requestId: job.requestId,
        });
        return;
      }
      return runSettingsCopy(settingsDeps, job.requestId, job.userId);
    }
  }
}

function withSettings(deps: WorkerDeps): (WorkerDeps & SettingsDeps) | undefined {
  const { settingsClients } = deps;
  return settingsClients ? { ...deps, settingsClients } : undefined;
}

/** `/restore settings REQUEST_ID`: both tables read now, side by side, with the Copy button for those who may press it. */
async function showSettings(deps: WorkerDeps, job: JobOf<'settings.show'>): Promise<SlackMessage> {
  const req = await deps.store.get(job.requestId);
  if (!req) return errorMessage(`There is no restore request ${job.requestId}.`);
  const env = environmentNamed(deps.config, req.environment);
  const approver = env ? await isApprover(env, job.userId, deps.directory) : false;
  const requester = req.requesterId === job.userId;
  if (!approver && !requester) {
    const allowed = await authoriseRequester(deps.config, deps.directory, {
      env: req.environment,
      userId: job.userId,
      channelId: job.channelId,
    });
    if ('refusal' in allowed) return errorMessage(allowed.refusal);
  }
  if (req.status !== 'ACTIVE') {
    return errorMessage(
      `Request ${req.id} is ${req.status}: settings are compared once the new table ${req.targetTable} is ACTIVE.`,
    );
  }
  const settingsDeps = withSettings(deps);
  if (!settingsDeps) return errorMessage('This process cannot read table settings (no settings sessions).');
  const comparison = await compareRequest(settingsDeps, req, job.userId);
  const alarms = comparison.source.settings.alarms;
  return settingsMessage({
    req,
    rows: comparison.rows.map(rowView),
    sourceOrigin: comparison.source.origin,
    ...(alarms && 'value' in alarms ? { alarms: alarms.value } : {}),
    offerCopy: (approver || requester) && req.settings?.copy?.state !== 'RUNNING',
  });
}

/** One watcher run over the stored requests. */
export function runWatcher(deps: WorkerDeps) {
  return sweep(deps, (id) => notifyRequest(deps, id));
}
