import type { types } from '@slack/bolt';
import { viewSource } from '../restore/sources/index.ts';
import type { RequestAction, RequestEvent, RestoreRequest } from '../restore/types.ts';
import {
  consoleTableUrl,
  durationBetween,
  escapeMrkdwn,
  formatBytes,
  formatCount,
  formatDuration,
  formatUtc,
  formatWhen,
  plural,
  who,
} from './format.ts';
import { clip, code, context, fields, link, message, quote, section } from './kit.ts';
import { overridesSummary, STATUS_EMOJI } from './request.ts';
import { activeSettingsBlocks } from './settings.ts';
import type { SlackMessage } from './types.ts';

/**
 * What a restore from backup does not carry over to the new table (AWS: "Restoring a DynamoDB
 * table from a backup"). The completion reply lists every item, so nobody assumes the restored
 * table is a drop-in copy.
 */
export const NOT_RESTORED_SETTINGS = [
  'auto scaling policies',
  'IAM policies',
  'CloudWatch alarms',
  'tags',
  'DynamoDB Streams settings',
  'TTL settings',
  'point-in-time recovery',
] as const;

export interface FailureExplanation {
  /** What the error means, in a sentence. */
  meaning: string;
  /** What to do next. */
  todo: string;
}

const ACCESS_DENIED: FailureExplanation = {
  meaning: "The bot's IAM role in this account is not allowed to do this restore.",
  todo: 'Ask whoever owns the role to check its policy: a restore needs `dynamodb:RestoreTableFromBackup` (from a backup) or `dynamodb:RestoreTableToPointInTime` (to a point in time) plus write access to the new table (`PutItem`, `UpdateItem`, `DeleteItem`, `GetItem`, `Query`, `Scan`, `BatchWriteItem`), and use of the KMS key if the table has a customer managed key. Then request again.',
};

const EXPLANATIONS: Readonly<Record<string, FailureExplanation>> = {
  TableAlreadyExistsException: {
    meaning: 'A table with the target name already exists in this account and region.',
    todo: 'Pick another target name (or make sure the existing table is a leftover before deleting it), then request again.',
  },
  TableInUseException: {
    meaning: 'A table with the target name is being created or deleted right now.',
    todo: 'Pick another target name, or wait until that operation finishes, then request again.',
  },
  BackupNotFoundException: {
    meaning: 'The backup no longer exists: it was deleted, or it was a SYSTEM backup that expired.',
    todo: 'Find another backup with `/backups TABLE` and request again.',
  },
  BackupInUseException: {
    meaning: 'Another operation (a restore or a deletion) is using this backup right now.',
    todo: 'Wait a few minutes and request the restore again.',
  },
  PointInTimeRecoveryUnavailableException: {
    meaning:
      'Point-in-time recovery is not enabled on the source table (it was turned off after the request).',
    todo: 'Restore one of its backups instead (`/backups TABLE`), or turn point-in-time recovery on again and request a time after that.',
  },
  InvalidRestoreTimeException: {
    meaning:
      'The restore point is outside the source table’s recovery window: the window’s start moves forward as days pass, and it ends a few minutes before now.',
    todo: 'Look at the window with `/backups TABLE` and request again with a time inside it, or with `--latest`.',
  },
  TableNotFoundException: {
    meaning: 'The source table no longer exists, so it has no point-in-time recovery window.',
    todo: 'If it was deleted, restore its SYSTEM backup instead: `/backups TABLE --type SYSTEM`.',
  },
  LimitExceededException: {
    meaning:
      'The account hit a DynamoDB limit: too many table operations at once (creates, restores, index builds), or too many tables.',
    todo: 'Wait for other table operations to finish (or ask for a quota increase), then request again.',
  },
  ValidationException: {
    meaning:
      'AWS rejected the restore parameters, most often an override: capacity units, billing mode, KMS key or an index name.',
    todo: 'Check the overrides against the error above, fix them and request again.',
  },
  AccessDeniedException: ACCESS_DENIED,
  AccessDenied: ACCESS_DENIED,
  UnauthorizedOperation: ACCESS_DENIED,
  ExpiredTokenException: {
    meaning: "The bot's session in the target account expired before the call was made.",
    todo: 'Request the restore again; the bot opens a new session.',
  },
  InternalServerError: {
    meaning: 'AWS had an internal error.',
    todo: 'Request the restore again. If it keeps failing, check the AWS Health Dashboard for DynamoDB in this region.',
  },
  RestoreJobFailed: {
    meaning: 'AWS Backup started the restore job, but the job failed (its message is above).',
    todo: 'Check the restore job in the AWS Backup console (Jobs, Restore jobs): most often the restore role (awsBackupRoleArn) may not create the table or use the KMS key. Delete a partial table if one was left, fix the cause, then request again.',
  },
  RestoreJobAborted: {
    meaning: 'The AWS Backup restore job was stopped before it finished.',
    todo: 'Find out who or what stopped it in the AWS Backup console and CloudTrail, delete a partial table if one was left, then request again.',
  },
  RecoveryPointNotFound: {
    meaning: 'The AWS Backup recovery point no longer exists: its lifecycle deleted it, or someone did.',
    todo: 'Find another recovery point with `/backups TABLE --type AWS_BACKUP` and request again.',
  },
  InvalidRequestException: {
    meaning: 'AWS Backup refused to start the restore (its reason is above).',
    todo: 'Fix what AWS Backup names (the recovery point, the target table name or the restore role), then request again.',
  },
  RestoreStuck: {
    meaning: 'The table stayed in CREATING far longer than expected.',
    todo: 'Check the table in the AWS console, and open a case with AWS Support if it does not finish.',
  },
};

const UNKNOWN_FAILURE: FailureExplanation = {
  meaning: 'The restore did not complete.',
  todo: 'Check the target table in the AWS console: if a partial table exists, delete it before requesting again. If the error is unclear, ask the team that owns the bot.',
};

/** A failure code (AWS error name or the bot's own code) explained for someone mid-incident. */
export function explainFailure(code: string | undefined): FailureExplanation {
  if (!code) return UNKNOWN_FAILURE;
  const known = EXPLANATIONS[code];
  if (known) return known;
  if (/kms/i.test(code)) {
    return {
      meaning:
        'The KMS key for the table cannot be used: it is disabled, pending deletion, or the role may not use it.',
      todo: 'Check the key in KMS (or restore with `--sse-specification-override` to use another key), then request again.',
    };
  }
  if (/throttl/i.test(code)) {
    return {
      meaning: 'AWS throttled the call.',
      todo: 'Wait a minute and request the restore again.',
    };
  }
  return UNKNOWN_FAILURE;
}

function sentence(actor: string): string {
  const name = who(actor);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function whereText(req: RestoreRequest): string {
  return `*${clip(req.environment, 64)}* (account ${code(req.accountId, 32)}, ${code(req.region, 32)})`;
}

function consoleLink(req: RestoreRequest, label: string): string {
  return link(consoleTableUrl(req.region, req.targetTable), label);
}

/** The event's free text, if it carries any, as a quoted note. */
function detailNote(event: RequestEvent, skip?: string): string {
  const detail = event.detail?.trim();
  if (!detail || detail === skip) return '';
  return `\n${quote(clip(detail, 1500))}`;
}

function approvalsAt(req: RestoreRequest, at: string): number {
  const when = Date.parse(at);
  if (Number.isNaN(when)) return req.approvals.length;
  return req.approvals.filter((a) => Date.parse(a.at) <= when).length;
}

function activeBlocks(req: RestoreRequest, event: RequestEvent, now: Date): types.KnownBlock[] {
  const r = req.restore ?? {};
  const finished = r.completedAt ?? event.at;
  const took = durationBetween(r.startedAt, finished);
  const target = code(req.targetTable);
  const source = viewSource(req.source, now);
  const expected = source.expected;
  const versus = (value: string) => (expected ? ` (${expected.what}: ${value})` : '');
  const blocks: types.KnownBlock[] = [
    section(
      `${STATUS_EMOJI.ACTIVE} ${target} is *ACTIVE* in ${whereText(req)}${took === undefined ? '' : `. The restore took *${formatDuration(took)}*`}. ${consoleLink(req, `Open ${clip(req.targetTable, 200)} in the AWS console`)}`,
    ),
    fields([
      `*Items*\n${formatCount(r.itemCount)}${versus(formatCount(expected?.itemCount))}`,
      `*Size*\n${formatBytes(r.sizeBytes)}${versus(formatBytes(expected?.sizeBytes))}`,
      `*Started*\n${formatWhen(r.startedAt, now)}`,
      `*Finished*\n${formatWhen(finished, now)}`,
      `*Restored from*\n${source.restoredFrom(r.restorePoint)}`,
      `*Overrides*\n${clip(overridesSummary(req.overrides), 1900)}`,
    ]),
    ...activeSettingsBlocks(req, NOT_RESTORED_SETTINGS),
  ];
  if (expected && (r.itemCount !== expected.itemCount || r.sizeBytes !== expected.sizeBytes)) {
    blocks.push(
      context([
        `DynamoDB refreshes a table’s item count and size about every six hours, so right after a restore they can read 0 or differ from the ${expected.what}.`,
      ]),
    );
  }
  return blocks;
}

function failedBlocks(req: RestoreRequest, event: RequestEvent): types.KnownBlock[] {
  const f = req.failure;
  const explained = explainFailure(f?.code);
  const error = f
    ? `*${clip(f.code, 100)}*: ${clip(f.message, 1500)}`
    : event.detail?.trim()
      ? clip(event.detail.trim(), 1500)
      : 'no error detail was recorded';
  const blocks: types.KnownBlock[] = [
    section(
      `${STATUS_EMOJI.FAILED} The restore into ${code(req.targetTable)} in ${whereText(req)} *failed*.\n${quote(error)}${f ? detailNote(event, f.message) : ''}`,
    ),
    section(`*What it means:* ${explained.meaning}\n*What to do:* ${explained.todo}`),
  ];
  if (req.restore?.startedAt) {
    blocks.push(
      context([
        `AWS had accepted the restore, so a table may exist: ${consoleLink(req, `check ${clip(req.targetTable, 200)} in the AWS console`)}.`,
      ]),
    );
  }
  return blocks;
}

/** A Slack mention of a user (U…, W…) or a user group (S…). */
export function mention(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}

function reminderText(req: RestoreRequest, event: RequestEvent): string {
  const left = Math.max(0, Date.parse(req.expiresAt) - Date.parse(event.at));
  const missing = Math.max(1, req.requiredApprovals - approvalsAt(req, event.at));
  const people = (event.mentions ?? []).map(mention).join(' ') || `${clip(req.environment, 64)} approvers`;
  const last = event.detail === 'last' ? ' This is the last reminder.' : '';
  return `:bell: ${people}: this restore still needs ${plural(missing, 'approval')} and closes in *${formatDuration(left)}* (${formatUtc(req.expiresAt)}). Approve or reject it with the buttons above, or from the bot's Home tab.${last}`;
}

function mainText(req: RestoreRequest, event: RequestEvent, now: Date): string {
  const actor = sentence(event.actor);
  const target = code(req.targetTable);
  const from = viewSource(req.source, now);
  const source = code(from.tableName);
  const r = req.restore ?? {};
  switch (event.action) {
    case 'requested':
      return `:inbox_tray: ${actor} requested a restore of ${source} ${from.phrase} into the new table ${target} in ${whereText(req)}. It needs ${plural(req.requiredApprovals, 'approval')} from ${clip(req.environment, 64)} approvers by ${formatUtc(req.expiresAt)}; the requester cannot approve.${detailNote(event)}`;
    case 'approved': {
      const count = approvalsAt(req, event.at);
      const missing = req.requiredApprovals - count;
      const next =
        missing > 0
          ? `Waiting for ${plural(missing, 'more approval')}.`
          : 'That is enough: the restore starts now.';
      return `${STATUS_EMOJI.APPROVED} ${actor} approved (${count}/${req.requiredApprovals}). ${next}${detailNote(event)}`;
    }
    case 'rejected': {
      const reason = event.detail?.trim() || req.rejectReason?.trim();
      return `${STATUS_EMOJI.REJECTED} ${actor} rejected the request. ${reason ? `Reason:\n${quote(clip(reason, 2500))}\n` : ''}Nothing was restored.`;
    }
    case 'cancelled':
      return `${STATUS_EMOJI.CANCELLED} ${actor} cancelled the request. Nothing was restored.${detailNote(event)}`;
    case 'expired':
      return `${STATUS_EMOJI.EXPIRED} Nobody approved in time: the request expired at ${formatUtc(req.expiresAt)} with ${approvalsAt(req, event.at)}/${req.requiredApprovals} approvals (closed by ${who(event.actor)}). Nothing was restored; run \`/restore\` again if it is still needed.`;
    case 'restore_started':
      return `${STATUS_EMOJI.RESTORING} ${actor} started the restore into ${target} in ${whereText(req)}. ${from.startedText}; this takes from minutes to hours. Progress updates follow here.${detailNote(event)}\n${ROLE_POLICY_WARNING}`;
    case 'restore_retrying': {
      const attempt = r.attempts ? ` (attempt ${formatCount(r.attempts)})` : '';
      const when = r.nextAttemptAt ? ` at ${formatWhen(r.nextAttemptAt, now)}` : ' shortly';
      return `:repeat: AWS could not start the restore yet${attempt}. ${actor} will try again${when}.${detailNote(event)}`;
    }
    case 'progress': {
      const elapsed = durationBetween(r.startedAt, event.at);
      const onJob = r.restoreJobId !== undefined && r.jobStatus !== 'COMPLETED';
      const status = (onJob ? r.jobStatus : r.tableStatus) ?? 'unknown';
      const what = onJob ? 'AWS Backup restore job' : 'table status';
      return `:hourglass_flowing_sand: Still restoring ${target}: ${elapsed === undefined ? 'time since start unknown' : `${formatDuration(elapsed)} since the start`}, ${what} *${clip(status, 40)}*.${detailNote(event, onJob ? undefined : status)}`;
    }
    case 'stuck': {
      const elapsed = durationBetween(r.startedAt, event.at);
      return `:warning: ${target} is still RESTORING ${elapsed === undefined ? 'after 24h' : `after ${formatDuration(elapsed)}`} (started ${formatUtc(r.startedAt)}). ${actor} now checks it every hour instead of every minute and says here when it is ACTIVE or gone. ${consoleLink(req, 'Check the table in the AWS console')}; if it stays in CREATING, open a case with AWS Support.${detailNote(event)}`;
    }
    case 'settings_copied': {
      const source = code(from.tableName);
      const report = event.detail?.trim() ? `\n${clip(event.detail.trim(), 2600)}` : '';
      return `:gear: ${actor} copied settings from ${source} to ${target}:${report}`;
    }
    case 'watch_failing':
      return `:warning: The bot cannot check on ${target} at the moment, so progress updates have stopped. It keeps trying every minute and says here when the table is ACTIVE; the restore itself carries on in AWS. ${consoleLink(req, 'Check the table in the AWS console')}.${detailNote(event)}`;
    case 'reminded':
      return reminderText(req, event);
    default:
      // An action added to the domain before this builder learnt it: say something true.
      return `${actor}: ${escapeMrkdwn(String(event.action))}.${detailNote(event)}`;
  }
}

/** The few words that end each reply's notification text ("Restore request R-…: table ACTIVE"). */
export const EVENT_SUMMARIES: Readonly<Record<RequestAction, string>> = {
  requested: 'requested',
  approved: 'approved',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
  restore_started: 'restore started',
  restore_retrying: 'restore start will be retried',
  progress: 'still restoring',
  active: 'table ACTIVE',
  failed: 'restore FAILED',
  stuck: 'still restoring after 24h; checked hourly from now on',
  watch_failing: 'the bot cannot check the table at the moment',
  reminded: 'still waiting for approval',
  settings_copied: 'settings copied',
};

/**
 * AWS's warning from the restore tutorial: DynamoDB writes the restored items with the role's
 * permissions for as long as the restore runs, so changing the role's policy (or adding
 * source-IP conditions) before the table is ACTIVE makes the restore fail.
 */
const ROLE_POLICY_WARNING =
  ':warning: Until the restore has finished, do not change or delete the bot role’s IAM policy in this account, and do not add source-IP conditions to it: the restore writes with the role’s permissions and fails if they change.';

/**
 * The threaded reply under the approval message for one step of a request: who did it (a user
 * or "the bot"), when, and what it means. The completion reply carries duration, item count,
 * size, a console link and {@link NOT_RESTORED_SETTINGS}; a failure is explained with what to do.
 */
export function eventReply(req: RestoreRequest, event: RequestEvent, now: Date): SlackMessage {
  let blocks: types.KnownBlock[];
  if (event.action === 'active') blocks = activeBlocks(req, event, now);
  else if (event.action === 'failed') blocks = failedBlocks(req, event);
  else blocks = [section(mainText(req, event, now))];
  blocks.push(
    context([`Request ${clip(req.id, 64)} · by ${who(event.actor)} · ${formatWhen(event.at, now)}`]),
  );
  // A stored event of an action this build does not know yet still gets a summary.
  const what = EVENT_SUMMARIES[event.action] ?? clip(String(event.action), 64);
  return message(`Restore request ${clip(req.id, 64)} (${clip(req.targetTable, 255)}): ${what}`, blocks);
}
