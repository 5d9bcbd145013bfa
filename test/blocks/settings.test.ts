import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventReply } from '../../src/blocks/events.ts';
import { activeSettingsBlocks, copyConfirmText, settingsMessage } from '../../src/blocks/settings.ts';
import type { SlackMessage } from '../../src/blocks/types.ts';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { createSettingsClients, destroySettingsClients } from '../../src/settings/clients.ts';
import { compareSettings } from '../../src/settings/copy.ts';
import { rowView } from '../../src/settings/diff.ts';
import { copyReport } from '../../src/settings/service.ts';
import type { RequestSettings, SettingRowView } from '../../src/settings/types.ts';
import { seedSourceAndRestored } from '../settings/seed.ts';
import { assertWithinSlackLimits } from './limits.ts';
import { allText, backupSource, long, NOW, sampleRequest } from './samples.ts';

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws();
});
afterAll(async () => {
  await fake.close();
});

const INDEXES = Array.from(
  { length: 20 },
  (_, i) => `index-${String(i).padStart(2, '0')}-${long(200).slice(0, 40)}`,
);

/** The diff of a source with 20 indexes (each scaled), 50 tags and every setting, read through the stand-in. */
async function bigDiff(source: string, target: string) {
  seedSourceAndRestored(fake, { source, target, indexes: INDEXES, tags: 50 });
  for (let i = 0; i < 30; i++) {
    fake.settings.alarms.push({
      name: `${source}-alarm-${i}-${long(150)}`,
      metric: 'ThrottledRequests',
      dimensions: [{ Name: 'TableName', Value: source }],
    });
  }
  const clients = createSettingsClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 's' },
    endpoint: fake.url,
    maxAttempts: 1,
  });
  try {
    return await compareSettings(clients, { sourceTable: source, targetTable: target });
  } finally {
    destroySettingsClients(clients);
  }
}

function activeRequest(targetTable: string, sourceTable: string, settings: RequestSettings) {
  const base = sampleRequest();
  return sampleRequest({
    status: 'ACTIVE',
    targetTable,
    source: backupSource({ tableName: sourceTable }),
    settings,
    restore: {
      startedAt: '2026-11-24T17:10:00Z',
      completedAt: '2026-11-24T17:40:00Z',
      itemCount: 10,
      sizeBytes: 100,
    },
    events: [
      ...base.events,
      { seq: 2, at: '2026-11-24T17:40:00Z', actor: 'bot', action: 'active', to: 'ACTIVE' },
    ],
  });
}

describe('settings blocks within Slack limits (20 indexes, 50 tags, long names)', () => {
  it('keeps the ACTIVE reply, the confirm dialog and /restore settings within Block Kit limits', async () => {
    const source = `src-${long(251)}`.slice(0, 255);
    const target = `new-${long(251)}`.slice(0, 255);
    const { rows, source: read } = await bigDiff(source, target);
    expect(rows.find((r) => r.key === 'tags')?.source).toBe('50 tags');
    expect(rows.find((r) => r.key === 'autoScaling')?.source).toContain('20 indexes');
    const views = rows.map(rowView);
    const req = activeRequest(target, source, {
      rows: views,
      sourceOrigin: 'table',
      comparedAt: NOW.toISOString(),
    });

    const reply = eventReply(req, req.events.at(-1)!, NOW);
    assertWithinSlackLimits(reply);
    expect(allText(reply)).toContain('Copy settings from');
    expect(copyConfirmText(req, views).length).toBeLessThanOrEqual(300);
    expect(copyConfirmText(req, views)).toMatch(/is only read\.$/);

    const alarms = read.settings.alarms && 'value' in read.settings.alarms ? read.settings.alarms.value : [];
    expect(alarms).toHaveLength(31);
    const full: SlackMessage = settingsMessage({
      req,
      rows: views,
      sourceOrigin: 'table',
      alarms,
      offerCopy: true,
    });
    assertWithinSlackLimits(full);
    expect(allText(full)).toMatch(/…and \d+ more/);
  });

  it('keeps a copy report of every setting within a section', () => {
    const lines = Array.from({ length: 12 }, (_, i) => ({
      key: 'ttl' as const,
      outcome: 'failed' as const,
      text: `Setting ${i}: failed — ${long(400)}`,
    }));
    const req = activeRequest('orders-restored', 'orders', {});
    const event = {
      seq: 3,
      at: NOW.toISOString(),
      actor: 'U0APPROVER',
      action: 'settings_copied' as const,
      detail: copyReport(lines),
    };
    const reply = eventReply({ ...req, events: [...req.events, event] }, event, NOW);
    assertWithinSlackLimits(reply);
  });

  it('falls back to the list of what a restore leaves out when the diff could not be read', () => {
    const req = activeRequest('orders-restored', 'orders', {
      compareError: 'The role may not call DescribeTimeToLive.',
    });
    const text = allText({ blocks: activeSettingsBlocks(req, ['TTL settings', 'tags']) });
    expect(text).toContain('TTL settings');
    expect(text).toContain('DescribeTimeToLive');
    expect(text).toContain(`/restore settings ${req.id}`);
  });

  it('offers no button when there is nothing to copy, and says when --copy-settings copies', () => {
    const equal: SettingRowView[] = [
      { key: 'ttl', label: 'TTL', source: 'Off', target: 'Off', action: 'equal', note: 'Same' },
    ];
    const same = activeRequest('orders-restored', 'orders', { rows: equal, sourceOrigin: 'table' });
    expect(allText({ blocks: activeSettingsBlocks(same, []) })).not.toContain('settings_copy');
    const copyRow: SettingRowView = { ...equal[0]!, source: 'On', action: 'copy', note: 'Turn TTL on' };
    const auto = {
      ...activeRequest('orders-restored', 'orders', { rows: [copyRow], sourceOrigin: 'table' }),
      copySettings: true,
    };
    const text = allText({ blocks: activeSettingsBlocks(auto, []) });
    expect(text).toContain('--copy-settings');
    expect(text).not.toContain('settings_copy');
  });
});
