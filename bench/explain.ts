/**
 * `--explain`: where the slack handler's import time goes. The handler is rebuilt with the
 * serverless-esbuild options and with one package at a time replaced by an inert stub (a proxy that
 * answers every property access and call with itself, so module-level schema definitions still
 * evaluate), and each bundle is imported, and only imported, in fresh processes. The difference to
 * the full bundle is what that package costs at load: parsing, compiling and running its module code.
 */
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { bundleLikeServerless } from './build.ts';
import { runChild } from './child.ts';
import type { LatencySetup } from './latency.ts';
import { median } from './stats.ts';

/** One bundle's import-only timing. */
export interface ImportVariant {
  name: string;
  stubbed: string[];
  bytes: number;
  importP50: number;
  /** Process start to handler imported. */
  importedP50: number;
}

const STUB = `const stub = new Proxy(function stub() {}, {
  get: (_t, key) => (key === 'then' || key === '__esModule' || typeof key === 'symbol' ? undefined : stub),
  apply: () => stub,
  construct: () => stub,
});`;

/** Replaces each named package with a stub exporting the same names. */
async function stubPackages(names: string[]): Promise<Plugin> {
  const exportsOf = new Map<string, string[]>();
  for (const name of names) {
    exportsOf.set(name, Object.keys((await import(name)) as Record<string, unknown>));
  }
  const escaped = names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|');
  return {
    name: 'bench-stub-packages',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^(${escaped})$`) }, (args) => ({
        path: args.path,
        namespace: 'bench-stub',
      }));
      build.onLoad({ filter: /.*/, namespace: 'bench-stub' }, (args) => {
        const names = (exportsOf.get(args.path) ?? []).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
        const list = [...new Set([...names, 'default'])].map((n) => `stub as ${n}`).join(', ');
        return { contents: `${STUB}\nexport { ${list} };\n`, loader: 'js' };
      });
    },
  };
}

export interface ExplainResults {
  imports: ImportVariant[];
  /** bench/probe-init.ts: median ms of each step, first and second call in a fresh process. */
  init: Record<string, number>;
}

/**
 * Import-only timings of the slack handler, of the slack handler with zod stubbed (its config and
 * job schemas use zod/mini, src/commands/duration.ts uses zod), and of the bare handler; and the
 * first-call cost of the environment and config parsing and of the first Intl.NumberFormat
 * (bench/probe-init.ts). yaml is not in the Lambda bundles (deploy/esbuild-plugins.cjs).
 */
export async function explainColdStart(
  root: string,
  setup: LatencySetup,
  env: Record<string, string>,
  scratchDir: string,
  runs = 21,
): Promise<ExplainResults> {
  const specs: { name: string; stubbed: string[]; entry: string }[] = [
    { name: 'slack handler (src/lambda/slack.ts)', stubbed: [], entry: 'src/lambda/slack.ts' },
    {
      name: 'slack handler without zod',
      stubbed: ['zod', 'zod/mini', 'zod/locales'],
      entry: 'src/lambda/slack.ts',
    },
    { name: 'bare Bolt + AWS SDK (bench/bare-handler.ts)', stubbed: [], entry: 'bench/bare-handler.ts' },
  ];
  const built = [];
  for (const [i, spec] of specs.entries()) {
    const extra = spec.stubbed.length > 0 ? [await stubPackages(spec.stubbed)] : [];
    const bundle = await bundleLikeServerless(
      root,
      spec.entry,
      join(scratchDir, 'explain', String(i)),
      extra,
    );
    built.push({ ...spec, bundle, imports: [] as number[], imported: [] as number[] });
  }
  for (let round = 0; round <= runs; round += 1) {
    for (const variant of built) {
      const result = await runChild({
        handlerPath: variant.bundle.path,
        exportName: 'slack',
        events: [],
        env,
        cwd: setup.packageDir,
        scratchDir,
      });
      if (round === 0) continue;
      variant.imports.push(result.imported - result.importStart);
      variant.imported.push(result.imported);
    }
  }
  const probe = await bundleLikeServerless(root, 'bench/probe-init.ts', join(scratchDir, 'explain', 'probe'));
  const steps = new Map<string, number[]>();
  for (let round = 0; round <= runs; round += 1) {
    const result = await runChild({
      handlerPath: probe.path,
      exportName: 'slack',
      events: [{ label: 'probe', event: {} }],
      env,
      cwd: setup.packageDir,
      scratchDir,
    });
    if (round === 0) continue;
    const timings = JSON.parse(result.invocations[0]?.body ?? '{}') as Record<string, number>;
    for (const [step, value] of Object.entries(timings)) steps.set(step, [...(steps.get(step) ?? []), value]);
  }
  return {
    imports: built.map((v) => ({
      name: v.name,
      stubbed: v.stubbed,
      bytes: v.bundle.bytes,
      importP50: median(v.imports),
      importedP50: median(v.imported),
    })),
    init: Object.fromEntries([...steps].map(([step, values]) => [step, median(values)])),
  };
}
