import { viewSource } from '../restore/sources/index.ts';
import type { RequestAction, RequestEvent, RestoreRequest } from '../restore/types.ts';
import { durationBetween, formatDuration, formatUtc, formatWhen, who } from './format.ts';
import { clip, code, context, link, message, quote, section } from './kit.ts';
import { STATUS_EMOJI } from './request.ts';
import type { SlackMessage } from './types.ts';

/** What the request is about, in one phrase: "restore `MusicBackup` into `Music-restored` in *prod*". */
function subject(req: RestoreRequest, now: Date): string {
  const source = viewSource(req.source, now);
  return `restore of ${code(source.tableName, 120)} ${source.phrase} into ${code(req.targetTable, 120)} in *${clip(req.environment, 64)}*`;
}

/** Everyone who approved, the final approver last: "<@A> and <@B>". */
function approvers(req: RestoreRequest, finalActor: string): string {
  const ids = [...req.approvals.map((a) => a.userId).filter((u) => u !== finalActor), finalActor];
  const names = ids.map((u) => who(u));
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The events the requester hears about by direct message. */
const REQUESTER_DM_ACTIONS: ReadonlySet<RequestAction> = new Set([
  'approved',
  'rejected',
  'expired',
  'active',
  'failed',
]);

/**
 * The direct message that tells the requester how their request ended (or that it was approved),
 * with a link to its thread. Undefined for events the requester is not told about: a partial
 * approval, their own cancellation, progress.
 */
export function requesterNotice(
  req: RestoreRequest,
  event: RequestEvent,
  threadUrl: string,
  now: Date,
): SlackMessage | undefined {
  if (!REQUESTER_DM_ACTIONS.has(event.action)) return undefined;
  if (event.action === 'approved' && event.to !== 'APPROVED') return undefined;
  const yours = `Your ${subject(req, now)} (request ${clip(req.id, 64)})`;
  let text: string;
  let fallback: string;
  switch (event.action) {
    case 'approved':
      text = `${STATUS_EMOJI.APPROVED} ${yours} was approved by ${approvers(req, event.actor)}. The restore starts now; you will hear from me when the table is ready.`;
      fallback = `Restore request ${req.id} approved`;
      break;
    case 'rejected': {
      const reason = (event.detail ?? req.rejectReason ?? '').trim();
      text = `${STATUS_EMOJI.REJECTED} ${yours} was rejected by ${who(event.actor)}.${reason ? `\n${quote(clip(reason, 2000))}` : ' No reason was given.'}\nNothing was restored.`;
      fallback = `Restore request ${req.id} rejected`;
      break;
    }
    case 'expired':
      text = `${STATUS_EMOJI.EXPIRED} ${yours} expired at ${formatUtc(req.expiresAt)}: it had ${req.approvals.length}/${req.requiredApprovals} approvals. Nothing was restored; run \`/restore\` again if it is still needed.`;
      fallback = `Restore request ${req.id} expired`;
      break;
    case 'active': {
      const took = durationBetween(req.restore?.startedAt, req.restore?.completedAt ?? event.at);
      text = `${STATUS_EMOJI.ACTIVE} ${yours} is done: ${code(req.targetTable, 120)} is *ACTIVE*${took === undefined ? '' : ` after ${formatDuration(took)}`}. Settings a restore does not carry over (auto scaling, alarms, TTL, streams, tags, PITR) are listed in the thread.`;
      fallback = `Restore request ${req.id}: ${req.targetTable} is ACTIVE`;
      break;
    }
    default: {
      const f = req.failure;
      const why = f
        ? `${clip(f.code, 100)}: ${clip(f.message, 1500)}`
        : clip(event.detail ?? 'no detail', 1500);
      text = `${STATUS_EMOJI.FAILED} ${yours} *failed*.\n${quote(why)}`;
      fallback = `Restore request ${req.id} FAILED`;
    }
  }
  return message(fallback, [
    section(text),
    context([`${link(threadUrl, 'Open the request’s thread')} · ${formatWhen(event.at, now)}`]),
  ]);
}

/** The transitions the audit channel records, with their verb (reminders and progress are not transitions). */
const AUDIT_VERBS: Partial<Record<RequestAction, string>> = {
  requested: 'requested',
  approved: 'approved',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
  restore_started: 'started the restore',
  active: 'saw the table ACTIVE',
  failed: 'recorded the failure',
};

/**
 * One line for the audit channel: request, environment, who, what (with the status change),
 * source and target, and a link to the thread. Undefined for events that are not transitions.
 */
export function auditLine(
  req: RestoreRequest,
  event: RequestEvent,
  threadUrl: string | undefined,
  now: Date,
): SlackMessage | undefined {
  let what = AUDIT_VERBS[event.action];
  if (what === undefined) return undefined;
  if (event.action === 'approved' && event.detail) what += ` (${clip(event.detail, 16)})`;
  if (event.action === 'rejected' && event.detail) what += `: “${clip(event.detail, 300)}”`;
  if (event.action === 'failed' && req.failure) what += `: ${clip(req.failure.code, 100)}`;
  // The executor records RESTORING before the start call and the event once AWS accepted it.
  const to = event.to ?? (event.action === 'restore_started' ? 'RESTORING' : undefined);
  const from = event.to ? (event.from ?? 'new') : 'APPROVED';
  const change = to ? ` · ${from} → ${to}` : '';
  const view = viewSource(req.source, now);
  const source = `${code(view.tableName, 200)} ${view.phrase} (account ${req.accountId}, ${clip(req.region, 32)})`;
  const thread = threadUrl ? ` · ${link(threadUrl, 'thread')}` : '';
  const text = `${formatUtc(event.at)} · *${clip(req.id, 64)}* · ${clip(req.environment, 64)} · ${who(event.actor)} ${what}${change} · ${source} → ${code(req.targetTable, 200)}${thread}`;
  return message(`${req.id} ${req.environment}: ${event.action}${event.to ? ` → ${event.to}` : ''}`, [
    section(text),
  ]);
}
