import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  BACKUPS_MORE_ACTION_ID,
  backupCandidatesMessage,
  backupDetailMessage,
  backupsListMessage,
  suggestedTargetName,
} from '../../src/blocks/backups.ts';
import type { BackupInfo } from '../../src/restore/types.ts';
import { assertWithinSlackLimits } from './limits.ts';
import { allText, BACKUP_ARN, long, NOW, sampleBackup } from './samples.ts';

const WHERE = { environment: 'prod', accountId: '123456789012', region: 'us-east-1' };

function numbered(n: number, overrides: Partial<BackupInfo> = {}): BackupInfo[] {
  return Array.from({ length: n }, (_, i) =>
    sampleBackup({
      name: `orders-nightly-${i + 1}`,
      arn: `${BACKUP_ARN.slice(0, -8)}${String(i).padStart(8, '0')}`,
      ...overrides,
    }),
  );
}

function actionsBlocks(blocks: types.KnownBlock[]): types.ActionsBlock[] {
  return blocks.filter((b): b is types.ActionsBlock => b.type === 'actions');
}

function list(backups: BackupInfo[], extra: { offset?: number; pageSize?: number; moreValue?: string } = {}) {
  return backupsListMessage({
    backups,
    ...WHERE,
    filterSummary: 'table Orders, type USER',
    offset: extra.offset ?? 0,
    pageSize: extra.pageSize ?? 20,
    now: NOW,
    ...(extra.moreValue !== undefined ? { moreValue: extra.moreValue } : {}),
  });
}

describe('backupsListMessage', () => {
  it('shows each backup with name, table, created time, type, status, size, items and ARN', () => {
    const msg = list([sampleBackup()]);

    const text = allText(msg.blocks);
    expect(text).toContain('*orders-nightly-2026-11-24* — table `Orders`');
    expect(text).toContain('Created 2026-11-24 14:05 UTC (3h ago)');
    expect(text).toContain('USER');
    expect(text).toContain('AVAILABLE');
    expect(text).toContain('1.2 MB');
    expect(text).toContain('48,213 items');
    expect(text).toContain(`\`${BACKUP_ARN}\``);
    assertWithinSlackLimits(msg);
  });

  it('names the environment, account, region and filter', () => {
    const msg = list([sampleBackup()]);

    expect(msg.blocks[0]).toMatchObject({ type: 'header', text: { text: ':floppy_disk: Backups in prod' } });
    const text = allText(msg.blocks);
    expect(text).toContain('account `123456789012`');
    expect(text).toContain('`us-east-1`');
    expect(text).toContain('table Orders, type USER');
    expect(msg.text).toBe('1 backup in prod (123456789012, us-east-1) matching table Orders, type USER');
  });

  it('leaves out the item count when ListBackups did not report one', () => {
    const msg = list([sampleBackup({ itemCount: undefined })]);

    expect(allText(msg.blocks)).not.toContain('items');
  });

  it('makes a backup that cannot be restored stand out', () => {
    const msg = list([sampleBackup({ status: 'CREATING' })]);

    expect(allText(msg.blocks)).toContain('*CREATING* (not restorable yet)');
  });

  it('offers the next page with a count and a button carrying the caller value', () => {
    const msg = list(numbered(57), { offset: 20, pageSize: 20, moreValue: '{"offset":40}' });

    const text = allText(msg.blocks);
    expect(text).toContain('Showing 21–40 of 57');
    expect(text).toContain('orders-nightly-21');
    expect(text).toContain('orders-nightly-40');
    expect(text).not.toContain('orders-nightly-41*');
    const [row] = actionsBlocks(msg.blocks);
    expect(row?.elements).toEqual([
      expect.objectContaining({
        type: 'button',
        action_id: BACKUPS_MORE_ACTION_ID,
        value: '{"offset":40}',
        text: expect.objectContaining({ text: 'Next 17' }),
      }),
    ]);
    assertWithinSlackLimits(msg);
  });

  it('shows the position but no button on the last page', () => {
    const msg = list(numbered(57), { offset: 40, pageSize: 20, moreValue: '{"offset":60}' });

    expect(allText(msg.blocks)).toContain('Showing 41–57 of 57');
    expect(actionsBlocks(msg.blocks)).toEqual([]);
  });

  it('shows no paging at all when everything fits on one page', () => {
    const msg = list(numbered(3), { moreValue: 'x' });

    expect(allText(msg.blocks)).not.toContain('Showing');
    expect(actionsBlocks(msg.blocks)).toEqual([]);
  });

  it('says how to narrow the list when there is no next-page value', () => {
    const msg = list(numbered(30));

    expect(allText(msg.blocks)).toContain('Showing 1–20 of 30 · narrow the list');
    expect(actionsBlocks(msg.blocks)).toEqual([]);
  });

  it('leaves the button out rather than send a value Slack would reject', () => {
    const msg = list(numbered(30), { moreValue: long(2001) });

    expect(actionsBlocks(msg.blocks)).toEqual([]);
    assertWithinSlackLimits(msg);
  });

  it('gives a friendly empty result with the filter and hints', () => {
    const msg = list([]);

    const text = allText(msg.blocks);
    expect(text).toContain('No backups match table Orders, type USER in *prod*');
    expect(text).toContain('--since 30d');
    expect(text).toContain('--type ALL');
    assertWithinSlackLimits(msg);
  });

  it('says when an old "Next" button points past the end', () => {
    const msg = list(numbered(5), { offset: 20 });

    expect(allText(msg.blocks)).toContain('That was all of them: 5 backups in total');
    assertWithinSlackLimits(msg);
  });

  it('escapes mrkdwn in the filter summary', () => {
    const msg = backupsListMessage({
      backups: [],
      ...WHERE,
      filterSummary: 'table <!channel>',
      offset: 0,
      pageSize: 20,
      now: NOW,
    });

    expect(allText(msg)).not.toContain('<!channel>');
    expect(allText(msg)).toContain('&lt;!channel&gt;');
  });

  it('stays within Slack limits for 1000 backups with 255-character names', () => {
    const backups = numbered(1000, { name: long(255, 'n'), tableName: long(255, 't') });

    const msg = list(backups, { pageSize: 1000, moreValue: long(2000) });

    assertWithinSlackLimits(msg);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(actionsBlocks(msg.blocks)).toHaveLength(1);
  });
});

describe('backupDetailMessage', () => {
  it('shows every detail and the restore line to use', () => {
    const msg = backupDetailMessage({ backup: sampleBackup(), ...WHERE, now: NOW });

    const text = allText(msg.blocks);
    for (const expected of [
      'orders-nightly-2026-11-24',
      '`Orders`',
      'AVAILABLE',
      'USER',
      '2026-11-24 14:05 UTC (3h ago)',
      '1.2 MB',
      '48,213',
      'PAY_PER_REQUEST',
      '`byCustomer`, `byStatus`',
      'Local secondary: none',
      `\`${BACKUP_ARN}\``,
      'arn:aws:dynamodb:us-east-1:123456789012:table/Orders`',
      `/restore ${BACKUP_ARN} Orders-restored --env prod`,
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('*Expires*');
    assertWithinSlackLimits(msg);
  });

  it('shows when a SYSTEM backup expires', () => {
    const backup = sampleBackup({ type: 'SYSTEM', expiresAt: '2026-12-20T14:05:00Z' });

    const msg = backupDetailMessage({ backup, ...WHERE, now: NOW });

    expect(allText(msg.blocks)).toContain('*Expires*\n2026-12-20 14:05 UTC (in 25d)');
  });

  it('says a SYSTEM backup has expired when its expiry has passed', () => {
    const backup = sampleBackup({ type: 'SYSTEM', expiresAt: '2026-11-24T15:05:00Z' });

    const msg = backupDetailMessage({ backup, ...WHERE, now: NOW });

    expect(allText(msg.blocks)).toContain('expired 2026-11-24 15:05 UTC (2h ago)');
  });

  it('warns when the backup cannot be restored yet', () => {
    const msg = backupDetailMessage({ backup: sampleBackup({ status: 'CREATING' }), ...WHERE, now: NOW });

    expect(allText(msg.blocks)).toContain('only AVAILABLE backups can be restored');
  });

  it('suggests a target name DynamoDB accepts even for a 255-character table name', () => {
    expect(suggestedTargetName(long(255))).toHaveLength(255);
    expect(suggestedTargetName(long(255)).endsWith('-restored')).toBe(true);
    expect(suggestedTargetName('Orders')).toBe('Orders-restored');
  });

  it('stays within Slack limits with long names and many long index names', () => {
    const backup = sampleBackup({
      name: long(255),
      tableName: long(255),
      globalSecondaryIndexes: Array.from({ length: 20 }, (_, i) => long(255, String(i % 10))),
      localSecondaryIndexes: Array.from({ length: 5 }, () => long(255, 'l')),
      type: 'SYSTEM',
      expiresAt: '2026-12-20T14:05:00Z',
    });

    assertWithinSlackLimits(backupDetailMessage({ backup, ...WHERE, now: NOW }));
  });
});

describe('backupCandidatesMessage', () => {
  it('lists each candidate with its table, time and ARN and asks for the ARN', () => {
    const candidates = [
      sampleBackup(),
      sampleBackup({ tableName: 'Orders-eu', arn: `${BACKUP_ARN}-eu`, createdAt: '2026-11-23T14:05:00Z' }),
    ];

    const msg = backupCandidatesMessage('orders-nightly-2026-11-24', candidates, NOW);

    const text = allText(msg.blocks);
    expect(text).toContain('2 backups are named `orders-nightly-2026-11-24`. Use the ARN');
    expect(text).toContain(`\`${BACKUP_ARN}\``);
    expect(text).toContain(`\`${BACKUP_ARN}-eu\``);
    expect(text).toContain('Table `Orders-eu` · created 2026-11-23 14:05 UTC (1d ago)');
    expect(text).toContain('/restore BACKUP_ARN TARGET_TABLE');
    assertWithinSlackLimits(msg);
  });

  it('stays within Slack limits for 1000 candidates and says how many are hidden', () => {
    const msg = backupCandidatesMessage(long(255), numbered(1000, { tableName: long(255) }), NOW);

    assertWithinSlackLimits(msg);
    expect(allText(msg.blocks)).toContain('…and 952 more');
  });

  it('says no backup has the name when the list is empty', () => {
    const msg = backupCandidatesMessage('nope', [], NOW);

    expect(msg.text).toContain('No backup is named `nope`');
    assertWithinSlackLimits(msg);
  });
});
