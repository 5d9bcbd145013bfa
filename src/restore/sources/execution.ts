/**
 * The execution part of every source kind (pre-flight, start, restore job, session policy): wired
 * by the worker's entry module (src/lambda/worker.ts, worker and watcher) and by `npm start`
 * (src/server.ts) with `provideSourceExecution(sourceExecution)`. The slack function never imports
 * this file, so its bundle carries the source views only.
 */
import { backupExec } from './backup/exec.ts';
import type { SourceExecRegistry } from './index.ts';
import { pitrExec } from './pitr/exec.ts';
import { recoveryPointExec } from './recovery-point/exec.ts';

/** One execution module per source kind. */
export const sourceExecution: SourceExecRegistry = {
  backup: backupExec,
  'recovery-point': recoveryPointExec,
  pitr: pitrExec,
};
