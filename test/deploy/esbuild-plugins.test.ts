import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const plugins = require('../../deploy/esbuild-plugins.cjs') as Plugin[] & {
  STUBBED: string[];
};

/** Bundles `source` (CommonJS) with the Lambda plugins and runs it; returns its `module.exports`. */
async function bundleAndRun(source: string): Promise<Record<string, unknown>> {
  const result = await build({
    stdin: { contents: source, loader: 'js', resolveDir: process.cwd() },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    plugins,
    logLevel: 'silent',
  });
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(result.outputFiles[0]!.text, { module, exports: module.exports, require });
  return module.exports;
}

describe('deploy/esbuild-plugins.cjs', () => {
  it('stubs exactly the modules of the receivers a Lambda never builds, and yaml', () => {
    expect([...plugins.STUBBED].sort()).toEqual(['@slack/socket-mode', 'express', 'raw-body', 'yaml']);
  });

  it('lets a stubbed module load the way Bolt imports it', async () => {
    const exports = await bundleAndRun(`
      const express = require('express');
      const socketMode = require('@slack/socket-mode');
      module.exports = { esModule: express.__esModule, type: typeof socketMode.SocketModeClient };
    `);

    expect(exports).toEqual({ esModule: undefined, type: 'function' });
  });

  it('throws an error naming the module when stubbed code is called', async () => {
    const exports = await bundleAndRun(`
      const rawBody = require('raw-body');
      module.exports = { read: () => rawBody({}) };
    `);

    expect(() => (exports.read as () => unknown)()).toThrow(/raw-body is not bundled in the Lambda package/);
  });

  it('says that the functions read the JSON config when YAML parsing is called', async () => {
    const exports = await bundleAndRun(`
      const { parse } = require('yaml');
      module.exports = { parse: () => parse('a: 1') };
    `);

    expect(() => (exports.parse as () => unknown)()).toThrow(
      /yaml is not bundled in the Lambda package.*read the JSON config that `osls package` writes/,
    );
  });

  it('leaves other modules bundled as they are', async () => {
    const exports = await bundleAndRun(`module.exports = { id: require('zod/mini').string().parse('U0A') };`);

    expect(exports).toEqual({ id: 'U0A' });
  });
});
