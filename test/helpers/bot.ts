import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { resetSharedClients } from '../../src/aws/clients.ts';
import { LocalEnvSchema } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { type LocalServer, startLocal } from '../../src/server.ts';

export { manualClock } from './clock.ts';

import { type SlackApiStand, type SlackMessage, startSlackApi } from '../../src/sandbox/slack-api.ts';
import {
  appHomeOpenedBody,
  blockActionBody,
  homeBlockActionBody,
  postToLocal,
  signSlackBody,
  slashCommandBody,
  viewSubmissionBody,
} from '../../src/sandbox/slack-requests.ts';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';
export const REQUESTER = 'U0REQUESTER';
export const APPROVER = 'U0APPROVER';
export const APPROVER2 = 'U0APPROVER2';
export const ONCALL = 'U0ONCALL';
export const STRANGER = 'U0STRANGER';
export const CHANNEL = 'C0INCIDENTS';

/** response_url ids stay unique across bots sharing one Slack stand-in. */
let n = 0;

/** The config the integration tests run with: prod needs 1 approval, two-person needs 2. */
export function testConfig(accountId = '123456789012') {
  const env = (requiredApprovals: number): Record<string, unknown> => ({
    accountId,
    region: 'us-east-1',
    roleArn: `arn:aws:iam::${accountId}:role/dynamodb-restore-bot`,
    externalId: 'test-external-id',
    requiredApprovals,
    approvers: { users: [APPROVER, APPROVER2], userGroups: ['S0ONCALL'] },
    requesters: { users: [REQUESTER, APPROVER, APPROVER2], userGroups: ['S0ONCALL'] },
    channels: [CHANNEL],
    awsBackupRoleArn: `arn:aws:iam::${accountId}:role/service-role/AWSBackupDefaultServiceRole`,
  });
  return {
    approvalTimeoutMinutes: 30,
    defaultEnvironment: 'prod',
    environments: { prod: env(1), 'two-person': env(2) },
  };
}

export interface BotOptions {
  now?: () => Date;
  dataDir?: string;
  fake?: FakeAws;
  slack?: SlackApiStand;
  /** Changes the test config before the bot reads it. */
  configure?: (config: ReturnType<typeof testConfig>) => void;
  /** Added to testConfig(), e.g. `{ auditChannel, reminderMinutes }`. */
  config?: Record<string, unknown>;
}

/**
 * The whole bot as `npm start` runs it (HTTP receiver, in-process worker, dynalite state) with
 * AWS and Slack replaced by loopback stand-ins, driven through signed HTTP requests.
 */
export async function startBot(options: BotOptions = {}) {
  const fake = options.fake ?? (await startFakeAws());
  const slack = options.slack ?? (await startSlackApi());
  slack.userGroups = { S0ONCALL: [ONCALL] };
  fake.externalIds.set('arn:aws:iam::123456789012:role/dynamodb-restore-bot', 'test-external-id');
  const dir = mkdtempSync(join(tmpdir(), 'restore-bot-'));
  const configPath = join(dir, 'config.yml');
  const config = { ...testConfig(), ...options.config };
  options.configure?.(config);
  writeFileSync(configPath, stringify(config));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBOTTEST',
    AWS_SECRET_ACCESS_KEY: 'bot-secret',
  });
  resetSharedClients();
  const audit: Record<string, unknown>[] = [];
  const env = LocalEnvSchema.parse({
    PORT: '0',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: `${slack.url}/api/`,
    RESTORE_BOT_CONFIG: configPath,
    DATA_DIR: options.dataDir ?? join(dir, 'data'),
    WATCH_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'error',
  });
  const server: LocalServer = await startLocal(env, {
    log: createLogger('error'),
    audit: (line) => audit.push(JSON.parse(line)),
    ...(options.now ? { now: options.now } : {}),
  });
  const url = `http://127.0.0.1:${server.port}/slack/events`;

  // Stopping twice (a test that restarts the bot, then afterEach) closes the server once.
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= server.close();
    return stopped;
  };

  /** Posts a body signed as Slack would (or with another secret or time), then waits for hand-offs. */
  const post = async (body: string, sign: { secret?: string; timestampSeconds?: number } = {}) => {
    const headers = signSlackBody(sign.secret ?? SIGNING_SECRET, body, sign.timestampSeconds);
    const res = await postToLocal(url, body, headers);
    await server.dispatcher.idle();
    return res;
  };

  return {
    fake,
    slack,
    server,
    url,
    audit,
    /** Sends a raw body to the Slack endpoint, signed unless `sign` says otherwise. */
    send: post,
    /** Sends a signed slash command; returns the HTTP answer and the response_url id. */
    async command(command: '/backups' | '/restore', text: string, userId = REQUESTER, channelId = CHANNEL) {
      n += 1;
      const responseId = `cmd-${n}`;
      const res = await post(
        slashCommandBody({ command, text, userId, channelId, responseUrl: slack.responseUrl(responseId) }),
      );
      const ack = res.body ? (JSON.parse(res.body) as { text?: string; blocks?: unknown[] }) : {};
      return { status: res.status, ack, responses: () => slack.responsesTo(responseId).map((r) => r.body) };
    },
    /** Clicks a button of a posted message. */
    async click(actionId: string, value: string, userId: string, messageTs = '1700000000.000100') {
      n += 1;
      const responseId = `click-${n}`;
      const res = await post(
        blockActionBody({
          actionId,
          value,
          userId,
          channelId: CHANNEL,
          messageTs,
          responseUrl: slack.responseUrl(responseId),
        }),
      );
      return { status: res.status, responses: () => slack.responsesTo(responseId).map((r) => r.body) };
    },
    /** Opens the bot's Home tab as `userId` (the app_home_opened event). */
    async openHome(userId: string) {
      return post(appHomeOpenedBody(userId));
    },
    /** Clicks a button on `userId`'s Home tab. */
    async clickHome(actionId: string, value: string, userId: string) {
      return post(homeBlockActionBody({ actionId, value, userId }));
    },
    async submit(
      callbackId: string,
      values: Record<string, unknown>,
      userId: string,
      privateMetadata: string,
    ) {
      const res = await post(
        viewSubmissionBody({ callbackId, values: values as never, userId, privateMetadata }),
      );
      return { status: res.status, body: res.body ? JSON.parse(res.body) : undefined };
    },
    /** The approval message of a request in the channel. */
    rootOf: (id: string) => approvalMessageIn(slack, id),
    /** The threaded replies under a request's approval message, in post order. */
    threadOf: (id: string) => threadIn(slack, id),
    /** Runs the watcher once and waits for everything it handed off. */
    async watch() {
      await server.watchOnce();
      await server.dispatcher.idle();
    },
    stop,
    async close() {
      await stop();
      if (!options.fake) await fake.close();
      if (!options.slack) await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Bot = Awaited<ReturnType<typeof startBot>>;

/** Text of every block of a Slack message, joined, for assertions on what people read. */
export function messageText(message: { text?: unknown; blocks?: unknown } | undefined): string {
  if (!message) return '';
  return `${String(message.text ?? '')}\n${JSON.stringify(message.blocks ?? [])}`;
}

/** The request ID a text names (an ack, a reply); throws when there is none, so tests read plainly. */
export function requestIdIn(text: string | undefined): string {
  const id = /R-[0-9A-Z]{6}/.exec(text ?? '')?.[0];
  if (!id) throw new Error(`no request id in ${text}`);
  return id;
}

/** The approval message of request `id`: the top-level message in the channel that names it. */
export function approvalMessageIn(
  slack: SlackApiStand,
  id: string,
  channel = CHANNEL,
): SlackMessage | undefined {
  return slack.messages(channel).find((m) => !m.thread_ts && messageText(m).includes(id));
}

/** The threaded replies under request `id`'s approval message, in post order. */
export function threadIn(slack: SlackApiStand, id: string, channel = CHANNEL): SlackMessage[] {
  const root = approvalMessageIn(slack, id, channel);
  return root ? slack.thread(channel, root.ts).filter((m) => m.ts !== root.ts) : [];
}
