import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorMessage } from '../../blocks/errors.ts';
import { JobSchema } from '../../jobs.ts';
import { ephemeral, handOff, type ListenerDeps } from '../shared.ts';

/** "Next N" under a backups list: the same query one page further, answered by the worker. */
export function backupsMoreButton(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const { body } = args;
    let query: unknown;
    try {
      query = JSON.parse(args.action.value ?? '');
    } catch {
      query = undefined;
    }
    const job = JobSchema.safeParse({
      ...(typeof query === 'object' && query !== null ? query : {}),
      type: 'backups.list',
      userId: body.user.id,
      channelId: body.channel?.id ?? '',
      replyTo: { responseUrl: body.response_url },
    });
    const failed = job.success
      ? await handOff(deps, job.data)
      : 'That button is from an older version of the bot; run /backups again.';
    if (failed) await args.respond(ephemeral(errorMessage(failed)));
  };
}

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
