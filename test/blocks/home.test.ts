import { describe, expect, it } from 'vitest';
import { HOME_LIMITS, homeView, MAX_HOME_BLOCKS } from '../../src/blocks/home.ts';
import { parseConfig } from '../../src/config.ts';
import type { RestoreDeps } from '../../src/restore/service.ts';
import type { RestoreRequest } from '../../src/restore/types.ts';
import { type HomeSnapshot, homeDataFor } from '../../src/slack/home.ts';
import { APPROVER, APPROVER2, ONCALL, REQUESTER, STRANGER, testConfig } from '../helpers/bot.ts';
import { pendingRequest } from '../helpers/requests.ts';
import { assertWithinSlackLimits } from './limits.ts';

const NOW = new Date('2026-11-24T10:05:00.000Z');

function deps(config = parseConfig(testConfig())): RestoreDeps {
  return {
    config,
    directory: { membersOf: async (g: string) => new Set(g === 'S0ONCALL' ? [ONCALL] : []) },
    now: () => NOW,
  } as unknown as RestoreDeps;
}

const permalink = (id: string) => `https://fake-team.slack.test/archives/C0INCIDENTS/p${id.length}000100`;

function request(id: string, overrides: Partial<RestoreRequest> = {}): RestoreRequest {
  return pendingRequest({
    id,
    message: { channel: 'C0INCIDENTS', ts: '1700000000.000100', permalink: permalink(id) },
    ...overrides,
  });
}

function snapshot(): HomeSnapshot {
  return {
    open: [
      request('R-WAIT01'),
      request('R-MINE01', { requesterId: APPROVER }),
      request('R-DONE01', { approvals: [{ userId: APPROVER2, at: NOW.toISOString() }] }),
      request('R-LATE01', { expiresAt: '2026-11-24T10:04:00.000Z' }),
      request('R-RUNS01', {
        status: 'RESTORING',
        approvals: [{ userId: APPROVER2, at: '2026-11-24T10:02:00.000Z' }],
        updatedAt: '2026-11-24T10:03:00.000Z',
      }),
    ],
    finished: [
      request('R-OLD001', {
        status: 'ACTIVE',
        approvals: [{ userId: ONCALL, at: '2026-11-23T10:00:00.000Z' }],
        updatedAt: '2026-11-23T11:00:00.000Z',
      }),
    ],
  };
}

const text = (view: unknown) => JSON.stringify(view);
const section = (view: unknown, from: string, to?: string) => {
  const t = text(view);
  return t.slice(t.indexOf(from), to ? t.indexOf(to) : undefined);
};

describe('the Home tab', () => {
  it('shows an approver what waits for them, with the channel’s buttons and confirmation', async () => {
    const view = homeView(await homeDataFor(deps(), APPROVER, snapshot()));
    const waiting = section(view, 'Waiting for your approval', 'Your open requests');

    expect(waiting).toContain('R-WAIT01');
    expect(waiting).toContain('request_approve.R-WAIT01');
    expect(waiting).toContain('request_reject.R-WAIT01');
    expect(waiting).toContain('Approve and restore');
    expect(waiting).toContain(permalink('R-WAIT01'));
    // Their own request, one past its deadline, and finished ones are not theirs to approve.
    for (const id of ['R-MINE01', 'R-LATE01', 'R-RUNS01']) expect(waiting).not.toContain(id);
    // A request someone else approved says who acted.
    const latest = section(view, 'Latest restores');
    expect(latest).toContain('R-RUNS01');
    expect(latest).toContain(`approved by <@${APPROVER2}>`);
    expect(latest).toContain(`approved by <@${ONCALL}>`);
    expect(section(view, 'Your open requests', 'Latest restores')).toContain('R-MINE01');
    assertWithinSlackLimits(view);
  });

  it('does not offer a request to the approver who already approved it', async () => {
    const view = homeView(await homeDataFor(deps(), APPROVER2, snapshot()));
    const waiting = section(view, 'Waiting for your approval', 'Your open requests');
    expect(waiting).toContain('R-WAIT01');
    expect(waiting).not.toContain('R-DONE01');
  });

  it('shows members of an approver group the same list', async () => {
    const view = homeView(await homeDataFor(deps(), ONCALL, snapshot()));
    expect(section(view, 'Waiting for your approval', 'Your open requests')).toContain('R-WAIT01');
  });

  it('shows a requester their open requests without buttons, and nothing to approve', async () => {
    const view = homeView(await homeDataFor(deps(), REQUESTER, snapshot()));

    expect(section(view, 'Waiting for your approval', 'Your open requests')).toContain(
      'Nothing waits for you',
    );
    const own = section(view, 'Your open requests', 'Latest restores');
    expect(own).toContain('R-WAIT01');
    expect(own).not.toContain('request_approve');
    expect(own).toContain(permalink('R-WAIT01'));
    expect(section(view, 'Latest restores')).toContain('R-OLD001');
  });

  it('shows someone outside every environment nothing of them', async () => {
    const config = parseConfig(testConfig());
    const data = await homeDataFor(deps(config), STRANGER, snapshot());
    const view = homeView(data);

    expect(data.environments).toEqual([]);
    for (const id of ['R-WAIT01', 'R-RUNS01', 'R-OLD001']) expect(text(view)).not.toContain(id);
    expect(text(view)).not.toContain('request_approve');
    assertWithinSlackLimits(view);
  });

  it('stays within Slack’s limits with 100 open requests, and counts what it leaves out', async () => {
    const open = Array.from({ length: 100 }, (_, i) =>
      request(`R-${String(i).padStart(6, '0')}`, {
        reason: 'x'.repeat(2000),
        targetTable: `t${'n'.repeat(250)}${i}`,
        requesterId: i % 2 === 0 ? REQUESTER : APPROVER2,
      }),
    );
    const finished = Array.from({ length: 2 * HOME_LIMITS.recent }, (_, i) =>
      request(`R-F${String(i).padStart(5, '0')}`, {
        status: 'ACTIVE',
        approvals: [{ userId: APPROVER, at: NOW.toISOString() }],
      }),
    );
    const approver = homeView(await homeDataFor(deps(), APPROVER, { open, finished }));
    const requester = homeView(await homeDataFor(deps(), REQUESTER, { open, finished }));

    for (const view of [approver, requester]) {
      expect(view.blocks.length).toBeLessThanOrEqual(MAX_HOME_BLOCKS);
      assertWithinSlackLimits(view);
    }
    expect(text(approver)).toContain(`…and 70 more requests`);
    expect(text(approver).match(/request_approve\./g)).toHaveLength(HOME_LIMITS.waiting);
    expect(text(requester)).toContain('…and 38 more requests');
  });
});
