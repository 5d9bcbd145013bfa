import { parse } from 'zod';
import { createStsTargets } from '../aws/target.ts';
import { JobSchema } from '../jobs.ts';
import { sourceExecution } from '../restore/sources/execution.ts';
import { provideSourceExecution } from '../restore/sources/index.ts';
import { createStsSettings } from '../settings/session.ts';
import { noticeKinds } from '../slack/notices/index.ts';
import { runJob, runWatcher } from '../worker.ts';
import { getRuntime, provideWorkerParts } from './runtime.ts';

provideWorkerParts({ targets: createStsTargets, notices: noticeKinds, settings: createStsSettings });
provideSourceExecution(sourceExecution);

/** Asynchronous worker: one job per invoke (see src/jobs.ts). */
export const worker = async (event: unknown): Promise<void> => {
  const { deps } = await getRuntime();
  // zod's parse rather than the zod/mini schema's own: a payload that is not a job still fails with
  // a ZodError (what the worker has always thrown, logged with every issue), not zod core's $ZodError.
  await runJob(deps, parse(JobSchema, event));
};

/** Scheduled every minute: expiry, restore progress, and Slack updates that are still owed. */
export const watcher = async (): Promise<void> => {
  const { deps } = await getRuntime();
  const result = await runWatcher(deps);
  deps.log.info('watcher run', { ...result });
};
