/**
 * The baseline for the cold-start ratio: the least a Bolt + AWS SDK Slack function does before it
 * can acknowledge a slash command. Same libraries as src/handler.ts (Bolt's AwsLambdaReceiver, the
 * DynamoDB, STS, SSM and Lambda clients), same cold work (read both secrets with one SSM
 * GetParameters, build the clients, build the Bolt app, which calls auth.test on its first
 * request), bundled with the same esbuild settings; but no config file, no zod, no listeners beyond
 * one that acks, and no hand-off to a worker.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { App, AwsLambdaReceiver, LogLevel } from '@slack/bolt';

type AwsHandler = ReturnType<AwsLambdaReceiver['toHandler']>;

/** The clients a real handler builds at cold start; kept so the bundler cannot drop them. */
export const clients: { dynamo?: DynamoDBClient; sts?: STSClient; lambda?: LambdaClient } = {};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function init(): Promise<AwsHandler> {
  const names = [required('SLACK_SIGNING_SECRET_PARAM'), required('SLACK_BOT_TOKEN_PARAM')];
  const out = await new SSMClient({}).send(new GetParametersCommand({ Names: names, WithDecryption: true }));
  const value = (name: string) => {
    const found = out.Parameters?.find((p) => p.Name === name)?.Value;
    if (!found) throw new Error(`SSM parameter ${name} is missing`);
    return found;
  };
  clients.dynamo = new DynamoDBClient({});
  clients.sts = new STSClient({});
  clients.lambda = new LambdaClient({});
  const receiver = new AwsLambdaReceiver({ signingSecret: value(names[0] ?? '') });
  const slackApiUrl = process.env.SLACK_API_URL;
  const app = new App({
    receiver,
    token: value(names[1] ?? ''),
    clientOptions: slackApiUrl ? { slackApiUrl } : {},
    // As the real handler: Bolt logs at the function's LOG_LEVEL.
    logLevel: (Object.values(LogLevel) as string[]).includes(process.env.LOG_LEVEL ?? '')
      ? (process.env.LOG_LEVEL as LogLevel)
      : LogLevel.INFO,
  });
  app.command('/backups', async ({ ack }) => {
    await ack({ response_type: 'ephemeral', text: 'Looking up backups…' });
  });
  return receiver.toHandler();
}

let handler: Promise<AwsHandler> | undefined;

/** POST /slack/events: the bare equivalent of `slack` in src/handler.ts. */
export const slack = async (event: Parameters<AwsHandler>[0], context: unknown) => {
  handler ??= init();
  return (await handler)(event, context);
};
