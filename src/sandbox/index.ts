/**
 * `npm start` without Slack variables: the whole bot in one process against stand-ins, with a
 * web page that plays Slack. The bot is the real one (Bolt's HTTP receiver, worker, watcher,
 * embedded store, real AWS SDK clients); only Slack and AWS are loopback stand-ins.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { LocalEnv } from '../config.ts';
import type { Logger } from '../log.ts';
import { type LocalServer, startLocal } from '../server.ts';
import { seedDemoAws, seedDemoSlack } from './demo.ts';
import { type FakeAws, startFakeAws } from './fake-aws.ts';
import { type PageServer, startPageServer } from './page-server.ts';
import { type SlackApiStand, startSlackApi } from './slack-api.ts';
import { SandboxWorkspace } from './workspace.ts';

export const SANDBOX_CONFIG = fileURLToPath(new URL('../../restore-bot.config.demo.yml', import.meta.url));

export interface SandboxTiming {
  /** Watcher period. */
  watchIntervalSeconds: number;
  /** A progress reply this often while the table is CREATING. */
  progressIntervalMs: number;
  /** Watcher polls that still see CREATING after the restore starts. */
  creatingPolls: number;
}

/**
 * Restores take about 20 s, so the thread shows every reply of a successful restore: approved,
 * started, "still restoring" (twice), then ACTIVE.
 */
export const DEMO_TIMING: SandboxTiming = {
  watchIntervalSeconds: 2,
  progressIntervalMs: 7_000,
  creatingPolls: 10,
};

export interface SandboxOptions {
  /** The page's port on 127.0.0.1 (0 = any free port). */
  port: number;
  log: Logger;
  /** Where the first line (sandboxBanner) goes; main() writes it to stderr as plain text. */
  announce?: (line: string) => void;
  logLevel?: LocalEnv['LOG_LEVEL'];
  timing?: SandboxTiming;
  config?: string;
}

export interface Sandbox {
  url: string;
  bot: LocalServer;
  aws: FakeAws;
  slack: SlackApiStand;
  workspace: SandboxWorkspace;
  close(): Promise<void>;
}

/** The sentence the sandbox starts with: what it is, where, and how to leave it. */
export function sandboxBanner(url: string): string {
  return (
    `Sandbox: open ${url} to try the bot in a stand-in Slack workspace with a stand-in AWS account ` +
    '(demo data, nothing real is touched). To connect a real workspace instead, set SLACK_SIGNING_SECRET ' +
    'and SLACK_BOT_TOKEN (plus SLACK_APP_TOKEN for Socket Mode); see "Run it against Slack and AWS" in the README.'
  );
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const timing = options.timing ?? DEMO_TIMING;
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    const slack = await startSlackApi();
    closers.push(() => slack.close());
    seedDemoSlack(slack);
    const secret = randomBytes(16).toString('hex');
    const workspace = new SandboxWorkspace({ slack, botUrl: '', signingSecret: secret });
    // The page's port first: a busy port stops the sandbox before anything else starts.
    const page: PageServer = await startPageServer(workspace, options.port);
    closers.push(() => page.close());
    (options.announce ?? ((line) => options.log.info(line)))(sandboxBanner(page.url));

    const aws = await startFakeAws({ creatingPolls: timing.creatingPolls });
    closers.push(() => aws.close());
    seedDemoAws(aws);
    // The bot's AWS SDK clients find the stand-in as they would find LocalStack: through the
    // SDK's own variables. The sandbox is its own process, so this changes nothing else.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: aws.url,
      AWS_REGION: aws.region,
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
    });
    const bot = await startLocal(
      {
        PORT: 0,
        HOST: '127.0.0.1',
        SLACK_SIGNING_SECRET: secret,
        SLACK_BOT_TOKEN: 'xoxb-sandbox',
        SLACK_API_URL: `${slack.url}/api/`,
        RESTORE_BOT_CONFIG: options.config ?? SANDBOX_CONFIG,
        WATCH_INTERVAL_SECONDS: timing.watchIntervalSeconds,
        DATA_DIR: '',
        LOG_LEVEL: options.logLevel ?? 'info',
        SLACK_VERIFY_TOKEN: true,
      },
      { log: options.log, memoryStore: true, progressIntervalMs: timing.progressIntervalMs, quiet: true },
    );
    closers.push(() => bot.close());
    workspace.botUrl = `http://127.0.0.1:${bot.port}/slack/events`;
    return { url: page.url, bot, aws, slack, workspace, close };
  } catch (err) {
    await close();
    throw err;
  }
}
