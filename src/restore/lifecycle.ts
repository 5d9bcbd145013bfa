import {
  ALLOWED_TRANSITIONS,
  type RequestAction,
  type RequestStatus,
  type RestoreRequest,
  TERMINAL_STATUSES,
} from './types.ts';

/** A transition that the lifecycle does not allow (a bug, never user input). */
export class IllegalTransitionError extends Error {
  override name = 'IllegalTransitionError';
  constructor(
    readonly from: RequestStatus,
    readonly to: RequestStatus,
  ) {
    super(`A request cannot go from ${from} to ${to}`);
  }
}

export interface EventInput {
  actor: string;
  action: RequestAction;
  detail?: string;
  mentions?: string[];
}

/**
 * The next version of a request: `changes` applied, version raised by one, and (when `event` is
 * given) one history entry appended, which the notifier later posts as a threaded reply.
 */
export function transition(
  prev: RestoreRequest,
  changes: Partial<RestoreRequest>,
  event: EventInput | undefined,
  now: Date,
): RestoreRequest {
  const to = changes.status ?? prev.status;
  if (to !== prev.status && !ALLOWED_TRANSITIONS[prev.status].includes(to)) {
    throw new IllegalTransitionError(prev.status, to);
  }
  const at = now.toISOString();
  const events = event
    ? [
        ...prev.events,
        {
          seq: prev.events.length + 1,
          at,
          ...event,
          ...(to !== prev.status ? { from: prev.status, to } : {}),
        },
      ]
    : prev.events;
  return { ...prev, ...changes, status: to, version: prev.version + 1, updatedAt: at, events };
}

export type Decision = { ok: true; next: RestoreRequest } | { ok: false; reason: string; expired?: boolean };

function notPending(req: RestoreRequest): string {
  switch (req.status) {
    case 'APPROVED':
    case 'RESTORING':
      return `Request ${req.id} is already approved and the restore is under way.`;
    case 'ACTIVE':
      return `Request ${req.id} is finished: the table ${req.targetTable} is ACTIVE.`;
    default:
      return `Request ${req.id} is ${req.status} and can no longer be changed.`;
  }
}

export function isExpired(req: RestoreRequest, now: Date): boolean {
  return req.status === 'PENDING' && now.getTime() >= Date.parse(req.expiresAt);
}

function refusePending(req: RestoreRequest, now: Date): Decision | undefined {
  if (req.status !== 'PENDING') return { ok: false, reason: notPending(req) };
  if (isExpired(req, now)) {
    return {
      ok: false,
      expired: true,
      reason: `Request ${req.id} expired at ${req.expiresAt.replace('T', ' ').slice(0, 16)} UTC. Ask for the restore again with /restore.`,
    };
  }
  return undefined;
}

/**
 * One approval click. The requester never approves their own request, each approver counts once,
 * and the request becomes APPROVED when `requiredApprovals` distinct approvers have clicked.
 */
export function decideApproval(req: RestoreRequest, userId: string, approver: boolean, now: Date): Decision {
  const refused = refusePending(req, now);
  if (refused) return refused;
  if (userId === req.requesterId) {
    return {
      ok: false,
      reason: `You asked for restore ${req.id}, so you cannot approve it. Another approver of ${req.environment} must approve it.`,
    };
  }
  if (!approver) {
    return {
      ok: false,
      reason: `Only approvers of environment *${req.environment}* can approve restore ${req.id}.`,
    };
  }
  if (req.approvals.some((a) => a.userId === userId)) {
    const missing = req.requiredApprovals - req.approvals.length;
    return {
      ok: false,
      reason: `You already approved ${req.id}. It needs ${missing} more approval${missing === 1 ? '' : 's'} from other approvers.`,
    };
  }
  const approvals = [...req.approvals, { userId, at: now.toISOString() }];
  const complete = approvals.length >= req.requiredApprovals;
  return {
    ok: true,
    next: transition(
      req,
      { approvals, ...(complete ? { status: 'APPROVED' as const } : {}) },
      { actor: userId, action: 'approved', detail: `${approvals.length}/${req.requiredApprovals}` },
      now,
    ),
  };
}

/** Rejection by an approver (not the requester, who cancels instead). */
export function decideReject(
  req: RestoreRequest,
  userId: string,
  approver: boolean,
  reason: string | undefined,
  now: Date,
): Decision {
  const refused = refusePending(req, now);
  if (refused) return refused;
  if (userId === req.requesterId) {
    return { ok: false, reason: `You asked for restore ${req.id}; use Cancel to withdraw it.` };
  }
  if (!approver) {
    return {
      ok: false,
      reason: `Only approvers of environment *${req.environment}* can reject restore ${req.id}.`,
    };
  }
  const text = reason?.trim() ? reason.trim().slice(0, 500) : undefined;
  return {
    ok: true,
    next: transition(
      req,
      { status: 'REJECTED', decidedBy: userId, ...(text ? { rejectReason: text } : {}) },
      { actor: userId, action: 'rejected', ...(text ? { detail: text } : {}) },
      now,
    ),
  };
}

/** Only the requester cancels, and only while the request waits for approval. */
export function decideCancel(req: RestoreRequest, userId: string, now: Date): Decision {
  if (req.status !== 'PENDING') return { ok: false, reason: notPending(req) };
  if (userId !== req.requesterId) {
    return {
      ok: false,
      reason: `Only <@${req.requesterId}>, who asked for restore ${req.id}, can cancel it.`,
    };
  }
  return {
    ok: true,
    next: transition(
      req,
      { status: 'CANCELLED', decidedBy: userId },
      { actor: userId, action: 'cancelled' },
      now,
    ),
  };
}

/** A PENDING request past its approval deadline becomes EXPIRED. */
export function decideExpire(req: RestoreRequest, now: Date): Decision {
  if (!isExpired(req, now)) return { ok: false, reason: `Request ${req.id} has not expired.` };
  return { ok: true, next: transition(req, { status: 'EXPIRED' }, { actor: 'bot', action: 'expired' }, now) };
}

export function isTerminal(req: RestoreRequest): boolean {
  return TERMINAL_STATUSES.has(req.status);
}

/** When the request got its last approval (the moment it became APPROVED). */
export function approvedAt(req: RestoreRequest): string | undefined {
  return req.events.find((e) => e.to === 'APPROVED')?.at;
}

/** The approver whose click completed the approval; the restore's role session is tied to them. */
export function finalApprover(req: RestoreRequest): string | undefined {
  return req.events.find((e) => e.to === 'APPROVED')?.actor;
}
