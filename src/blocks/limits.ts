/**
 * Slack Block Kit limits (docs.slack.dev, Block Kit reference). Slack rejects a whole message
 * (`invalid_blocks`) when one of these is exceeded, so builders clip every piece of text to them.
 */

/** Blocks in one message. */
export const MAX_MESSAGE_BLOCKS = 50;
/** Blocks in one modal view. */
export const MAX_MODAL_BLOCKS = 100;
/** `text` of a section block. */
export const MAX_SECTION_TEXT = 3000;
/** Items in a section's `fields`. */
export const MAX_SECTION_FIELDS = 10;
/** Text of each item in a section's `fields`. */
export const MAX_FIELD_TEXT = 2000;
/** Text of a header block (plain_text). */
export const MAX_HEADER_TEXT = 150;
/** Elements in a context block. */
export const MAX_CONTEXT_ELEMENTS = 10;
/** Text of one text element (the general text-object limit, which applies inside context blocks). */
export const MAX_TEXT_OBJECT = 3000;
/** Elements in an actions block. */
export const MAX_ACTIONS_ELEMENTS = 25;
/** Text of a button. */
export const MAX_BUTTON_TEXT = 75;
/** `value` of a button. */
export const MAX_BUTTON_VALUE = 2000;
/** `action_id` of an interactive element. */
export const MAX_ACTION_ID = 255;
/** `block_id` of a block. */
export const MAX_BLOCK_ID = 255;
/** Confirmation dialog: title, text, and each of the confirm/deny button texts. */
export const MAX_CONFIRM_TITLE = 100;
export const MAX_CONFIRM_TEXT = 300;
export const MAX_CONFIRM_BUTTON = 30;
/** Modal `title`, `submit` and `close` texts. */
export const MAX_MODAL_TITLE = 24;
/** A modal's `private_metadata` and `callback_id`. */
export const MAX_PRIVATE_METADATA = 3000;
export const MAX_CALLBACK_ID = 255;
/** Input block `label` and `hint`. */
export const MAX_INPUT_LABEL = 2000;
export const MAX_INPUT_HINT = 2000;
/** Placeholder of an input element. */
export const MAX_PLACEHOLDER = 150;
/** Options in a static select, and the text and value of each option. */
export const MAX_SELECT_OPTIONS = 100;
export const MAX_OPTION_TEXT = 75;
export const MAX_OPTION_VALUE = 150;
/**
 * Our own budget for a message's fallback `text`. Slack accepts far more (it truncates at
 * 40,000), but the fallback is a notification line: it only needs to say what happened.
 */
export const MAX_FALLBACK_TEXT = 3000;

const ELLIPSIS = '…';

/**
 * Shortens `text` to at most `max` UTF-16 code units, ending with '…' when it had to cut.
 * Never splits a surrogate pair, so an emoji is never turned into a broken character.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + ELLIPSIS;
}

/**
 * Like {@link truncate}, for Slack mrkdwn: the cut never lands inside an `&amp;` entity or a
 * `<@U123>` / `<url|label>` token, and an opened code span or code block is closed again, so a
 * clipped message still renders instead of showing markup.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  // Room for a closing "\n```" after the ellipsis.
  let cut = truncate(text, Math.max(1, max - 4)).slice(0, -1);
  const lt = cut.lastIndexOf('<');
  if (lt > cut.lastIndexOf('>')) cut = cut.slice(0, lt);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';') && amp >= cut.length - 6) cut = cut.slice(0, amp);
  const fences = cut.split('```').length - 1;
  if (fences % 2 === 1) return `${cut}${ELLIPSIS}\n\`\`\``;
  const ticks = cut.replaceAll('```', '').split('`').length - 1;
  if (ticks % 2 === 1) return `${cut}${ELLIPSIS}\``;
  return cut + ELLIPSIS;
}
