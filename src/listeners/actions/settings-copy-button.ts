import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noticeMessage, refusalMessage } from '../../blocks/errors.ts';
import { claimCopy } from '../../settings/claim.ts';
import { ephemeral, handOff, type ListenerDeps } from '../shared.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * Copy settings (after the confirm dialog): authorises the clicker, claims the run with one
 * conditional write (a double click or a second person starts nothing more), and hands the copy
 * to the worker. Only the clicker is told; the result goes to the thread.
 */
export function settingsCopyButton(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const requestId = args.action.value ?? '';
    const userId = args.body.user.id;
    const claim = await claimCopy(deps, requestId, userId);
    if (!claim.ok) {
      await args.respond(ephemeral(refusalMessage(claim.message)));
      return;
    }
    const failed = await handOff(deps, { type: 'settings.copy', requestId, userId });
    await args.respond(
      ephemeral(
        failed
          ? refusalMessage(failed)
          : noticeMessage(
              `:gear: Copying settings to ${claim.request.targetTable}; one line per setting follows in the thread.`,
            ),
      ),
    );
  };
}
