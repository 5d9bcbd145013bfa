/**
 * The bundles the bench measures and runs. The functions are packaged by `osls package` itself
 * (serverless-esbuild, the same command as `npm run package`, written to a directory of the bench's
 * own so that it never races CI's `.serverless/`). The bare baseline is built by calling esbuild with
 * the options serverless-esbuild derives from `custom.esbuild` in serverless.yml, and the real
 * handler is built that way too, so the bench can check that the two routes give the same bytes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { readZip } from '../test/deploy/zip.ts';

/** Options that serverless-esbuild consumes itself and deletes before calling esbuild (its bundle.js). */
const PLUGIN_ONLY_OPTIONS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'plugins',
];

/** `osls package` failed; its output is in the message. */
export class PackageError extends Error {
  override name = 'PackageError';
}

/** One function's zip as osls wrote it. */
export interface FunctionPackage {
  name: string;
  zipBytes: number;
  /** The function's bundled entry module (e.g. src/lambda/slack.mjs) inside the zip, uncompressed. */
  handlerBytes: number;
  /** Path of that module in the zip. */
  entryFile: string;
  /** Every file in the zip, uncompressed. */
  unzippedBytes: number;
  files: { name: string; bytes: number }[];
}

export interface PackagedService {
  dir: string;
  functions: FunctionPackage[];
  /** Each function's environment from the generated CloudFormation template. */
  environment: Record<string, Record<string, string>>;
  /** How long `osls package` took. */
  seconds: number;
}

/**
 * Runs `osls package --stage ci` into `outDir` with no AWS credentials, as CI does, and unzips each
 * function into `outDir/<function>/`.
 */
export function packageService(root: string, outDir: string): PackagedService {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  env.AWS_CONFIG_FILE = join(tmpdir(), 'no-such-aws-config');
  env.AWS_SHARED_CREDENTIALS_FILE = join(tmpdir(), 'no-such-aws-credentials');
  rmSync(outDir, { recursive: true, force: true });
  const started = performance.now();
  const result = spawnSync(
    join(root, 'node_modules', '.bin', 'osls'),
    ['package', '--stage', 'ci', '--package', outDir],
    { cwd: root, env, encoding: 'utf8', timeout: 240_000 },
  );
  if (result.status !== 0) {
    throw new PackageError(`osls package failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const template = JSON.parse(
    readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  );
  const resources = template.Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
  const environment: Record<string, Record<string, string>> = {};
  const functions: FunctionPackage[] = [];
  for (const name of ['slack', 'worker', 'watcher']) {
    const fn = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' && String(r.Properties.FunctionName ?? '').endsWith(`-${name}`),
    );
    const handler = String(fn?.Properties.Handler ?? '');
    const entryFile = `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`;
    const variables = (fn?.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    environment[name] = Object.fromEntries(
      Object.entries(variables ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const zipPath = join(outDir, `${name}.zip`);
    const entries = readZip(zipPath);
    for (const entry of entries) {
      const target = join(outDir, name, entry.name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, entry.data);
    }
    functions.push({
      name,
      zipBytes: statSync(zipPath).size,
      entryFile,
      handlerBytes: entries.find((e) => e.name === entryFile)?.data.length ?? 0,
      unzippedBytes: entries.reduce((sum, e) => sum + e.data.length, 0),
      files: entries.map((e) => ({ name: e.name, bytes: e.data.length })),
    });
  }
  return { dir: outDir, functions, environment, seconds };
}

/** The esbuild options serverless-esbuild uses for every function, from serverless.yml. */
export function serverlessEsbuildOptions(root: string): { options: BuildOptions; outExtension: string } {
  const sls = parseYaml(readFileSync(join(root, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as {
    custom: { esbuild: Record<string, unknown> };
  };
  const configured = sls.custom.esbuild;
  const options: Record<string, unknown> = { bundle: true, platform: 'node', ...configured };
  for (const key of PLUGIN_ONLY_OPTIONS) delete options[key];
  const exclude = (configured.exclude as string[] | undefined) ?? [];
  options.external = [...((configured.external as string[] | undefined) ?? []), ...exclude];
  if (typeof configured.plugins === 'string') {
    const require = createRequire(join(root, 'package.json'));
    options.plugins = require(join(root, configured.plugins)) as Plugin[];
  }
  return {
    options: options as BuildOptions,
    outExtension: (configured.outputFileExtension as string | undefined) ?? '.js',
  };
}

/** Bytes of the bundle by where they came from: an npm package, or the bot's own source. */
export interface BundleContributor {
  source: string;
  bytes: number;
}

export interface Bundle {
  path: string;
  bytes: number;
  mapBytes: number;
  contributors: BundleContributor[];
}

function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return input.startsWith('src/') ? 'src (the bot)' : input.split('/')[0] || input;
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? input);
}

function contributors(metafile: Metafile): BundleContributor[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const source = packageOf(input);
      totals.set(source, (totals.get(source) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()]
    .map(([source, bytes]) => ({ source, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
}

/**
 * Bundles `entry` (relative to `root`) with the serverless-esbuild options into `outDir`;
 * `extraPlugins` run before the configured ones (the bench's --explain stubs).
 */
export async function bundleLikeServerless(
  root: string,
  entry: string,
  outDir: string,
  extraPlugins: Plugin[] = [],
): Promise<Bundle> {
  const { options, outExtension } = serverlessEsbuildOptions(root);
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    ...options,
    plugins: [...extraPlugins, ...(options.plugins ?? [])],
    absWorkingDir: root,
    entryPoints: [entry],
    outdir: join(outDir, dirname(entry)),
    ...(outExtension !== '.js' ? { outExtension: { '.js': outExtension } } : {}),
    metafile: true,
    logLevel: 'silent',
  });
  const base = entry.slice(0, entry.lastIndexOf('.'));
  const path = join(outDir, `${base}${outExtension}`);
  return {
    path,
    bytes: statSync(path).size,
    mapBytes: statSync(`${path}.map`).size,
    contributors: contributors(result.metafile),
  };
}
