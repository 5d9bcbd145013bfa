import type { types } from '@slack/bolt';
import { sourceLabel } from '../restore/sources/index.ts';
import type { RestoreRequest } from '../restore/types.ts';
import { escapeMrkdwn } from './format.ts';

export const REJECT_MODAL_CALLBACK = 'reject_modal';
export const REJECT_REASON_BLOCK = 'reject_reason';
export const REJECT_REASON_ACTION = 'reason';

/** The small modal behind Reject: says what is being rejected and takes an optional reason. */
export function rejectModal(req: RestoreRequest): types.View {
  return {
    type: 'modal',
    callback_id: REJECT_MODAL_CALLBACK,
    private_metadata: JSON.stringify({ requestId: req.id }),
    title: { type: 'plain_text', text: `Reject ${req.id}` },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Back' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Reject <@${req.requesterId}>'s restore of *${escapeMrkdwn(sourceLabel(req.source))}* into *${escapeMrkdwn(req.targetTable)}* (${escapeMrkdwn(req.environment)})? Nothing will be restored.`,
        },
      },
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK,
        optional: true,
        label: { type: 'plain_text', text: 'Reason (shown in the thread)' },
        element: {
          type: 'plain_text_input',
          action_id: REJECT_REASON_ACTION,
          multiline: true,
          max_length: 500,
        },
      },
    ],
  };
}
