/**
 * The sandbox's made-up world: the people on the page, the incident channel, and the AWS account
 * the stand-in serves (the tutorial's MusicCollection table and backups of every type).
 */
import type { FakeAws, KeySchemaElement } from './fake-aws.ts';
import type { SlackApiStand } from './slack-api.ts';

export interface SandboxPerson {
  id: string;
  name: string;
  /** What this person may do, as the page's person switcher says it. */
  role: string;
}

/** Who the page lets you be. The IDs match restore-bot.config.demo.yml. */
export const SANDBOX_PEOPLE: readonly SandboxPerson[] = [
  { id: 'U0REQUESTER', name: 'Riley Chen', role: 'on call, asks for restores' },
  { id: 'U0APPROVER', name: 'Alex Morgan', role: 'approver' },
  { id: 'U0LEAD', name: 'Sam Patel', role: 'approver (user group @oncall-leads)' },
  { id: 'U0VIEWER', name: 'Kim Lee', role: 'may not approve' },
];

export const SANDBOX_CHANNEL = { id: 'C0INCIDENTS', name: 'incidents' } as const;
export const SANDBOX_USER_GROUPS: Record<string, { handle: string; members: string[] }> = {
  S0ONCALL: { handle: 'oncall-leads', members: ['U0LEAD'] },
};
export const SANDBOX_BOT_NAME = 'restore-bot';

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;
const MUSIC_KEYS: KeySchemaElement[] = [
  { AttributeName: 'Artist', KeyType: 'HASH' },
  { AttributeName: 'SongTitle', KeyType: 'RANGE' },
];
const ORDER_KEYS: KeySchemaElement[] = [{ AttributeName: 'OrderId', KeyType: 'HASH' }];

/**
 * Seeds the AWS stand-in: MusicCollection (the AWS tutorial's table) with on-demand, nightly and
 * weekly backups (USER), daily SYSTEM backups and AWS Backup ones, and a second table, Orders.
 */
export function seedDemoAws(fake: FakeAws, now = new Date()): void {
  const music = { keySchema: MUSIC_KEYS, gsis: ['AlbumTitleIndex'] };
  fake.addTable('MusicCollection', 'ACTIVE', {
    ...music,
    itemCount: 1250,
    sizeBytes: 182_340,
    createdAt: new Date(now.getTime() - 90 * DAY_MS),
    // Point-in-time recovery on for the last 35 days (DescribeContinuousBackups, /restore pitr).
    pitr: { enabled: true, earliest: new Date(now.getTime() - 35 * DAY_MS) },
  });
  fake.addTable('Orders', 'ACTIVE', {
    keySchema: ORDER_KEYS,
    itemCount: 48_210,
    sizeBytes: 9_604_112,
    billingMode: 'PROVISIONED',
    createdAt: new Date(now.getTime() - 400 * DAY_MS),
  });
  const backups = [
    { table: 'MusicCollection', name: 'MusicCollectionBackup', age: 3 * HOUR_MS, items: 1250, size: 182_340 },
    {
      table: 'MusicCollection',
      name: 'MusicCollection-nightly',
      age: 1 * DAY_MS,
      items: 1241,
      size: 180_911,
    },
    { table: 'MusicCollection', name: 'MusicCollection-weekly', age: 7 * DAY_MS, items: 1180, size: 171_002 },
    {
      table: 'MusicCollection',
      name: 'MusicCollection-system',
      age: 2 * DAY_MS,
      items: 1236,
      size: 179_876,
      type: 'SYSTEM' as const,
    },
    {
      table: 'MusicCollection',
      name: 'MusicCollection-system',
      age: 9 * DAY_MS,
      items: 1102,
      size: 160_330,
      type: 'SYSTEM' as const,
    },
    {
      table: 'MusicCollection',
      name: 'AwsBackup-daily-MusicCollection',
      age: 20 * HOUR_MS,
      items: 1244,
      size: 181_200,
      type: 'AWS_BACKUP' as const,
    },
    {
      table: 'MusicCollection',
      name: 'AwsBackup-daily-MusicCollection',
      age: 44 * HOUR_MS,
      items: 1239,
      size: 180_522,
      type: 'AWS_BACKUP' as const,
    },
    { table: 'Orders', name: 'Orders-before-migration', age: 5 * HOUR_MS, items: 48_190, size: 9_601_000 },
    {
      table: 'Orders',
      name: 'Orders-system',
      age: 1 * DAY_MS,
      items: 47_980,
      size: 9_560_112,
      type: 'SYSTEM' as const,
    },
  ];
  // What a restore does not carry over, so the thread's ACTIVE reply and the settings view have
  // something to show: TTL, a stream, deletion protection, tags, an alarm (PITR comes with the table).
  const settings = fake.settings.of('MusicCollection');
  settings.ttl = { status: 'ENABLED', attribute: 'ExpiresAt' };
  settings.stream = { viewType: 'NEW_AND_OLD_IMAGES' };
  settings.deletionProtection = true;
  settings.tags.set('team', 'music');
  settings.tags.set('cost-center', 'CC-1234');
  fake.settings.alarms.push({
    name: 'MusicCollection-read-throttles',
    metric: 'ReadThrottleEvents',
    dimensions: [{ Name: 'TableName', Value: 'MusicCollection' }],
  });
  // AWS Backup recovery points of MusicCollection in the default vault (restorable with awsBackupRoleArn).
  for (const ageHours of [6, 30]) {
    fake.backup.addRecoveryPoint({
      tableName: 'MusicCollection',
      createdAt: new Date(now.getTime() - ageHours * HOUR_MS),
      itemCount: 1248,
      sizeBytes: 181_900,
    });
  }
  for (const b of backups) {
    const isMusic = b.table === 'MusicCollection';
    fake.addBackup({
      tableName: b.table,
      name: b.name,
      createdAt: new Date(now.getTime() - b.age),
      itemCount: b.items,
      sizeBytes: b.size,
      ...(b.type ? { type: b.type } : {}),
      ...(isMusic ? music : { keySchema: ORDER_KEYS, billingMode: 'PROVISIONED' as const }),
    });
  }
}

/** Seeds the Slack stand-in's directory: names for users.info, members of the user group. */
export function seedDemoSlack(slack: SlackApiStand): void {
  for (const person of SANDBOX_PEOPLE) slack.users[person.id] = { name: person.name, real_name: person.name };
  slack.userGroups = Object.fromEntries(
    Object.entries(SANDBOX_USER_GROUPS).map(([id, group]) => [id, [...group.members]]),
  );
  slack.channels[SANDBOX_CHANNEL.id] = { name: SANDBOX_CHANNEL.name, is_member: true };
}
