import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import { createApp } from './app.ts';
import type { AuditSink } from './audit.ts';
import { createStsTargets } from './aws/target.ts';
import { REQUEST_TIMEOUTS } from './aws/timeouts.ts';
import type { TargetAccountFactory } from './aws/types.ts';
import { composeDeps } from './compose.ts';
import {
  ConfigError,
  configWarnings,
  type LocalEnv,
  LocalEnvSchema,
  loadConfigFile,
  parseEnv,
  SandboxEnvSchema,
} from './config.ts';
import { LocalDispatcher } from './dispatch.ts';
import { createLogger, type Logger } from './log.ts';
import { newRequestId } from './restore/ids.ts';
import { sourceExecution } from './restore/sources/execution.ts';
import { provideSourceExecution } from './restore/sources/index.ts';
import { createStsSettings, type SettingsClientsFactory } from './settings/session.ts';
import { malformedSlackBody } from './slack/body-check.ts';
import { noticeKinds } from './slack/notices/index.ts';
import { isFutureTimestamp } from './slack/request-guard.ts';
import { DataDirBusyError, lockDataDir } from './store/data-dir-lock.ts';
import { type EmbeddedDynamo, startEmbeddedDynamo } from './store/embedded.ts';
import { ensureStateTable } from './store/requests.ts';
import { runJob, runWatcher, type WorkerDeps } from './worker.ts';

/** Slack's requests are small; anything bigger is not from Slack. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Table name inside the embedded store. */
export const LOCAL_STATE_TABLE = 'restore-bot-state';

export interface LocalServer {
  /** The HTTP port (undefined in Socket Mode). */
  port: number | undefined;
  /** The address the HTTP receiver listens on (HOST, default 127.0.0.1; undefined in Socket Mode). */
  host?: string;
  deps: WorkerDeps;
  dispatcher: LocalDispatcher;
  /** Runs the watcher once now (the timer does it every WATCH_INTERVAL_SECONDS). */
  watchOnce(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  now?: () => Date;
  audit?: AuditSink;
  targets?: TargetAccountFactory;
  /** Keep the embedded store in memory instead of under DATA_DIR (the sandbox). */
  memoryStore?: boolean;
  /** Progress reply cadence while a table is CREATING (the sandbox shortens it). */
  progressIntervalMs?: number;
  /** Log the start-up line at debug level (the sandbox prints its own). */
  quiet?: boolean;
  /** Settings sessions; defaults to STS role sessions (tests pass clients pointed at a stand-in). */
  settingsClients?: SettingsClientsFactory;
}

/**
 * `npm start` in one process: Bolt's HTTP receiver on PORT (or Socket Mode with SLACK_APP_TOKEN),
 * the worker in-process, the watcher on a timer, and the state in DynamoDB's API: the table named
 * by STATE_TABLE_NAME, or embedded dynalite persisted under DATA_DIR.
 */
export async function startLocal(env: LocalEnv, options: StartOptions = {}): Promise<LocalServer> {
  // One process runs the listeners, the worker and the watcher: it wires the source execution.
  provideSourceExecution(sourceExecution);
  const log = options.log ?? createLogger(env.LOG_LEVEL);
  const config = loadConfigFile(env.RESTORE_BOT_CONFIG);
  for (const warning of configWarnings(config)) log.warn(warning);

  let embedded: EmbeddedDynamo | undefined;
  let unlock: (() => void) | undefined;
  let stateClient: DynamoDBClient;
  let stateTable: string;
  if (env.STATE_TABLE_NAME) {
    stateClient = new DynamoDBClient({ requestHandler: REQUEST_TIMEOUTS });
    stateTable = env.STATE_TABLE_NAME;
  } else {
    if (!options.memoryStore) unlock = lockDataDir(env.DATA_DIR);
    embedded = await startEmbeddedDynamo(options.memoryStore ? {} : { path: join(env.DATA_DIR, 'state') });
    stateClient = embedded.client;
    stateTable = LOCAL_STATE_TABLE;
    await ensureStateTable(stateClient, stateTable);
  }

  const dispatcher = new LocalDispatcher(log);
  const deps = composeDeps({
    config,
    stateClient,
    stateTable,
    slackToken: env.SLACK_BOT_TOKEN,
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    dispatcher,
    log,
    ...(options.now ? { now: options.now } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    notices: noticeKinds,
    targets: options.targets ?? createStsTargets(config, options.now),
    ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
    settingsClients: options.settingsClients ?? createStsSettings(config, options.now),
  });
  dispatcher.attach((job) => runJob(deps, job));

  const receiver: Receiver = env.SLACK_APP_TOKEN
    ? new SocketModeReceiver({
        appToken: env.SLACK_APP_TOKEN,
        // apps.connections.open goes to SLACK_API_URL too, like every other Web API call.
        ...(env.SLACK_API_URL
          ? { installerOptions: { clientOptions: { slackApiUrl: env.SLACK_API_URL } } }
          : {}),
      })
    : new HTTPReceiver({
        signingSecret: env.SLACK_SIGNING_SECRET,
        endpoints: '/slack/events',
        // Answer Slack only when the listener is done, exactly as AwsLambdaReceiver does, so the
        // local process shows the same acknowledgement timing (and the same bugs) as Lambda.
        processBeforeResponse: true,
        customRoutes: [
          {
            path: '/healthz',
            method: ['GET'],
            handler: (_req, res) => {
              res.writeHead(200, { 'content-type': 'text/plain' });
              res.end('ok');
            },
          },
        ],
      });
  if (receiver instanceof HTTPReceiver) {
    refuseFutureTimestamps(receiver);
    refuseMalformedBodies(receiver);
  }
  const app = createApp({
    receiver,
    token: env.SLACK_BOT_TOKEN,
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    deps: { ...deps, newRequestId },
    logLevel: env.LOG_LEVEL,
  });
  let started: unknown;
  try {
    started = await app.start({ port: env.PORT, host: env.HOST });
  } catch (err) {
    await embedded?.close();
    unlock?.();
    throw err;
  }
  const address = env.SLACK_APP_TOKEN ? undefined : ((started as Server).address() as AddressInfo);
  const port = address?.port;

  let watching: Promise<void> | undefined;
  const watchOnce = () => {
    // Runs never overlap in one process; across processes the conditional writes keep them apart.
    watching ??= runWatcher(deps)
      .then((result) => {
        if (result.errors > 0 || result.finished > 0 || result.expired > 0)
          log.info('watcher run', { ...result });
      })
      .catch((error: unknown) => log.error('watcher run failed', { error }))
      .finally(() => {
        watching = undefined;
      });
    return watching;
  };
  const timer = setInterval(watchOnce, env.WATCH_INTERVAL_SECONDS * 1000);
  timer.unref();

  (options.quiet ? log.debug : log.info)('dynamodb-restore-bot is running', {
    mode: env.SLACK_APP_TOKEN ? 'socket' : 'http',
    ...(address
      ? { host: address.address, port, url: `http://${urlHost(address)}:${port}/slack/events` }
      : {}),
    state: embedded ? `embedded dynalite at ${join(env.DATA_DIR, 'state')}` : `table ${stateTable}`,
    environments: Object.keys(config.environments),
  });

  return {
    port,
    ...(address ? { host: address.address } : {}),
    deps,
    dispatcher,
    watchOnce,
    close: async () => {
      clearInterval(timer);
      await watching;
      await app.stop();
      await dispatcher.idle();
      await embedded?.close();
      unlock?.();
    },
  };
}

function urlHost(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/**
 * A body no listener could answer gets a 400 (src/slack/body-check.ts). The body is read here
 * and kept on the request as `rawBody`, which Bolt's HTTPReceiver then uses instead of reading
 * the stream again.
 */
function refuseMalformedBodies(receiver: HTTPReceiver): void {
  const bolt = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413);
        res.end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      const raw = Buffer.concat(chunks);
      if (malformedSlackBody(raw.toString('utf8'), req.headers['content-type'])) {
        res.writeHead(400);
        res.end();
        return;
      }
      (req as typeof req & { rawBody: Buffer }).rawBody = raw;
      bolt(req, res);
    });
  };
}

/**
 * Bolt's HTTPReceiver refuses a stale X-Slack-Request-Timestamp but not one far in the future;
 * this answers those 401 as well, before Bolt sees the request (see src/slack/request-guard.ts).
 */
function refuseFutureTimestamps(receiver: HTTPReceiver): void {
  const bolt = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (isFutureTimestamp(req.headers['x-slack-request-timestamp'], Date.now())) {
      res.writeHead(401);
      res.end();
      return;
    }
    bolt(req, res);
  };
}

/** Any of these set means the real bot; none set means the sandbox. */
export const SLACK_VARIABLES = [
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
];

/** `npm start` is the sandbox when no Slack variable is set. */
export function isSandbox(env: NodeJS.ProcessEnv): boolean {
  // Present but empty still counts: a .env with SLACK_BOT_TOKEN= is a half-done real setup.
  return SLACK_VARIABLES.every((name) => env[name] === undefined);
}

/** The message for a start-up failure that a person can fix, or undefined for anything else. */
export function startFailureMessage(err: unknown, port: number | undefined): string | undefined {
  if (err instanceof ConfigError) {
    if (err.source !== 'the environment' || !err.problems.some((p) => p.startsWith('SLACK_')))
      return err.message;
    return `${err.message}\nSet SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to connect a Slack workspace, or none of ${SLACK_VARIABLES.join(', ')} to start the sandbox.`;
  }
  if (err instanceof DataDirBusyError) return err.message;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return `Port ${port} is already in use (is another npm start running?); stop that process or set PORT to a free port.`;
  }
  if (code === 'EACCES')
    return `Port ${port} needs privileges this user does not have; set PORT to 1024 or above.`;
  return undefined;
}

async function main(): Promise<void> {
  // A local .env is convenient for the quick start; real environment variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const sandbox = isSandbox(process.env);
  let close: () => Promise<void>;
  let log: Logger;
  let port: number | undefined;
  try {
    if (sandbox) {
      const env = parseEnv(SandboxEnvSchema, process.env);
      port = env.PORT;
      log = createLogger(env.LOG_LEVEL);
      const { startSandbox } = await import('./sandbox/index.ts');
      ({ close } = await startSandbox({
        port: env.PORT,
        log,
        logLevel: env.LOG_LEVEL,
        announce: (line) => process.stderr.write(`${line}\n`),
      }));
    } else {
      const env = parseEnv(LocalEnvSchema, process.env);
      port = env.PORT;
      const server = await startLocal(env);
      ({ close } = server);
      log = server.deps.log;
    }
  } catch (err) {
    const message = startFailureMessage(err, port);
    if (message === undefined) throw err;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  // A long-running bot logs a stray failure instead of dying in the middle of an incident.
  process.on('unhandledRejection', (error) => log.error('unhandled rejection', { error }));
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Not awaited: the sandbox module imports this one, so a top-level await here would deadlock.
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
