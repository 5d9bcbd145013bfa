import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  overridesSummary,
  REQUEST_APPROVE_ACTION_ID,
  REQUEST_CANCEL_ACTION_ID,
  REQUEST_REJECT_ACTION_ID,
  requestMessage,
} from '../../src/blocks/request.ts';
import type { RequestStatus, RestoreRequest } from '../../src/restore/types.ts';
import { assertWithinSlackLimits } from './limits.ts';
import { allText, BACKUP_ARN, backupSource, long, NOW, sampleRequest } from './samples.ts';

function actionsOf(req: RestoreRequest, now = NOW): types.ActionsBlock | undefined {
  return requestMessage(req, now).blocks.find((b): b is types.ActionsBlock => b.type === 'actions');
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

function headerOf(req: RestoreRequest, now = NOW): string {
  const first = requestMessage(req, now).blocks[0];
  return first?.type === 'header' ? first.text.text : '';
}

const APPROVAL = { userId: 'U0APPROVER', at: '2026-11-24T17:02:00Z' };

const DECIDED: Record<Exclude<RequestStatus, 'PENDING'>, Partial<RestoreRequest>> = {
  APPROVED: {
    approvals: [APPROVAL],
    events: [
      { seq: 2, at: APPROVAL.at, actor: 'U0APPROVER', action: 'approved', from: 'PENDING', to: 'APPROVED' },
    ],
  },
  RESTORING: {
    approvals: [APPROVAL],
    restore: { startedAt: '2026-11-24T17:02:30Z', tableStatus: 'CREATING' },
  },
  ACTIVE: {
    approvals: [APPROVAL],
    restore: {
      startedAt: '2026-11-24T14:58:00Z',
      completedAt: '2026-11-24T17:03:30Z',
      tableStatus: 'ACTIVE',
    },
  },
  FAILED: {
    approvals: [APPROVAL],
    failure: { code: 'TableAlreadyExistsException', message: 'Table already exists: Orders-restored' },
  },
  REJECTED: {
    decidedBy: 'U0APPROVER',
    rejectReason: 'Restore into staging first',
    events: [{ seq: 2, at: '2026-11-24T17:03:00Z', actor: 'U0APPROVER', action: 'rejected' }],
  },
  CANCELLED: {
    decidedBy: 'U0REQUEST',
    events: [{ seq: 2, at: '2026-11-24T17:04:00Z', actor: 'U0REQUEST', action: 'cancelled' }],
  },
  EXPIRED: { expiresAt: '2026-11-24T16:30:00Z' },
};

describe('requestMessage', () => {
  it('heads the message with the status emoji, the request ID and the status', () => {
    expect(headerOf(sampleRequest())).toBe(':hourglass_flowing_sand: Restore request R-7K3QX9 — PENDING');
  });

  it('shows everything an approver needs to decide, each fact once', () => {
    const msg = requestMessage(sampleRequest(), NOW);

    // The confirm dialog restates the restore on purpose; what the channel shows is the rest.
    const text = allText(msg.blocks.filter((b) => b.type !== 'actions'));
    for (const fact of [
      '<@U0REQUEST>', // requester
      '*prod*', // environment
      '`123456789012`', // account
      '`us-east-1`', // region
      '`Orders`', // source table
      '`orders-nightly-2026-11-24`', // backup
      'created 2026-11-24 14:05 UTC (3h ago)',
      '1.2 MB',
      '48,213 items',
      `\`${BACKUP_ARN}\``,
      '`Orders-restored`', // target
      '*Overrides*\nnone',
      '>INC-4711: bad deploy deleted orders since 13:40 UTC', // reason
      '*Approval deadline*\n2026-11-24 17:30 UTC (in 25m)',
      '*Approvals*\n0/1',
      '*Settings*\nNot copied',
      'Requested 2026-11-24 17:00 UTC (5m ago)',
    ]) {
      expect(occurrences(text, fact), fact).toBe(1);
    }
    expect(text).not.toMatch(/\*(Requester|Environment|Account|Region|Source table|Target table)\*/);
    expect(msg.text).toContain('R-7K3QX9 — PENDING');
    assertWithinSlackLimits(msg);
  });

  it('reads top to bottom: header, sentence, quoted reason, the rest, buttons, source details', () => {
    const msg = requestMessage(sampleRequest(), NOW);

    expect(msg.blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'actions',
      'context',
    ]);
    const [, sentence, reason, rest, , details] = msg.blocks as [
      types.HeaderBlock,
      types.SectionBlock,
      types.SectionBlock,
      types.SectionBlock,
      types.ActionsBlock,
      types.ContextBlock,
    ];
    expect(sentence.text?.text).toBe(
      '<@U0REQUEST> asks to restore table `Orders` from backup `orders-nightly-2026-11-24`, created 2026-11-24 14:05 UTC (3h ago), into the *new* table `Orders-restored` in *prod* (account `123456789012`, `us-east-1`).',
    );
    expect(reason.text?.text).toBe('>INC-4711: bad deploy deleted orders since 13:40 UTC');
    expect(rest.fields?.map((f) => f.text.split('\n')[0])).toEqual([
      '*Approvals*',
      '*Approval deadline*',
      '*Overrides*',
      '*Settings*',
    ]);
    expect(allText(details)).toContain(`*Backup* 1.2 MB · 48,213 items · \`${BACKUP_ARN}\``);
  });

  it('says once, in the Settings field, that settings will be copied from the source table', () => {
    const msg = requestMessage(sampleRequest({ copySettings: true }), NOW);

    const text = allText(msg.blocks.filter((b) => b.type !== 'actions'));
    expect(text).toContain('*Settings*\n:gear: Copied from `Orders` once ACTIVE');
    expect(occurrences(text, 'Copied from')).toBe(1);
    expect(msg.blocks).toHaveLength(6);
  });

  it('leads an updated message with who did what and when, right under the header, and keeps the request', () => {
    const msg = requestMessage(sampleRequest({ status: 'APPROVED', ...DECIDED.APPROVED }), NOW);

    expect(msg.blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'section',
      'context',
    ]);
    expect(allText(msg.blocks[1])).toContain('Approved by <@U0APPROVER> at 2026-11-24 17:02 UTC');
    expect(allText(msg.blocks[2])).toContain('<@U0REQUEST> asked to restore table `Orders`');
  });

  it('offers Approve, Reject and Cancel with the request ID while pending', () => {
    const row = actionsOf(sampleRequest());

    expect(row?.elements).toEqual([
      expect.objectContaining({ action_id: REQUEST_APPROVE_ACTION_ID, value: 'R-7K3QX9', style: 'primary' }),
      expect.objectContaining({ action_id: REQUEST_REJECT_ACTION_ID, value: 'R-7K3QX9', style: 'danger' }),
      expect.objectContaining({ action_id: REQUEST_CANCEL_ACTION_ID, value: 'R-7K3QX9' }),
    ]);
  });

  it('asks the approver to confirm exactly what is restored into what, and where', () => {
    const approve = actionsOf(sampleRequest())?.elements[0] as types.Button;

    expect(approve.confirm?.text.text).toBe(
      'Restore backup "orders-nightly-2026-11-24" of table Orders into the NEW table Orders-restored in prod (account 123456789012, us-east-1). The restore starts as soon as you confirm.',
    );
    expect(approve.confirm?.confirm?.text).toBe('Approve and restore');
  });

  it('keeps the confirmation within 300 characters for 255-character names', () => {
    const req = sampleRequest({
      source: backupSource({ name: long(255, 'b'), tableName: long(255, 's') }),
      targetTable: long(255, 't'),
    });

    const approve = actionsOf(req)?.elements[0] as types.Button;

    expect(approve.confirm?.text.text.length).toBeLessThanOrEqual(300);
    expect(approve.confirm?.text.text).toContain('account 123456789012, us-east-1');
    expect(approve.confirm?.text.text).toMatch(/"b+…" of table s+… into the NEW table t+…/);
  });

  it('lists who approved so far', () => {
    const req = sampleRequest({ requiredApprovals: 2, approvals: [APPROVAL] });

    const text = allText(requestMessage(req, NOW).blocks);

    expect(text).toContain(
      '*Approvals*\n1/2 — <@U0APPROVER> (2026-11-24 17:02 UTC) · needs 1 more approver (not the requester)',
    );
  });

  it('has no buttons and reads EXPIRED once a pending request is past its deadline', () => {
    const req = sampleRequest({ expiresAt: '2026-11-24T17:00:00Z' });

    expect(actionsOf(req)).toBeUndefined();
    expect(headerOf(req)).toContain('— EXPIRED');
    expect(allText(requestMessage(req, NOW).blocks)).toContain('expired 2026-11-24 17:00 UTC (5m ago)');
  });

  it('has no buttons exactly at the deadline', () => {
    const req = sampleRequest();

    expect(actionsOf(req, new Date(req.expiresAt))).toBeUndefined();
  });

  for (const [status, extra] of Object.entries(DECIDED)) {
    it(`has no buttons once ${status}`, () => {
      const req = sampleRequest({ status: status as RequestStatus, ...extra });

      const msg = requestMessage(req, NOW);

      expect(msg.blocks.some((b) => b.type === 'actions')).toBe(false);
      expect(headerOf(req)).toContain(`— ${status}`);
      assertWithinSlackLimits(msg);
    });
  }

  it('says who approved and that the restore is starting', () => {
    const text = allText(
      requestMessage(sampleRequest({ status: 'APPROVED', ...DECIDED.APPROVED }), NOW).blocks,
    );

    expect(text).toContain(
      'Approved by <@U0APPROVER> at 2026-11-24 17:02 UTC (3m ago). Starting the restore…',
    );
  });

  it('says since when it is restoring and the table status', () => {
    const text = allText(
      requestMessage(sampleRequest({ status: 'RESTORING', ...DECIDED.RESTORING }), NOW).blocks,
    );

    expect(text).toContain('Restoring into `Orders-restored` since 2026-11-24 17:02 UTC (2m 30s so far)');
    expect(text).toContain('Table status: CREATING');
  });

  it('says how long the restore took once ACTIVE', () => {
    const text = allText(requestMessage(sampleRequest({ status: 'ACTIVE', ...DECIDED.ACTIVE }), NOW).blocks);

    expect(text).toContain('`Orders-restored` is ACTIVE after 2h 05m');
  });

  it('shows the failure once FAILED', () => {
    const text = allText(requestMessage(sampleRequest({ status: 'FAILED', ...DECIDED.FAILED }), NOW).blocks);

    expect(text).toContain('Failed at');
    expect(text).toContain('TableAlreadyExistsException: Table already exists: Orders-restored');
  });

  it('says who rejected, when and why', () => {
    const text = allText(
      requestMessage(sampleRequest({ status: 'REJECTED', ...DECIDED.REJECTED }), NOW).blocks,
    );

    expect(text).toContain(
      'Rejected by <@U0APPROVER> at 2026-11-24 17:03 UTC (2m ago): “Restore into staging first”. Nothing was restored.',
    );
  });

  it('says who cancelled and when', () => {
    const text = allText(
      requestMessage(sampleRequest({ status: 'CANCELLED', ...DECIDED.CANCELLED }), NOW).blocks,
    );

    expect(text).toContain(
      'Cancelled by <@U0REQUEST> at 2026-11-24 17:04 UTC (1m ago). Nothing was restored.',
    );
  });

  it('says when it expired and with how many approvals', () => {
    const text = allText(
      requestMessage(sampleRequest({ status: 'EXPIRED', ...DECIDED.EXPIRED }), NOW).blocks,
    );

    expect(text).toContain(
      'Expired at 2026-11-24 16:30 UTC (35m ago) with 0/1 approvals. Nothing was restored',
    );
  });

  it('escapes mentions and links in the reason', () => {
    const text = allText(requestMessage(sampleRequest({ reason: '<!channel> see <http://evil|here>' }), NOW));

    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('says when no reason was given', () => {
    expect(allText(requestMessage(sampleRequest({ reason: undefined }), NOW).blocks)).toContain(
      '_No reason given._',
    );
  });

  it('stays within Slack limits for extreme input in every status', () => {
    const extreme: Partial<RestoreRequest> = {
      source: backupSource({ name: long(255), tableName: long(255), arn: `${BACKUP_ARN}${long(900)}` }),
      targetTable: long(255),
      environment: long(200),
      reason: long(3000, 'why & <because> '),
      rejectReason: long(3000, '<&>'),
      decidedBy: 'U0APPROVER',
      requiredApprovals: 5,
      approvals: Array.from({ length: 200 }, (_, i) => ({
        userId: `U0APPROVER${i}`,
        at: '2026-11-24T17:02:00Z',
      })),
      overrides: {
        billingMode: 'PROVISIONED',
        provisionedThroughput: { readCapacityUnits: 40_000, writeCapacityUnits: 40_000 },
        sse: { enabled: true, sseType: 'KMS', kmsMasterKeyId: long(2048, 'k') },
        dropIndexes: Array.from({ length: 25 }, () => long(255, 'i')),
      },
      failure: { code: long(300, 'E'), message: long(5000, 'm') },
      restore: {
        startedAt: '2026-11-24T15:00:00Z',
        completedAt: '2026-11-24T17:00:00Z',
        tableStatus: long(500),
      },
    };
    for (const status of ['PENDING', ...Object.keys(DECIDED)] as RequestStatus[]) {
      assertWithinSlackLimits(requestMessage(sampleRequest({ ...extreme, status }), NOW));
    }
  });
});

describe('overridesSummary', () => {
  it('says none when nothing is overridden', () => {
    expect(overridesSummary({})).toBe('none');
    expect(overridesSummary({ dropIndexes: [] })).toBe('none');
  });

  it('describes every override in words', () => {
    expect(
      overridesSummary({
        billingMode: 'PROVISIONED',
        provisionedThroughput: { readCapacityUnits: 1000, writeCapacityUnits: 50 },
        dropIndexes: ['byCustomer', 'byStatus'],
      }),
    ).toBe(
      'billing mode PROVISIONED; throughput 1,000 read / 50 write units; drop indexes byCustomer, byStatus',
    );
  });

  it('describes dropping every index', () => {
    expect(overridesSummary({ dropIndexes: 'ALL' })).toBe('drop all secondary indexes');
  });

  it('names which key encrypts the restored table', () => {
    expect(overridesSummary({ sse: { enabled: false } })).toBe('encryption with an AWS owned key');
    expect(overridesSummary({ sse: { enabled: true, sseType: 'KMS' } })).toBe(
      'encryption with the AWS managed KMS key (aws/dynamodb)',
    );
    expect(overridesSummary({ sse: { enabled: true, sseType: 'KMS', kmsMasterKeyId: 'alias/orders' } })).toBe(
      'encryption with KMS key alias/orders',
    );
  });
});
