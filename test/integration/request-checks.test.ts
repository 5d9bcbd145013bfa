import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, messageText, requestIdIn, startBot } from '../helpers/bot.ts';

/** Pre-flight checks of a /restore request: each refusal says why and stores nothing. */
let bot: Bot;

beforeAll(async () => {
  bot = await startBot();
  const hour = 3600_000;
  bot.fake.addBackup({ tableName: 'Users', name: 'Nightly', createdAt: new Date(Date.now() - hour) });
  bot.fake.addBackup({ tableName: 'Orders', name: 'Nightly', createdAt: new Date(Date.now() - 2 * hour) });
  bot.fake.addBackup({
    tableName: 'Orders',
    name: 'OrdersCreating',
    createdAt: new Date(Date.now() - 60_000),
    status: 'CREATING',
  });
  bot.fake.addBackup({
    tableName: 'Orders',
    name: 'OrdersIndexed',
    createdAt: new Date(Date.now() - hour),
    gsis: ['ByCustomer'],
  });
});
afterAll(async () => bot.close());

async function refusal(text: string): Promise<string> {
  const res = await bot.command('/restore', text);
  return messageText(res.responses()[0] ?? res.ack);
}

describe('/restore pre-flight', () => {
  it('lists the candidates when a backup name is ambiguous', async () => {
    const text = await refusal('Nightly Orders-restored');
    expect(text).toContain('table/Users/backup/');
    expect(text).toContain('table/Orders/backup/');
  });

  it('refuses a backup that is not AVAILABLE yet', async () => {
    expect(await refusal('OrdersCreating Orders-restored')).toMatch(/CREATING, not AVAILABLE/);
  });

  it('refuses an unknown backup name', async () => {
    expect(await refusal('NoSuchBackup Orders-restored')).toMatch(/No backup named "NoSuchBackup"/);
  });

  it('refuses a backup ARN from another account than the environment', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:999999999999:table/Orders/backup/01489173575360-b308cd7d';
    expect(await refusal(`${arn} Orders-restored`)).toMatch(/account 999999999999/);
  });

  it('refuses an index to drop that the backup does not have', async () => {
    expect(await refusal('OrdersIndexed Orders-restored --drop-indexes ByRegion')).toMatch(
      /ByRegion[\s\S]*Its indexes: ByCustomer/,
    );
  });

  it('refuses an AWS Backup recovery point ARN that no vault of the account holds', async () => {
    const arn = 'arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45';
    expect(await refusal(`${arn} Orders-restored`)).toContain(
      `No backup vault of account 123456789012 (us-east-1) holds recovery point ${arn}`,
    );
  });

  it('refuses a second open request for the same target table', async () => {
    const first = await bot.command('/restore', 'OrdersIndexed Orders-twice');
    const id = requestIdIn(first.ack.text);
    expect(await refusal('OrdersIndexed Orders-twice')).toContain(
      `Request ${id} (PENDING) already restores into Orders-twice`,
    );
  });

  it('stored only the one valid request', () => {
    expect(bot.audit.map((a) => a.action)).toEqual(['request']);
  });
});
