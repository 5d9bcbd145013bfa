import { describe, expect, it } from 'vitest';
import {
  approvedAt,
  decideApproval,
  decideCancel,
  decideExpire,
  decideReject,
  finalApprover,
  IllegalTransitionError,
  isExpired,
  isTerminal,
  transition,
} from '../../src/restore/lifecycle.ts';
import {
  ALLOWED_TRANSITIONS,
  REQUEST_STATUSES,
  type RequestStatus,
  type RestoreRequest,
} from '../../src/restore/types.ts';
import { pendingRequest } from '../helpers/requests.ts';

const REQUESTER = 'U0REQUESTER';
const APPROVER = 'U0APPROVER';
const APPROVER2 = 'U0APPROVER2';
/** Five minutes after pendingRequest()'s createdAt, well before its expiresAt. */
const NOW = new Date('2026-11-24T10:05:00.000Z');
const AFTER_EXPIRY = new Date('2026-11-24T10:30:00.000Z');

function inStatus(status: RequestStatus, overrides: Partial<RestoreRequest> = {}): RestoreRequest {
  return pendingRequest({ status, ...overrides });
}

function accepted(decision: ReturnType<typeof decideApproval>): RestoreRequest {
  if (!decision.ok) throw new Error(`expected the decision to be accepted: ${decision.reason}`);
  return decision.next;
}

function refusal(decision: ReturnType<typeof decideApproval>): { reason: string; expired?: boolean } {
  if (decision.ok) throw new Error(`expected a refusal, got ${decision.next.status}`);
  return decision;
}

describe('transition', () => {
  const allowed = REQUEST_STATUSES.flatMap((from) =>
    ALLOWED_TRANSITIONS[from].map((to) => [from, to] as const),
  );
  const illegal = REQUEST_STATUSES.flatMap((from) =>
    REQUEST_STATUSES.filter((to) => to !== from && !ALLOWED_TRANSITIONS[from].includes(to)).map(
      (to) => [from, to] as const,
    ),
  );

  it.each(allowed)('allows %s -> %s', (from, to) => {
    const next = transition(inStatus(from), { status: to }, { actor: 'bot', action: 'failed' }, NOW);

    expect(next.status).toBe(to);
  });

  it.each(illegal)('refuses %s -> %s with IllegalTransitionError', (from, to) => {
    const act = () => transition(inStatus(from), { status: to }, undefined, NOW);

    expect(act).toThrow(IllegalTransitionError);
    expect(act).toThrow(`A request cannot go from ${from} to ${to}`);
  });

  it('follows the documented lifecycle and nothing else', () => {
    expect(ALLOWED_TRANSITIONS).toEqual({
      PENDING: ['APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED'],
      APPROVED: ['RESTORING', 'FAILED'],
      RESTORING: ['ACTIVE', 'FAILED'],
      ACTIVE: [],
      FAILED: [],
      REJECTED: [],
      CANCELLED: [],
      EXPIRED: [],
    });
  });

  it('keeps the error fields of an illegal transition', () => {
    const err = (() => {
      try {
        transition(inStatus('ACTIVE'), { status: 'RESTORING' }, undefined, NOW);
      } catch (e) {
        return e;
      }
      return undefined;
    })();

    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect(err).toMatchObject({ name: 'IllegalTransitionError', from: 'ACTIVE', to: 'RESTORING' });
  });

  it('raises the version by one and stamps updatedAt', () => {
    const prev = inStatus('PENDING', { version: 7 });

    const next = transition(prev, { status: 'CANCELLED' }, undefined, NOW);

    expect(next.version).toBe(8);
    expect(next.updatedAt).toBe(NOW.toISOString());
    expect(prev.version).toBe(7);
  });

  it('appends one event with the next seq and the status change', () => {
    const prev = inStatus('PENDING');

    const next = transition(
      prev,
      { status: 'REJECTED' },
      { actor: APPROVER, action: 'rejected', detail: 'no' },
      NOW,
    );

    expect(next.events).toHaveLength(2);
    expect(next.events[1]).toEqual({
      seq: 2,
      at: NOW.toISOString(),
      actor: APPROVER,
      action: 'rejected',
      detail: 'no',
      from: 'PENDING',
      to: 'REJECTED',
    });
    expect(prev.events).toHaveLength(1);
  });

  it('records an event without from/to when the status stays the same', () => {
    const prev = inStatus('RESTORING');

    const next = transition(
      prev,
      { restore: { tableStatus: 'CREATING' } },
      { actor: 'bot', action: 'progress' },
      NOW,
    );

    expect(next.status).toBe('RESTORING');
    expect(next.events.at(-1)).toEqual({ seq: 2, at: NOW.toISOString(), actor: 'bot', action: 'progress' });
  });

  it('adds no event when none is given, but still raises the version', () => {
    const prev = inStatus('APPROVED');

    const next = transition(prev, { status: 'RESTORING' }, undefined, NOW);

    expect(next.events).toEqual(prev.events);
    expect(next.version).toBe(prev.version + 1);
  });

  it('numbers events consecutively across transitions', () => {
    let req = inStatus('APPROVED');
    req = transition(req, { status: 'RESTORING' }, undefined, NOW);
    req = transition(req, {}, { actor: 'bot', action: 'restore_started' }, NOW);
    req = transition(req, {}, { actor: 'bot', action: 'progress' }, NOW);
    req = transition(req, { status: 'ACTIVE' }, { actor: 'bot', action: 'active' }, NOW);

    expect(req.events.map((e) => [e.seq, e.action])).toEqual([
      [1, 'requested'],
      [2, 'restore_started'],
      [3, 'progress'],
      [4, 'active'],
    ]);
    expect(req.version).toBe(5);
  });
});

describe('decideApproval', () => {
  it('refuses a self-approval', () => {
    const req = pendingRequest();

    const out = refusal(decideApproval(req, REQUESTER, true, NOW));

    expect(out.reason).toMatch(/cannot approve it/);
  });

  it('refuses someone who is not an approver of the environment', () => {
    const out = refusal(decideApproval(pendingRequest(), 'U0STRANGER', false, NOW));

    expect(out.reason).toContain('Only approvers of environment *prod*');
  });

  it('refuses an approver who already approved, and says how many are missing', () => {
    const req = accepted(decideApproval(pendingRequest({ requiredApprovals: 3 }), APPROVER, true, NOW));

    const out = refusal(decideApproval(req, APPROVER, true, NOW));

    expect(out.reason).toContain('You already approved');
    expect(out.reason).toContain('needs 2 more approvals');
  });

  it('counts approvals n/N and stays PENDING until enough distinct approvers clicked', () => {
    const req = pendingRequest({ requiredApprovals: 2 });

    const first = accepted(decideApproval(req, APPROVER, true, NOW));

    expect(first.status).toBe('PENDING');
    expect(first.approvals).toEqual([{ userId: APPROVER, at: NOW.toISOString() }]);
    expect(first.events.at(-1)).toMatchObject({ actor: APPROVER, action: 'approved', detail: '1/2' });
    expect(first.events.at(-1)?.to).toBeUndefined();
  });

  it('becomes APPROVED when the last required approver clicks', () => {
    const first = accepted(decideApproval(pendingRequest({ requiredApprovals: 2 }), APPROVER, true, NOW));

    const second = accepted(decideApproval(first, APPROVER2, true, NOW));

    expect(second.status).toBe('APPROVED');
    expect(second.approvals.map((a) => a.userId)).toEqual([APPROVER, APPROVER2]);
    expect(second.events.at(-1)).toMatchObject({
      actor: APPROVER2,
      action: 'approved',
      detail: '2/2',
      from: 'PENDING',
      to: 'APPROVED',
    });
    expect(approvedAt(second)).toBe(NOW.toISOString());
    expect(finalApprover(second)).toBe(APPROVER2);
  });

  it('approves with one click where one approval is required', () => {
    const next = accepted(decideApproval(pendingRequest(), APPROVER, true, NOW));

    expect(next.status).toBe('APPROVED');
    expect(next.version).toBe(2);
  });

  it('refuses an approval after the deadline and marks the refusal as expired', () => {
    const out = refusal(decideApproval(pendingRequest(), APPROVER, true, AFTER_EXPIRY));

    expect(out.expired).toBe(true);
    expect(out.reason).toContain('expired at 2026-11-24 10:30 UTC');
    expect(out.reason).toContain('/restore');
  });

  it('refuses an approval of a request that is already under way', () => {
    const out = refusal(decideApproval(inStatus('RESTORING'), APPROVER, true, NOW));

    expect(out.reason).toContain('already approved and the restore is under way');
  });

  it('refuses an approval of a finished request', () => {
    expect(refusal(decideApproval(inStatus('ACTIVE'), APPROVER, true, NOW)).reason).toContain('is finished');
    expect(refusal(decideApproval(inStatus('CANCELLED'), APPROVER, true, NOW)).reason).toContain(
      'is CANCELLED and can no longer be changed',
    );
  });
});

describe('decideReject', () => {
  it('rejects with the approver and the trimmed reason recorded', () => {
    const next = accepted(decideReject(pendingRequest(), APPROVER, true, '  wrong backup  ', NOW));

    expect(next.status).toBe('REJECTED');
    expect(next.decidedBy).toBe(APPROVER);
    expect(next.rejectReason).toBe('wrong backup');
    expect(next.events.at(-1)).toMatchObject({ actor: APPROVER, action: 'rejected', detail: 'wrong backup' });
  });

  it('rejects without a reason when none is given', () => {
    const next = accepted(decideReject(pendingRequest(), APPROVER, true, '   ', NOW));

    expect(next.rejectReason).toBeUndefined();
    expect(next.events.at(-1)?.detail).toBeUndefined();
  });

  it('caps a long reason at 500 characters', () => {
    const next = accepted(decideReject(pendingRequest(), APPROVER, true, 'x'.repeat(900), NOW));

    expect(next.rejectReason).toHaveLength(500);
  });

  it('points the requester to Cancel instead', () => {
    const out = refusal(decideReject(pendingRequest(), REQUESTER, true, undefined, NOW));

    expect(out.reason).toContain('use Cancel');
  });

  it('refuses someone who is not an approver', () => {
    const out = refusal(decideReject(pendingRequest(), 'U0STRANGER', false, undefined, NOW));

    expect(out.reason).toContain('Only approvers of environment *prod* can reject');
  });

  it('refuses a rejection after the deadline', () => {
    expect(refusal(decideReject(pendingRequest(), APPROVER, true, undefined, AFTER_EXPIRY)).expired).toBe(
      true,
    );
  });

  it('refuses a rejection of a request that is no longer pending', () => {
    expect(refusal(decideReject(inStatus('APPROVED'), APPROVER, true, 'late', NOW)).reason).toContain(
      'already approved',
    );
  });
});

describe('decideCancel', () => {
  it('lets the requester cancel a pending request', () => {
    const next = accepted(decideCancel(pendingRequest(), REQUESTER, NOW));

    expect(next.status).toBe('CANCELLED');
    expect(next.decidedBy).toBe(REQUESTER);
    expect(next.events.at(-1)).toMatchObject({ actor: REQUESTER, action: 'cancelled', to: 'CANCELLED' });
  });

  it('refuses anyone but the requester, approvers included', () => {
    const out = refusal(decideCancel(pendingRequest(), APPROVER, NOW));

    expect(out.reason).toBe(`Only <@${REQUESTER}>, who asked for restore R-7K3QX9, can cancel it.`);
  });

  it('refuses to cancel a request that was already approved', () => {
    expect(refusal(decideCancel(inStatus('APPROVED'), REQUESTER, NOW)).reason).toContain('already approved');
  });
});

describe('decideExpire', () => {
  it('expires a pending request at its deadline', () => {
    const next = accepted(decideExpire(pendingRequest(), AFTER_EXPIRY));

    expect(next.status).toBe('EXPIRED');
    expect(next.events.at(-1)).toMatchObject({
      actor: 'bot',
      action: 'expired',
      from: 'PENDING',
      to: 'EXPIRED',
    });
    expect(isTerminal(next)).toBe(true);
  });

  it('leaves a pending request alone before its deadline', () => {
    expect(isExpired(pendingRequest(), NOW)).toBe(false);
    expect(refusal(decideExpire(pendingRequest(), NOW)).reason).toContain('has not expired');
  });

  it('never expires a request that is no longer pending', () => {
    expect(decideExpire(inStatus('APPROVED'), AFTER_EXPIRY).ok).toBe(false);
    expect(decideExpire(inStatus('CANCELLED'), AFTER_EXPIRY).ok).toBe(false);
  });
});
