import { AwsLambdaReceiver } from '@slack/bolt';
import { createApp } from '../app.ts';
import { newRequestId } from '../restore/ids.ts';
import { malformedSlackBody } from '../slack/body-check.ts';
import { isFutureTimestamp } from '../slack/request-guard.ts';
import { type AwsEvent, type AwsHandler, getRuntime, type Runtime } from './runtime.ts';

function buildSlackHandler(rt: Runtime): AwsHandler {
  if (!rt.secrets.signingSecret) {
    throw new Error('SLACK_SIGNING_SECRET_PARAM is not set for the slack function (see serverless.yml)');
  }
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
    const header = (name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
    // Refused exactly as Bolt refuses a stale timestamp: 401, nothing runs.
    if (isFutureTimestamp(header('x-slack-request-timestamp'), Date.now()))
      return { statusCode: 401, body: '' };
    const raw = typeof event.body === 'string' ? event.body : '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    // Bolt's Lambda receiver throws on a payload it cannot parse (API Gateway then answers 500).
    if (malformedSlackBody(body, header('content-type'))) return { statusCode: 400, body: '' };
    return handler(event, context);
  };
}

/** POST /slack/events behind the HTTP API: slash commands, buttons and modal submissions. */
export const slack = async (event: AwsEvent, context: unknown) => {
  const rt = await getRuntime();
  rt.slackHandler ??= buildSlackHandler(rt);
  return rt.slackHandler(event, context);
};
