import type { types, ViewOutput } from '@slack/bolt';
import { clip, divider, section } from './kit.ts';
import {
  MAX_OPTION_TEXT,
  MAX_OPTION_VALUE,
  MAX_PRIVATE_METADATA,
  MAX_SELECT_OPTIONS,
  truncate,
} from './limits.ts';

export const RESTORE_MODAL_CALLBACK_ID = 'restore_modal';

/** block_id / action_id of every input in the restore modal, for the submission listener. */
export const RESTORE_MODAL_INPUTS = {
  sourceKind: { blockId: 'restore_source_kind', actionId: 'source_kind' },
  backup: { blockId: 'restore_backup', actionId: 'backup' },
  sourceTable: { blockId: 'restore_source_table', actionId: 'source_table' },
  pointInTime: { blockId: 'restore_point_in_time', actionId: 'point_in_time' },
  targetTable: { blockId: 'restore_target_table', actionId: 'target_table' },
  environment: { blockId: 'restore_environment', actionId: 'environment' },
  reason: { blockId: 'restore_reason', actionId: 'reason' },
  billingMode: { blockId: 'restore_billing_mode', actionId: 'billing_mode' },
  readCapacity: { blockId: 'restore_read_capacity', actionId: 'read_capacity' },
  writeCapacity: { blockId: 'restore_write_capacity', actionId: 'write_capacity' },
  dropIndexes: { blockId: 'restore_drop_indexes', actionId: 'drop_indexes' },
} as const;

export type RestoreModalField = keyof typeof RESTORE_MODAL_INPUTS;

/** What the modal read back: each input's raw, trimmed string, undefined when left empty. */
export type RestoreModalValues = Record<RestoreModalField, string | undefined>;

/** `view.state.values` of a submission. */
export type ViewStateValues = ViewOutput['state']['values'];

/** Matches the `/restore` parser's limit, so the form accepts exactly what the command accepts. */
const MAX_REASON_INPUT = 500;

export interface RestoreModalInput {
  environments: string[];
  defaultEnvironment?: string;
  /** Where the approval message goes; carried in private_metadata as `{"channelId": …}`. */
  channelId: string;
}

function plain(text: string): types.PlainTextElement {
  return { type: 'plain_text', text };
}

function option(value: string, text = value): types.PlainTextOption {
  return { text: plain(truncate(text, MAX_OPTION_TEXT)), value };
}

function input(
  field: RestoreModalField,
  label: string,
  element: types.InputBlockElement,
  extra: { hint?: string; optional?: boolean } = {},
): types.InputBlock {
  const block: types.InputBlock = {
    type: 'input',
    block_id: RESTORE_MODAL_INPUTS[field].blockId,
    label: plain(label),
    element,
  };
  if (extra.hint) block.hint = plain(extra.hint);
  if (extra.optional) block.optional = true;
  return block;
}

function environmentElement(environments: string[], defaultEnvironment: string | undefined) {
  const actionId = RESTORE_MODAL_INPUTS.environment.actionId;
  // An option value longer than Slack allows could not be read back faithfully, so it is left out.
  const usable = environments
    .filter((e) => e !== '' && e.length <= MAX_OPTION_VALUE)
    .slice(0, MAX_SELECT_OPTIONS);
  if (usable.length === 0) {
    const free: types.PlainTextInput = { type: 'plain_text_input', action_id: actionId };
    if (defaultEnvironment) free.initial_value = defaultEnvironment;
    return free;
  }
  const select: types.StaticSelect = {
    type: 'static_select',
    action_id: actionId,
    placeholder: plain('Choose an environment'),
    options: usable.map((e) => option(e)),
  };
  const initial =
    defaultEnvironment !== undefined && usable.includes(defaultEnvironment) ? defaultEnvironment : undefined;
  if (initial !== undefined) select.initial_option = option(initial);
  else if (usable.length === 1) select.initial_option = option(usable[0]!);
  return select;
}

/** The two kinds of restore the form offers; the value is the source kind. */
const SOURCE_KINDS = [option('backup', 'From a backup'), option('pitr', 'To a point in time')] as const;

/**
 * The form behind a bare `/restore`: the same fields as the command (from a backup, or a table
 * to a point in time; target table, environment, reason, overrides). Submitting it only files a
 * request; approval still follows.
 */
export function restoreModal(input_: RestoreModalInput): types.ModalView {
  const ids = RESTORE_MODAL_INPUTS;
  const capacity = (field: 'readCapacity' | 'writeCapacity', label: string) =>
    input(
      field,
      label,
      { type: 'number_input', action_id: ids[field].actionId, is_decimal_allowed: false, min_value: '1' },
      { optional: true, hint: 'Only with billing mode PROVISIONED; give both read and write.' },
    );
  return {
    type: 'modal',
    callback_id: RESTORE_MODAL_CALLBACK_ID,
    private_metadata: truncate(JSON.stringify({ channelId: input_.channelId }), MAX_PRIVATE_METADATA),
    title: plain('Restore a table'),
    submit: plain('Request restore'),
    close: plain('Cancel'),
    blocks: [
      section(
        'Restores a DynamoDB backup, an AWS Backup recovery point, or a table as it was at a point in time, into a *new* table; the source is not touched. Nothing runs until an approver approves the request in the channel.',
      ),
      input('sourceKind', 'Restore', {
        type: 'radio_buttons',
        action_id: ids.sourceKind.actionId,
        options: [...SOURCE_KINDS],
        initial_option: SOURCE_KINDS[0],
      }),
      input(
        'backup',
        'Backup',
        {
          type: 'plain_text_input',
          action_id: ids.backup.actionId,
          placeholder: plain('arn:aws:dynamodb:…:table/Orders/backup/… or a backup name'),
        },
        {
          optional: true,
          hint: 'From a backup: a backup ARN, an exact backup name, or an AWS Backup recovery point ARN. Find one with /backups TABLE.',
        },
      ),
      input(
        'sourceTable',
        'Source table',
        {
          type: 'plain_text_input',
          action_id: ids.sourceTable.actionId,
          placeholder: plain('Orders, or arn:aws:dynamodb:REGION:ACCOUNT:table/Orders'),
        },
        {
          optional: true,
          hint: 'To a point in time: the table to restore as it was then. The ARN of a table in another region restores across regions.',
        },
      ),
      input(
        'pointInTime',
        'Point in time',
        {
          type: 'plain_text_input',
          action_id: ids.pointInTime.actionId,
          placeholder: plain('2026-12-02 09:55, 15m, or latest'),
        },
        {
          optional: true,
          hint: 'To a point in time: a time (ISO 8601 with a zone, or 2026-12-02 09:55 read as UTC, or epoch seconds), a duration back from now (15m, 2h, 1d), or latest. /backups TABLE shows the recovery window.',
        },
      ),
      input(
        'targetTable',
        'New table name',
        {
          type: 'plain_text_input',
          action_id: ids.targetTable.actionId,
          min_length: 3,
          max_length: 255,
          placeholder: plain('Orders-restored'),
        },
        { hint: 'Must not exist yet. 3–255 characters: letters, digits, _ - .' },
      ),
      input('environment', 'Environment', environmentElement(input_.environments, input_.defaultEnvironment)),
      input(
        'reason',
        'Reason',
        {
          type: 'plain_text_input',
          action_id: ids.reason.actionId,
          multiline: true,
          max_length: MAX_REASON_INPUT,
          placeholder: plain('INC-123: bad deploy deleted orders since 13:40 UTC'),
        },
        { optional: true, hint: 'Shown to the approvers.' },
      ),
      divider(),
      section(`*Overrides* ${clip('(optional; empty keeps what the source has)', 100)}`),
      input(
        'billingMode',
        'Billing mode',
        {
          type: 'static_select',
          action_id: ids.billingMode.actionId,
          placeholder: plain("Keep the source's billing mode"),
          options: [
            option('PAY_PER_REQUEST', 'On-demand (PAY_PER_REQUEST)'),
            option('PROVISIONED', 'Provisioned (PROVISIONED)'),
          ],
        },
        { optional: true },
      ),
      capacity('readCapacity', 'Read capacity units'),
      capacity('writeCapacity', 'Write capacity units'),
      input(
        'dropIndexes',
        'Indexes to leave out',
        {
          type: 'plain_text_input',
          action_id: ids.dropIndexes.actionId,
          placeholder: plain('byCustomer,byDate or ALL'),
        },
        { optional: true, hint: 'Comma-separated global or local secondary index names, or ALL.' },
      ),
    ],
  };
}

/**
 * The raw strings of a restore modal submission, trimmed, undefined where empty: the same
 * pieces a `/restore` command carries, so the caller validates both the same way.
 */
export function readRestoreModal(values: ViewStateValues): RestoreModalValues {
  const read = (field: RestoreModalField): string | undefined => {
    const { blockId, actionId } = RESTORE_MODAL_INPUTS[field];
    const state = values[blockId]?.[actionId];
    const raw = state?.selected_option?.value ?? state?.value ?? undefined;
    const trimmed = raw?.trim();
    return trimmed ? trimmed : undefined;
  };
  return {
    sourceKind: read('sourceKind'),
    backup: read('backup'),
    sourceTable: read('sourceTable'),
    pointInTime: read('pointInTime'),
    targetTable: read('targetTable'),
    environment: read('environment'),
    reason: read('reason'),
    billingMode: read('billingMode'),
    readCapacity: read('readCapacity'),
    writeCapacity: read('writeCapacity'),
    dropIndexes: read('dropIndexes'),
  };
}

/** The channel ID carried in a restore modal's private_metadata, or undefined if unreadable. */
export function readRestoreModalChannel(privateMetadata: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(privateMetadata);
    if (
      parsed &&
      typeof parsed === 'object' &&
      'channelId' in parsed &&
      typeof parsed.channelId === 'string'
    ) {
      return parsed.channelId;
    }
  } catch {
    // Not ours or corrupted: the caller reports it.
  }
  return undefined;
}
