import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { resetSharedClients } from '../../src/aws/clients.ts';
import { resetRuntime, slack, watcher, worker } from '../../src/handler.ts';
import type { Job } from '../../src/jobs.ts';
import { startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { type SlackApiStand, startSlackApi } from '../../src/sandbox/slack-api.ts';
import {
  apiGatewayEvent,
  blockActionBody,
  signSlackBody,
  slashCommandBody,
} from '../../src/sandbox/slack-requests.ts';
import { startEmbeddedDynamo } from '../../src/store/embedded.ts';
import { ensureStateTable, RequestStore } from '../../src/store/requests.ts';
import { BOT_TOKEN, CHANNEL, ONCALL, REQUESTER, SIGNING_SECRET, testConfig } from './bot.ts';

export const STATE_TABLE = 'restore-bot-state-test';
export const SIGNING_SECRET_PARAM = '/restore-bot/test/slack-signing-secret';
export const BOT_TOKEN_PARAM = '/restore-bot/test/slack-bot-token';
export const WORKER_FUNCTION = 'restore-bot-test-worker';

/** One asynchronous invoke the slack or worker function made, as the Lambda service received it. */
export interface CapturedInvoke {
  functionName: string | undefined;
  invocationType: string | undefined;
  /** The decoded JSON payload: what AWS hands to the worker function as its event. */
  payload: unknown;
}

/** What the Lambda handler answers API Gateway with. */
export interface HandlerResult {
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
}

/** An EventBridge scheduled event, as the watcher function receives it every minute. */
function scheduledEvent(): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/restore-bot-watcher'],
    detail: {},
  };
}

/** response_url ids stay unique across calls sharing one Slack stand-in. */
let n = 0;

export interface LambdaBotOptions {
  /** DescribeTable calls that still see CREATING after a restore starts. Default 1. */
  creatingPolls?: number;
}

/**
 * The deployed shape of the bot, driven through the real Lambda entry points of src/handler.ts:
 * signed API Gateway events into `slack`, captured Event invokes fed to `worker`, and `watcher`
 * runs. Around it: SSM and Lambda replaced with aws-sdk-client-mock, the target account played by
 * the fake AWS, and the state table in an embedded dynalite reached through the fake's DynamoDB
 * pass-through, so every AWS client the handler builds uses the one AWS_ENDPOINT_URL.
 */
export async function startLambdaBot(options: LambdaBotOptions = {}) {
  const dynamo = await startEmbeddedDynamo({ transport: 'tcp' });
  const fake = await startFakeAws({
    creatingPolls: options.creatingPolls ?? 1,
    dynamoBackend: dynamo.endpoint,
  });
  const slackApi: SlackApiStand = await startSlackApi({ tokens: [BOT_TOKEN] });
  slackApi.userGroups = { S0ONCALL: [ONCALL] };
  fake.externalIds.set('arn:aws:iam::123456789012:role/dynamodb-restore-bot', 'test-external-id');

  const dir = mkdtempSync(join(tmpdir(), 'restore-bot-lambda-'));
  // As deployed: osls package ships the validated config as JSON (deploy/serverless-variables.cjs).
  const configPath = join(dir, 'restore-bot.config.json');
  writeFileSync(configPath, JSON.stringify(testConfig()));

  const vars: Record<string, string> = {
    STATE_TABLE_NAME: STATE_TABLE,
    RESTORE_BOT_CONFIG: configPath,
    SLACK_SIGNING_SECRET_PARAM: SIGNING_SECRET_PARAM,
    SLACK_BOT_TOKEN_PARAM: BOT_TOKEN_PARAM,
    WORKER_FUNCTION_NAME: WORKER_FUNCTION,
    SLACK_API_URL: `${slackApi.url}/api/`,
    LOG_LEVEL: 'error',
    AWS_ENDPOINT_URL: fake.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDATEST',
    AWS_SECRET_ACCESS_KEY: 'lambda-secret',
  };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  resetSharedClients();
  resetRuntime();

  // Created through the fake, as the handler's own client will reach it.
  const setupClient = new DynamoDBClient({});
  await ensureStateTable(setupClient, STATE_TABLE);
  setupClient.destroy();

  /** Parameter Store contents; delete one to make the cold start fail. */
  const parameters = new Map<string, string>([
    [SIGNING_SECRET_PARAM, SIGNING_SECRET],
    [BOT_TOKEN_PARAM, BOT_TOKEN],
  ]);
  const ssm = mockClient(SSMClient);
  ssm.on(GetParametersCommand).callsFake((input: { Names?: string[]; WithDecryption?: boolean }) => {
    const names = input.Names ?? [];
    // Without decryption a SecureString comes back as ciphertext, which is not the secret.
    const value = (name: string) =>
      input.WithDecryption ? parameters.get(name) : `AQICAH-ciphertext-of-${name}`;
    return {
      Parameters: names
        .filter((name) => parameters.has(name))
        .map((name) => ({ Name: name, Type: 'SecureString', Value: value(name), Version: 1 })),
      InvalidParameters: names.filter((name) => !parameters.has(name)),
    };
  });

  const invokes: CapturedInvoke[] = [];
  const lambda = mockClient(LambdaClient);
  lambda
    .on(InvokeCommand)
    .callsFake((input: { FunctionName?: string; InvocationType?: string; Payload?: Uint8Array }) => {
      invokes.push({
        functionName: input.FunctionName,
        invocationType: input.InvocationType,
        payload: JSON.parse(new TextDecoder().decode(input.Payload)),
      });
      // An accepted Event invoke answers 202 with no payload.
      return { StatusCode: 202 };
    });

  // Audit lines go to stdout (CloudWatch Logs in AWS); keep them for assertions, out of the report.
  const audit: Record<string, unknown>[] = [];
  const stdoutWrite = process.stdout.write;
  process.stdout.write = function (this: typeof process.stdout, chunk: unknown, ...rest: unknown[]) {
    if (typeof chunk === 'string' && chunk.startsWith('{"audit":')) {
      for (const line of chunk.split('\n').filter(Boolean)) audit.push(JSON.parse(line));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }
    return (stdoutWrite as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stdout.write;

  /** A signed API Gateway event through the real handler. */
  const send = async (
    rawBody: string,
    sign: { secret?: string; timestampSeconds?: number } = {},
  ): Promise<HandlerResult> => {
    const headers = signSlackBody(sign.secret ?? SIGNING_SECRET, rawBody, sign.timestampSeconds);
    const result = await slack(apiGatewayEvent(rawBody, headers), {});
    return result as HandlerResult;
  };

  const parseAck = (result: HandlerResult) =>
    result.body
      ? (JSON.parse(result.body) as { text?: string; blocks?: unknown[]; response_type?: string })
      : {};

  return {
    fake,
    slack: slackApi,
    dynamo,
    ssm,
    lambda,
    parameters,
    invokes,
    audit,
    /** The state table read directly in dynalite (not through the fake), to check what was stored. */
    store: new RequestStore(dynamo.client, STATE_TABLE),
    send,
    /** Sends a signed slash command; returns the handler's answer and the response_url id. */
    async command(command: '/backups' | '/restore', text: string, userId = REQUESTER, channelId = CHANNEL) {
      n += 1;
      const responseId = `lambda-cmd-${n}`;
      const responseUrl = slackApi.responseUrl(responseId);
      const result = await send(slashCommandBody({ command, text, userId, channelId, responseUrl }));
      return {
        result,
        ack: parseAck(result),
        responseUrl,
        responses: () => slackApi.responsesTo(responseId).map((r) => r.body),
      };
    },
    /** Clicks a button of a posted message (a block_actions event through the handler). */
    async click(actionId: string, value: string, userId: string, messageTs: string) {
      n += 1;
      const responseId = `lambda-click-${n}`;
      const result = await send(
        blockActionBody({
          actionId,
          value,
          userId,
          channelId: CHANNEL,
          messageTs,
          responseUrl: slackApi.responseUrl(responseId),
        }),
      );
      return { result, responses: () => slackApi.responsesTo(responseId).map((r) => r.body) };
    },
    /** Removes and returns the jobs captured so far (the payloads AWS would deliver to the worker). */
    takeJobs(): Job[] {
      return invokes.splice(0).map((i) => i.payload as Job);
    },
    /** Runs one payload through the worker entry point, as the Lambda service does. */
    worker: (payload: unknown) => worker(payload),
    /** One scheduled watcher invocation. */
    watcher: () => (watcher as (event: unknown, context: unknown) => Promise<void>)(scheduledEvent(), {}),
    /** Runs captured jobs through the worker until none are left; returns what ran, in order. */
    async drain(): Promise<Job[]> {
      const ran: Job[] = [];
      for (let jobs = this.takeJobs(); jobs.length > 0; jobs = this.takeJobs()) {
        for (const job of jobs) {
          await worker(job);
          ran.push(job);
        }
      }
      return ran;
    },
    /** Forgets the built runtime, so the next invocation is a cold start. */
    coldStart() {
      resetRuntime();
      resetSharedClients();
    },
    async close() {
      process.stdout.write = stdoutWrite;
      ssm.restore();
      lambda.restore();
      resetRuntime();
      resetSharedClients();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await slackApi.close();
      await fake.close();
      await dynamo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type LambdaBot = Awaited<ReturnType<typeof startLambdaBot>>;
