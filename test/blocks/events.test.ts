import { describe, expect, it } from 'vitest';
import {
  EVENT_SUMMARIES,
  eventReply,
  explainFailure,
  NOT_RESTORED_SETTINGS,
} from '../../src/blocks/events.ts';
import { consoleTableUrl } from '../../src/blocks/format.ts';
import type { RequestAction, RequestEvent, RestoreRequest } from '../../src/restore/types.ts';
import { assertWithinSlackLimits } from './limits.ts';
import { allText, BACKUP_ARN, backupSource, long, NOW, sampleRequest } from './samples.ts';

function event(action: RequestAction, extra: Partial<RequestEvent> = {}): RequestEvent {
  return { seq: 2, at: '2026-11-24T17:04:00Z', actor: 'bot', action, ...extra };
}

function reply(req: RestoreRequest, e: RequestEvent): string {
  return allText(eventReply(req, e, NOW).blocks);
}

/** Every action the domain has: EVENT_SUMMARIES must name each one (its type says so). */
const ALL_ACTIONS = Object.keys(EVENT_SUMMARIES) as RequestAction[];

const RESTORING = sampleRequest({
  status: 'RESTORING',
  approvals: [{ userId: 'U0APPROVER', at: '2026-11-24T14:50:00Z' }],
  restore: { startedAt: '2026-11-24T15:00:00Z', tableStatus: 'CREATING' },
});

describe('eventReply', () => {
  it('names who requested, what and where, and the approval rule', () => {
    const text = reply(
      sampleRequest(),
      event('requested', { actor: 'U0REQUEST', at: '2026-11-24T17:00:00Z' }),
    );

    expect(text).toContain(
      '<@U0REQUEST> requested a restore of `Orders` from backup `orders-nightly-2026-11-24`, created 2026-11-24 14:05 UTC (3h ago), into the new table `Orders-restored` in *prod* (account `123456789012`, `us-east-1`)',
    );
    expect(text).toContain('It needs 1 approval from prod approvers by 2026-11-24 17:30 UTC');
    expect(text).toContain('Request R-7K3QX9 · by <@U0REQUEST> · 2026-11-24 17:00 UTC (5m ago)');
  });

  it('says an approval is enough when it completes the count', () => {
    const req = sampleRequest({
      status: 'APPROVED',
      approvals: [{ userId: 'U0APPROVER', at: '2026-11-24T17:04:00Z' }],
    });

    const text = reply(req, event('approved', { actor: 'U0APPROVER' }));

    expect(text).toContain('<@U0APPROVER> approved (1/1). That is enough: the restore starts now.');
  });

  it('counts approvals as of the event when more are needed', () => {
    const req = sampleRequest({
      requiredApprovals: 2,
      approvals: [
        { userId: 'U0FIRST', at: '2026-11-24T17:01:00Z' },
        { userId: 'U0SECOND', at: '2026-11-24T17:04:30Z' },
      ],
    });

    const text = reply(req, event('approved', { actor: 'U0FIRST', at: '2026-11-24T17:01:00Z' }));

    expect(text).toContain('<@U0FIRST> approved (1/2). Waiting for 1 more approval.');
  });

  it('quotes the rejection reason from the event', () => {
    const req = sampleRequest({ status: 'REJECTED', decidedBy: 'U0APPROVER' });

    const text = reply(req, event('rejected', { actor: 'U0APPROVER', detail: 'Restore into staging first' }));

    expect(text).toContain(
      '<@U0APPROVER> rejected the request. Reason:\n>Restore into staging first\nNothing was restored.',
    );
  });

  it('says who cancelled and that nothing was restored', () => {
    const text = reply(sampleRequest({ status: 'CANCELLED' }), event('cancelled', { actor: 'U0REQUEST' }));

    expect(text).toContain('<@U0REQUEST> cancelled the request. Nothing was restored.');
  });

  it('says the request expired without enough approvals, closed by the bot', () => {
    const req = sampleRequest({ status: 'EXPIRED', expiresAt: '2026-11-24T17:00:00Z' });

    const text = reply(req, event('expired'));

    expect(text).toContain(
      'the request expired at 2026-11-24 17:00 UTC with 0/1 approvals (closed by the bot)',
    );
    expect(text).toContain('Nothing was restored');
  });

  it('says the restore started, by whom, and that progress follows', () => {
    const text = reply(RESTORING, event('restore_started', { at: '2026-11-24T15:00:00Z' }));

    expect(text).toContain('The bot started the restore into `Orders-restored` in *prod*');
    expect(text).toContain('Progress updates follow here.');
  });

  it('warns not to change the role policy or add source-IP conditions while the restore runs', () => {
    const text = reply(RESTORING, event('restore_started', { at: '2026-11-24T15:00:00Z' }));

    expect(text).toMatch(/Until the restore has finished, do not change or delete the bot role’s IAM policy/);
    expect(text).toMatch(/source-IP conditions/);
  });

  it('says when the bot retries starting the restore and why', () => {
    const req = sampleRequest({
      status: 'APPROVED',
      restore: { attempts: 2, nextAttemptAt: '2026-11-24T17:10:00Z' },
    });

    const text = reply(
      req,
      event('restore_retrying', { detail: 'LimitExceededException: too many restores' }),
    );

    expect(text).toContain(
      'AWS could not start the restore yet (attempt 2). The bot will try again at 2026-11-24 17:10 UTC (in 5m).',
    );
    expect(text).toContain('>LimitExceededException: too many restores');
  });

  it('reports progress with elapsed time since the start and the table status', () => {
    const text = reply(RESTORING, event('progress', { at: '2026-11-24T17:05:00Z' }));

    expect(text).toContain(
      'Still restoring `Orders-restored`: 2h 05m since the start, table status *CREATING*.',
    );
  });

  describe('when the table is ACTIVE', () => {
    const active = sampleRequest({
      status: 'ACTIVE',
      restore: {
        startedAt: '2026-11-24T15:00:00Z',
        completedAt: '2026-11-24T17:05:00Z',
        itemCount: 48_213,
        sizeBytes: 1_234_567,
      },
    });

    it('gives the duration, item count, size and console link', () => {
      const text = reply(active, event('active', { at: '2026-11-24T17:05:00Z' }));

      expect(text).toContain('`Orders-restored` is *ACTIVE* in *prod*');
      expect(text).toContain('The restore took *2h 05m*');
      expect(text).toContain('*Items*\n48,213');
      expect(text).toContain('*Size*\n1.2 MB');
      expect(text).toContain(
        `<${consoleTableUrl('us-east-1', 'Orders-restored')}|Open Orders-restored in the AWS console>`,
      );
    });

    it('lists every setting a restore does not carry over', () => {
      const text = reply(active, event('active'));

      for (const setting of NOT_RESTORED_SETTINGS) expect(text).toContain(`• ${setting}`);
      expect(NOT_RESTORED_SETTINGS).toEqual([
        'auto scaling policies',
        'IAM policies',
        'CloudWatch alarms',
        'tags',
        'DynamoDB Streams settings',
        'TTL settings',
        'point-in-time recovery',
      ]);
    });

    it('explains a zero item count right after the restore', () => {
      const fresh = sampleRequest({
        status: 'ACTIVE',
        restore: { ...active.restore, itemCount: 0, sizeBytes: 0 },
      });

      const text = reply(fresh, event('active'));

      expect(text).toContain('*Items*\n0 (backup: 48,213)');
      expect(text).toContain('about every six hours');
    });
  });

  it('shows the AWS error of a failure, explains it and says what to do', () => {
    const req = sampleRequest({
      status: 'FAILED',
      failure: { code: 'TableAlreadyExistsException', message: 'Table already exists: Orders-restored' },
    });

    const text = reply(req, event('failed'));

    expect(text).toContain('*failed*');
    expect(text).toContain('*TableAlreadyExistsException*: Table already exists: Orders-restored');
    expect(text).toContain('*What it means:* A table with the target name already exists');
    expect(text).toContain('*What to do:* Pick another target name');
  });

  it('points at the console when AWS had accepted the restore before it failed', () => {
    const req = sampleRequest({
      status: 'FAILED',
      restore: { startedAt: '2026-11-24T15:00:00Z' },
      failure: { code: 'InternalServerError', message: 'Internal error' },
    });

    expect(reply(req, event('failed'))).toContain('AWS had accepted the restore, so a table may exist');
  });

  it('still explains a failure with no recorded error', () => {
    const text = reply(sampleRequest({ status: 'FAILED' }), event('failed', { detail: 'worker crashed' }));

    expect(text).toContain('worker crashed');
    expect(text).toContain('*What to do:*');
  });

  it('says when the restore is still running after 24 hours that it is checked hourly from now on', () => {
    const req = sampleRequest({
      status: 'RESTORING',
      restore: {
        startedAt: '2026-11-23T15:00:00Z',
        tableStatus: 'CREATING',
        hourlySince: '2026-11-24T15:01:00Z',
      },
    });

    const text = reply(req, event('stuck', { at: '2026-11-24T15:01:00Z' }));

    expect(text).toContain('`Orders-restored` is still RESTORING after 24h 01m');
    expect(text).toContain('The bot now checks it every hour instead of every minute');
    expect(text).toContain('says here when it is ACTIVE or gone');
    expect(text).toContain(consoleTableUrl('us-east-1', 'Orders-restored'));
  });

  it('names a Slack user, or the bot, and the time in every reply', () => {
    for (const action of ALL_ACTIONS) {
      const actor = action === 'progress' || action === 'active' ? 'bot' : 'U0SOMEONE';
      const msg = eventReply(RESTORING, event(action, { actor }), NOW);

      const text = allText(msg.blocks);
      expect(text).toContain(actor === 'bot' ? 'by the bot' : 'by <@U0SOMEONE>');
      expect(text).toContain('2026-11-24 17:04 UTC (1m ago)');
      expect(msg.text).toContain('R-7K3QX9');
      assertWithinSlackLimits(msg);
    }
  });

  it('stays within Slack limits for every action with extreme input', () => {
    const req = sampleRequest({
      status: 'FAILED',
      source: backupSource({ name: long(255), tableName: long(255), arn: `${BACKUP_ARN}${long(900)}` }),
      targetTable: long(255, 'T|>'),
      environment: long(200),
      rejectReason: long(3000, '<&>'),
      requiredApprovals: 5,
      approvals: Array.from({ length: 200 }, (_, i) => ({ userId: `U0A${i}`, at: '2026-11-24T17:02:00Z' })),
      overrides: { dropIndexes: Array.from({ length: 25 }, () => long(255, 'i')) },
      failure: { code: long(300, 'KMS'), message: long(10_000, 'm&') },
      restore: {
        startedAt: '2026-11-24T15:00:00Z',
        completedAt: '2026-11-24T17:00:00Z',
        tableStatus: long(500),
        attempts: 99,
        nextAttemptAt: '2026-11-24T17:10:00Z',
      },
    });
    for (const action of ALL_ACTIONS) {
      const msg = eventReply(req, event(action, { detail: long(5000, 'd<') }), NOW);

      assertWithinSlackLimits(msg);
      expect(allText(msg)).not.toMatch(/<[^@h]/);
    }
  });
});

describe('explainFailure', () => {
  it('explains access problems in terms of the bot role', () => {
    expect(explainFailure('AccessDeniedException').meaning).toContain("bot's IAM role");
  });

  it('recognises KMS and throttling errors by name', () => {
    expect(explainFailure('KMSAccessDeniedException').meaning).toContain('KMS key');
    expect(explainFailure('ThrottlingException').meaning).toContain('throttled');
  });

  it('falls back to a general explanation', () => {
    expect(explainFailure('SomethingNew').todo).toContain('AWS console');
    expect(explainFailure(undefined).todo).toContain('AWS console');
  });
});
