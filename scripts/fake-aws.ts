/**
 * Starts the loopback fake AWS (STS + DynamoDB backups) with demo data and a Slack Web API
 * stand-in, so `npm start` can be tried without an AWS account or a Slack workspace:
 *
 *   npm run demo:stack -- [--port 4566] [--slack-port 4567] [--region us-east-1] [--account 123456789012]
 *
 * It prints the environment to give `npm start`, then logs every AWS call and every message the
 * bot posts to "Slack" until Ctrl-C. Send commands and clicks with `npm run demo:slack`.
 */
import { parseArgs } from 'node:util';
import { type FakeAws, startFakeAws } from '../src/sandbox/fake-aws.ts';
import { startSlackApi } from '../src/sandbox/slack-api.ts';

const DAY_MS = 24 * 3600 * 1000;

/** Seeds the table of the AWS tutorial and three of its backups, the newest first made a day ago. */
function seedDemo(fake: FakeAws, now = new Date()): void {
  const keySchema = [
    { AttributeName: 'Artist', KeyType: 'HASH' as const },
    { AttributeName: 'SongTitle', KeyType: 'RANGE' as const },
  ];
  fake.addTable('MusicCollection', 'ACTIVE', {
    keySchema,
    itemCount: 1250,
    sizeBytes: 182_340,
    gsis: ['AlbumTitleIndex'],
    createdAt: new Date(now.getTime() - 90 * DAY_MS),
  });
  const backups = [
    { name: 'MusicCollectionBackup-weekly', ageDays: 7, itemCount: 1180, sizeBytes: 171_002 },
    { name: 'MusicCollectionBackup-nightly', ageDays: 2, itemCount: 1241, sizeBytes: 180_911 },
    { name: 'MusicCollectionBackup', ageDays: 1, itemCount: 1250, sizeBytes: 182_340 },
  ];
  for (const backup of backups) {
    fake.addBackup({
      tableName: 'MusicCollection',
      name: backup.name,
      createdAt: new Date(now.getTime() - backup.ageDays * DAY_MS),
      itemCount: backup.itemCount,
      sizeBytes: backup.sizeBytes,
      keySchema,
      gsis: ['AlbumTitleIndex'],
    });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      'slack-port': { type: 'string', default: '4567' },
      region: { type: 'string', default: 'us-east-1' },
      account: { type: 'string', default: '123456789012' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number, not ${values.port}`);
  }
  // Restores turn ACTIVE after a few watcher polls, so a person sees the CREATING updates.
  const fake = await startFakeAws({
    port,
    region: values.region,
    accountId: values.account,
    creatingPolls: 3,
  });
  seedDemo(fake);
  const slack = await startSlackApi({ port: Number(values['slack-port']) });
  slack.userGroups = { S0ONCALL: ['U0ONCALL'] };
  let logged = 0;
  let slackLogged = 0;
  const timer = setInterval(() => {
    for (const call of fake.calls.slice(logged)) {
      const outcome = call.error ? ` -> ${call.error}` : '';
      console.log(`${call.at.toISOString()} aws ${call.service} ${call.operation}${outcome}`);
    }
    logged = fake.calls.length;
    for (const call of slack.calls.slice(slackLogged)) {
      const { channel, thread_ts: thread, text } = call.body as Record<string, string | undefined>;
      const where = [channel, thread ? `thread ${thread}` : undefined].filter(Boolean).join(' ');
      console.log(
        `${call.at.toISOString()} slack ${call.method} ${where}${text ? `\n    ${text.replace(/\n/g, '\n    ')}` : ''}`,
      );
    }
    slackLogged = slack.calls.length;
  }, 500);

  console.log(`Fake AWS (STS + DynamoDB backups) listening on ${fake.url}
Demo table MusicCollection with ${fake.backups.size} backups in account ${fake.accountId}, ${fake.region}.

Environment for npm start:
  export AWS_ENDPOINT_URL=${fake.url}
  export AWS_REGION=${fake.region}
  export AWS_ACCESS_KEY_ID=fake
  export AWS_SECRET_ACCESS_KEY=fake
  export SLACK_API_URL=${slack.url}/api/

Any role ARN can be assumed; for the config file, e.g.
  roleArn: arn:aws:iam::${fake.accountId}:role/dynamodb-restore-bot

(.env.example already holds these values.) Then, in another terminal:
  npm run demo:slack -- /backups MusicCollection
  npm run demo:slack -- /restore MusicCollectionBackup MusicCollection-restored --reason "demo"
  npm run demo:slack -- approve R-XXXXXX --user U0APPROVER
Ctrl-C to stop.`);

  const stop = (): void => {
    clearInterval(timer);
    void Promise.all([fake.close(), slack.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
