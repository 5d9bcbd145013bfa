import { AwsLambdaReceiver } from '@slack/bolt';
import { createApp } from '../app.ts';
import { newRequestId } from '../restore/ids.ts';
import { isFutureTimestamp } from '../slack/request-guard.ts';
import { type AwsEvent, type AwsHandler, getRuntime, type Runtime } from './runtime.ts';

function buildSlackHandler(rt: Runtime): AwsHandler {
  const receiver = new AwsLambdaReceiver({ signingSecret: rt.secrets.signingSecret });
  createApp({
    receiver,
    token: rt.secrets.token,
    ...(rt.slackApiUrl ? { slackApiUrl: rt.slackApiUrl } : {}),
    deps: { ...rt.deps, newRequestId },
    logLevel: rt.logLevel,
  });
  const handler = receiver.toHandler();
  return async (event, context) => {
    const headers = (event.headers ?? {}) as Record<string, string | undefined>;
    const timestamp = Object.entries(headers).find(
      ([k]) => k.toLowerCase() === 'x-slack-request-timestamp',
    )?.[1];
    // Refused exactly as Bolt refuses a stale timestamp: 401, nothing runs.
    if (isFutureTimestamp(timestamp, Date.now())) return { statusCode: 401, body: '' };
    return handler(event, context);
  };
}

/** POST /slack/events behind the HTTP API: slash commands, buttons and modal submissions. */
export const slack = async (event: AwsEvent, context: unknown) => {
  const rt = await getRuntime();
  rt.slackHandler ??= buildSlackHandler(rt);
  return rt.slackHandler(event, context);
};
