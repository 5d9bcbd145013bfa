import { describe, expect, it } from 'vitest';
import { requestMessage } from '../../src/blocks/request.ts';
import { requestDetailStatusMessage, requestStatusMessage } from '../../src/blocks/status.ts';
import { assertWithinSlackLimits } from './limits.ts';
import { allText, backupSource, long, NOW, sampleRequest } from './samples.ts';

describe('requestStatusMessage', () => {
  it('shows one compact line per request with ID, status, environment, backup, target, requester and age', () => {
    const reqs = [
      sampleRequest(),
      sampleRequest({
        id: 'R-2M8PQR',
        status: 'RESTORING',
        environment: 'staging',
        requesterId: 'U0OTHER',
        createdAt: '2026-11-24T15:05:00Z',
      }),
    ];

    const msg = requestStatusMessage(reqs, NOW);

    const text = allText(msg.blocks);
    expect(text).toContain('*Open restore requests (2)*');
    expect(text).toContain(
      ':hourglass_flowing_sand: `R-7K3QX9` *PENDING* · prod · `orders-nightly-2026-11-24` → `Orders-restored`\nby <@U0REQUEST> · requested 5m ago',
    );
    expect(text).toContain('`R-2M8PQR` *RESTORING* · staging');
    expect(text).toContain('by <@U0OTHER> · requested 2h ago');
    assertWithinSlackLimits(msg);
  });

  it('shows a pending request past its deadline as expired', () => {
    const msg = requestStatusMessage([sampleRequest({ expiresAt: '2026-11-24T17:00:00Z' })], NOW);

    expect(allText(msg.blocks)).toContain('*EXPIRED*');
  });

  it('says there are no open requests when the list is empty', () => {
    const msg = requestStatusMessage([], NOW);

    expect(msg.text).toBe('No open restore requests.');
    expect(allText(msg.blocks)).toContain('No open restore requests.');
    assertWithinSlackLimits(msg);
  });

  it('stays within Slack limits for 500 requests with long names and says how many are hidden', () => {
    const reqs = Array.from({ length: 500 }, (_, i) =>
      sampleRequest({
        id: `R-${String(i).padStart(6, '0')}`,
        source: backupSource({ name: long(255) }),
        targetTable: long(255),
        environment: long(100),
      }),
    );

    const msg = requestStatusMessage(reqs, NOW);

    assertWithinSlackLimits(msg);
    expect(allText(msg.blocks)).toContain('…and 452 more');
  });
});

describe('requestDetailStatusMessage', () => {
  it('shows the same content as the approval message but never buttons', () => {
    const req = sampleRequest();

    const msg = requestDetailStatusMessage(req, NOW);

    expect(msg.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(msg.blocks).toEqual(requestMessage(req, NOW).blocks.filter((b) => b.type !== 'actions'));
    assertWithinSlackLimits(msg);
  });
});
