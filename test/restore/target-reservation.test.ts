import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newRequestId } from '../../src/restore/ids.ts';
import { cancelRequest, createRequest } from '../../src/restore/service.ts';
import type { BackupInfo } from '../../src/restore/types.ts';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { CHANNEL, REQUESTER } from '../helpers/bot.ts';
import { uniqueTableName } from '../helpers/clock.ts';
import {
  approve,
  type RestoreHarness,
  requestRestore,
  startRestoreHarness,
  useFakeAws,
} from '../helpers/restore.ts';

let fake: FakeAws;
let backup: BackupInfo;
let h: RestoreHarness;
const table = (label: string) => uniqueTableName('Reserve', label);

beforeAll(async () => {
  fake = await startFakeAws({ creatingPolls: 1 });
  useFakeAws(fake);
  backup = fake.addBackup({
    tableName: 'Orders',
    name: 'OrdersBackup',
    createdAt: new Date(Date.now() - 3600_000),
    gsis: ['ByCustomer'],
  });
});
beforeEach(async () => {
  h = await startRestoreHarness({ fake });
});
afterEach(async () => h.close());
afterAll(async () => fake.close());

function ask(targetTable: string, requestId = newRequestId(), overrides = {}) {
  return createRequest(h.deps, {
    requestId,
    userId: REQUESTER,
    channelId: CHANNEL,
    source: { kind: 'backup', backup: backup.name },
    targetTable,
    overrides,
  });
}

describe('regression (issue 9, finding 1): one request per target table', () => {
  it('two racing requests for one target end in one request and one refusal that names it', async () => {
    const target = table('race');
    const [a, b] = await Promise.all([
      ask(target),
      ask(target, newRequestId(), { billingMode: 'PROVISIONED' }),
    ]);
    await h.idle();
    const created = [a, b].filter((o) => o.kind === 'created');
    const refused = [a, b].filter((o) => o.kind === 'refused');
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const winner = created[0]!.kind === 'created' ? created[0]!.request : undefined;
    expect(refused[0]!.kind === 'refused' && refused[0]!.text).toContain(`Request ${winner!.id} (PENDING)`);
    expect(await h.deps.store.listByStatus('PENDING')).toHaveLength(1);
  });

  it('ten racing requests for one target store exactly one', async () => {
    const target = table('ten');
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => ask(target)));
    await h.idle();
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1);
    expect((await h.deps.store.listByStatus('PENDING')).filter((r) => r.targetTable === target)).toHaveLength(
      1,
    );
  });

  it('frees the name when the request ends, so a new request for it is accepted', async () => {
    const target = table('freed');
    const first = await requestRestore(h, { backup: backup.name, targetTable: target });
    const second = await ask(target);
    expect(second.kind).toBe('refused');
    expect((await cancelRequest(h.deps, first.id, REQUESTER)).ok).toBe(true);
    const third = await ask(target);
    expect(third.kind).toBe('created');
  });

  it('keeps the name while the request is approved and restoring', async () => {
    const target = table('restoring');
    const first = await requestRestore(h, { backup: backup.name, targetTable: target });
    expect((await approve(h, first.id)).status).toBe('RESTORING');
    const again = await ask(target);
    expect(again.kind).toBe('refused');
  });

  it('a reservation whose request was never stored (a crash between the writes) is free, and that request can never appear later', async () => {
    const target = table('crash');
    const lost = newRequestId();
    expect(await h.store.reserveTarget('prod', target, lost)).toEqual({ ok: true });
    const next = await ask(target);
    if (next.kind !== 'created') throw new Error(`refused: ${JSON.stringify(next)}`);
    // The crashed job is retried by Lambda with the same request ID: it is refused, naming the winner.
    const retried = await ask(target, lost);
    expect(retried).toEqual({ kind: 'refused', text: expect.stringContaining(`Request ${next.request.id}`) });
    expect(await h.store.get(lost)).toBeUndefined();
  });

  it('a retried job for the same request ID is idempotent', async () => {
    const target = table('retry');
    const id = newRequestId();
    const first = await ask(target, id);
    const second = await ask(target, id);
    expect(first.kind).toBe('created');
    expect(second.kind).toBe('created');
  });
});
