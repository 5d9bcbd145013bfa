import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { restoreJobToken } from '../../src/restore/sources/recovery-point/exec.ts';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import type { FakeRecoveryPoint } from '../../src/sandbox/fake-backup.ts';
import { uniqueTableName } from '../helpers/clock.ts';
import {
  approve,
  type RestoreHarness,
  requestRestore,
  startRestoreHarness,
  targetOnFake,
  texts,
  useFakeAws,
} from '../helpers/restore.ts';

const MINUTE = 60_000;
let fake: FakeAws;
let point: FakeRecoveryPoint;
let h: RestoreHarness;
const table = (label: string) => uniqueTableName('Rp', label);

beforeAll(async () => {
  fake = await startFakeAws({ creatingPolls: 1 });
  useFakeAws(fake);
  point = fake.backup.addRecoveryPoint({
    tableName: 'Orders',
    createdAt: new Date(Date.now() - 3600_000),
    vaultName: 'prod-daily',
    itemCount: 40,
    sizeBytes: 8_000,
  });
});
beforeEach(async () => {
  h = await startRestoreHarness({ fake });
});
afterEach(async () => h.close());
afterAll(async () => fake.close());

const jobsInto = (name: string) =>
  [...fake.backup.restoreJobs.values()].filter((j) => j.metadata.targetTableName === name);

async function watchAfter(ms: number) {
  h.clock.advance(ms);
  return h.watch();
}

describe('a restore from an AWS Backup recovery point', () => {
  it('starts one job and reports PENDING, RUNNING and COMPLETED in the thread, then the table ACTIVE', async () => {
    const name = table('ok');
    const req = await requestRestore(h, { backup: point.arn, targetTable: name });
    const started = await approve(h, req.id);

    const [job] = jobsInto(name);
    expect(started.status).toBe('RESTORING');
    expect(started.restore).toMatchObject({ restoreJobId: job?.id, jobStatus: 'PENDING' });
    await watchAfter(MINUTE); // PENDING: nothing new to say (the start reply said it)
    await watchAfter(MINUTE); // RUNNING
    await watchAfter(MINUTE); // COMPLETED → table CREATING
    await watchAfter(MINUTE); // table ACTIVE

    const thread = texts(h.threadOf(req.id));
    expect(thread.some((t) => t.includes(`AWS Backup restore job ${job?.id}`))).toBe(true);
    expect(thread.some((t) => t.includes('AWS Backup restore job *RUNNING*'))).toBe(true);
    expect(thread.some((t) => t.includes('table status *CREATING*'))).toBe(true);
    expect(thread.at(-1)).toMatch(/is \*ACTIVE\*/);
    const done = await h.request(req.id);
    expect(done.status).toBe('ACTIVE');
    expect(done.restore).toMatchObject({ jobStatus: 'COMPLETED', tableStatus: 'ACTIVE', itemCount: 40 });
    expect(jobsInto(name)).toHaveLength(1);
    const polled = fake.callsOf('DescribeRestoreJob').filter((c) => c.params.RestoreJobId === job?.id);
    expect(polled).toHaveLength(3);
  });

  it.each([
    ['FAILED', 'RestoreJobFailed'],
    ['ABORTED', 'RestoreJobAborted'],
  ] as const)('ends FAILED when the job ends %s, with AWS Backup’s message', async (status, code) => {
    const name = table(status.toLowerCase());
    const req = await requestRestore(h, { backup: point.arn, targetTable: name });
    fake.backup.endNextJob(status, 'Insufficient permissions to create the table');
    await approve(h, req.id);
    for (let i = 0; i < 3; i += 1) await watchAfter(MINUTE);

    const failed = await h.request(req.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.failure?.code).toBe(code);
    expect(failed.failure?.message).toContain(
      `ended ${status}: Insufficient permissions to create the table`,
    );
    expect(texts(h.threadOf(req.id)).at(-1)).toContain('Insufficient permissions to create the table');
  });

  it('a retried start finds the job its crashed first attempt started, instead of starting a second', async () => {
    const name = table('crash');
    const req = await requestRestore(h, { backup: point.arn, targetTable: name });
    // A first worker started the job with this request's token, then died before recording it.
    const target = await targetOnFake(h.clock.now, 'U0APPROVER', req.id);
    const info = await target.recoveryPoints.describe(point.arn, point.vaultName);
    const first = await target.recoveryPoints.startRestoreJob({
      recoveryPoint: info,
      iamRoleArn: 'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole',
      targetTable: name,
      idempotencyToken: restoreJobToken(req.id),
    });

    const started = await approve(h, req.id);

    expect(started.restore?.restoreJobId).toBe(first);
    expect(jobsInto(name)).toHaveLength(1);
    expect(
      fake.callsOf('StartRestoreJob').filter((c) => c.params.IdempotencyToken === restoreJobToken(req.id)),
    ).toHaveLength(2);
  });

  it('retries a start AWS Backup could not take, and still starts one job', async () => {
    const name = table('retry');
    const req = await requestRestore(h, { backup: point.arn, targetTable: name });
    fake.failNext('StartRestoreJob', 'ServiceUnavailableException', { status: 503, times: 4 });
    const waiting = await approve(h, req.id);
    expect(waiting.restore?.nextAttemptAt).toBeDefined();
    expect(jobsInto(name)).toHaveLength(0);

    await watchAfter(2 * MINUTE);
    const started = await h.request(req.id);
    expect(started.restore?.restoreJobId).toBeDefined();
    expect(jobsInto(name)).toHaveLength(1);
    expect(texts(h.threadOf(req.id)).some((t) => t.includes('try again'))).toBe(true);
  });

  it('passes the restore role and applies the target name and encryption to the restore metadata', async () => {
    const name = table('kms');
    const req = await requestRestore(h, {
      backup: point.arn,
      targetTable: name,
      overrides: {
        sse: { enabled: true, sseType: 'KMS', kmsMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1' },
      },
    });
    await approve(h, req.id);
    expect(jobsInto(name)[0]).toMatchObject({
      iamRoleArn: 'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole',
      metadata: {
        targetTableName: name,
        encryptionType: 'KMS',
        kmsMasterKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k1',
      },
    });
  });
});
