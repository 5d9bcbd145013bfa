import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTORE_MODAL_INPUTS } from '../../src/blocks/modal.ts';
import { REJECT_REASON_ACTION, REJECT_REASON_BLOCK } from '../../src/blocks/reject.ts';
import {
  APPROVER,
  type Bot,
  CHANNEL,
  messageText,
  REQUESTER,
  requestIdIn,
  STRANGER,
  startBot,
} from '../helpers/bot.ts';

let bot: Bot;

beforeAll(async () => {
  bot = await startBot();
  bot.fake.addBackup({
    tableName: 'Orders',
    name: 'OrdersNightly',
    createdAt: new Date(Date.now() - 3600_000),
  });
});
afterAll(async () => bot.close());

/** view_submission state for the restore form, as Slack sends it. */
function formValues(fields: Partial<Record<keyof typeof RESTORE_MODAL_INPUTS, string>>) {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [field, ids] of Object.entries(RESTORE_MODAL_INPUTS)) {
    const value = fields[field as keyof typeof RESTORE_MODAL_INPUTS];
    values[ids.blockId] = {
      [ids.actionId]:
        field === 'environment' || field === 'billingMode'
          ? {
              type: 'static_select',
              selected_option: value ? { value, text: { type: 'plain_text', text: value } } : null,
            }
          : { type: 'plain_text_input', value: value ?? null },
    };
  }
  return values;
}

describe('the /restore form', () => {
  it('opens when /restore has no arguments', async () => {
    const before = bot.slack.callsOf('views.open').length;
    const res = await bot.command('/restore', '');
    expect(res.status).toBe(200);
    const opened = bot.slack.callsOf('views.open');
    expect(opened).toHaveLength(before + 1);
    const view = opened.at(-1)?.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('restore_modal');
    expect(JSON.parse(view.private_metadata)).toEqual({ channelId: CHANNEL });
  });

  it('shows a bad field next to the field and creates nothing', async () => {
    const res = await bot.submit(
      'restore_modal',
      formValues({ backup: 'OrdersNightly', targetTable: 'x', environment: 'prod' }),
      REQUESTER,
      JSON.stringify({ channelId: CHANNEL }),
    );
    expect(res.body?.response_action).toBe('errors');
    expect(Object.keys(res.body?.errors ?? {})).toEqual([RESTORE_MODAL_INPUTS.targetTable.blockId]);
    expect(bot.audit).toHaveLength(0);
  });

  it('builds the same request as the command and answers with an ephemeral message', async () => {
    const res = await bot.submit(
      'restore_modal',
      formValues({
        backup: 'OrdersNightly',
        targetTable: 'Orders-from-form',
        environment: 'prod',
        reason: 'INC-9',
      }),
      REQUESTER,
      JSON.stringify({ channelId: CHANNEL }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBeUndefined();
    const note = bot.slack.ephemerals.at(-1);
    expect(note?.user).toBe(REQUESTER);
    const id = requestIdIn(note?.text ?? '');
    const posted = bot.slack.messages(CHANNEL).find((m) => !m.thread_ts && messageText(m).includes(id));
    expect(messageText(posted)).toContain('Orders-from-form');
    expect(messageText(posted)).toContain('INC-9');
  });

  it('takes an AWS Backup recovery point ARN like the command does', async () => {
    const point = bot.fake.backup.addRecoveryPoint({
      tableName: 'Orders',
      createdAt: new Date(Date.now() - 3600_000),
      vaultName: 'form-vault',
    });
    const res = await bot.submit(
      'restore_modal',
      formValues({ backup: point.arn, targetTable: 'Orders-from-rp-form', environment: 'prod' }),
      REQUESTER,
      JSON.stringify({ channelId: CHANNEL }),
    );
    expect(res.body).toBeUndefined();
    const id = requestIdIn(bot.slack.ephemerals.at(-1)?.text ?? '');
    const posted = bot.slack.messages(CHANNEL).find((m) => !m.thread_ts && messageText(m).includes(id));
    expect(messageText(posted)).toContain('form-vault');
    expect(messageText(posted)).toContain('Orders-from-rp-form');
  });
});

describe('Reject', () => {
  it('refuses a non-approver at once, without opening the form', async () => {
    const req = await bot.command('/restore', 'OrdersNightly Orders-reject-1');
    const id = requestIdIn(req.ack.text ?? '');
    const opened = bot.slack.callsOf('views.open').length;
    const click = await bot.click('request_reject', id, STRANGER);
    expect(messageText(click.responses()[0])).toMatch(/Only approvers/);
    expect(bot.slack.callsOf('views.open')).toHaveLength(opened);
  });

  it('asks an approver for a reason and records it in the message and the thread', async () => {
    const req = await bot.command('/restore', 'OrdersNightly Orders-reject-2');
    const id = requestIdIn(req.ack.text ?? '');
    await bot.click('request_reject', id, APPROVER);
    const view = bot.slack.callsOf('views.open').at(-1)?.body.view as {
      private_metadata: string;
      callback_id: string;
    };
    expect(view.callback_id).toBe('reject_modal');
    const res = await bot.submit(
      'reject_modal',
      {
        [REJECT_REASON_BLOCK]: {
          [REJECT_REASON_ACTION]: { type: 'plain_text_input', value: 'wrong backup, use the 02:00 one' },
        },
      },
      APPROVER,
      view.private_metadata,
    );
    expect(res.body).toBeUndefined();
    const root = bot.slack.messages(CHANNEL).find((m) => !m.thread_ts && messageText(m).includes(id));
    expect(messageText(root)).toMatch(/REJECTED/);
    expect(messageText(root)).not.toContain('request_approve');
    const thread = bot.slack.thread(CHANNEL, root!.ts).map((m) => messageText(m));
    expect(thread.some((t) => t.includes('wrong backup, use the 02:00 one'))).toBe(true);
    const late = await bot.click('request_approve', id, APPROVER);
    expect(messageText(late.responses()[0])).toMatch(/REJECTED/);
    expect(bot.fake.restoreCalls.some((c) => c.TargetTableName === 'Orders-reject-2')).toBe(false);
  });
});

describe('/restore status', () => {
  it('lists the open requests', async () => {
    const req = await bot.command('/restore', 'OrdersNightly Orders-status');
    const id = requestIdIn(req.ack.text ?? '');
    const status = await bot.command('/restore', 'status');
    expect(messageText(status.ack)).toContain(id);
  });

  it('says so for an unknown request', async () => {
    const status = await bot.command('/restore', 'status R-ZZZZZZ');
    expect(messageText(status.ack)).toContain('There is no restore request R-ZZZZZZ');
  });
});
