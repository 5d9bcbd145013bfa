import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideApproval, transition } from '../../src/restore/lifecycle.ts';
import { NotifyLeaseLostError, type RequestStore } from '../../src/store/requests.ts';
import { pendingRequest } from '../helpers/requests.ts';
import { startTestStore } from '../helpers/store.ts';

const NOW = new Date('2026-11-24T10:05:00.000Z');
let ctx: Awaited<ReturnType<typeof startTestStore>>;
let store: RequestStore;
let n = 0;
const freshId = () => {
  n += 1;
  return `R-TEST${String(n).padStart(2, '0')}`;
};

beforeAll(async () => {
  ctx = await startTestStore();
  store = ctx.store;
});
afterAll(async () => ctx.close());

describe('RequestStore', () => {
  it('stores a request and reads it back unchanged', async () => {
    const req = pendingRequest({ id: freshId() });
    expect(await store.create(req)).toBe(true);
    expect(await store.get(req.id)).toEqual(req);
  });

  it('refuses to create a second request with the same ID', async () => {
    const req = pendingRequest({ id: freshId() });
    expect(await store.create(req)).toBe(true);
    expect(await store.create({ ...req, targetTable: 'Other' })).toBe(false);
    expect((await store.get(req.id))?.targetTable).toBe(req.targetTable);
  });

  it('reads a request stored before restore sources existed (top-level backup) as a backup source, and updates it', async () => {
    const req = pendingRequest({ id: freshId() });
    if (req.source.kind !== 'backup') throw new Error('sample is a backup request');
    const { source, ...rest } = req;
    // The item exactly as the previous version wrote it.
    await DynamoDBDocumentClient.from(ctx.dynamo.client).send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...rest, backup: source.backup, pk: `REQ#${req.id}`, outbox: '1' },
      }),
    );

    const read = await store.get(req.id);
    expect(read).toEqual(req);
    const decision = decideApproval(read!, 'U0APPROVER', true, NOW);
    if (!decision.ok) throw new Error(decision.reason);
    expect(await store.update(read!, decision.next)).toBe(true);
    expect((await store.get(req.id))?.source).toEqual(req.source);
    expect((await store.listByStatus('APPROVED')).find((r) => r.id === req.id)?.source).toEqual(req.source);
  });

  it('returns undefined for an unknown request', async () => {
    expect(await store.get('R-NONE00')).toBeUndefined();
  });

  it('applies a transition written against the current version', async () => {
    const req = pendingRequest({ id: freshId() });
    await store.create(req);
    const decision = decideApproval(req, 'U0APPROVER', true, NOW);
    if (!decision.ok) throw new Error(decision.reason);
    expect(await store.update(req, decision.next)).toBe(true);
    const stored = await store.get(req.id);
    expect(stored?.status).toBe('APPROVED');
    expect(stored?.version).toBe(2);
    expect(stored?.approvals).toEqual([{ userId: 'U0APPROVER', at: NOW.toISOString() }]);
  });

  it('rejects a write based on a stale version and leaves the item as the winner wrote it', async () => {
    const req = pendingRequest({ id: freshId() });
    await store.create(req);
    const first = transition(req, { status: 'CANCELLED', decidedBy: req.requesterId }, undefined, NOW);
    const second = transition(req, { status: 'REJECTED', decidedBy: 'U0APPROVER' }, undefined, NOW);
    expect(await store.update(req, first)).toBe(true);
    expect(await store.update(req, second)).toBe(false);
    expect((await store.get(req.id))?.status).toBe('CANCELLED');
  });

  it('lets exactly one of two approvers racing on the same version win', async () => {
    const req = pendingRequest({ id: freshId() });
    await store.create(req);
    const a = decideApproval(req, 'U0APPROVERA', true, NOW);
    const b = decideApproval(req, 'U0APPROVERB', true, NOW);
    if (!a.ok || !b.ok) throw new Error('both decisions should be allowed');
    const results = await Promise.all([store.update(req, a.next), store.update(req, b.next)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await store.get(req.id);
    expect(stored?.approvals).toHaveLength(1);
    expect(stored?.version).toBe(2);
  });

  it('removes attributes that the next version no longer has', async () => {
    const req = pendingRequest({ id: freshId() });
    await store.create(req);
    const next = transition(req, { reason: undefined }, undefined, NOW);
    expect(await store.update(req, next)).toBe(true);
    expect((await store.get(req.id))?.reason).toBeUndefined();
  });

  it('lists requests by status from the status index', async () => {
    const a = pendingRequest({ id: freshId() });
    const b = pendingRequest({ id: freshId(), status: 'RESTORING' });
    await store.create(a);
    await store.create(b);
    const pending = (await store.listByStatus('PENDING')).map((r) => r.id);
    const restoring = (await store.listByStatus('RESTORING')).map((r) => r.id);
    expect(pending).toContain(a.id);
    expect(pending).not.toContain(b.id);
    expect(restoring).toContain(b.id);
  });

  it('keeps a request in the outbox until every event is recorded as posted', async () => {
    const req = pendingRequest({ id: freshId() });
    await store.create(req);
    expect((await store.listOutbox()).map((r) => r.id)).toContain(req.id);
    const claimed = await store.claimNotify(req.id, NOW, 60_000);
    expect(claimed?.request.id).toBe(req.id);
    if (!claimed) throw new Error('not claimed');
    await store.recordNotified(claimed.lease, NOW, {
      notifiedSeq: 1,
      message: { channel: 'C0INCIDENTS', ts: '1.000100' },
    });
    expect(await store.releaseNotify(claimed.lease, 1)).toBe('done');
    expect((await store.listOutbox()).map((r) => r.id)).not.toContain(req.id);
    expect((await store.get(req.id))?.message).toEqual({ channel: 'C0INCIDENTS', ts: '1.000100' });
  });

  it('gives the notify lease to one holder at a time until it expires', async () => {
    const req = pendingRequest({ id: freshId() });
    await store.create(req);
    expect(await store.claimNotify(req.id, NOW, 60_000)).toBeDefined();
    expect(await store.claimNotify(req.id, NOW, 60_000)).toBeUndefined();
    const later = new Date(NOW.getTime() + 61_000);
    expect(await store.claimNotify(req.id, later, 60_000)).toBeDefined();
  });

  it('keeps the request in the outbox when an event arrived while posting', async () => {
    const req = pendingRequest({ id: freshId() });
    await store.create(req);
    const claimed = await store.claimNotify(req.id, NOW, 60_000);
    if (!claimed) throw new Error('not claimed');
    const approved = decideApproval(req, 'U0APPROVER', true, NOW);
    if (!approved.ok) throw new Error(approved.reason);
    await store.update(req, approved.next);
    await store.recordNotified(claimed.lease, NOW, { notifiedSeq: 1 });
    expect(await store.releaseNotify(claimed.lease, 1)).toBe('more');
    expect((await store.listOutbox()).map((r) => r.id)).toContain(req.id);
    expect(await store.claimNotify(req.id, NOW, 60_000)).toBeDefined();
  });

  it('regression (issue 9, finding 3): refuses progress and release from a run whose lease was taken over', async () => {
    const req = pendingRequest({ id: freshId() });
    await store.create(req);
    const first = await store.claimNotify(req.id, NOW, 60_000);
    const later = new Date(NOW.getTime() + 61_000);
    const second = await store.claimNotify(req.id, later, 60_000);
    if (!first || !second) throw new Error('not claimed');
    await store.recordNotified(second.lease, later, { notifiedSeq: 1 });

    const stale = await store
      .recordNotified(first.lease, later, { notifiedSeq: 0 })
      .catch((err: unknown) => err);
    expect(stale).toBeInstanceOf(NotifyLeaseLostError);
    expect(await store.releaseNotify(first.lease, 0)).toBe('lost');
    // The second run still holds its lease, and notifiedSeq did not go backwards.
    expect(await store.claimNotify(req.id, later, 60_000)).toBeUndefined();
    expect((await store.get(req.id))?.notifiedSeq).toBe(1);
  });

  it('renews the lease with every recorded post', async () => {
    const req = pendingRequest({ id: freshId() });
    await store.create(req);
    const claimed = await store.claimNotify(req.id, NOW, 60_000);
    if (!claimed) throw new Error('not claimed');
    const at50 = new Date(NOW.getTime() + 50_000);
    await store.recordNotified(claimed.lease, at50, { notifiedSeq: 1 });
    expect(await store.claimNotify(req.id, new Date(NOW.getTime() + 61_000), 60_000)).toBeUndefined();
    expect(await store.claimNotify(req.id, new Date(at50.getTime() + 61_000), 60_000)).toBeDefined();
  });

  it('never lets a transition overwrite what the notifier recorded', async () => {
    const req = pendingRequest({ id: freshId() });
    await store.create(req);
    const claimed = await store.claimNotify(req.id, NOW, 60_000);
    if (!claimed) throw new Error('not claimed');
    await store.recordNotified(claimed.lease, NOW, {
      notifiedSeq: 1,
      message: { channel: 'C0INCIDENTS', ts: '1.000200' },
    });
    const next = transition(
      req,
      { status: 'CANCELLED' },
      { actor: req.requesterId, action: 'cancelled' },
      NOW,
    );
    expect(await store.update(req, next)).toBe(true);
    const stored = await store.get(req.id);
    expect(stored?.notifiedSeq).toBe(1);
    expect(stored?.message?.ts).toBe('1.000200');
  });
});
