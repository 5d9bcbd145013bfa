import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { REJECT_REASON_ACTION, REJECT_REASON_BLOCK } from '../../blocks/reject.ts';
import { rejectRequest } from '../../restore/service.ts';
import type { ListenerDeps } from '../shared.ts';

/** Submitting the Reject modal: one conditional write; a refusal is shown in the modal itself. */
export function rejectModalSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    let requestId = '';
    try {
      requestId = String(JSON.parse(view.private_metadata).requestId ?? '');
    } catch {
      requestId = '';
    }
    const reason = view.state.values[REJECT_REASON_BLOCK]?.[REJECT_REASON_ACTION]?.value ?? undefined;
    const outcome = await rejectRequest(deps, requestId, body.user.id, reason ?? undefined);
    if (outcome.ok) {
      await ack();
    } else {
      await ack({
        response_action: 'errors',
        errors: { [REJECT_REASON_BLOCK]: outcome.message.slice(0, 150) },
      });
    }
  };
}
