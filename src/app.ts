import { App, LogLevel, type Receiver } from '@slack/bolt';
import { registerListeners } from './listeners/index.ts';
import type { ListenerDeps } from './listeners/shared.ts';
import { slackClientOptions } from './slack/client.ts';
import { installationGuard } from './slack/request-guard.ts';

export interface CreateAppOptions {
  /** AwsLambdaReceiver on Lambda; HTTPReceiver or SocketModeReceiver for `npm start`. */
  receiver: Receiver;
  token: string;
  slackApiUrl?: string;
  deps: ListenerDeps;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

const BOLT_LEVELS = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

/** The Bolt app with every listener; one factory for the Lambda handler and the local process. */
export function createApp(o: CreateAppOptions): App {
  const app = new App({
    receiver: o.receiver,
    token: o.token,
    clientOptions: slackClientOptions(o.slackApiUrl),
    logLevel: BOLT_LEVELS[o.logLevel ?? 'info'],
    // Bolt would call auth.test while it builds the app and crash the process on an unhandled
    // rejection when Slack is unreachable; deferred, it runs with the first request instead.
    tokenVerificationEnabled: false,
  });
  // Before any listener: a request from another workspace or app stops here.
  app.use(installationGuard(o.deps.log));
  registerListeners(app, o.deps);
  app.error(async (error) => {
    o.deps.log.error('unhandled error in a Slack listener', { error, stack: (error as Error).stack });
  });
  return app;
}
