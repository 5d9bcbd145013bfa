import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    setupFiles: ['test/setup.ts'],
    env: {
      // The AWS SDK warns on Node 20 that later versions will need Node 22, once per process: with
      // one process per test file that was the same paragraph 14 times. The README states the
      // supported versions instead (Lambda runs nodejs22.x).
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
