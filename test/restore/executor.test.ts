import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  attemptStart,
  executeRequest,
  MAX_START_ATTEMPTS,
  REDRIVE_AFTER_MS,
  START_RETRY_WINDOW_MS,
} from '../../src/restore/executor.ts';
import { transition } from '../../src/restore/lifecycle.ts';
import type { BackupInfo, RestoreRequest } from '../../src/restore/types.ts';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { APPROVER, messageText } from '../helpers/bot.ts';
import { uniqueTableName } from '../helpers/clock.ts';
import {
  approve,
  type RestoreHarness,
  requestRestore,
  startRestoreHarness,
  storeApproved,
  texts,
  useFakeAws,
} from '../helpers/restore.ts';

const MINUTE = 60_000;

let fake: FakeAws;
let backup: BackupInfo;
let h: RestoreHarness;
const table = (label: string) => uniqueTableName('Exec', label);

beforeAll(async () => {
  fake = await startFakeAws({ creatingPolls: 2 });
  useFakeAws(fake);
  backup = fake.addBackup({
    tableName: 'MusicCollection',
    name: 'MusicCollectionBackup',
    createdAt: new Date(Date.now() - 3600_000),
    itemCount: 1200,
    sizeBytes: 2_000_000,
    gsis: ['ByArtist', 'ByAlbum'],
  });
});
beforeEach(async () => {
  h = await startRestoreHarness({ fake });
});
afterEach(async () => {
  fake.denyAssumeRole = false;
  await h.close();
});
afterAll(async () => {
  await fake.close();
});

/** The request as a worker left it after writing its start-attempt marker and before crashing. */
async function startCalledThenCrashed(approved: RestoreRequest): Promise<RestoreRequest> {
  const at = new Date(h.clock.now().getTime() - REDRIVE_AFTER_MS);
  const restoring = transition(approved, { status: 'RESTORING', restore: { attempts: 0 } }, undefined, at);
  const marked = transition(
    restoring,
    { restore: { attempts: 0, startCall: { attempt: 1, at: at.toISOString() } } },
    undefined,
    at,
  );
  if (!(await h.store.update(approved, restoring)) || !(await h.store.update(restoring, marked))) {
    throw new Error('could not store the crashed start');
  }
  return marked;
}

function restoreCallsInto(target: string) {
  return fake.restoreCalls.filter((c) => c.TargetTableName === target);
}

function restoreAttemptsInto(target: string) {
  return fake.callsOf('RestoreTableFromBackup').filter((c) => c.params.TargetTableName === target);
}

/** Replies in the request's thread, in order, as people read them. */
function thread(id: string): string[] {
  return texts(h.threadOf(id));
}

describe('executeRequest', () => {
  it('moves APPROVED to RESTORING and starts the restore with the requested overrides', async () => {
    const target = table('overrides');
    const req = await requestRestore(h, {
      backup: backup.name,
      targetTable: target,
      overrides: {
        billingMode: 'PROVISIONED',
        provisionedThroughput: { readCapacityUnits: 25, writeCapacityUnits: 10 },
        sse: { enabled: true, sseType: 'KMS', kmsMasterKeyId: 'alias/restore-key' },
        dropIndexes: ['ByArtist'],
      },
    });

    const after = await approve(h, req.id);

    expect(after.status).toBe('RESTORING');
    expect(after.restore).toMatchObject({
      attempts: 1,
      tableStatus: 'CREATING',
      startedAt: h.clock.now().toISOString(),
    });
    expect(after.restore?.tableArn).toBe(fake.tableArn(target));
    expect(after.events.at(-1)).toMatchObject({
      actor: 'bot',
      action: 'restore_started',
      detail: 'CREATING',
    });
    const calls = restoreCallsInto(target);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      BackupArn: backup.arn,
      BillingModeOverride: 'PROVISIONED',
      ProvisionedThroughputOverride: { ReadCapacityUnits: 25, WriteCapacityUnits: 10 },
      SSESpecificationOverride: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/restore-key' },
    });
    const kept = (calls[0]?.GlobalSecondaryIndexOverride as { IndexName: string }[] | undefined)?.map(
      (i) => i.IndexName,
    );
    expect(kept).toEqual(['ByAlbum']);
    expect(fake.tables.get(target)?.gsis).toEqual(['ByAlbum']);
    expect(h.audit.filter((a) => a.requestId === req.id).map((a) => a.action)).toEqual([
      'request',
      'approve',
      'start',
      'restore-started',
    ]);
  });

  it('ties the restore call to the approver and the request in the role session', async () => {
    const target = table('session');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });

    await approve(h, req.id);

    const call = restoreAttemptsInto(target)[0];
    const session = [...fake.sessions.values()].find((s) => s.accessKeyId === call?.accessKeyId);
    expect(session?.sourceIdentity).toBe(APPROVER);
    expect(session?.roleSessionName).toBe(`restore-bot-${APPROVER}-${req.id}`);
  });

  it('posts the start in the thread, after the approval', async () => {
    const target = table('thread');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });

    await approve(h, req.id);

    const replies = thread(req.id);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain('approved (1/1)');
    expect(replies[1]).toContain('started the restore into');
    expect(replies[1]).toContain(target);
  });

  it('starts nothing on a duplicate execute hand-off', async () => {
    const target = table('duplicate');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    await approve(h, req.id);

    const [a, b] = await Promise.all([executeRequest(h.deps, req.id), executeRequest(h.deps, req.id)]);
    await h.idle();

    expect(restoreAttemptsInto(target)).toHaveLength(1);
    expect(a?.status).toBe('RESTORING');
    expect(b?.status).toBe('RESTORING');
    const stored = await h.request(req.id);
    expect(stored.events.filter((e) => e.action === 'restore_started')).toHaveLength(1);
  });

  it('starts one restore when two hand-offs of the same approval run at once', async () => {
    const target = table('race');
    const req = await storeApproved(h, { backup, targetTable: target, ageMs: 0 });

    await Promise.all([
      executeRequest(h.deps, req.id),
      executeRequest(h.deps, req.id),
      executeRequest(h.deps, req.id),
    ]);
    await h.idle();

    expect(restoreAttemptsInto(target)).toHaveLength(1);
    expect(h.audit.filter((a) => a.requestId === req.id && a.action === 'start')).toHaveLength(1);
    expect(thread(req.id).filter((t) => t.includes('started the restore'))).toHaveLength(1);
  });

  it('does nothing for a request that is not APPROVED', async () => {
    const target = table('pending');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });

    const out = await executeRequest(h.deps, req.id);

    expect(out?.status).toBe('PENDING');
    expect(restoreAttemptsInto(target)).toHaveLength(0);
  });

  it('fails without a restore call when someone created the target table after the request', async () => {
    const target = table('taken');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.addTable(target);

    const after = await approve(h, req.id);

    expect(after.status).toBe('FAILED');
    expect(after.failure?.code).toBe('TableAlreadyExistsException');
    expect(after.failure?.message).toContain(`A table named ${target} was created in account 123456789012`);
    expect(after.failure?.message).toContain('Nothing was restored');
    expect(restoreAttemptsInto(target)).toHaveLength(0);
    const last = thread(req.id).at(-1) ?? '';
    expect(last).toContain('*failed*');
    expect(last).toContain('TableAlreadyExistsException');
    expect(last).toContain('What to do:');
  });

  it('treats a table restored from the same backup long before the approval as someone else’s', async () => {
    const target = table('old-copy');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    const other = await h.deps.targets('prod', 'U0SOMEONE');
    await other.restoreTableFromBackup({ backup, targetTable: target, overrides: {} });
    const restored = fake.tables.get(target);
    if (restored) restored.createdAt = new Date(Date.now() - 2 * 3600_000);

    const after = await approve(h, req.id);

    expect(after.status).toBe('FAILED');
    expect(after.failure?.code).toBe('TableAlreadyExistsException');
    expect(restoreCallsInto(target)).toHaveLength(1);
  });

  it('regression: adopts its own restore after a crash after the call, although RestoreSummary.RestoreDateTime is the backup’s creation time', async () => {
    const target = table('adopt');
    const approved = await storeApproved(h, { backup, targetTable: target, ageMs: 30_000 });
    // The worker that crashed had written its start-attempt marker and called RestoreTableFromBackup.
    const req = await startCalledThenCrashed(approved);
    const crashed = await h.deps.targets('prod', APPROVER, req.id);
    await crashed.restoreTableFromBackup({ backup, targetTable: target, overrides: {} });
    // RestoreDateTime is "point in time or source backup time" (AWS API reference), an hour
    // before the approval here; the table's CreationDateTime says when our restore ran.
    expect(fake.tables.get(target)?.restore?.restoreDateTime.toISOString()).toBe(backup.createdAt);

    const after = await attemptStart(h.deps, req);
    await h.idle();

    expect(after?.status).toBe('RESTORING');
    expect(after?.restore?.startedAt).toBeDefined();
    expect(after?.events.at(-1)?.action).toBe('restore_started');
    expect(restoreAttemptsInto(target)).toHaveLength(1);
    expect(restoreCallsInto(target)).toHaveLength(1);
  });

  it('adopts its own table when RestoreTableFromBackup answers TableAlreadyExistsException', async () => {
    const target = table('adopt-late');
    const req = await storeApproved(h, { backup, targetTable: target, ageMs: 0 });
    const crashed = await h.deps.targets('prod', APPROVER, req.id);
    await crashed.restoreTableFromBackup({ backup, targetTable: target, overrides: {} });
    // The pre-check misses the new table (as a read right after a create can), so the call is made.
    fake.failNext('DescribeTable', 'ResourceNotFoundException');

    const after = await executeRequest(h.deps, req.id);
    await h.idle();

    expect(after?.status).toBe('RESTORING');
    expect(after?.events.at(-1)?.action).toBe('restore_started');
    expect(restoreAttemptsInto(target).map((c) => c.error)).toEqual([
      undefined,
      'TableAlreadyExistsException',
    ]);
  });
});

describe('regression (issue 9, finding 1): adoption is exact, never a guess by time', () => {
  it('does not adopt a table restored from its backup right after the approval when it never made a start call', async () => {
    const target = table('not-ours');
    const req = await storeApproved(h, { backup, targetTable: target, ageMs: 0 });
    // Someone else (another request before the reservation existed, a person in the console)
    // restored the same backup into the name moments after this request was approved.
    const other = await h.deps.targets('prod', 'U0SOMEONE');
    await other.restoreTableFromBackup({
      backup,
      targetTable: target,
      overrides: { billingMode: 'PAY_PER_REQUEST' },
    });

    const after = await executeRequest(h.deps, req.id);
    await h.idle();

    expect(after?.status).toBe('FAILED');
    expect(after?.failure?.code).toBe('TableAlreadyExistsException');
    expect(restoreAttemptsInto(target)).toHaveLength(1);
  });
});

describe('regression (issue 9, finding 5): an error in a re-drive looks at the table again', () => {
  it('adopts its own table when the start call answers a non-retryable error after AWS accepted an earlier call', async () => {
    const target = table('redrive-error');
    const approved = await storeApproved(h, { backup, targetTable: target, ageMs: 10 * MINUTE });
    const req = await startCalledThenCrashed(approved);
    // The first call went through, but its answer was lost; the re-drive's pre-check misses the new
    // table and its own call fails with an error that is not TableAlreadyExists.
    const crashed = await h.deps.targets('prod', APPROVER, req.id);
    await crashed.restoreTableFromBackup({ backup, targetTable: target, overrides: {} });
    fake.failNext('DescribeTable', 'ResourceNotFoundException');
    fake.failNext('RestoreTableFromBackup', 'ValidationException');

    const after = await attemptStart(h.deps, req);
    await h.idle();

    expect(after?.status).toBe('RESTORING');
    expect(after?.restore?.startedAt).toBeDefined();
    expect(after?.failure).toBeUndefined();
  });

  it('retries instead of failing when the table cannot be checked after the call failed', async () => {
    const target = table('redrive-unknown');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.failNext('RestoreTableFromBackup', 'ValidationException');
    // The pre-check sees no table (as it is); the look after the failed call is refused.
    fake.failNext('DescribeTable', 'ResourceNotFoundException');
    fake.failNext('DescribeTable', 'AccessDeniedException', { status: 400 });

    const after = await approve(h, req.id);

    expect(after.status).toBe('RESTORING');
    expect(after.restore?.nextAttemptAt).toBeDefined();
    expect(after.events.at(-1)?.detail).toContain(`could not check whether table ${target} was created`);
  });
});

describe('executeRequest error mapping', () => {
  it('fails on TableAlreadyExistsException when the table is not ours', async () => {
    const target = table('exists');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.failNext('RestoreTableFromBackup', 'TableAlreadyExistsException');

    const after = await approve(h, req.id);

    expect(after.status).toBe('FAILED');
    expect(after.failure).toEqual({
      code: 'TableAlreadyExistsException',
      message: expect.stringContaining(`A table named ${target} already exists in prod`),
    });
    expect(thread(req.id).at(-1)).toContain('Pick another target name');
  });

  it('retries BackupInUseException later', async () => {
    const target = table('backup-busy');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.failNext('RestoreTableFromBackup', 'BackupInUseException');

    const after = await approve(h, req.id);

    expect(after.status).toBe('RESTORING');
    expect(after.restore?.startedAt).toBeUndefined();
    expect(after.restore?.attempts).toBe(1);
    expect(after.events.at(-1)).toMatchObject({
      action: 'restore_retrying',
      detail: expect.stringContaining('is in use by another operation'),
    });
  });

  it('fails on BackupNotFoundException', async () => {
    const target = table('backup-gone');
    const gone = fake.addBackup({
      tableName: 'Orders',
      name: 'OrdersGone',
      createdAt: new Date(Date.now() - 600_000),
    });
    const req = await requestRestore(h, { backup: gone.arn, targetTable: target });
    fake.backups.delete(gone.arn);

    const after = await approve(h, req.id);

    expect(after.status).toBe('FAILED');
    expect(after.failure?.code).toBe('BackupNotFoundException');
    expect(after.failure?.message).toContain(`Backup ${gone.arn} was not found in prod`);
    const last = thread(req.id).at(-1) ?? '';
    expect(last).toContain('The backup no longer exists');
    expect(last).toContain('/backups TABLE');
  });

  it('retries LimitExceededException: stays RESTORING with nextAttemptAt and a restore_retrying event', async () => {
    const target = table('limit');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    // LimitExceededException is throttling to the SDK, which tries 4 times before giving up.
    fake.failNext('RestoreTableFromBackup', 'LimitExceededException', { times: 4 });

    const after = await approve(h, req.id);

    expect(after.status).toBe('RESTORING');
    expect(after.restore?.nextAttemptAt).toBe(new Date(h.clock.now().getTime() + MINUTE).toISOString());
    expect(after.events.at(-1)).toMatchObject({
      action: 'restore_retrying',
      detail: expect.stringContaining('too many concurrent restores'),
    });
    expect(thread(req.id).at(-1)).toContain('AWS could not start the restore yet (attempt 1)');
    expect(restoreAttemptsInto(target)).toHaveLength(4);
    expect(restoreCallsInto(target)).toHaveLength(0);
  });

  it('starts a retried restore in the first watcher run after nextAttemptAt, not before', async () => {
    const target = table('limit-later');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.failNext('RestoreTableFromBackup', 'LimitExceededException', { times: 4 });
    await approve(h, req.id);

    h.clock.advance(30_000);
    await h.watch();
    const early = await h.request(req.id);
    h.clock.advance(30_000);
    const result = await h.watch();
    const later = await h.request(req.id);

    expect(early.restore?.startedAt).toBeUndefined();
    expect(result.started).toBe(1);
    expect(later.restore?.startedAt).toBe(h.clock.now().toISOString());
    expect(later.restore?.attempts).toBe(2);
    expect(restoreCallsInto(target)).toHaveLength(1);
    expect(thread(req.id).at(-1)).toContain('started the restore');
  });

  it('retries TableInUseException later', async () => {
    const target = table('in-use');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.failNext('RestoreTableFromBackup', 'TableInUseException');

    const after = await approve(h, req.id);

    expect(after.status).toBe('RESTORING');
    expect(after.events.at(-1)).toMatchObject({
      action: 'restore_retrying',
      detail: expect.stringContaining('busy'),
    });
  });

  it('fails on AccessDeniedException with an IAM explanation', async () => {
    const target = table('denied');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.failNext('RestoreTableFromBackup', 'AccessDeniedException');

    const after = await approve(h, req.id);

    expect(after.status).toBe('FAILED');
    expect(after.failure?.code).toBe('AccessDeniedException');
    expect(after.failure?.message).toContain(
      'arn:aws:iam::123456789012:role/dynamodb-restore-bot lacks permission for dynamodb:RestoreTableFromBackup',
    );
    expect(after.failure?.message).toContain('PutItem');
    const last = thread(req.id).at(-1) ?? '';
    expect(last).toContain("The bot's IAM role in this account is not allowed to do this restore.");
    expect(last).toContain('dynamodb:RestoreTableFromBackup');
  });

  it('fails with the trust policy explained when the role cannot be assumed', async () => {
    const target = table('no-trust');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.denyAssumeRole = true;

    const after = await approve(h, req.id);

    expect(after.status).toBe('FAILED');
    expect(after.failure?.code).toBe('AccessDenied');
    expect(after.failure?.message).toContain("Check the role's trust policy");
    expect(restoreAttemptsInto(target)).toHaveLength(0);
  });

  it('retries ThrottlingException that outlasts the SDK retries', async () => {
    const target = table('throttled');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.failNext('RestoreTableFromBackup', 'ThrottlingException', { times: 4 });

    const after = await approve(h, req.id);

    expect(after.status).toBe('RESTORING');
    expect(after.events.at(-1)).toMatchObject({
      action: 'restore_retrying',
      detail: expect.stringContaining('throttling'),
    });
    expect(restoreAttemptsInto(target)).toHaveLength(4);
  });

  it('does not bother the request when the SDK rides out a short throttling burst', async () => {
    const target = table('burst');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.failNext('RestoreTableFromBackup', 'ThrottlingException', { times: 3 });

    const after = await approve(h, req.id);

    expect(after.events.map((e) => e.action)).toEqual(['requested', 'approved', 'restore_started']);
    expect(restoreCallsInto(target)).toHaveLength(1);
  });

  it(`gives up after ${MAX_START_ATTEMPTS} attempts and says what happened and what to do`, async () => {
    const target = table('give-up');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.failNext('RestoreTableFromBackup', 'TableInUseException', { times: MAX_START_ATTEMPTS });
    await approve(h, req.id);

    for (let i = 1; i < MAX_START_ATTEMPTS; i += 1) {
      const current = await h.request(req.id);
      h.clock.advance(Date.parse(current.restore?.nextAttemptAt ?? '') - h.clock.now().getTime());
      await h.watch();
    }

    const after = await h.request(req.id);
    expect(after.status).toBe('FAILED');
    expect(after.failure?.code).toBe('TableInUseException');
    expect(restoreAttemptsInto(target)).toHaveLength(MAX_START_ATTEMPTS);
    const replies = thread(req.id);
    expect(replies.filter((t) => t.includes('AWS could not start the restore yet'))).toHaveLength(
      MAX_START_ATTEMPTS - 1,
    );
    const last = replies.at(-1) ?? '';
    expect(last).toContain('*failed*');
    expect(last).toContain('is busy with another operation');
    expect(last).toContain(
      '*What it means:* A table with the target name is being created or deleted right now.',
    );
    expect(last).toContain('*What to do:* Pick another target name, or wait until that operation finishes');
    expect(messageText(h.rootOf(req.id))).toContain('Failed at');
  });

  it('gives up when the retry window has passed, whatever the attempt count', async () => {
    const target = table('window');
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    fake.failNext('RestoreTableFromBackup', 'BackupInUseException', { times: 2 });
    await approve(h, req.id);

    h.clock.advance(START_RETRY_WINDOW_MS);
    await h.watch();

    const after = await h.request(req.id);
    expect(after.status).toBe('FAILED');
    expect(restoreAttemptsInto(target)).toHaveLength(2);
    expect(after.failure?.code).toBe('BackupInUseException');
    expect(thread(req.id).at(-1)).toContain(
      'Another operation (a restore or a deletion) is using this backup',
    );
  });
});

describe('regression 8.3: the executor re-verifies an APPROVED request before it calls AWS', () => {
  /** A PENDING request rewritten straight in the state table, as anyone who can write it could. */
  async function forge(change: (req: RestoreRequest) => Partial<RestoreRequest>): Promise<RestoreRequest> {
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('forged') });
    const forged = { ...req, ...change(req), version: req.version + 1 };
    if (!(await h.store.update(req, forged))) throw new Error('forging failed');
    return forged;
  }

  async function expectRefused(id: string, reason: RegExp) {
    const restoresBefore = fake.restoreCalls.length;
    const assumesBefore = fake.assumeRoleCalls.length;

    const after = await executeRequest(h.deps, id);
    await h.idle();

    expect(after?.status).toBe('FAILED');
    expect(after?.failure?.code).toBe('ApprovalNotVerified');
    expect(after?.failure?.message).toMatch(reason);
    expect(fake.restoreCalls.length).toBe(restoresBefore);
    expect(fake.assumeRoleCalls.length).toBe(assumesBefore);
    expect(h.audit.at(-1)).toMatchObject({
      requestId: id,
      action: 'fail',
      after: 'FAILED',
      failure: 'ApprovalNotVerified',
    });
    expect(thread(id).join('\n')).toMatch(reason);
  }

  it('starts nothing for a status set to APPROVED with no approval', async () => {
    const req = await forge(() => ({ status: 'APPROVED' }));
    await expectRefused(req.id, /no approval completed it/);
  });

  it("starts nothing when the approval events are the requester's own", async () => {
    const at = h.clock.now().toISOString();
    const req = await forge((r) => ({
      status: 'APPROVED',
      approvals: [{ userId: r.requesterId, at }],
      events: [
        ...r.events,
        { seq: 2, at, actor: r.requesterId, action: 'approved', from: 'PENDING', to: 'APPROVED' },
      ],
    }));
    await expectRefused(req.id, /asked for the restore and cannot approve it/);
  });

  it('starts nothing when an approval comes from someone who is not an approver', async () => {
    const at = h.clock.now().toISOString();
    const req = await forge((r) => ({
      status: 'APPROVED',
      events: [
        ...r.events,
        { seq: 2, at, actor: 'U0STRANGER', action: 'approved', from: 'PENDING', to: 'APPROVED' },
      ],
    }));
    await expectRefused(req.id, /User U0STRANGER approved it but is not an approver/);
  });

  it('starts nothing with fewer distinct approvals than the environment requires', async () => {
    const at = h.clock.now().toISOString();
    const req = await forge((r) => ({
      status: 'APPROVED',
      environment: 'two-person',
      requiredApprovals: 1,
      events: [
        ...r.events,
        { seq: 2, at, actor: APPROVER, action: 'approved', from: 'PENDING', to: 'APPROVED' },
      ],
    }));
    await expectRefused(req.id, /1 of the 2 distinct approvals/);
  });

  it('starts nothing when the environment moved to another role since the request', async () => {
    const at = h.clock.now().toISOString();
    const req = await forge((r) => ({
      status: 'APPROVED',
      roleArn: 'arn:aws:iam::123456789012:role/some-other-role',
      events: [
        ...r.events,
        { seq: 2, at, actor: APPROVER, action: 'approved', from: 'PENDING', to: 'APPROVED' },
      ],
    }));
    await expectRefused(req.id, /role of environment prod changed/);
  });

  it('still runs a request approved through the approval path', async () => {
    const req = await requestRestore(h, { backup: backup.name, targetTable: table('verified') });
    expect((await approve(h, req.id)).status).toBe('RESTORING');
  });
});

describe('regression 8.1: role sessions carry the policy of their job', () => {
  it('assumes the role for the pre-flight, the restore and the watch with policies naming only their tables', async () => {
    const target = table('sessions');
    const before = fake.assumeRoleCalls.length;
    const req = await requestRestore(h, { backup: backup.name, targetTable: target });
    await approve(h, req.id);
    h.clock.advance(2 * MINUTE);
    await h.watch();

    const calls = fake.assumeRoleCalls.slice(before);
    const policies = calls.map(
      (c) =>
        JSON.parse(c.Policy ?? '{"Statement":[]}') as {
          Statement: { Action: string[]; Resource: string[] }[];
        },
    );
    const withItems = policies.filter((p) => p.Statement.some((s) => s.Action.includes('dynamodb:PutItem')));
    const tableResources = (p: (typeof policies)[number]) =>
      p.Statement.flatMap((s) => s.Resource).filter((r) => /:table\/[^/]+$/.test(r));

    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.every((c) => c.Policy !== undefined)).toBe(true);
    expect(withItems).toHaveLength(1);
    for (const p of policies) {
      expect(tableResources(p).every((r) => r.endsWith(`:table/${target}`))).toBe(true);
    }
    for (const s of withItems[0]?.Statement ?? []) {
      if (s.Action.includes('dynamodb:PutItem'))
        expect(s.Resource).toEqual([expect.stringMatching(new RegExp(`:table/${target}$`))]);
    }
  });
});
