import { emitWarningIfUnsupportedVersion, state } from '@aws-sdk/core/client';
import { describe, expect, it } from 'vitest';

describe('npm test output', () => {
  it('regression: carries no AWS SDK NodeVersionSupportWarning (it was printed once per test file)', async () => {
    const warnings: Error[] = [];
    const collect = (warning: Error) => warnings.push(warning);
    process.on('warning', collect);
    try {
      state.warningEmitted = false;
      // What every SDK client does at construction, here with a Node 20 version on any Node.
      emitWarningIfUnsupportedVersion('v20.19.0');
      // process.emitWarning emits on the next tick; setImmediate runs after every queued tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', collect);
    }
    expect(warnings.map((w) => w.message).filter((m) => m.includes('NodeVersionSupportWarning'))).toEqual([]);
  });
});
