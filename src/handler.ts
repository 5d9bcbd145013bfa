import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsLambdaReceiver } from '@slack/bolt';
import { createApp } from './app.ts';
import { composeDeps } from './compose.ts';
import { LambdaEnvSchema, loadConfigFile, parseEnv } from './config.ts';
import { LambdaDispatcher } from './dispatch.ts';
import { JobSchema } from './jobs.ts';
import { createLogger } from './log.ts';
import { newRequestId } from './restore/ids.ts';
import { readSecrets } from './secrets.ts';
import { runJob, runWatcher, type WorkerDeps } from './worker.ts';

/** Lambda entry points only. Everything is built once per container, at the first invocation. */
interface Runtime {
  deps: WorkerDeps;
  secrets: { signingSecret: string; token: string };
  slackApiUrl?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

type AwsHandler = ReturnType<AwsLambdaReceiver['toHandler']>;
type AwsEvent = Parameters<AwsHandler>[0];

let runtime: Promise<Runtime> | undefined;

async function init(): Promise<Runtime> {
  const env = parseEnv(LambdaEnvSchema, process.env);
  const log = createLogger(env.LOG_LEVEL);
  const config = loadConfigFile(env.RESTORE_BOT_CONFIG);
  const secrets = await readSecrets(new SSMClient({}), {
    signingSecret: env.SLACK_SIGNING_SECRET_PARAM,
    token: env.SLACK_BOT_TOKEN_PARAM,
  });
  const deps = composeDeps({
    config,
    stateClient: new DynamoDBClient({}),
    stateTable: env.STATE_TABLE_NAME,
    slackToken: secrets.token,
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    dispatcher: new LambdaDispatcher(new LambdaClient({}), env.WORKER_FUNCTION_NAME),
    log,
  });
  return {
    deps,
    secrets,
    logLevel: env.LOG_LEVEL,
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
  };
}

/** The Bolt app exists only in the slack function; the worker and watcher never need it. */
function buildSlackHandler(rt: Runtime): AwsHandler {
  const receiver = new AwsLambdaReceiver({ signingSecret: rt.secrets.signingSecret });
  createApp({
    receiver,
    token: rt.secrets.token,
    ...(rt.slackApiUrl ? { slackApiUrl: rt.slackApiUrl } : {}),
    deps: { ...rt.deps, newRequestId },
    logLevel: rt.logLevel,
  });
  return receiver.toHandler();
}

let slackHandler: AwsHandler | undefined;

function getRuntime(): Promise<Runtime> {
  if (!runtime) {
    runtime = init();
    // A failed cold start (bad config, unreadable secret) is retried by the next invocation.
    runtime.catch(() => {
      runtime = undefined;
    });
  }
  return runtime;
}

/** POST /slack/events behind the HTTP API: slash commands, buttons and modal submissions. */
export const slack = async (event: AwsEvent, context: unknown) => {
  const rt = await getRuntime();
  slackHandler ??= buildSlackHandler(rt);
  return slackHandler(event, context);
};

/** Asynchronous worker: one job per invoke (see src/jobs.ts). */
export const worker = async (event: unknown): Promise<void> => {
  const { deps } = await getRuntime();
  await runJob(deps, JobSchema.parse(event));
};

/** Scheduled every minute: expiry, restore progress, and Slack updates that are still owed. */
export const watcher = async (): Promise<void> => {
  const { deps } = await getRuntime();
  const result = await runWatcher(deps);
  deps.log.info('watcher run', { ...result });
};

/** For tests: forget the built runtime so the next invocation starts cold. */
export function resetRuntime(): void {
  runtime = undefined;
  slackHandler = undefined;
}
