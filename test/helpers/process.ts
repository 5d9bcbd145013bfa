import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { postToLocal, signSlackBody } from '../../src/sandbox/slack-requests.ts';
import { SIGNING_SECRET } from './bot.ts';

const root = process.cwd();
/** tsx by path, so the process can run in a directory of its own (no .env of the checkout). */
const LOADER = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const SERVER = join(root, 'src/server.ts');

/** The line `npm start` logs once it listens, with its port. */
export const RUNNING = /"message":"dynamodb-restore-bot is running".*?"port":(\d+)/;

export interface NpmStart {
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * `npm start` (src/server.ts run by tsx, as package.json does) in its own process, configured
 * only by `env` (plus PATH and HOME) as DESIGN's environment variables say.
 */
export function startNpmStart(env: NodeJS.ProcessEnv, cwd = root): NpmStart {
  const child = spawn(process.execPath, ['--import', LOADER, SERVER], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // As in every test process (vitest.config.ts): the SDK's Node 20 notice is not under test.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      PORT: '0',
      ...env,
    },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * Resolves with the first match of `pattern` in the output, as soon as the process writes it;
 * rejects when the process exits first (with its exit code and output) or after `timeoutMs`.
 */
export function waitForOutput(run: NpmStart, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const done = (settle: () => void) => {
      clearTimeout(timer);
      run.child.stdout?.off('data', check);
      run.child.stderr?.off('data', check);
      settle();
    };
    const check = () => {
      const match = pattern.exec(run.output());
      if (match) done(() => resolve(match));
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`no ${pattern} in the output:\n${run.output()}`))),
      timeoutMs,
    );
    run.child.stdout?.on('data', check);
    run.child.stderr?.on('data', check);
    void run.exited.then((code) =>
      done(() => reject(new Error(`npm start exited with ${code} before ${pattern}:\n${run.output()}`))),
    );
    check();
  });
}

/** Stops the process (SIGTERM) and waits until it has exited. */
export async function stopNpmStart(run: NpmStart): Promise<void> {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
  await run.exited;
}

/** Posts a body signed with the test signing secret to a running process's Slack endpoint. */
export function sendTo(port: number, body: string) {
  return postToLocal(`http://127.0.0.1:${port}/slack/events`, body, signSlackBody(SIGNING_SECRET, body));
}
