import { AwsLambdaReceiver } from '@slack/bolt';
import { createApp } from '../app.ts';
import { newRequestId } from '../restore/ids.ts';
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
  return receiver.toHandler();
}

/** POST /slack/events behind the HTTP API: slash commands, buttons and modal submissions. */
export const slack = async (event: AwsEvent, context: unknown) => {
  const rt = await getRuntime();
  rt.slackHandler ??= buildSlackHandler(rt);
  return rt.slackHandler(event, context);
};
