import { createStsTargets } from '../aws/target.ts';
import { JobSchema } from '../jobs.ts';
import { runJob, runWatcher } from '../worker.ts';
import { getRuntime, provideTargets } from './runtime.ts';

provideTargets(createStsTargets);

/** Asynchronous worker: one job per invoke (see src/jobs.ts). */
export const worker = async (event: unknown): Promise<void> => {
  const { deps } = await getRuntime();
  await runJob(deps, JobSchema.parse(event));
};

/** Scheduled every minute: expiry, restore progress, and Slack updates that are still owed. */
export const watcher = async (): Promise<void> => {
  const { deps } = await getRuntime();
  const result = await runWatcher(deps);
  deps.log.info('watcher run', { ...result });
};
