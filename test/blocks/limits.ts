/**
 * Test helper: checks a message or modal against Slack's Block Kit limits, the way Slack's API
 * would reject it (`invalid_blocks`). Collects every problem so a failure names all of them.
 */
import type { types } from '@slack/bolt';
import { expect } from 'vitest';
import {
  MAX_ACTION_ID,
  MAX_ACTIONS_ELEMENTS,
  MAX_BLOCK_ID,
  MAX_BUTTON_TEXT,
  MAX_BUTTON_VALUE,
  MAX_CALLBACK_ID,
  MAX_CONFIRM_BUTTON,
  MAX_CONFIRM_TEXT,
  MAX_CONFIRM_TITLE,
  MAX_CONTEXT_ELEMENTS,
  MAX_FALLBACK_TEXT,
  MAX_FIELD_TEXT,
  MAX_HEADER_TEXT,
  MAX_INPUT_HINT,
  MAX_INPUT_LABEL,
  MAX_MESSAGE_BLOCKS,
  MAX_MODAL_BLOCKS,
  MAX_MODAL_TITLE,
  MAX_OPTION_TEXT,
  MAX_OPTION_VALUE,
  MAX_PLACEHOLDER,
  MAX_PRIVATE_METADATA,
  MAX_SECTION_FIELDS,
  MAX_SECTION_TEXT,
  MAX_SELECT_OPTIONS,
  MAX_TEXT_OBJECT,
} from '../../src/blocks/limits.ts';
import type { SlackMessage } from '../../src/blocks/types.ts';

// Block Kit JSON is checked structurally: the union types do not help when walking any block.
type Json = Record<string, unknown>;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isView(subject: SlackMessage | types.View): subject is types.View {
  return 'type' in subject;
}

/** Lists every way `subject` breaks Slack's limits; empty when it is fine. */
export function slackLimitProblems(subject: SlackMessage | types.View): string[] {
  const problems: string[] = [];
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();

  const text = (where: string, value: unknown, max: number, min = 1) => {
    if (typeof value !== 'string') {
      problems.push(`${where}: not a string`);
      return;
    }
    if (value.length < min) problems.push(`${where}: empty`);
    if (value.length > max) problems.push(`${where}: ${value.length} > ${max} characters`);
    if (LONE_SURROGATE.test(value)) problems.push(`${where}: contains a broken surrogate pair`);
  };
  const textObject = (where: string, obj: unknown, max: number, plainOnly = false) => {
    if (!isObject(obj)) {
      problems.push(`${where}: missing text object`);
      return;
    }
    if (obj.type !== 'plain_text' && (plainOnly || obj.type !== 'mrkdwn')) {
      problems.push(`${where}: text type ${String(obj.type)}`);
    }
    text(`${where}.text`, obj.text, max);
  };
  const actionId = (where: string, id: unknown) => {
    if (id === undefined) return;
    text(`${where}.action_id`, id, MAX_ACTION_ID);
    if (typeof id === 'string') {
      if (actionIds.has(id)) problems.push(`${where}: duplicate action_id ${id}`);
      actionIds.add(id);
    }
  };
  const option = (where: string, o: unknown) => {
    if (!isObject(o)) {
      problems.push(`${where}: not an option`);
      return;
    }
    textObject(`${where}.text`, o.text, MAX_OPTION_TEXT, true);
    text(`${where}.value`, o.value, MAX_OPTION_VALUE);
  };
  const element = (where: string, el: unknown) => {
    if (!isObject(el)) {
      problems.push(`${where}: not an element`);
      return;
    }
    actionId(where, el.action_id);
    if (el.placeholder !== undefined)
      textObject(`${where}.placeholder`, el.placeholder, MAX_PLACEHOLDER, true);
    switch (el.type) {
      case 'button': {
        textObject(`${where}.text`, el.text, MAX_BUTTON_TEXT, true);
        if (el.value !== undefined) text(`${where}.value`, el.value, MAX_BUTTON_VALUE);
        if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
          problems.push(`${where}: style ${String(el.style)}`);
        }
        if (el.confirm !== undefined) {
          const c = el.confirm as Json;
          textObject(`${where}.confirm.title`, c.title, MAX_CONFIRM_TITLE, true);
          textObject(`${where}.confirm.text`, c.text, MAX_CONFIRM_TEXT);
          textObject(`${where}.confirm.confirm`, c.confirm, MAX_CONFIRM_BUTTON, true);
          textObject(`${where}.confirm.deny`, c.deny, MAX_CONFIRM_BUTTON, true);
        }
        break;
      }
      case 'static_select':
      case 'radio_buttons': {
        const options = el.options as unknown[];
        // Slack: radio buttons hold at most 10 options, static selects 100.
        const max = el.type === 'radio_buttons' ? 10 : MAX_SELECT_OPTIONS;
        if (!Array.isArray(options) || options.length === 0) problems.push(`${where}: no options`);
        else if (options.length > max) problems.push(`${where}: ${options.length} options`);
        for (const [i, o] of (options ?? []).entries()) option(`${where}.options[${i}]`, o);
        if (el.initial_option !== undefined) {
          option(`${where}.initial_option`, el.initial_option);
          const initial = JSON.stringify(el.initial_option);
          if (!options?.some((o) => JSON.stringify(o) === initial)) {
            problems.push(`${where}: initial_option is not one of the options`);
          }
        }
        break;
      }
      case 'plain_text_input':
      case 'number_input':
        break;
      default:
        problems.push(`${where}: unexpected element type ${String(el.type)}`);
    }
  };

  const blocks = subject.blocks as unknown[];
  const maxBlocks = isView(subject) ? MAX_MODAL_BLOCKS : MAX_MESSAGE_BLOCKS;
  if (blocks.length === 0) problems.push('no blocks');
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);

  for (const [i, b] of blocks.entries()) {
    const where = `blocks[${i}]`;
    if (!isObject(b)) {
      problems.push(`${where}: not an object`);
      continue;
    }
    if (b.block_id !== undefined) {
      text(`${where}.block_id`, b.block_id, MAX_BLOCK_ID);
      const id = String(b.block_id);
      if (blockIds.has(id)) problems.push(`${where}: duplicate block_id ${id}`);
      blockIds.add(id);
    }
    switch (b.type) {
      case 'header':
        textObject(`${where}.text`, b.text, MAX_HEADER_TEXT, true);
        break;
      case 'section': {
        if (b.text === undefined && b.fields === undefined)
          problems.push(`${where}: neither text nor fields`);
        if (b.text !== undefined) textObject(`${where}.text`, b.text, MAX_SECTION_TEXT);
        if (b.fields !== undefined) {
          const fields = b.fields as unknown[];
          if (fields.length === 0 || fields.length > MAX_SECTION_FIELDS) {
            problems.push(`${where}: ${fields.length} fields`);
          }
          for (const [j, f] of fields.entries()) textObject(`${where}.fields[${j}]`, f, MAX_FIELD_TEXT);
        }
        if (b.accessory !== undefined) element(`${where}.accessory`, b.accessory);
        break;
      }
      case 'context': {
        const elements = b.elements as unknown[];
        if (elements.length === 0 || elements.length > MAX_CONTEXT_ELEMENTS) {
          problems.push(`${where}: ${elements.length} context elements`);
        }
        for (const [j, e] of elements.entries()) textObject(`${where}.elements[${j}]`, e, MAX_TEXT_OBJECT);
        break;
      }
      case 'actions': {
        const elements = b.elements as unknown[];
        if (elements.length === 0 || elements.length > MAX_ACTIONS_ELEMENTS) {
          problems.push(`${where}: ${elements.length} action elements`);
        }
        for (const [j, e] of elements.entries()) element(`${where}.elements[${j}]`, e);
        break;
      }
      case 'input':
        if (!isView(subject)) problems.push(`${where}: input block outside a modal`);
        textObject(`${where}.label`, b.label, MAX_INPUT_LABEL, true);
        if (b.hint !== undefined) textObject(`${where}.hint`, b.hint, MAX_INPUT_HINT, true);
        element(`${where}.element`, b.element);
        break;
      case 'divider':
        break;
      default:
        problems.push(`${where}: unexpected block type ${String(b.type)}`);
    }
  }

  if (isView(subject)) {
    if (subject.type === 'modal') {
      textObject('title', subject.title, MAX_MODAL_TITLE, true);
      if (subject.submit) textObject('submit', subject.submit, MAX_MODAL_TITLE, true);
      if (subject.close) textObject('close', subject.close, MAX_MODAL_TITLE, true);
      if (blocks.some((b) => isObject(b) && b.type === 'input') && !subject.submit) {
        problems.push('a modal with inputs needs a submit button');
      }
    }
    if (subject.callback_id !== undefined) text('callback_id', subject.callback_id, MAX_CALLBACK_ID);
    if (subject.private_metadata !== undefined) {
      text('private_metadata', subject.private_metadata, MAX_PRIVATE_METADATA, 0);
    }
  } else {
    text('text', subject.text, MAX_FALLBACK_TEXT);
  }
  return problems;
}

/** Fails the test, listing every problem, if `subject` breaks a Slack limit. */
export function assertWithinSlackLimits(subject: SlackMessage | types.View): void {
  expect(slackLimitProblems(subject)).toEqual([]);
}
