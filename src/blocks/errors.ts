import type { types } from '@slack/bolt';
import { context, message, section } from './kit.ts';
import type { SlackMessage } from './types.ts';

/**
 * An input error: `text` (mrkdwn; escape outside text with `escapeMrkdwn`) names the bad part,
 * and the usage line, when given, shows the right form in a code block.
 */
export function errorMessage(text: string, usage?: string): SlackMessage {
  const blocks = [section(`:warning: ${text}`)];
  if (usage && usage.trim() !== '') {
    blocks.push(section(`\`\`\`${usage.replaceAll('```', 'ˋˋˋ')}\`\`\``));
  }
  return message(`:warning: ${text}`, blocks);
}

/**
 * A refusal (not allowed to approve, not in an allowed channel, …): `text` (mrkdwn) says why and,
 * where it helps, who can.
 */
export function refusalMessage(text: string): SlackMessage {
  return message(`:no_entry: ${text}`, [section(`:no_entry: ${text}`), context(['Nothing was changed.'])]);
}

/** A plain notice (mrkdwn), e.g. "Looking up…" or "Request R-… is posted". */
export function noticeMessage(text: string): SlackMessage {
  return message(text, [section(text)]);
}

/**
 * A refusal shown in a small modal: for clicks on the Home tab, which has no response_url for an
 * ephemeral answer. The title stays within Slack's 24 characters.
 */
export function refusalModal(text: string): types.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Nothing was changed' },
    close: { type: 'plain_text', text: 'OK' },
    blocks: refusalMessage(text).blocks,
  };
}
