/**
 * For `--explain`: cold-start work of the slack handler that the bare handler does not do, timed
 * alone in a fresh process (bundled like the functions, run by bench/invoke.mjs). The one
 * invocation answers with the timings as JSON; each step runs twice, so the first (cold) call can
 * be told from the steady-state cost.
 *
 * - parseEnv, the config file read with JSON.parse, and its zod validation: before the SSM read.
 * - The first `Intl.NumberFormat`: src/blocks/format.ts builds one when it is imported, as part of
 *   the handler's import. The first one in a process loads ICU's locale data.
 */
import { readFileSync } from 'node:fs';
import { LambdaEnvSchema, parseConfig, parseEnv } from '../src/config.ts';

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

/** Times parseEnv, the JSON parse and the zod validation of the config, and the first number format. */
export const slack = async (): Promise<{ statusCode: number; body: string }> => {
  const out: Record<string, number> = {};
  for (const round of ['first', 'second']) {
    const [, env] = timed(() => parseEnv(LambdaEnvSchema, process.env));
    const path = process.env.RESTORE_BOT_CONFIG ?? 'restore-bot.config.json';
    const [raw, json] = timed(() => JSON.parse(readFileSync(path, 'utf8')) as unknown);
    const [, config] = timed(() => parseConfig(raw, path));
    const [, intl] = timed(() => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }));
    out[`${round}.parseEnv`] = env;
    out[`${round}.json`] = json;
    out[`${round}.parseConfig`] = config;
    out[`${round}.Intl`] = intl;
  }
  return { statusCode: 200, body: JSON.stringify(out) };
};
