import type { types } from '@slack/bolt';
import { sourceLabel, viewSource } from '../restore/sources/index.ts';
import type {
  RequestAction,
  RequestEvent,
  RequestStatus,
  RestoreOverrides,
  RestoreRequest,
} from '../restore/types.ts';
import {
  durationBetween,
  formatCount,
  formatDuration,
  formatRelative,
  formatUtc,
  formatWhen,
  plural,
  who,
} from './format.ts';
import {
  actions,
  button,
  clip,
  code,
  context,
  fields,
  header,
  MAX_NAME,
  message,
  quote,
  section,
} from './kit.ts';
import { MAX_CONFIRM_TEXT, truncate } from './limits.ts';
import type { SlackMessage } from './types.ts';

export const REQUEST_APPROVE_ACTION_ID = 'request_approve';
export const REQUEST_REJECT_ACTION_ID = 'request_reject';
export const REQUEST_CANCEL_ACTION_ID = 'request_cancel';
export const REQUEST_ACTIONS_BLOCK_ID = 'request_actions';

/** One emoji per status, used in headers and status lists so a status is recognisable at a glance. */
export const STATUS_EMOJI: Readonly<Record<RequestStatus, string>> = {
  PENDING: ':hourglass_flowing_sand:',
  APPROVED: ':ballot_box_with_check:',
  RESTORING: ':arrows_counterclockwise:',
  ACTIVE: ':large_green_circle:',
  FAILED: ':x:',
  REJECTED: ':no_entry:',
  CANCELLED: ':heavy_multiplication_x:',
  EXPIRED: ':alarm_clock:',
};

const MAX_REASON = 2500;
const MAX_FAILURE = 1500;

/** A PENDING request whose approval deadline has passed; the watcher may not have marked it yet. */
export function isPastDeadline(req: RestoreRequest, now: Date): boolean {
  const deadline = Date.parse(req.expiresAt);
  return req.status === 'PENDING' && !Number.isNaN(deadline) && deadline <= now.getTime();
}

/**
 * The status to show: a PENDING request past its deadline can no longer be approved, so it is
 * shown as EXPIRED even before the watcher records the transition.
 */
export function displayStatus(req: RestoreRequest, now: Date): RequestStatus {
  return isPastDeadline(req, now) ? 'EXPIRED' : req.status;
}

/**
 * Overrides in words, for the approval message and confirmations: `none`, or e.g.
 * `billing mode PROVISIONED; throughput 100 read / 50 write units; drop indexes byDate, byUser`.
 */
export function overridesSummary(o: RestoreOverrides): string {
  const parts: string[] = [];
  if (o.billingMode) parts.push(`billing mode ${o.billingMode}`);
  if (o.provisionedThroughput) {
    const { readCapacityUnits: r, writeCapacityUnits: w } = o.provisionedThroughput;
    parts.push(`throughput ${formatCount(r)} read / ${formatCount(w)} write units`);
  }
  if (o.sse) {
    if (!o.sse.enabled) parts.push('encryption with an AWS owned key');
    else if (o.sse.kmsMasterKeyId) parts.push(`encryption with KMS key ${o.sse.kmsMasterKeyId}`);
    else parts.push('encryption with the AWS managed KMS key (aws/dynamodb)');
  }
  if (o.dropIndexes === 'ALL') parts.push('drop all secondary indexes');
  else if (o.dropIndexes && o.dropIndexes.length > 0) parts.push(`drop indexes ${o.dropIndexes.join(', ')}`);
  return parts.length === 0 ? 'none' : parts.join('; ');
}

/** The last event of a kind, for "rejected by X at T" lines. */
export function lastEvent(req: RestoreRequest, action: RequestAction): RequestEvent | undefined {
  for (let i = req.events.length - 1; i >= 0; i--) {
    const e = req.events[i];
    if (e?.action === action) return e;
  }
  return undefined;
}

/** Who decided a rejection or cancellation: the stored decider, else the event's actor. */
function decider(req: RestoreRequest, action: RequestAction, fallback: string): string {
  const actor = req.decidedBy ?? lastEvent(req, action)?.actor;
  return actor ? who(actor) : fallback;
}

/** Who approved, in order: "<@A>, <@B>", or "the approvers" when the request carries no names. */
export function approverNames(req: RestoreRequest): string {
  return req.approvals.map((a) => who(a.userId)).join(', ') || 'the approvers';
}

function approvalsText(req: RestoreRequest): string {
  const count = `${req.approvals.length}/${req.requiredApprovals}`;
  if (req.approvals.length === 0) return count;
  return `${count} — ${req.approvals.map((a) => `${who(a.userId)} (${formatUtc(a.at)})`).join(', ')}`;
}

function deadlineText(req: RestoreRequest, now: Date): string {
  switch (displayStatus(req, now)) {
    case 'PENDING':
      return formatWhen(req.expiresAt, now);
    case 'EXPIRED':
      return `expired ${formatUtc(req.expiresAt)} (${formatRelative(req.expiresAt, now)})`;
    case 'REJECTED':
    case 'CANCELLED':
      return `${formatUtc(req.expiresAt)} (no longer applies)`;
    default:
      return `${formatUtc(req.expiresAt)} (approved in time)`;
  }
}

/** One line saying where the request stands: who did what, when, and what happens next. */
export function statusLine(req: RestoreRequest, now: Date): string {
  const at = (iso: string | undefined) => formatWhen(iso ?? req.updatedAt, now);
  const target = code(req.targetTable);
  switch (displayStatus(req, now)) {
    case 'PENDING': {
      const missing = Math.max(0, req.requiredApprovals - req.approvals.length);
      return `${STATUS_EMOJI.PENDING} Waiting for ${plural(missing, 'more approval')} from ${clip(req.environment, 64)} approvers (the requester cannot approve). Approval closes ${formatRelative(req.expiresAt, now)}; approving starts the restore at once.`;
    }
    case 'APPROVED':
      return `${STATUS_EMOJI.APPROVED} Approved by ${approverNames(req)} at ${at(lastEvent(req, 'approved')?.at)}. Starting the restore…`;
    case 'RESTORING': {
      const since = req.restore?.startedAt;
      const elapsed = durationBetween(since, now.toISOString());
      const status = req.restore?.tableStatus ? ` Table status: ${clip(req.restore.tableStatus, 40)}.` : '';
      const running = elapsed === undefined ? '' : ` (${formatDuration(elapsed)} so far)`;
      return `${STATUS_EMOJI.RESTORING} Restoring into ${target} since ${formatUtc(since ?? req.updatedAt)}${running}.${status} Updates follow in the thread.`;
    }
    case 'ACTIVE': {
      const took = durationBetween(req.restore?.startedAt, req.restore?.completedAt);
      return `${STATUS_EMOJI.ACTIVE} ${target} is ACTIVE${took === undefined ? '' : ` after ${formatDuration(took)}`} (finished ${at(req.restore?.completedAt)}). Details in the thread.`;
    }
    case 'FAILED': {
      const f = req.failure;
      const what = f
        ? `${clip(f.code, 100)}: ${clip(f.message, MAX_FAILURE)}`
        : 'no error detail was recorded';
      return `${STATUS_EMOJI.FAILED} Failed at ${at(lastEvent(req, 'failed')?.at)}: ${what}. Details in the thread.`;
    }
    case 'REJECTED': {
      const why = req.rejectReason?.trim() ? `: “${clip(req.rejectReason.trim(), MAX_REASON)}”` : '';
      return `${STATUS_EMOJI.REJECTED} Rejected by ${decider(req, 'rejected', 'an approver')} at ${at(lastEvent(req, 'rejected')?.at)}${why}. Nothing was restored.`;
    }
    case 'CANCELLED':
      return `${STATUS_EMOJI.CANCELLED} Cancelled by ${decider(req, 'cancelled', 'the requester')} at ${at(lastEvent(req, 'cancelled')?.at)}. Nothing was restored.`;
    case 'EXPIRED':
      return `${STATUS_EMOJI.EXPIRED} Expired at ${formatWhen(req.expiresAt, now)} with ${req.approvals.length}/${req.requiredApprovals} approvals. Nothing was restored; run \`/restore\` again if it is still needed.`;
  }
}

/**
 * What the approver confirms, in plain words and within Slack's 300 characters: names are
 * shortened evenly only when they would not fit.
 */
function confirmText(req: RestoreRequest, now: Date): string {
  const source = viewSource(req.source, now);
  const render = (max: number) =>
    `Restore ${source.confirm(max)} into the NEW table ${truncate(req.targetTable, max)} in ${req.environment} (account ${req.accountId}, ${req.region}). The restore starts as soon as you confirm${req.copySettings ? '; settings are copied once ACTIVE' : ''}.`;
  let max = MAX_NAME;
  let text = render(max);
  while (text.length > MAX_CONFIRM_TEXT && max > 12) {
    max = Math.floor(max * 0.8);
    text = render(max);
  }
  return text;
}

/**
 * The Approve and Reject buttons of a waiting request, with the same confirmation wherever they
 * appear (the channel message, the Home tab): the same action IDs reach the same listeners.
 */
export function decisionButtons(req: RestoreRequest, now: Date, manyPerView = false): types.Button[] {
  // In a view listing many requests, each button's action_id carries the request ID so that none
  // repeats; the listeners match the prefix (see actionIdPattern).
  const id = (base: string) => (manyPerView ? `${base}.${req.id}` : base);
  return [
    button({
      text: 'Approve',
      actionId: id(REQUEST_APPROVE_ACTION_ID),
      value: req.id,
      style: 'primary',
      confirm: {
        title: `Approve restore ${req.id}?`,
        text: confirmText(req, now),
        confirm: 'Approve and restore',
        deny: 'Not yet',
        style: 'primary',
      },
    }),
    button({ text: 'Reject', actionId: id(REQUEST_REJECT_ACTION_ID), value: req.id, style: 'danger' }),
  ];
}

/** Matches a button's action_id with or without the request ID that {@link decisionButtons} adds. */
export function actionIdPattern(base: string): RegExp {
  return new RegExp(`^${base}(?:\\.[A-Za-z0-9-]+)?$`);
}

function actionButtons(req: RestoreRequest, now: Date): types.ActionsBlock {
  return actions(REQUEST_ACTIONS_BLOCK_ID, [
    ...decisionButtons(req, now),
    button({ text: 'Cancel request', actionId: REQUEST_CANCEL_ACTION_ID, value: req.id }),
  ]);
}

/** The one sentence an approver reads first: who asks to restore what into what, where, from which point. */
function requestSentence(req: RestoreRequest, now: Date): string {
  const source = viewSource(req.source, now);
  const asks = displayStatus(req, now) === 'PENDING' ? 'asks' : 'asked';
  return `${who(req.requesterId)} ${asks} to restore table ${code(source.tableName)} ${source.phrase} into the *new* table ${code(req.targetTable)} in *${clip(req.environment, 64)}* (account ${code(req.accountId, 32)}, ${code(req.region, 32)}).`;
}

/** The requester's reason, quoted, so it reads as their words right under the sentence. */
function reasonQuote(reason: string | undefined): string {
  if (!reason || reason.trim() === '') return '_No reason given._';
  return quote(clip(reason.trim(), MAX_REASON));
}

function settingsText(req: RestoreRequest, tableName: string): string {
  if (!req.copySettings) return 'Not copied (no `--copy-settings`)';
  return `:gear: Copied from ${code(tableName)} once ACTIVE: TTL, stream, point-in-time recovery, deletion protection, tags, table class, auto scaling, contributor insights. Approving approves that too.`;
}

/**
 * The blocks of a request, in the order an approver reads them on a phone: the header; what
 * happened since (once decided); one sentence saying who asks to restore what into what, where;
 * the reason, quoted; only the facts the sentence does not say; the buttons while pending; the
 * source's details in a context line. Each fact appears once.
 */
function buildBlocks(req: RestoreRequest, now: Date, buttons: boolean): types.KnownBlock[] {
  const status = displayStatus(req, now);
  const source = viewSource(req.source, now);
  const pending = status === 'PENDING';
  return [
    header(`${STATUS_EMOJI[status]} Restore request ${req.id} — ${status}`),
    ...(pending ? [] : [section(statusLine(req, now))]),
    section(requestSentence(req, now)),
    section(reasonQuote(req.reason)),
    fields([
      `*Approvals*\n${approvalsText(req)}${pending ? ` · needs ${plural(Math.max(0, req.requiredApprovals - req.approvals.length), 'more approver')} (not the requester)` : ''}`,
      `*Approval deadline*\n${deadlineText(req, now)}`,
      `*Overrides*\n${clip(overridesSummary(req.overrides), 1900)}`,
      `*Settings*\n${settingsText(req, source.tableName)}`,
    ]),
    ...(buttons && pending ? [actionButtons(req, now)] : []),
    context([source.details, `Requested ${formatWhen(req.createdAt, now)}`]),
  ];
}

/**
 * The blocks of a request without its buttons, shared by the approval message and
 * `/restore status ID`.
 */
export function requestBlocks(req: RestoreRequest, now: Date): types.KnownBlock[] {
  return buildBlocks(req, now, false);
}

/** The notification text of a request message. */
export function requestFallbackText(req: RestoreRequest, now: Date): string {
  const status = displayStatus(req, now);
  return `${STATUS_EMOJI[status]} Restore request ${req.id} — ${status}: ${clip(sourceLabel(req.source), MAX_NAME)} → ${clip(req.targetTable, MAX_NAME)} in ${clip(req.environment, 64)}, requested by ${who(req.requesterId)}`;
}

/**
 * The approval message in the channel. While the request is PENDING and within its deadline it
 * carries Approve (with a confirmation naming the source, target, environment and account), Reject
 * and Cancel buttons whose value is the request ID; afterwards no buttons, and a line saying
 * who did what and when.
 */
export function requestMessage(req: RestoreRequest, now: Date): SlackMessage {
  return message(requestFallbackText(req, now), buildBlocks(req, now, true));
}
