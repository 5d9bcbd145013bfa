import { App, LogLevel, type Receiver } from '@slack/bolt';
import { answerFailures } from './listeners/answer.ts';
import { registerListeners } from './listeners/index.ts';
import type { ListenerDeps } from './listeners/shared.ts';
import { createWebClient, slackClientOptions } from './slack/client.ts';
import { SlackIdentity } from './slack/identity.ts';
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
  // auth.test once per process (src/slack/identity.ts), not once per request as Bolt would with
  // a plain token and tokenVerificationEnabled: false, and not at start-up, where an unreachable
  // Slack would crash the process.
  const identity = new SlackIdentity(createWebClient(o.token, o.slackApiUrl), o.token, o.deps.log);
  const app = new App({
    receiver: o.receiver,
    authorize: identity.authorize,
    clientOptions: slackClientOptions(o.slackApiUrl),
    logLevel: BOLT_LEVELS[o.logLevel ?? 'info'],
  });
  // First: whatever fails after this, the person gets an answer (src/listeners/answer.ts).
  app.use(answerFailures(o.deps.log));
  // Before any listener: a request from another workspace or app stops here.
  app.use(installationGuard(o.deps.log, () => identity.get()));
  registerListeners(app, o.deps);
  app.error(async (error) => {
    o.deps.log.error('unhandled error in a Slack listener', { error, stack: (error as Error).stack });
  });
  return app;
}
