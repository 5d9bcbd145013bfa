import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config.ts';
import { SANDBOX_PEOPLE, SANDBOX_USER_GROUPS, seedDemoAws } from '../../src/sandbox/demo.ts';
import { FakeAws } from '../../src/sandbox/fake-aws.ts';
import { SANDBOX_CONFIG } from '../../src/sandbox/index.ts';

describe('the sandbox demo data', () => {
  const fake = new FakeAws();
  seedDemoAws(fake, new Date('2026-12-02T12:00:00Z'));

  it('has MusicCollection with items and several backups of each type', () => {
    expect(fake.tables.get('MusicCollection')?.itemCount).toBeGreaterThan(0);
    const music = [...fake.backups.values()].filter((b) => b.tableName === 'MusicCollection');
    for (const type of ['USER', 'SYSTEM', 'AWS_BACKUP'] as const) {
      expect(music.filter((b) => b.type === type).length, type).toBeGreaterThanOrEqual(2);
    }
    expect([...fake.backup.recoveryPoints.values()].length).toBeGreaterThanOrEqual(1);
  });

  it('has point-in-time recovery enabled on MusicCollection', () => {
    expect(fake.tables.get('MusicCollection')?.pitr).toMatchObject({
      enabled: true,
      earliest: new Date('2026-10-28T12:00:00Z'),
    });
    expect(fake.settings.of('MusicCollection').pitr).toEqual({ recoveryPeriodDays: 35 });
  });

  it("has a config with two environments whose people are the page's people", () => {
    const config = loadConfigFile(SANDBOX_CONFIG);
    expect(Object.keys(config.environments)).toEqual(['prod', 'staging']);
    const ids = new Set(SANDBOX_PEOPLE.map((p) => p.id));
    const approvers = Object.values(config.environments).flatMap((e) => [
      ...e.approvers.users,
      ...e.approvers.userGroups.flatMap((g) => SANDBOX_USER_GROUPS[g]?.members ?? ['missing group']),
    ]);
    expect(approvers.filter((a) => !ids.has(a))).toEqual([]);
    // Someone on the page may not approve anywhere, to show the refusal.
    expect(SANDBOX_PEOPLE.some((p) => !approvers.includes(p.id) && p.id !== 'U0REQUESTER')).toBe(true);
  });
});
