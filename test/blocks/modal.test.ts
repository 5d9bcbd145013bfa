import type { types, ViewStateSelectedOption, ViewStateValue } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  RESTORE_MODAL_CALLBACK_ID,
  RESTORE_MODAL_INPUTS,
  type RestoreModalField,
  readRestoreModal,
  readRestoreModalChannel,
  restoreModal,
  type ViewStateValues,
} from '../../src/blocks/modal.ts';
import { assertWithinSlackLimits } from './limits.ts';
import { long } from './samples.ts';

function inputBlock(view: types.ModalView, field: RestoreModalField): types.InputBlock {
  const block = view.blocks.find(
    (b): b is types.InputBlock => b.type === 'input' && b.block_id === RESTORE_MODAL_INPUTS[field].blockId,
  );
  if (!block) throw new Error(`no input block for ${field}`);
  return block;
}

describe('restoreModal', () => {
  const view = restoreModal({
    environments: ['prod', 'staging'],
    defaultEnvironment: 'prod',
    channelId: 'C0INCIDENT',
  });

  it('is the restore modal and carries the channel in private_metadata', () => {
    expect(view.callback_id).toBe(RESTORE_MODAL_CALLBACK_ID);
    expect(view.callback_id).toBe('restore_modal');
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ channelId: 'C0INCIDENT' });
    expect(view.submit?.text).toBe('Request restore');
    assertWithinSlackLimits(view);
  });

  it('has an input for every field with its exported block and action IDs', () => {
    for (const field of Object.keys(RESTORE_MODAL_INPUTS) as RestoreModalField[]) {
      expect(inputBlock(view, field).element.action_id).toBe(RESTORE_MODAL_INPUTS[field].actionId);
    }
  });

  it('requires the kind of restore, target table and environment; the source fields depend on the kind', () => {
    const required = (Object.keys(RESTORE_MODAL_INPUTS) as RestoreModalField[]).filter(
      (f) => !inputBlock(view, f).optional,
    );

    expect(required).toEqual(['sourceKind', 'targetTable', 'environment']);
  });

  it('offers "from a backup" (chosen) or "to a point in time"', () => {
    const radio = inputBlock(view, 'sourceKind').element as types.RadioButtons;

    expect(radio.type).toBe('radio_buttons');
    expect(radio.options.map((o) => [o.value, (o.text as types.PlainTextElement).text])).toEqual([
      ['backup', 'From a backup'],
      ['pitr', 'To a point in time'],
    ]);
    expect(radio.initial_option?.value).toBe('backup');
  });

  it('offers the environments with the default selected', () => {
    const select = inputBlock(view, 'environment').element as types.StaticSelect;

    expect(select.type).toBe('static_select');
    expect(select.options?.map((o) => o.value)).toEqual(['prod', 'staging']);
    expect(select.initial_option?.value).toBe('prod');
  });

  it('selects the only environment when there is no default', () => {
    const select = inputBlock(restoreModal({ environments: ['prod'], channelId: 'C1' }), 'environment')
      .element as types.StaticSelect;

    expect(select.initial_option?.value).toBe('prod');
  });

  it('selects nothing when the default is not one of the environments', () => {
    const select = inputBlock(
      restoreModal({ environments: ['prod', 'staging'], defaultEnvironment: 'dev', channelId: 'C1' }),
      'environment',
    ).element as types.StaticSelect;

    expect(select.initial_option).toBeUndefined();
  });

  it('asks for the reason in a multiline input and capacities as whole numbers', () => {
    expect(inputBlock(view, 'reason').element).toMatchObject({ type: 'plain_text_input', multiline: true });
    expect(inputBlock(view, 'readCapacity').element).toMatchObject({
      type: 'number_input',
      is_decimal_allowed: false,
    });
    expect(inputBlock(view, 'writeCapacity').element).toMatchObject({
      type: 'number_input',
      is_decimal_allowed: false,
    });
    expect(
      (inputBlock(view, 'billingMode').element as types.StaticSelect).options?.map((o) => o.value),
    ).toEqual(['PAY_PER_REQUEST', 'PROVISIONED']);
  });

  it('stays within Slack limits with 300 environments', () => {
    const many = restoreModal({
      environments: Array.from({ length: 300 }, (_, i) => `${long(100)}${i}`),
      defaultEnvironment: `${long(100)}250`,
      channelId: 'C0INCIDENT',
    });

    assertWithinSlackLimits(many);
  });
});

describe('readRestoreModal', () => {
  function state(
    values: Partial<Record<RestoreModalField, types.PlainTextOption | string | null>>,
  ): ViewStateValues {
    const out: ViewStateValues = {};
    for (const [field, value] of Object.entries(values) as [RestoreModalField, unknown][]) {
      const { blockId, actionId } = RESTORE_MODAL_INPUTS[field];
      const read: ViewStateValue =
        value !== null && typeof value === 'object'
          ? { type: 'static_select', selected_option: value as ViewStateSelectedOption }
          : { type: 'plain_text_input', value: value as string | null };
      out[blockId] = { [actionId]: read };
    }
    return out;
  }

  it('reads every field as the raw trimmed string', () => {
    const values = readRestoreModal(
      state({
        backup: '  orders-nightly-2026-11-24 ',
        targetTable: 'Orders-restored',
        environment: { text: { type: 'plain_text', text: 'prod' }, value: 'prod' },
        reason: 'INC-4711\nbad deploy',
        billingMode: { text: { type: 'plain_text', text: 'Provisioned' }, value: 'PROVISIONED' },
        readCapacity: '100',
        writeCapacity: '50',
        dropIndexes: 'byCustomer,byStatus',
      }),
    );

    expect(values).toEqual({
      backup: 'orders-nightly-2026-11-24',
      targetTable: 'Orders-restored',
      environment: 'prod',
      reason: 'INC-4711\nbad deploy',
      billingMode: 'PROVISIONED',
      readCapacity: '100',
      writeCapacity: '50',
      dropIndexes: 'byCustomer,byStatus',
    });
  });

  it('reads empty, blank and missing inputs as undefined', () => {
    const values = readRestoreModal(
      state({ backup: 'b', targetTable: 't', reason: '   ', dropIndexes: null }),
    );

    expect(values).toMatchObject({ backup: 'b', targetTable: 't' });
    expect(values.reason).toBeUndefined();
    expect(values.dropIndexes).toBeUndefined();
    expect(values.environment).toBeUndefined();
    expect(values.billingMode).toBeUndefined();
  });
});

describe('readRestoreModalChannel', () => {
  it('reads the channel back from the metadata the modal was built with', () => {
    const view = restoreModal({ environments: ['prod'], channelId: 'C0INCIDENT' });

    expect(readRestoreModalChannel(view.private_metadata ?? '')).toBe('C0INCIDENT');
  });

  it('returns undefined for metadata it cannot read', () => {
    expect(readRestoreModalChannel('not json')).toBeUndefined();
    expect(readRestoreModalChannel('{"channel":"C1"}')).toBeUndefined();
  });
});
