import { describe, expect, it } from 'vitest';
import { auditLine, requesterNotice } from '../../src/blocks/notices.ts';
import type { RequestAction, RequestEvent, RestoreRequest } from '../../src/restore/types.ts';
import { pendingRequest } from '../helpers/requests.ts';
import { assertWithinSlackLimits } from './limits.ts';

const NOW = new Date('2026-11-24T11:00:00.000Z');
const LINK = 'https://acme.slack.com/archives/C0INCIDENTS/p1700000000000100';

function event(action: RequestAction, extra: Partial<RequestEvent> = {}): RequestEvent {
  return { seq: 2, at: '2026-11-24T10:10:00.000Z', actor: 'U0APPROVER', action, ...extra };
}

function req(overrides: Partial<RestoreRequest> = {}): RestoreRequest {
  return pendingRequest(overrides);
}

const textOf = (m: { text: string; blocks: unknown[] } | undefined) =>
  `${m?.text}\n${JSON.stringify(m?.blocks)}`;

describe('requesterNotice', () => {
  it('says who approved, when the request is approved, with the thread link', () => {
    const m = requesterNotice(
      req(),
      event('approved', { from: 'PENDING', to: 'APPROVED', detail: '1/1' }),
      LINK,
      NOW,
    );
    expect(textOf(m)).toContain('was approved by <@U0APPROVER>');
    expect(textOf(m)).toContain(`<${LINK}|`);
    expect(textOf(m)).toContain('R-7K3QX9');
    assertWithinSlackLimits(m!);
  });

  it('names every approver of a two-person request', () => {
    const approved = req({
      requiredApprovals: 2,
      approvals: [
        { userId: 'U0ONCALL', at: '2026-11-24T10:05:00.000Z' },
        { userId: 'U0APPROVER', at: '2026-11-24T10:10:00.000Z' },
      ],
    });
    const m = requesterNotice(approved, event('approved', { to: 'APPROVED', detail: '2/2' }), LINK, NOW);
    expect(textOf(m)).toContain('was approved by <@U0ONCALL> and <@U0APPROVER>');
  });

  it('is silent for a partial approval, a cancellation, progress and reminders', () => {
    for (const e of [
      event('approved', { detail: '1/2' }),
      event('cancelled', { actor: 'U0REQUESTER', to: 'CANCELLED' }),
      event('progress', { actor: 'bot' }),
      event('reminded', { actor: 'bot' }),
      event('restore_started', { actor: 'bot' }),
    ]) {
      expect(requesterNotice(req(), e, LINK, NOW)).toBeUndefined();
    }
  });

  it('quotes the rejection reason, escaped', () => {
    const m = requesterNotice(
      req({ status: 'REJECTED' }),
      event('rejected', { detail: 'wrong <!channel> backup' }),
      LINK,
      NOW,
    );
    expect(textOf(m)).toContain('was rejected by <@U0APPROVER>');
    expect(textOf(m)).toContain('wrong &lt;!channel&gt; backup');
    expect(textOf(m)).not.toContain('<!channel>');
  });

  it('says when the request expired and that nothing was restored', () => {
    const m = requesterNotice(req({ status: 'EXPIRED' }), event('expired', { actor: 'bot' }), LINK, NOW);
    expect(textOf(m)).toContain('expired at 2026-11-24 10:30 UTC');
    expect(textOf(m)).toContain('Nothing was restored');
  });

  it('leads with the table and the duration when ACTIVE', () => {
    const active = req({
      status: 'ACTIVE',
      restore: { startedAt: '2026-11-24T10:11:00.000Z', completedAt: '2026-11-24T10:23:30.000Z' },
    });
    const m = requesterNotice(active, event('active', { actor: 'bot' }), LINK, NOW);
    expect(textOf(m)).toContain('`MusicCollection-restored` is *ACTIVE* after 12m 30s');
    expect(m?.text).toBe('Restore request R-7K3QX9: MusicCollection-restored is ACTIVE');
  });

  it('gives the AWS error when FAILED', () => {
    const failed = req({
      status: 'FAILED',
      failure: { code: 'LimitExceededException', message: 'Too many restores' },
    });
    const m = requesterNotice(failed, event('failed', { actor: 'bot' }), LINK, NOW);
    expect(textOf(m)).toContain('LimitExceededException: Too many restores');
    expect(textOf(m)).toContain(`<${LINK}|`);
  });
});

describe('auditLine', () => {
  it('is one line with request, environment, who, what, status change, source and target', () => {
    const m = auditLine(
      req(),
      event('approved', { from: 'PENDING', to: 'APPROVED', detail: '1/1' }),
      LINK,
      NOW,
    );
    const line = JSON.stringify(m?.blocks);
    expect(m?.blocks).toHaveLength(1);
    for (const part of [
      'R-7K3QX9',
      'prod',
      '<@U0APPROVER> approved (1/1)',
      'PENDING → APPROVED',
      'MusicCollectionBackup',
      '123456789012',
      'MusicCollection-restored',
      LINK,
    ]) {
      expect(line).toContain(part);
    }
    expect(line).not.toContain('\\n');
  });

  it('has no line for steps that are not transitions', () => {
    for (const action of ['progress', 'reminded', 'restore_retrying', 'stuck', 'watch_failing'] as const) {
      expect(auditLine(req(), event(action, { actor: 'bot' }), LINK, NOW)).toBeUndefined();
    }
  });
});
