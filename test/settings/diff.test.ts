import { describe, expect, it } from 'vitest';
import { buildSettingsDiff, copyableRows, type SettingRow } from '../../src/settings/diff.ts';
import { SETTING_KEYS, type SettingValues, type TableSettings } from '../../src/settings/types.ts';

const NONE: SettingValues = {
  ttl: null,
  stream: null,
  pitr: null,
  deletionProtection: false,
  tags: {},
  tableClass: 'STANDARD',
  autoScaling: [],
  contributorInsights: { table: false, indexes: [] },
  kinesis: [],
  resourcePolicy: null,
  sse: 'AWS owned key',
  alarms: [],
};

const FULL: SettingValues = {
  ttl: 'expiresAt',
  stream: 'NEW_IMAGE',
  pitr: 35,
  deletionProtection: true,
  tags: { team: 'payments', 'aws:cloudformation:stack-name': 'orders' },
  tableClass: 'STANDARD_INFREQUENT_ACCESS',
  autoScaling: [
    { dimension: 'ReadCapacityUnits', min: 5, max: 100, policies: [{ name: 'r', targetValue: 70 }] },
    {
      index: 'byCustomer',
      dimension: 'WriteCapacityUnits',
      min: 1,
      max: 10,
      policies: [{ name: 'w', targetValue: 50 }],
    },
  ],
  contributorInsights: { table: true, indexes: ['byCustomer'] },
  kinesis: [{ streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/cdc', status: 'ACTIVE' }],
  resourcePolicy: '{"Version":"2012-10-17","Statement":[]}',
  sse: 'arn:aws:kms:us-east-1:123456789012:key/abc',
  alarms: [{ name: 'orders-throttles', metric: 'ThrottledRequests' }],
};

function table(
  name: string,
  values: Partial<SettingValues>,
  extra: Partial<TableSettings> = {},
): TableSettings {
  const all = { ...NONE, ...values };
  const settings = Object.fromEntries(
    SETTING_KEYS.map((k) => [k, { value: all[k] }]),
  ) as TableSettings['settings'];
  return {
    tableName: name,
    origin: 'table',
    billingMode: 'PROVISIONED',
    indexes: ['byCustomer'],
    settings,
    ...extra,
  };
}

function rowsByKey(rows: SettingRow[]) {
  return Object.fromEntries(rows.map((r) => [r.key, r]));
}

describe('buildSettingsDiff', () => {
  it('gives one row per setting, in a fixed order', () => {
    const rows = buildSettingsDiff(table('a', {}), table('b', {}));
    expect(rows.map((r) => r.key)).toEqual([...SETTING_KEYS]);
  });

  it('marks every setting equal when neither table has it', () => {
    const rows = buildSettingsDiff(table('a', {}), table('b', {}));
    expect(rows.every((r) => r.action === 'equal' && r.note === 'Same')).toBe(true);
    expect(copyableRows(rows)).toEqual([]);
  });

  it('plans a copy for every setting the bot can copy when only the source has it', () => {
    const rows = rowsByKey(buildSettingsDiff(table('a', FULL), table('b', {})));
    expect(rows.ttl).toMatchObject({ action: 'copy', step: { key: 'ttl', attribute: 'expiresAt' } });
    expect(rows.stream).toMatchObject({ action: 'copy', step: { key: 'stream', viewType: 'NEW_IMAGE' } });
    expect(rows.pitr).toMatchObject({ action: 'copy', step: { key: 'pitr', recoveryPeriodDays: 35 } });
    expect(rows.deletionProtection).toMatchObject({ action: 'copy', step: { key: 'deletionProtection' } });
    // aws: tags belong to AWS: TagResource refuses them, so they are left out and said so.
    expect(rows.tags).toMatchObject({ action: 'copy', step: { key: 'tags', tags: { team: 'payments' } } });
    expect(rows.tags?.note).toContain('aws: tag');
    expect(rows.tableClass).toMatchObject({
      action: 'copy',
      step: { tableClass: 'STANDARD_INFREQUENT_ACCESS' },
    });
    expect(rows.autoScaling?.step).toMatchObject({ key: 'autoScaling', targets: FULL.autoScaling });
    expect(rows.contributorInsights).toMatchObject({ step: { table: true, indexes: ['byCustomer'] } });
  });

  it('never copies Kinesis destinations, resource policies, encryption or alarms, and says why', () => {
    const rows = rowsByKey(buildSettingsDiff(table('a', FULL), table('b', {})));
    expect(rows.kinesis).toMatchObject({
      action: 'manual',
      note: expect.stringContaining('same Kinesis stream'),
    });
    expect(rows.resourcePolicy).toMatchObject({
      action: 'manual',
      note: expect.stringContaining('grants access'),
    });
    expect(rows.sse).toMatchObject({
      action: 'manual',
      note: expect.stringContaining('--sse-specification-override'),
    });
    expect(rows.alarms).toMatchObject({ action: 'manual', source: '1 alarm', target: '—' });
  });

  it('marks settings equal once the new table has them', () => {
    const rows = buildSettingsDiff(table('a', FULL), table('b', { ...FULL, alarms: [] }));
    const notEqual = rows.filter((r) => r.action !== 'equal').map((r) => r.key);
    // aws: tags cannot be copied, so the tags row stays a (harmless) manual note; alarms are never copied.
    expect(notEqual.sort()).toEqual(['alarms', 'tags']);
    expect(rowsByKey(rows).tags?.action).toBe('manual');
  });

  it('does not overwrite a different value on the new table, nor turn protection off', () => {
    const rows = rowsByKey(
      buildSettingsDiff(
        table('a', { ttl: 'expiresAt', stream: 'NEW_IMAGE', pitr: null, deletionProtection: false }),
        table('b', { ttl: 'ttl', stream: 'KEYS_ONLY', pitr: 7, deletionProtection: true }),
      ),
    );
    expect(rows.ttl).toMatchObject({ action: 'manual', note: expect.stringContaining('`ttl`') });
    expect(rows.stream?.action).toBe('manual');
    expect(rows.pitr).toMatchObject({
      action: 'manual',
      note: expect.stringContaining('never turns protection off'),
    });
    expect(rows.deletionProtection).toMatchObject({ action: 'manual' });
  });

  it('copies a different PITR recovery period and only the tags that differ', () => {
    const rows = rowsByKey(
      buildSettingsDiff(
        table('a', { pitr: 14, tags: { team: 'payments', cost: 'A' } }),
        table('b', { pitr: 35, tags: { team: 'payments', cost: 'B', extra: 'kept' } }),
      ),
    );
    expect(rows.pitr).toMatchObject({ action: 'copy', step: { recoveryPeriodDays: 14 } });
    expect(rows.tags).toMatchObject({ action: 'copy', step: { tags: { cost: 'A' } } });
  });

  it('skips scaling of indexes the new table does not have, and refuses scaling on an on-demand table', () => {
    const withoutIndex = rowsByKey(buildSettingsDiff(table('a', FULL), table('b', {}, { indexes: [] })));
    expect(withoutIndex.autoScaling?.step).toMatchObject({ targets: [FULL.autoScaling[0]] });
    expect(withoutIndex.autoScaling?.note).toContain('byCustomer not in the new table');
    expect(withoutIndex.contributorInsights?.step).toMatchObject({ table: true, indexes: [] });
    const onDemand = rowsByKey(
      buildSettingsDiff(table('a', FULL), table('b', {}, { billingMode: 'PAY_PER_REQUEST' })),
    );
    expect(onDemand.autoScaling).toMatchObject({
      action: 'manual',
      note: expect.stringContaining('on-demand'),
    });
  });

  it('copies a scaling target whose limits or target utilisation differ', () => {
    const changed = FULL.autoScaling.map((t) => ({
      ...t,
      policies: t.policies.map((p) => ({ ...p, targetValue: 90 })),
    }));
    const rows = rowsByKey(buildSettingsDiff(table('a', FULL), table('b', { autoScaling: changed })));
    expect(rows.autoScaling?.step).toMatchObject({ targets: FULL.autoScaling });
    const same = rowsByKey(
      buildSettingsDiff(table('a', FULL), table('b', { autoScaling: FULL.autoScaling })),
    );
    expect(same.autoScaling?.action).toBe('equal');
  });

  it('says what the backup does not record when the source table is deleted', () => {
    const fromBackup: TableSettings = {
      tableName: 'gone',
      origin: 'backup',
      settings: { ttl: { value: 'expiresAt' }, stream: { value: null }, sse: { value: 'AWS owned key' } },
    };
    const rows = rowsByKey(buildSettingsDiff(fromBackup, table('b', {})));
    expect(rows.ttl?.action).toBe('copy');
    expect(rows.stream?.action).toBe('equal');
    for (const key of ['pitr', 'tags', 'autoScaling', 'alarms'] as const) {
      expect(rows[key]).toMatchObject({
        action: 'unknown',
        source: 'Not recorded',
        note: expect.stringContaining('gone'),
      });
    }
  });

  it('never plans a copy from a side it could not read', () => {
    const source = table('a', FULL);
    source.settings.tags = { error: 'The role may not call ListTagsOfResource.' };
    const target = table('b', {});
    target.settings.ttl = { error: 'Throttled.' };
    const rows = rowsByKey(buildSettingsDiff(source, target));
    expect(rows.tags).toMatchObject({
      action: 'unknown',
      source: 'Could not read',
      note: expect.stringContaining('ListTagsOfResource'),
    });
    expect(rows.ttl).toMatchObject({
      action: 'unknown',
      target: 'Could not read',
      note: expect.stringContaining('Throttled'),
    });
    expect(rows.tags?.step).toBeUndefined();
  });
});
