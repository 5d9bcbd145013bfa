import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsLambdaReceiver } from '@slack/bolt';
import { REQUEST_TIMEOUTS } from '../aws/timeouts.ts';
import type { TargetAccountFactory } from '../aws/types.ts';
import { type ComposeOptions, composeDeps } from '../compose.ts';
import {
  type BotConfig,
  configWarnings,
  LambdaEnvSchema,
  loadConfigFile,
  loadConfigJson,
  parseEnv,
} from '../config.ts';
import { LambdaDispatcher } from '../dispatch.ts';
import { createLogger } from '../log.ts';
import { readSecrets } from '../secrets.ts';
import type { SettingsClientsFactory } from '../settings/session.ts';
import type { WorkerDeps } from '../worker.ts';

export type AwsHandler = ReturnType<AwsLambdaReceiver['toHandler']>;
export type AwsEvent = Parameters<AwsHandler>[0];

/** Everything one Lambda container builds once, at its first invocation. */
export interface Runtime {
  deps: WorkerDeps;
  /** The signing secret only where SLACK_SIGNING_SECRET_PARAM is set: the slack function's. */
  secrets: { signingSecret?: string; token: string };
  slackApiUrl?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** The Bolt handler, built by the slack function on first use. */
  slackHandler?: AwsHandler;
}

/**
 * What only the worker and watcher functions carry: target accounts (STS and the target-account
 * code), the notice kinds, and the settings clients (Application Auto Scaling, CloudWatch). The
 * worker's entry module provides them; the slack function never does (its listeners hand that
 * work to the worker), which keeps its bundle and cold start close to a bare Bolt handler's.
 */
export interface WorkerParts {
  targets: (config: BotConfig, now: () => Date) => TargetAccountFactory;
  notices: NonNullable<ComposeOptions['notices']>;
  settings: (config: BotConfig, now: () => Date) => SettingsClientsFactory;
}
let workerParts: WorkerParts | undefined;

/** Called by the worker's entry module (src/lambda/worker.ts). */
export function provideWorkerParts(parts: WorkerParts): void {
  workerParts = parts;
}

/** `make()` is called on first use only, so a run that needs no target account builds no client. */
function onFirstUse<A extends unknown[], R>(make: () => (...args: A) => R): (...args: A) => R {
  let built: ((...args: A) => R) | undefined;
  return (...args) => {
    built ??= make();
    return built(...args);
  };
}

const noTargets: TargetAccountFactory = () => {
  throw new Error('Target accounts are used by the worker and watcher functions only');
};

/**
 * A deployed function reads the JSON form of the config that `osls package` wrote from the YAML
 * (serverless.yml points RESTORE_BOT_CONFIG at it), validated again here with the same schema.
 * The Lambda bundles carry no YAML parser (deploy/esbuild-plugins.cjs); a YAML path is for the
 * handlers run from source, as the tests do.
 */
function loadConfig(path: string): BotConfig {
  return path.endsWith('.json') ? loadConfigJson(path) : loadConfigFile(path);
}

async function init(): Promise<Runtime> {
  const env = parseEnv(LambdaEnvSchema, process.env);
  const log = createLogger(env.LOG_LEVEL);
  const config = loadConfig(env.RESTORE_BOT_CONFIG);
  for (const warning of configWarnings(config)) log.warn(warning);
  // The worker and watcher never verify a Slack request: their environment (and IAM) has no
  // signing-secret parameter, so only the slack function ever reads it.
  const names: Record<string, string> = {
    ...(env.SLACK_SIGNING_SECRET_PARAM ? { signingSecret: env.SLACK_SIGNING_SECRET_PARAM } : {}),
    token: env.SLACK_BOT_TOKEN_PARAM,
  };
  const read = await readSecrets(new SSMClient({ requestHandler: REQUEST_TIMEOUTS }), names);
  const secrets: Runtime['secrets'] = {
    token: read.token ?? '',
    ...(read.signingSecret ? { signingSecret: read.signingSecret } : {}),
  };
  const now = () => new Date();
  const parts = workerParts;
  const deps = composeDeps({
    config,
    stateClient: new DynamoDBClient({ requestHandler: REQUEST_TIMEOUTS }),
    stateTable: env.STATE_TABLE_NAME,
    slackToken: secrets.token,
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    dispatcher: new LambdaDispatcher(
      new LambdaClient({ requestHandler: REQUEST_TIMEOUTS }),
      env.WORKER_FUNCTION_NAME,
    ),
    ...(parts
      ? {
          targets: onFirstUse(() => parts.targets(config, now)),
          notices: parts.notices,
          settingsClients: onFirstUse(() => parts.settings(config, now)),
        }
      : { targets: noTargets }),
    now,
    log,
  });
  return {
    deps,
    secrets,
    logLevel: env.LOG_LEVEL,
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
  };
}

let runtime: Promise<Runtime> | undefined;

/** The container's runtime; a failed cold start (bad config, unreadable secret) is retried next time. */
export function getRuntime(): Promise<Runtime> {
  if (!runtime) {
    runtime = init();
    runtime.catch(() => {
      runtime = undefined;
    });
  }
  return runtime;
}

/** For tests: forget the built runtime so the next invocation starts cold. */
export function resetRuntime(): void {
  runtime = undefined;
}
