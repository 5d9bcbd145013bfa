import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { createSettingsClients, destroySettingsClients } from '../../src/settings/clients.ts';
import { compareSettings, copySettings } from '../../src/settings/copy.ts';
import type { SettingsClients } from '../../src/settings/read.ts';
import { seedSourceAndRestored, writesNaming } from './seed.ts';

let fake: FakeAws;
let clients: SettingsClients;

beforeAll(async () => {
  fake = await startFakeAws();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.tables.clear();
  fake.backups.clear();
  fake.calls.length = 0;
  fake.settings.tables.clear();
  fake.settings.scalableTargets.length = 0;
  fake.settings.scalingPolicies.length = 0;
  fake.settings.alarms.length = 0;
  clients = createSettingsClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    endpoint: fake.url,
    maxAttempts: 1,
  });
});
afterEach(() => destroySettingsClients(clients));

const noSleep = async () => {};

function outcomes(lines: { key: string; outcome: string }[]) {
  return Object.fromEntries(lines.map((l) => [l.key, l.outcome]));
}

describe('compareSettings', () => {
  it('reads every setting of the live source and the new table through the real SDK clients', async () => {
    const { source, target } = seedSourceAndRestored(fake);
    const { rows } = await compareSettings(clients, { sourceTable: source, targetTable: target });
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey.ttl).toMatchObject({ source: 'On (`expiresAt`)', target: 'Off', action: 'copy' });
    expect(byKey.stream).toMatchObject({ source: 'On (NEW_AND_OLD_IMAGES)', target: 'Off', action: 'copy' });
    expect(byKey.pitr).toMatchObject({ source: 'On (14 days)', target: 'Off', action: 'copy' });
    expect(byKey.deletionProtection).toMatchObject({ source: 'On', target: 'Off', action: 'copy' });
    expect(byKey.tags).toMatchObject({ source: '3 tags', target: 'None', action: 'copy' });
    expect(byKey.tableClass).toMatchObject({ source: 'Standard-IA', target: 'Standard', action: 'copy' });
    expect(byKey.autoScaling?.action).toBe('copy');
    expect(byKey.autoScaling?.source).toContain('table read 5–100 at 70%');
    expect(byKey.contributorInsights).toMatchObject({ source: 'On (table, 1 index(es))', action: 'copy' });
    expect(byKey.kinesis).toMatchObject({ source: '1 stream', target: 'None', action: 'manual' });
    expect(byKey.resourcePolicy).toMatchObject({ source: 'Attached', target: 'None', action: 'manual' });
    expect(byKey.sse).toMatchObject({ source: 'AWS owned key', action: 'equal' });
    // Only the alarm whose TableName dimension names the source, and not the one auto scaling owns.
    expect(byKey.alarms).toMatchObject({ source: '1 alarm', action: 'manual' });
  });

  it('falls back to the backup’s SourceTableFeatureDetails when the source table is gone', async () => {
    const backup = fake.addBackup({
      tableName: 'gone',
      name: 'gone-backup',
      createdAt: new Date('2026-11-01T00:00:00Z'),
      sourceFeatures: {
        StreamDescription: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' },
      },
    });
    fake.addTable('gone-restored');
    const { source, rows } = await compareSettings(clients, {
      sourceTable: 'gone',
      backupArn: backup.arn,
      targetTable: 'gone-restored',
    });
    expect(source.origin).toBe('backup');
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey.ttl).toMatchObject({ source: 'On (`ttl`)', action: 'copy' });
    expect(byKey.stream).toMatchObject({ source: 'On (KEYS_ONLY)', action: 'copy' });
    expect(byKey.sse).toMatchObject({ action: 'equal' });
    expect(byKey.pitr).toMatchObject({ source: 'Not recorded', action: 'unknown' });
    expect(byKey.pitr?.note).toContain('gone');
  });

  it('reports a setting it may not read and still reads the others', async () => {
    const { source, target } = seedSourceAndRestored(fake);
    fake.failNext('ListTagsOfResource', 'AccessDeniedException');
    const { rows } = await compareSettings(clients, { sourceTable: source, targetTable: target });
    const tags = rows.find((r) => r.key === 'tags');
    expect(tags).toMatchObject({ source: 'Could not read', action: 'unknown' });
    expect(tags?.note).toMatch(/Could not read the source: .*not allowed|denied|permission/i);
    expect(rows.find((r) => r.key === 'ttl')?.action).toBe('copy');
  });

  it('refuses with a clear message when the new table is gone', async () => {
    fake.addTable('orders');
    await expect(
      compareSettings(clients, { sourceTable: 'orders', targetTable: 'orders-restored' }),
    ).rejects.toMatchObject({
      userMessage: expect.stringContaining('orders-restored does not exist'),
    });
  });
});

describe('copySettings', () => {
  it('leaves the new table with the source’s settings and never writes to the source', async () => {
    const { source, target } = seedSourceAndRestored(fake);
    const { lines } = await copySettings(
      clients,
      { sourceTable: source, targetTable: target },
      { sleep: noSleep },
    );
    expect(outcomes(lines)).toEqual({
      ttl: 'done',
      stream: 'done',
      pitr: 'done',
      deletionProtection: 'done',
      tags: 'done',
      tableClass: 'done',
      autoScaling: 'done',
      contributorInsights: 'done',
      kinesis: 'not_possible',
      resourcePolicy: 'not_possible',
      sse: 'equal',
      alarms: 'not_possible',
    });
    const t = fake.settings.of(target);
    expect(t.ttl).toEqual({ status: 'ENABLED', attribute: 'expiresAt' });
    expect(t.stream).toEqual({ viewType: 'NEW_AND_OLD_IMAGES' });
    expect(t.pitr).toEqual({ recoveryPeriodDays: 14 });
    expect(t.deletionProtection).toBe(true);
    expect(t.tableClass).toBe('STANDARD_INFREQUENT_ACCESS');
    expect(Object.fromEntries(t.tags)).toEqual(Object.fromEntries(fake.settings.of(source).tags));
    expect([...t.contributorInsights].sort()).toEqual(['', 'byCustomer']);
    const targetScaling = fake.settings.scalableTargets.filter((x) =>
      x.resourceId.startsWith(`table/${target}`),
    );
    expect(targetScaling).toHaveLength(4);
    expect(targetScaling.every((x) => x.min === 5 && x.max === 100)).toBe(true);
    expect(
      fake.settings.scalingPolicies.filter((p) => p.resourceId.startsWith(`table/${target}`)),
    ).toHaveLength(4);
    expect(writesNaming(fake, source)).toEqual([]);
    expect(lines.find((l) => l.key === 'alarms')?.text).toContain('not possible');
  });

  it('reports "already equal" for everything it copied when pressed a second time, and calls no write', async () => {
    const { source, target } = seedSourceAndRestored(fake);
    await copySettings(clients, { sourceTable: source, targetTable: target }, { sleep: noSleep });
    const writesBefore = writesNaming(fake, target).length;
    const { lines } = await copySettings(
      clients,
      { sourceTable: source, targetTable: target },
      { sleep: noSleep },
    );
    for (const key of [
      'ttl',
      'stream',
      'pitr',
      'deletionProtection',
      'tags',
      'tableClass',
      'autoScaling',
      'contributorInsights',
    ]) {
      expect(lines.find((l) => l.key === key)).toMatchObject({
        outcome: 'equal',
        text: expect.stringContaining('already equal'),
      });
    }
    expect(writesNaming(fake, target).length).toBe(writesBefore);
  });

  it('keeps going after one setting fails, and the next run copies only what is missing', async () => {
    const { source, target } = seedSourceAndRestored(fake);
    fake.failNext('UpdateContinuousBackups', 'AccessDeniedException');
    const first = await copySettings(
      clients,
      { sourceTable: source, targetTable: target },
      { sleep: noSleep },
    );
    expect(outcomes(first.lines)).toMatchObject({
      pitr: 'failed',
      ttl: 'done',
      tags: 'done',
      deletionProtection: 'done',
    });
    expect(fake.settings.of(target).pitr).toBeUndefined();
    const second = await copySettings(
      clients,
      { sourceTable: source, targetTable: target },
      { sleep: noSleep },
    );
    expect(outcomes(second.lines)).toMatchObject({
      pitr: 'done',
      ttl: 'equal',
      tags: 'equal',
      deletionProtection: 'equal',
    });
    expect(fake.settings.of(target).pitr).toEqual({ recoveryPeriodDays: 14 });
  });

  it.each([
    ['ttl', 'UpdateTimeToLive', 'AccessDeniedException', /not allowed|denied|permission/i],
    ['stream', 'UpdateTable', 'LimitExceededException', /limit|too many|later/i],
    ['pitr', 'UpdateContinuousBackups', 'AccessDeniedException', /not allowed|denied|permission/i],
    ['tags', 'TagResource', 'AccessDeniedException', /not allowed|denied|permission/i],
    ['autoScaling', 'RegisterScalableTarget', 'ValidationException', /Injected ValidationException/],
    ['autoScaling', 'PutScalingPolicy', 'AccessDeniedException', /not allowed|denied|permission/i],
    [
      'contributorInsights',
      'UpdateContributorInsights',
      'ResourceInUseException',
      /in use|busy|being|changing/i,
    ],
  ])('maps a %s failure (%s %s) to one explained line', async (key, operation, error, text) => {
    const { source, target } = seedSourceAndRestored(fake);
    fake.failNext(operation, error);
    const { lines } = await copySettings(
      clients,
      { sourceTable: source, targetTable: target },
      { sleep: noSleep },
    );
    const line = lines.find((l) => l.key === key);
    expect(line?.outcome).toBe('failed');
    expect(line?.text).toMatch(text);
    expect(lines.filter((l) => l.outcome === 'failed')).toHaveLength(1);
  });

  it('waits while the new table is UPDATING before the next UpdateTable', async () => {
    const { source, target } = seedSourceAndRestored(fake);
    const table = fake.tables.get(target);
    if (!table) throw new Error('seed');
    table.status = 'UPDATING';
    let slept = 0;
    const sleep = async () => {
      slept += 1;
      if (slept === 2) table.status = 'ACTIVE';
    };
    const { lines } = await copySettings(
      clients,
      { sourceTable: source, targetTable: target },
      { sleep, pollMs: 10 },
    );
    expect(slept).toBe(2);
    expect(outcomes(lines)).toMatchObject({ stream: 'done', deletionProtection: 'done', tableClass: 'done' });
  });

  it('gives up on an UpdateTable after the wait and says to press again', async () => {
    const { source, target } = seedSourceAndRestored(fake);
    const table = fake.tables.get(target);
    if (!table) throw new Error('seed');
    table.status = 'UPDATING';
    const { lines } = await copySettings(
      clients,
      { sourceTable: source, targetTable: target },
      { sleep: noSleep, pollMs: 10, activeWaitMs: 20 },
    );
    expect(lines.find((l) => l.key === 'stream')).toMatchObject({
      outcome: 'failed',
      text: expect.stringContaining('press Copy again'),
    });
    expect(outcomes(lines)).toMatchObject({ ttl: 'done', pitr: 'done' });
  });

  it('does not register auto scaling on an on-demand new table and says why', async () => {
    const { source, target } = seedSourceAndRestored(fake, { targetBillingMode: 'PAY_PER_REQUEST' });
    const { lines } = await copySettings(
      clients,
      { sourceTable: source, targetTable: target },
      { sleep: noSleep },
    );
    expect(lines.find((l) => l.key === 'autoScaling')).toMatchObject({
      outcome: 'not_possible',
      text: expect.stringContaining('on-demand'),
    });
    expect(fake.callsOf('RegisterScalableTarget')).toEqual([]);
  });
});
