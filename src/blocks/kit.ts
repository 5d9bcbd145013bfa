/**
 * Small block constructors that apply Slack's limits in one place, so no builder can produce a
 * message Slack rejects, whatever the input. Internal to src/blocks.
 */
import type { types } from '@slack/bolt';
import { escapeMrkdwn } from './format.ts';
import {
  MAX_ACTION_ID,
  MAX_BLOCK_ID,
  MAX_BUTTON_TEXT,
  MAX_BUTTON_VALUE,
  MAX_CONFIRM_BUTTON,
  MAX_CONFIRM_TEXT,
  MAX_CONFIRM_TITLE,
  MAX_CONTEXT_ELEMENTS,
  MAX_FALLBACK_TEXT,
  MAX_FIELD_TEXT,
  MAX_HEADER_TEXT,
  MAX_SECTION_FIELDS,
  MAX_SECTION_TEXT,
  MAX_TEXT_OBJECT,
  truncate,
  truncateMrkdwn,
} from './limits.ts';
import type { SlackMessage } from './types.ts';

/** Budget for one name (table, backup, index): DynamoDB allows up to 255 characters. */
export const MAX_NAME = 255;
/** Budget for an ARN: IAM allows up to 1,024 characters (DynamoDB backup ARNs are far shorter). */
export const MAX_ARN = 1024;

/** Slack rejects empty text objects; an empty value shows as a dash instead. */
function nonEmpty(text: string): string {
  return text.trim() === '' ? '—' : text;
}

export function header(text: string): types.HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(nonEmpty(text), MAX_HEADER_TEXT), emoji: true },
  };
}

export function section(mrkdwn: string, blockId?: string): types.SectionBlock {
  const block: types.SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: truncateMrkdwn(nonEmpty(mrkdwn), MAX_SECTION_TEXT) },
  };
  if (blockId !== undefined) block.block_id = truncate(blockId, MAX_BLOCK_ID);
  return block;
}

/** A two-column section; extra fields beyond Slack's ten are dropped, so put the least important last. */
export function fields(items: string[]): types.SectionBlock {
  return {
    type: 'section',
    fields: items
      .slice(0, MAX_SECTION_FIELDS)
      .map((text) => ({ type: 'mrkdwn', text: truncateMrkdwn(nonEmpty(text), MAX_FIELD_TEXT) })),
  };
}

export function context(items: string[]): types.ContextBlock {
  return {
    type: 'context',
    elements: items
      .slice(0, MAX_CONTEXT_ELEMENTS)
      .map((text) => ({ type: 'mrkdwn', text: truncateMrkdwn(nonEmpty(text), MAX_TEXT_OBJECT) })),
  };
}

export function divider(): types.DividerBlock {
  return { type: 'divider' };
}

export interface ButtonSpec {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny: string; style?: 'primary' | 'danger' };
}

/**
 * A button. The `value` is never clipped (a clipped request ID or cursor would act on the wrong
 * thing): callers must check it fits {@link MAX_BUTTON_VALUE} and leave the button out if not.
 */
export function button(spec: ButtonSpec): types.Button {
  if (spec.value.length > MAX_BUTTON_VALUE) {
    throw new RangeError(`button value is ${spec.value.length} characters; Slack allows ${MAX_BUTTON_VALUE}`);
  }
  const b: types.Button = {
    type: 'button',
    text: { type: 'plain_text', text: truncate(nonEmpty(spec.text), MAX_BUTTON_TEXT), emoji: true },
    action_id: truncate(spec.actionId, MAX_ACTION_ID),
    value: spec.value,
  };
  if (spec.style) b.style = spec.style;
  if (spec.confirm) {
    b.confirm = {
      title: { type: 'plain_text', text: truncate(spec.confirm.title, MAX_CONFIRM_TITLE) },
      text: { type: 'plain_text', text: truncate(nonEmpty(spec.confirm.text), MAX_CONFIRM_TEXT) },
      confirm: { type: 'plain_text', text: truncate(spec.confirm.confirm, MAX_CONFIRM_BUTTON) },
      deny: { type: 'plain_text', text: truncate(spec.confirm.deny, MAX_CONFIRM_BUTTON) },
    };
    if (spec.confirm.style) b.confirm.style = spec.confirm.style;
  }
  return b;
}

export function actions(blockId: string, elements: types.Button[]): types.ActionsBlock {
  return { type: 'actions', block_id: truncate(blockId, MAX_BLOCK_ID), elements };
}

/** Assembles a message, clipping the fallback text to its budget. */
export function message(text: string, blocks: types.KnownBlock[]): SlackMessage {
  return { text: truncateMrkdwn(nonEmpty(text), MAX_FALLBACK_TEXT), blocks };
}

/**
 * Outside text (names, reasons, AWS messages) for mrkdwn: clipped to `max` characters first,
 * then escaped, so a budget is spent on what the reader sees.
 */
export function clip(raw: string | undefined, max: number): string {
  return escapeMrkdwn(truncate(raw ?? '', max));
}

/**
 * Outside text as inline code (easy to copy). Backticks inside would end the span early, so
 * they become a look-alike; names and ARNs from AWS never contain any.
 */
export function code(raw: string | undefined, max = MAX_NAME): string {
  return `\`${clip(nonEmpty(raw ?? ''), max).replaceAll('`', 'ˋ')}\``;
}

/**
 * A Slack link: `<url|label>`. The URL comes from Slack (chat.getPermalink) or from the bot's own
 * console URL builders, never from users; the label is mrkdwn the caller has escaped.
 */
export function link(url: string, label: string): string {
  return `<${url}|${label}>`;
}

/** Mrkdwn (already clipped and escaped) as a block quote: every line starts with `>`. */
export function quote(mrkdwn: string): string {
  return `>${mrkdwn.replaceAll('\n', '\n>')}`;
}
