import type { SlackMessage } from '../blocks/types.ts';
import type { Job } from '../jobs.ts';
import type { RestoreDeps } from '../restore/service.ts';

/** What every listener gets: the domain's dependencies and a source of new request IDs. */
export interface ListenerDeps extends RestoreDeps {
  newRequestId: () => string;
}

/** A message only the person who ran the command sees, as an ack() or respond() body. */
export function ephemeral(message: SlackMessage) {
  return { response_type: 'ephemeral' as const, replace_original: false, ...message };
}

/** Hands a job to the worker; a failed hand-off is reported instead of being lost silently. */
export async function handOff(deps: ListenerDeps, job: Job): Promise<string | undefined> {
  try {
    await deps.dispatcher.dispatch(job);
    return undefined;
  } catch (err) {
    deps.log.error('hand-off to the worker failed', { job: job.type, error: err });
    return 'The bot could not start that work (its worker is unreachable). Nothing was changed; try again in a minute.';
  }
}
