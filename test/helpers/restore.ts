import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createBackupClient } from '../../src/aws/backup.ts';
import {
  createDynamoDbClient,
  createStsClient,
  MAX_ATTEMPTS,
  type RetryStrategyOption,
} from '../../src/aws/clients.ts';
import { RoleSessions } from '../../src/aws/sessions.ts';
import { createTargetAccountFactory } from '../../src/aws/target.ts';
import { sourceRefOf } from '../../src/commands/restore.ts';
import { composeDeps } from '../../src/compose.ts';
import { type BotConfig, parseConfig } from '../../src/config.ts';
import { LocalDispatcher } from '../../src/dispatch.ts';
import { createLogger } from '../../src/log.ts';
import { newRequestId } from '../../src/restore/ids.ts';
import { decideApproval } from '../../src/restore/lifecycle.ts';
import { approveRequest, createRequest } from '../../src/restore/service.ts';
import type { BackupInfo, RestoreOverrides, RestoreRequest } from '../../src/restore/types.ts';
import { type SweepResult, sweep } from '../../src/restore/watcher.ts';
import type { FakeAws } from '../../src/sandbox/fake-aws.ts';
import { type SlackApiStand, type SlackMessage, startSlackApi } from '../../src/sandbox/slack-api.ts';
import { noticeKinds } from '../../src/slack/notices/index.ts';
import { notifyRequest } from '../../src/slack/notifier.ts';
import { runJob } from '../../src/worker.ts';
import {
  APPROVER,
  approvalMessageIn,
  BOT_TOKEN,
  CHANNEL,
  manualClock,
  messageText,
  ONCALL,
  REQUESTER,
  testConfig,
  threadIn,
} from './bot.ts';
import { startTestStore } from './store.ts';

export type Clock = ReturnType<typeof manualClock>;

const ROLE_ARN = 'arn:aws:iam::123456789012:role/dynamodb-restore-bot';

/**
 * The SDK's standard retry decision (throttling, transient and server errors, MAX_ATTEMPTS
 * attempts in all) without its real-time backoff, so a test that injects throttling does not
 * wait seconds. The standard strategy itself is covered in test/aws/clients.test.ts.
 */
export const noBackoffRetries: RetryStrategyOption = {
  acquireInitialRetryToken: async () => ({ getRetryCount: () => 0, getRetryDelay: () => 0 }),
  refreshRetryTokenForRetry: async (previous, info) => {
    const count = previous.getRetryCount() + 1;
    if (info.errorType === 'CLIENT_ERROR' || count >= MAX_ATTEMPTS) {
      throw new Error(`no retry (${info.errorType}, attempt ${count})`);
    }
    return { getRetryCount: () => count, getRetryDelay: () => 0 };
  },
  recordSuccess: () => {},
};

/**
 * Points the SDK at the fake AWS (as `npm start` with AWS_ENDPOINT_URL does) and trusts the test
 * config's ExternalId. Call once per test file, before any harness is started.
 */
export function useFakeAws(fake: FakeAws): void {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBOTTEST',
    AWS_SECRET_ACCESS_KEY: 'bot-secret',
  });
  fake.externalIds.set(ROLE_ARN, 'test-external-id');
}

/**
 * The target accounts as the worker reaches them (STS role sessions, DynamoDB and AWS Backup
 * clients without retry backoff) against the fake AWS, which `useFakeAws` must point at.
 */
function targetsOnFake(config: BotConfig, now: () => Date) {
  const sessions = new RoleSessions({
    sts: createStsClient('us-east-1', { retryStrategy: noBackoffRetries }),
    config,
    now,
  });
  return createTargetAccountFactory({
    config,
    sessions,
    now,
    clientFactory: (init) => createDynamoDbClient(init, { retryStrategy: noBackoffRetries }),
    backupClientFactory: (init) => createBackupClient(init, { retryStrategy: noBackoffRetries }),
  });
}

/** The prod environment's target account, as the worker reaches it, against the fake AWS. */
export async function targetOnFake(now: () => Date, user = 'U0APPROVER', tag = 'R-TEST') {
  return targetsOnFake(restoreTestConfig(), now)('prod', user, tag);
}

export function restoreTestConfig(): BotConfig {
  return parseConfig(testConfig());
}

export interface HarnessOptions {
  fake: FakeAws;
  clock?: Clock;
  /** Share the Slack stand-in (e.g. between two harnesses acting as two processes). */
  slack?: SlackApiStand;
  /** Share the state table of another harness (a second process on the same store). */
  store?: { client: DynamoDBClient; table: string };
  /** Added to the test config, e.g. `{ auditChannel, reminderMinutes }`. */
  config?: Partial<BotConfig>;
}

/**
 * The domain as the worker and the watcher run it, without the HTTP front: deps composed by
 * composeDeps over a fresh dynalite state table, the real target account (STS role sessions and
 * DynamoDB clients) against the fake AWS, Slack through the stand-in, a LocalDispatcher running
 * hand-offs in-process, and a clock the test moves.
 */
export async function startRestoreHarness(options: HarnessOptions) {
  const clock = options.clock ?? manualClock();
  const slack = options.slack ?? (await startSlackApi());
  slack.userGroups = { S0ONCALL: [ONCALL] };
  const own = options.store ? undefined : await startTestStore();
  const stateClient = options.store?.client ?? own!.dynamo.client;
  const stateTable = options.store?.table ?? own!.store.tableName;
  const config = { ...restoreTestConfig(), ...options.config };
  const log = createLogger('error');
  const audit: Record<string, unknown>[] = [];
  const targets = targetsOnFake(config, clock.now);
  const dispatcher = new LocalDispatcher(log);
  const deps = composeDeps({
    config,
    stateClient,
    stateTable,
    slackToken: BOT_TOKEN,
    slackApiUrl: `${slack.url}/api/`,
    dispatcher,
    log,
    now: clock.now,
    audit: (line) => audit.push(JSON.parse(line) as Record<string, unknown>),
    notices: noticeKinds,
    targets,
  });
  dispatcher.attach((job) => runJob(deps, job));

  const idle = () => dispatcher.idle();

  return {
    fake: options.fake,
    slack,
    clock,
    deps,
    store: deps.store,
    dispatcher,
    audit,
    stateClient,
    stateTable,
    idle,
    /** One watcher run, as the schedule makes it, then whatever it handed off. */
    async watch(): Promise<SweepResult> {
      const result = await sweep(deps, (id) => notifyRequest(deps, id));
      await idle();
      return result;
    },
    /** The approval message of a request in the channel. */
    rootOf: (id: string) => approvalMessageIn(slack, id),
    /** The threaded replies under a request's approval message, in post order. */
    threadOf: (id: string) => threadIn(slack, id),
    /** A second process of the bot: the same config, clock, Slack stand-in and state table. */
    anotherProcess: () =>
      startRestoreHarness({
        ...options,
        clock,
        slack,
        store: { client: stateClient, table: stateTable },
      }),
    /** The stored request; throws when it is missing so tests read plainly. */
    async request(id: string): Promise<RestoreRequest> {
      const req = await deps.store.get(id);
      if (!req) throw new Error(`request ${id} is not stored`);
      return req;
    },
    async close(): Promise<void> {
      await idle();
      if (!options.slack) await slack.close();
      await own?.close();
    },
  };
}

export type RestoreHarness = Awaited<ReturnType<typeof startRestoreHarness>>;

export interface NewRequest {
  backup: string;
  targetTable: string;
  overrides?: RestoreOverrides;
  env?: string;
}

/**
 * Asks for a restore through createRequest (PENDING, approval message posted) and returns the
 * request as stored. Throws when the request is refused, since a test that wants a refusal says so.
 */
export async function requestRestore(h: RestoreHarness, input: NewRequest): Promise<RestoreRequest> {
  const outcome = await createRequest(h.deps, {
    requestId: newRequestId(),
    userId: REQUESTER,
    channelId: CHANNEL,
    source: sourceRefOf(input.backup),
    targetTable: input.targetTable,
    overrides: input.overrides ?? {},
    reason: 'INC-42: rows lost',
    ...(input.env ? { env: input.env } : {}),
  });
  await h.idle();
  if (outcome.kind !== 'created') throw new Error(`request refused: ${JSON.stringify(outcome)}`);
  return outcome.request;
}

/** Approves as APPROVER (a click), and waits for the hand-offs: the Slack update and the restore start. */
export async function approve(h: RestoreHarness, id: string, userId = APPROVER): Promise<RestoreRequest> {
  const outcome = await approveRequest(h.deps, id, userId);
  await h.idle();
  if (!outcome.ok) throw new Error(`approval refused: ${outcome.message}`);
  return h.request(id);
}

/**
 * Stores a request that was approved `ageMs` ago and never handed to the worker (the hand-off was
 * lost), as if written by another process. Nothing is posted for it yet.
 */
export async function storeApproved(
  h: RestoreHarness,
  input: { backup: BackupInfo; targetTable: string; ageMs: number; overrides?: RestoreOverrides },
): Promise<RestoreRequest> {
  const at = new Date(h.clock.now().getTime() - input.ageMs);
  const createdAt = new Date(at.getTime() - 60_000).toISOString();
  const pending: RestoreRequest = {
    id: newRequestId(),
    version: 1,
    status: 'PENDING',
    environment: 'prod',
    accountId: '123456789012',
    region: 'us-east-1',
    roleArn: ROLE_ARN,
    requesterId: REQUESTER,
    channelId: CHANNEL,
    source: { kind: 'backup', backup: input.backup },
    targetTable: input.targetTable,
    overrides: input.overrides ?? {},
    requiredApprovals: 1,
    approvals: [],
    createdAt,
    updatedAt: createdAt,
    expiresAt: new Date(at.getTime() + 29 * 60_000).toISOString(),
    events: [{ seq: 1, at: createdAt, actor: REQUESTER, action: 'requested', to: 'PENDING' }],
    notifiedSeq: 0,
  };
  const decision = decideApproval(pending, APPROVER, true, at);
  if (!decision.ok) throw new Error(decision.reason);
  if (!(await h.store.create(decision.next))) throw new Error('request id clash');
  return decision.next;
}

/** The text people read in each message, for assertions. */
export function texts(messages: SlackMessage[]): string[] {
  return messages.map((m) => messageText(m));
}
