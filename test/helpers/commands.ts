import { CommandError } from '../../src/commands/types.ts';

/** The CommandError `run` throws; fails the test when it throws nothing or something else. */
export function commandErrorOf(run: () => unknown, input = ''): CommandError {
  try {
    run();
  } catch (e) {
    if (e instanceof CommandError) return e;
    throw e;
  }
  throw new Error(`expected a CommandError${input ? ` for ${input}` : ''}`);
}
