import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { refusalMessage, refusalModal } from '../../blocks/errors.ts';
import { rejectModal } from '../../blocks/reject.ts';
import { environmentNamed } from '../../config.ts';
import { REQUEST_ID_PATTERN } from '../../restore/ids.ts';
import { decideReject } from '../../restore/lifecycle.ts';
import { isApprover } from '../../restore/policy.ts';
import {
  type ActionOutcome,
  approveRequest,
  cancelRequest,
  NOT_A_REQUEST_ID,
} from '../../restore/service.ts';
import { publishHome } from '../../slack/home.ts';
import { ephemeral, type ListenerDeps } from '../shared.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * Tells only the person who clicked why nothing happened; the channel message stays as it is. A
 * click on the Home tab has no response_url: the refusal opens in a small modal instead, and the
 * clicker's Home is drawn again, since what they clicked on was out of date.
 */
async function refuse(deps: ListenerDeps, args: Args, outcome: ActionOutcome): Promise<void> {
  if (outcome.ok) return;
  if (args.body.container?.type !== 'view') {
    await args.respond(ephemeral(refusalMessage(outcome.message)));
    return;
  }
  await args.client.views.open({ trigger_id: args.body.trigger_id, view: refusalModal(outcome.message) });
  await publishHome(deps, args.client, args.body.user.id);
}

/** Approve: one conditional write; the message update and the restore follow in the worker. */
export function approveButton(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    await refuse(deps, args, await approveRequest(deps, args.action.value ?? '', args.body.user.id));
  };
}

/** Cancel: only the requester, only while the request waits. */
export function cancelButton(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    await refuse(deps, args, await cancelRequest(deps, args.action.value ?? '', args.body.user.id));
  };
}

/**
 * Reject: checks that the clicker could reject before asking for a reason, so a non-approver is
 * refused at once rather than after typing one. The rejection itself happens on submit.
 */
export function rejectButton(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const userId = args.body.user.id;
    const requestId = args.action.value ?? '';
    if (!REQUEST_ID_PATTERN.test(requestId)) {
      await refuse(deps, args, { ok: false, message: NOT_A_REQUEST_ID });
      return;
    }
    const req = await deps.store.get(requestId);
    if (!req) {
      await refuse(deps, args, { ok: false, message: `There is no restore request ${requestId}.` });
      return;
    }
    const env = environmentNamed(deps.config, req.environment);
    const approver = env ? await isApprover(env, userId, deps.directory) : false;
    const check = decideReject(req, userId, approver, undefined, deps.now());
    if (!check.ok) {
      await refuse(deps, args, { ok: false, message: check.reason });
      return;
    }
    await args.client.views.open({ trigger_id: args.body.trigger_id, view: rejectModal(req) });
  };
}
