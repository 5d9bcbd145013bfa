/**
 * Runs a bundled handler in a fresh `node` process (bench/invoke.mjs) with a Lambda-like
 * environment, and collects what it measured.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const INVOKE_SCRIPT = fileURLToPath(new URL('./invoke.mjs', import.meta.url));

/** One handler call in the child. Times are ms since the child process started. */
export interface Invocation {
  label: string;
  start: number;
  end: number;
  statusCode: number | undefined;
  body: string;
}

export interface ChildResult {
  /** The child's performance.timeOrigin (epoch ms). */
  timeOrigin: number;
  /** When bench/invoke.mjs began to run: Node's own start-up. */
  scriptStart: number;
  importStart: number;
  /** When the handler module had been imported (module evaluation included). */
  imported: number;
  invocations: Invocation[];
  /** Parent's view: from spawn() to the result arriving. */
  wallMs: number;
}

/** The child exited without a result. */
export class ChildRunError extends Error {
  override name = 'ChildRunError';
}

export interface ChildSpec {
  handlerPath: string;
  exportName: string;
  events: { label: string; event: unknown }[];
  /** The whole environment of the child (nothing is inherited but what is given). */
  env: Record<string, string>;
  /** Working directory: the unzipped package, as /var/task on Lambda. */
  cwd: string;
  /** Where to write the events file. */
  scratchDir: string;
  timeoutMs?: number;
  /** Extra `node` flags (e.g. --cpu-prof, which NODE_OPTIONS does not accept). */
  nodeArgs?: string[];
}

let seq = 0;

/** Spawns `node bench/invoke.mjs` and resolves with its measurements. */
export function runChild(spec: ChildSpec): Promise<ChildResult> {
  seq += 1;
  const eventsPath = join(spec.scratchDir, `events-${process.pid}-${seq}.json`);
  writeFileSync(eventsPath, JSON.stringify(spec.events));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [...(spec.nodeArgs ?? []), INVOKE_SCRIPT, spec.handlerPath, spec.exportName, eventsPath],
      {
        cwd: spec.cwd,
        env: spec.env,
        // stdout: the function's logs, as CloudWatch would get them (discarded); fd 3: the result.
        stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
        timeout: spec.timeoutMs ?? 60_000,
      },
    );
    let result = '';
    let stderr = '';
    let arrived = 0;
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      result += chunk.toString('utf8');
      arrived = performance.now();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0 || !result) {
        reject(new ChildRunError(`handler process exited with ${code ?? signal}:\n${stderr.slice(-4000)}`));
        return;
      }
      resolve({ ...(JSON.parse(result) as Omit<ChildResult, 'wallMs'>), wallMs: arrived - started });
    });
  });
}
