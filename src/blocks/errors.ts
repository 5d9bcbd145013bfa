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
