import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeRecoveryPoint } from '../../src/sandbox/fake-backup.ts';
import { type Bot, messageText, requestIdIn, startBot } from '../helpers/bot.ts';
import { texts } from '../helpers/restore.ts';

const DAY = 24 * 3600_000;
let bot: Bot;
let warm: FakeRecoveryPoint;
let cold: FakeRecoveryPoint;
let partial: FakeRecoveryPoint;

beforeAll(async () => {
  bot = await startBot();
  const now = Date.now();
  bot.fake.addBackup({ tableName: 'Payments', name: 'PaymentsManual', createdAt: new Date(now - 2 * DAY) });
  warm = bot.fake.backup.addRecoveryPoint({
    tableName: 'Payments',
    createdAt: new Date(now - DAY),
    vaultName: 'prod-daily',
    sizeBytes: 2_500_000,
    moveToColdStorageAfterDays: 30,
    deleteAfterDays: 365,
  });
  cold = bot.fake.backup.addRecoveryPoint({
    tableName: 'Payments',
    createdAt: new Date(now - 40 * DAY),
    vaultName: 'prod-daily',
    storageClass: 'COLD',
    moveToColdStorageAfterDays: 30,
    deleteAfterDays: 365,
  });
  partial = bot.fake.backup.addRecoveryPoint({
    tableName: 'Payments',
    createdAt: new Date(now - 3 * DAY),
    status: 'PARTIAL',
    statusMessage: 'Backup job expired before completion',
  });
});
afterAll(async () => bot.close());

function answerOf(res: Awaited<ReturnType<Bot['command']>>): string {
  return messageText(res.responses()[0]);
}

describe('/backups TABLE --type AWS_BACKUP through npm start', () => {
  it('lists the table’s recovery points with vault, creation time, status, size, lifecycle and ARN', async () => {
    const text = answerOf(await bot.command('/backups', 'Payments --type AWS_BACKUP'));
    expect(text).toContain(warm.arn);
    expect(text).toContain(cold.arn);
    expect(text).toContain(partial.arn);
    expect(text).not.toContain('PaymentsManual');
    expect(text).toContain('vault `prod-daily`');
    expect(text).toContain('2.5 MB');
    const coldAt = new Date(warm.createdAt.getTime() + 30 * DAY).toISOString().slice(0, 16).replace('T', ' ');
    expect(text).toContain(`moves to cold storage ${coldAt} UTC`);
    expect(text).toContain(':snowflake: in cold storage');
    expect(text).toContain('*PARTIAL* (cannot be restored) — Backup job expired before completion');
    expect(text.indexOf(warm.arn)).toBeLessThan(text.indexOf(partial.arn));
    expect(text.indexOf(partial.arn)).toBeLessThan(text.indexOf(cold.arn));
    expect(bot.fake.callsOf('ListRecoveryPointsByResource').at(-1)?.params.ResourceArn).toBe(
      'arn:aws:dynamodb:us-east-1:123456789012:table/Payments',
    );
  });

  it('--type ALL shows DynamoDB backups and recovery points together, newest first', async () => {
    const text = answerOf(await bot.command('/backups', 'Payments --type ALL'));
    expect(text).toContain('PaymentsManual');
    expect(text).toContain(warm.arn);
    expect(text.indexOf(warm.arn)).toBeLessThan(text.indexOf('PaymentsManual'));
    expect(text.indexOf('PaymentsManual')).toBeLessThan(text.indexOf(partial.arn));
  });

  it('--type ALL still lists the DynamoDB backups when AWS Backup refuses, and says why', async () => {
    bot.fake.failNext('ListRecoveryPointsByResource', 'AccessDeniedException', { status: 403 });
    const text = answerOf(await bot.command('/backups', 'Payments'));
    expect(text).toContain('PaymentsManual');
    expect(text).toContain('AWS Backup recovery points are not shown');
    expect(text).toContain('lacks permission for backup:ListRecoveryPointsByResource');
  });

  it('--type AWS_BACKUP reports the AWS Backup error itself', async () => {
    bot.fake.failNext('ListRecoveryPointsByResource', 'AccessDeniedException', { status: 403 });
    const text = answerOf(await bot.command('/backups', 'Payments --type AWS_BACKUP'));
    expect(text).toContain('lacks permission for backup:ListRecoveryPointsByResource');
  });

  it('--since leaves older recovery points out', async () => {
    const text = answerOf(await bot.command('/backups', 'Payments --type AWS_BACKUP --since 2d'));
    expect(text).toContain(warm.arn);
    expect(text).not.toContain(partial.arn);
  });
});

describe('/backups describe RECOVERY_POINT_ARN through npm start', () => {
  it('shows vault, status, lifecycle, the restore role and the /restore line', async () => {
    const text = answerOf(await bot.command('/backups', `describe ${warm.arn}`));
    expect(text).toContain('prod-daily');
    expect(text).toContain('COMPLETED');
    expect(text).toContain('Moves to cold storage');
    expect(text).toContain('arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole');
    expect(text).toContain(`/restore ${warm.arn} Payments-restored --env prod`);
    expect(text).not.toContain('cannot be restored from chat');
  });

  it('says what stands in the way of a cold one', async () => {
    const text = answerOf(await bot.command('/backups', `describe ${cold.arn}`));
    expect(text).toContain('cannot be restored from chat: it is in cold storage');
  });

  it('refuses a recovery point of another account before asking AWS', async () => {
    const arn = 'arn:aws:backup:us-east-1:999999999999:recovery-point:0A1B2C3D-0000-0000-0000-000000000000';
    const before = bot.fake.calls.length;
    const text = answerOf(await bot.command('/backups', `describe ${arn}`));
    expect(text).toContain('That recovery point is in account 999999999999 (us-east-1)');
    expect(bot.fake.calls.slice(before).filter((c) => c.service === 'backup')).toEqual([]);
  });

  it('says so when no vault holds it', async () => {
    const arn = 'arn:aws:backup:us-east-1:123456789012:recovery-point:0A1B2C3D-0000-0000-0000-000000000000';
    const text = answerOf(await bot.command('/backups', `describe ${arn}`));
    expect(text).toContain(`No backup vault of account 123456789012 (us-east-1) holds recovery point ${arn}`);
  });
});

describe('/restore RECOVERY_POINT_ARN through npm start', () => {
  /** The text of each reply under a request's approval message. */
  const threadOf = (id: string) => texts(bot.threadOf(id));

  it.each([
    ['cold storage', () => cold.arn, 'is in cold storage'],
    ['not COMPLETED', () => partial.arn, 'is PARTIAL, not COMPLETED (AWS Backup says: Backup job expired'],
  ])('refuses a recovery point in %s and stores nothing', async (_what, arn, words) => {
    const res = await bot.command('/restore', `${arn()} Payments-refused`);
    expect(messageText(res.responses()[0])).toContain(words);
    expect(bot.fake.backup.restoreJobs.size).toBe(0);
  });

  it('refuses --recovery-point-arn with overrides AWS Backup cannot apply', async () => {
    const res = await bot.command(
      '/restore',
      `--recovery-point-arn ${warm.arn} --target-table-name Payments-x --drop-indexes all`,
    );
    expect(messageText(res.responses()[0])).toContain('--drop-indexes cannot be applied');
  });

  it('requests, approves, starts one restore job and follows it to ACTIVE in the thread', async () => {
    const req = await bot.command(
      '/restore',
      `--recovery-point-arn ${warm.arn} --target-table-name Payments-restored --reason "INC-9 bad migration"`,
    );
    const id = requestIdIn(req.ack.text);
    const posted = bot.rootOf(id);
    const text = messageText(posted);
    for (const part of [
      'prod-daily',
      warm.arn.split(':recovery-point:')[1]!,
      warm.createdAt.toISOString().slice(0, 16).replace('T', ' '),
      'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole',
      'Payments-restored',
      'INC-9 bad migration',
    ]) {
      expect(text).toContain(part);
    }

    await bot.click('request_approve', id, 'U0APPROVER', posted!.ts);
    const jobs = [...bot.fake.backup.restoreJobs.values()];
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      recoveryPointArn: warm.arn,
      iamRoleArn: 'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole',
      idempotencyToken: `dynamodb-restore-bot-${id}`,
      metadata: { targetTableName: 'Payments-restored' },
    });
    expect(bot.fake.restoreCalls.filter((c) => c.TargetTableName === 'Payments-restored')).toEqual([]);

    // PENDING → RUNNING (the table appears, CREATING) → COMPLETED → the table turns ACTIVE.
    for (let i = 0; i < 6; i += 1) await bot.watch();

    const thread = threadOf(id);
    expect(thread.some((t) => t.includes(`AWS Backup restore job ${jobs[0]!.id}`))).toBe(true);
    expect(thread.some((t) => /AWS Backup restore job \*RUNNING\*/.test(t))).toBe(true);
    const final = thread.at(-1) ?? '';
    expect(final).toMatch(/Payments-restored` is \*ACTIVE\*/);
    expect(final).toContain('prod-daily');
    expect(bot.fake.tables.get('Payments-restored')?.status).toBe('ACTIVE');
    expect(bot.fake.backup.restoreJobs.size).toBe(1);
    const actions = bot.audit.filter((a) => a.requestId === id).map((a) => a.action);
    expect(actions[0]).toBe('request');
    expect(actions.at(-1)).toBe('complete');
  });

  it('ends the request FAILED with AWS Backup’s status message when the job fails', async () => {
    const req = await bot.command('/restore', `${warm.arn} Payments-kms`);
    const id = requestIdIn(req.ack.text);
    bot.fake.backup.endNextJob(
      'FAILED',
      'Access denied to KMS key arn:aws:kms:us-east-1:123456789012:key/k9',
    );
    await bot.click('request_approve', id, 'U0APPROVER');
    for (let i = 0; i < 3; i += 1) await bot.watch();
    const final = threadOf(id).at(-1) ?? '';
    expect(final).toContain('*failed*');
    expect(final).toContain('RestoreJobFailed');
    expect(final).toContain('Access denied to KMS key arn:aws:kms:us-east-1:123456789012:key/k9');
    expect(final).toContain('restore role (awsBackupRoleArn)');
  });
});
