import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { RESTORE_MODAL_INPUTS, readRestoreModal, readRestoreModalChannel } from '../../blocks/modal.ts';
import { parseRestoreFields } from '../../commands/restore.ts';
import { CommandError, type RestoreRequestCommand } from '../../commands/types.ts';
import { authoriseRequester, targetTableRefusal } from '../../restore/policy.ts';
import { handOff, type ListenerDeps, MAX_FIELD_ERROR, restoreRequestJob } from '../shared.ts';

/**
 * Submitting the restore modal builds the same request as `/restore BACKUP TARGET …`: the fields
 * go through the command parser's rules, errors are shown next to the field, and a valid request
 * goes to the worker, whose answer arrives as an ephemeral message in the channel.
 */
export function restoreModalSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const fields = readRestoreModal(view.state.values);
    const channelId = readRestoreModalChannel(view.private_metadata);
    const fail = (field: keyof typeof RESTORE_MODAL_INPUTS, message: string) =>
      ack({
        response_action: 'errors',
        errors: { [RESTORE_MODAL_INPUTS[field].blockId]: message.slice(0, MAX_FIELD_ERROR) },
      });
    if (!channelId) {
      await fail('backup', 'This form lost track of its channel; run /restore again.');
      return;
    }
    let parsed: RestoreRequestCommand;
    try {
      parsed = parseRestoreFields(fields, deps.now());
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      const field = (
        err.part in RESTORE_MODAL_INPUTS ? err.part : fields.sourceKind === 'pitr' ? 'sourceTable' : 'backup'
      ) as keyof typeof RESTORE_MODAL_INPUTS;
      await fail(field, err.message);
      return;
    }
    const resolved = await authoriseRequester(deps.config, deps.directory, {
      env: parsed.env,
      userId: body.user.id,
      channelId,
    });
    if ('refusal' in resolved) {
      await fail('environment', resolved.refusal);
      return;
    }
    const outside = targetTableRefusal(resolved.name, resolved.env, parsed.targetTable);
    if (outside) {
      await fail('targetTable', `Allowed names: ${(resolved.env.targetTables ?? []).join(', ')}`);
      return;
    }
    const failed = await handOff(
      deps,
      restoreRequestJob(parsed, {
        requestId: deps.newRequestId(),
        userId: body.user.id,
        channelId,
        replyTo: { channelId, userId: body.user.id },
        env: resolved.name,
      }),
    );
    if (failed) {
      await fail('backup', failed);
      return;
    }
    await ack();
  };
}
