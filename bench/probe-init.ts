/**
 * For `--explain`: the slack handler's cold-start work that the bare handler does not do before
 * its SSM read, timed alone in a fresh process (bundled like the functions, run by
 * bench/invoke.mjs). The one invocation answers with the timings as JSON; each step runs twice, so
 * the first (cold) call can be told from the steady-state cost.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { LambdaEnvSchema, parseConfig, parseEnv } from '../src/config.ts';

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

/** Times parseEnv, the YAML parse and the zod validation of the config, first and second call. */
export const slack = async (): Promise<{ statusCode: number; body: string }> => {
  const out: Record<string, number> = {};
  for (const round of ['first', 'second']) {
    const [, env] = timed(() => parseEnv(LambdaEnvSchema, process.env));
    const path = process.env.RESTORE_BOT_CONFIG ?? 'restore-bot.config.yml';
    const [raw, yaml] = timed(() => parseYaml(readFileSync(path, 'utf8')) as unknown);
    const [, config] = timed(() => parseConfig(raw, path));
    out[`${round}.parseEnv`] = env;
    out[`${round}.yaml`] = yaml;
    out[`${round}.parseConfig`] = config;
  }
  return { statusCode: 200, body: JSON.stringify(out) };
};
