/**
 * Cold initialisation and acknowledgement latency of the packaged slack function, each run in a
 * fresh `node` process (bench/invoke.mjs) as the Lambda runtime would, with SSM, Lambda and the
 * Slack Web API on loopback stand-ins in this process.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SlackApiStand, startSlackApi } from '../src/sandbox/slack-api.ts';
import { apiGatewayEvent, signSlackBody, slashCommandBody } from '../src/sandbox/slack-requests.ts';
import { BOT_TOKEN, CHANNEL, ONCALL, REQUESTER, SIGNING_SECRET, testConfig } from '../test/helpers/bot.ts';
import { type AwsControlStand, startAwsControl } from './aws-control.ts';
import { type ChildResult, type Invocation, runChild } from './child.ts';

/** A measurement is void: the handler did not answer as the bot should (wrong status or text). */
export class BenchCheckError extends Error {
  override name = 'BenchCheckError';
}

/** The two commands measured, as Slack sends them. */
export const COMMANDS = {
  backups: {
    label: '/backups MusicCollection',
    command: '/backups',
    text: 'MusicCollection',
    // Listed by user ID among the requesters: authorised from the config alone.
    userId: REQUESTER,
    expect: 'Looking up backups of MusicCollection',
  },
  restore: {
    label: '/restore MusicCollectionBackup MusicCollectionRestored',
    command: '/restore',
    text: 'MusicCollectionBackup MusicCollectionRestored',
    // A requester only through user group S0ONCALL: authorised with the cached group members.
    userId: ONCALL,
    expect: 'Checking backup MusicCollectionBackup and target table MusicCollectionRestored',
  },
} as const;
export type CommandKey = keyof typeof COMMANDS;

export interface LatencySetup {
  /** The unzipped slack package (the working directory, as /var/task). */
  packageDir: string;
  realHandler: string;
  bareHandler: string;
  /** The slack function's environment from the CloudFormation template. */
  functionEnv: Record<string, string>;
  scratchDir: string;
}

export interface StandIns {
  aws: AwsControlStand;
  slack: SlackApiStand;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the stand-ins and returns the environment a handler process runs with. */
export async function startStandIns(setup: LatencySetup): Promise<StandIns> {
  const signingParam = setup.functionEnv.SLACK_SIGNING_SECRET_PARAM ?? '/bench/slack-signing-secret';
  const tokenParam = setup.functionEnv.SLACK_BOT_TOKEN_PARAM ?? '/bench/slack-bot-token';
  const aws = await startAwsControl({ [signingParam]: SIGNING_SECRET, [tokenParam]: BOT_TOKEN });
  const slack = await startSlackApi({ tokens: [BOT_TOKEN] });
  slack.userGroups = { S0ONCALL: [ONCALL] };
  // The bench's environments, approvers and channel, next to the handler as the bundled config is,
  // and in the same form: the JSON that packaging writes from the YAML (deploy/serverless-variables.cjs).
  writeFileSync(join(setup.packageDir, 'bench.config.json'), JSON.stringify(testConfig()));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...setup.functionEnv,
    SLACK_SIGNING_SECRET_PARAM: signingParam,
    SLACK_BOT_TOKEN_PARAM: tokenParam,
    RESTORE_BOT_CONFIG: 'bench.config.json',
    SLACK_API_URL: `${slack.url}/api/`,
    AWS_ENDPOINT_URL: aws.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCHSLACKFN',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_CONFIG_FILE: join(setup.scratchDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(setup.scratchDir, 'no-aws-credentials'),
    AWS_LAMBDA_FUNCTION_NAME: 'dynamodb-restore-bot-ci-slack',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    LAMBDA_TASK_ROOT: setup.packageDir,
  };
  return {
    aws,
    slack,
    env,
    close: async () => {
      await aws.close();
      await slack.close();
    },
  };
}

let responseSeq = 0;

/** A slash command signed now, in the API Gateway event the function receives. */
export function commandEvent(stands: StandIns, key: CommandKey): { label: string; event: unknown } {
  const c = COMMANDS[key];
  responseSeq += 1;
  const body = slashCommandBody({
    command: c.command,
    text: c.text,
    userId: c.userId,
    channelId: CHANNEL,
    responseUrl: stands.slack.responseUrl(`bench-${responseSeq}`),
  });
  return { label: key, event: apiGatewayEvent(body, signSlackBody(SIGNING_SECRET, body)) };
}

function check(invocation: Invocation | undefined, key: CommandKey | 'bare'): Invocation {
  const expected = key === 'bare' ? 'Looking up backups' : COMMANDS[key].expect;
  if (invocation?.statusCode !== 200 || !invocation.body.includes(expected)) {
    throw new BenchCheckError(
      `${key}: expected a 200 acknowledgement containing "${expected}", got ${invocation?.statusCode}: ${invocation?.body.slice(0, 300)}`,
    );
  }
  return invocation;
}

/** One cold start: times in ms since the process started. */
export interface ColdSample {
  /** Node ready to run the first line of the entry script. */
  nodeReady: number;
  /** Handler module imported (loaded, compiled, evaluated). */
  imported: number;
  /** Time the import took. */
  importMs: number;
  /** When the SSM GetParameters request reached the stand-in. */
  ssmAt: number;
  /** When auth.test reached the Slack stand-in (Bolt checks its token on the first request). */
  authTestAt: number;
  /** When the hand-off to the worker (Lambda Invoke) reached the stand-in; NaN when there was none. */
  invokeAt: number;
  /** The first invocation's answer: process start to acknowledgement. */
  acked: number;
  /** The first invocation alone. */
  firstInvocationMs: number;
  /** Parent's view, spawn() to result (includes process creation). */
  wallMs: number;
  /** Calls the stand-ins received during this run. */
  awsCalls: string[];
  slackCalls: string[];
}

async function coldOnce(
  setup: LatencySetup,
  stands: StandIns,
  handlerPath: string,
  key: CommandKey | 'bare',
): Promise<ColdSample> {
  const awsFrom = stands.aws.calls.length;
  const slackFrom = stands.slack.calls.length;
  const result: ChildResult = await runChild({
    handlerPath,
    exportName: 'slack',
    events: [commandEvent(stands, key === 'bare' ? 'backups' : key)],
    env: stands.env,
    cwd: setup.packageDir,
    scratchDir: setup.scratchDir,
  });
  const first = check(result.invocations[0], key);
  const aws = stands.aws.calls.slice(awsFrom);
  const slack = stands.slack.calls.slice(slackFrom);
  const since = (at: number | undefined) => (at === undefined ? Number.NaN : at - result.timeOrigin);
  return {
    nodeReady: result.scriptStart,
    imported: result.imported,
    importMs: result.imported - result.importStart,
    ssmAt: since(aws.find((c) => c.service === 'ssm')?.at),
    authTestAt: since(slack.find((c) => c.method === 'auth.test')?.at.getTime()),
    invokeAt: since(aws.find((c) => c.service === 'lambda')?.at),
    acked: first.end,
    firstInvocationMs: first.end - first.start,
    wallMs: result.wallMs,
    awsCalls: aws.map((c) => `${c.service}:${c.operation}`),
    slackCalls: slack.map((c) => c.method),
  };
}

export interface ColdResults {
  runs: number;
  real: Record<CommandKey, ColdSample[]>;
  bare: ColdSample[];
}

/**
 * `runs` cold starts of each: the real handler answering /backups, the bare handler answering
 * /backups, the real handler answering /restore; interleaved so drift hits all three alike. One
 * discarded round first warms the file cache.
 */
export async function measureCold(setup: LatencySetup, stands: StandIns, runs: number): Promise<ColdResults> {
  const out: ColdResults = { runs, real: { backups: [], restore: [] }, bare: [] };
  for (let i = 0; i <= runs; i += 1) {
    const backups = await coldOnce(setup, stands, setup.realHandler, 'backups');
    const bare = await coldOnce(setup, stands, setup.bareHandler, 'bare');
    const restore = await coldOnce(setup, stands, setup.realHandler, 'restore');
    if (i === 0) continue;
    out.real.backups.push(backups);
    out.bare.push(bare);
    out.real.restore.push(restore);
  }
  return out;
}

export interface WarmResults {
  warmup: number;
  durations: Record<CommandKey, number[]>;
  /** Lambda Invokes per request over the whole process (the hand-off to the worker): 1 expected. */
  invokesPerRequest: number;
  /** Slack Web API calls over the whole process, by method: once per container is expected. */
  slackCalls: Record<string, number>;
  /** AWS calls other than the hand-off, after the cold start's SSM read (none expected). */
  otherAwsCalls: string[];
}

/**
 * One process (one warm container): `warmup` requests of each command, then `requests` of each,
 * alternating, each timed from the handler call to its answer.
 */
export async function measureWarm(
  setup: LatencySetup,
  stands: StandIns,
  requests: number,
  warmup: number,
): Promise<WarmResults> {
  const events: { label: string; event: unknown }[] = [];
  for (let i = 0; i < warmup + requests; i += 1) {
    for (const key of ['backups', 'restore'] as const) {
      const e = commandEvent(stands, key);
      events.push({ label: i < warmup ? `warmup:${key}` : key, event: e.event });
    }
  }
  const awsFrom = stands.aws.calls.length;
  const slackFrom = stands.slack.calls.length;
  const result = await runChild({
    handlerPath: setup.realHandler,
    exportName: 'slack',
    events,
    env: stands.env,
    cwd: setup.packageDir,
    scratchDir: setup.scratchDir,
    timeoutMs: 120_000,
  });
  const durations: Record<CommandKey, number[]> = { backups: [], restore: [] };
  for (const inv of result.invocations) {
    const key = inv.label.replace(/^warmup:/, '') as CommandKey;
    check(inv, key);
    if (!inv.label.startsWith('warmup:')) durations[key].push(inv.end - inv.start);
  }
  const aws = stands.aws.calls.slice(awsFrom);
  const slackCalls: Record<string, number> = {};
  for (const call of stands.slack.calls.slice(slackFrom)) {
    slackCalls[call.method] = (slackCalls[call.method] ?? 0) + 1;
  }
  const others = aws.filter((c) => c.service !== 'lambda').map((c) => `${c.service}:${c.operation}`);
  // The one SSM read of the cold start is expected.
  others.splice(others.indexOf('ssm:GetParameters'), others.includes('ssm:GetParameters') ? 1 : 0);
  return {
    warmup,
    durations,
    invokesPerRequest: aws.filter((c) => c.service === 'lambda').length / events.length,
    slackCalls,
    otherAwsCalls: others,
  };
}
