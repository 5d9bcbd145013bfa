import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeRecoveryPoint } from '../../src/sandbox/fake-backup.ts';
import { type Bot, messageText, startBot } from '../helpers/bot.ts';

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
