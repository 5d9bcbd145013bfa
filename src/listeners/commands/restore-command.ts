import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { errorMessage, noticeMessage } from '../../blocks/errors.ts';
import { restoreHelpMessage } from '../../blocks/help.ts';
import { restoreModal } from '../../blocks/modal.ts';
import { requestDetailStatusMessage, requestStatusMessage } from '../../blocks/status.ts';
import { parseRestoreCommand } from '../../commands/restore.ts';
import {
  canSeeRequest,
  NO_ENVIRONMENT_HERE,
  targetTableRefusal,
  visibleEnvironments,
} from '../../restore/policy.ts';
import { cancelRequest, listOpenRequests } from '../../restore/service.ts';
import { describeSourceRef } from '../../restore/sources/index.ts';
import {
  ackAndHandOff,
  authoriseCommand,
  environmentPlace,
  ephemeral,
  type ListenerDeps,
  parseCommand,
  restoreRequestJob,
} from '../shared.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/restore`: requests go to the worker (the backup and target checks call the target account);
 * status, cancel and help are answered in the acknowledgement itself; no arguments opens the modal.
 */
export function restoreCommand(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    const { command, ack } = args;
    const parsed = await parseCommand(args, () => parseRestoreCommand(command.text, deps.now()));
    if (!parsed) return;
    const who = { userId: command.user_id, channelId: command.channel_id };
    switch (parsed.kind) {
      case 'help':
        await ack(ephemeral(restoreHelpMessage(await visibleEnvironments(deps.config, deps.directory, who))));
        return;
      case 'modal': {
        const environments = await visibleEnvironments(deps.config, deps.directory, who);
        if (environments.length === 0) {
          await ack(ephemeral(errorMessage(NO_ENVIRONMENT_HERE)));
          return;
        }
        await ack();
        await args.client.views.open({
          trigger_id: command.trigger_id,
          view: restoreModal({
            environments,
            channelId: command.channel_id,
            ...(deps.config.defaultEnvironment ? { defaultEnvironment: deps.config.defaultEnvironment } : {}),
          }),
        });
        return;
      }
      case 'status': {
        if (parsed.requestId) {
          const req = await deps.store.get(parsed.requestId);
          // A request the caller may not see here is answered as if it did not exist.
          const visible = req && (await canSeeRequest(deps.config, deps.directory, req, who));
          await ack(
            ephemeral(
              visible
                ? requestDetailStatusMessage(req, deps.now())
                : errorMessage(
                    `There is no restore request ${parsed.requestId} that you can see in this channel.`,
                  ),
            ),
          );
        } else {
          const open = await listOpenRequests(deps);
          const visible = new Set(await visibleEnvironments(deps.config, deps.directory, who));
          const mine = open.filter((r) => visible.has(r.environment));
          await ack(ephemeral(requestStatusMessage(mine, deps.now())));
        }
        return;
      }
      case 'cancel': {
        const outcome = await cancelRequest(deps, parsed.requestId, command.user_id);
        await ack(
          ephemeral(
            outcome.ok
              ? noticeMessage(`Request *${parsed.requestId}* is cancelled.`)
              : errorMessage(outcome.message),
          ),
        );
        return;
      }
      case 'request': {
        const resolved = await authoriseCommand(deps, args, parsed.env);
        if (!resolved) return;
        const { name, env } = resolved;
        const outside = targetTableRefusal(name, env, parsed.targetTable);
        if (outside) {
          await ack(ephemeral(errorMessage(outside)));
          return;
        }
        const requestId = deps.newRequestId();
        await ackAndHandOff(
          deps,
          args,
          `:hourglass_flowing_sand: Checking ${describeSourceRef(parsed.source)} and target table ${parsed.targetTable} in ${environmentPlace(name, env)} for request *${requestId}*…`,
          restoreRequestJob(parsed, {
            requestId,
            userId: command.user_id,
            channelId: command.channel_id,
            replyTo: { responseUrl: command.response_url },
            env: name,
          }),
        );
        return;
      }
      case 'settings': {
        // Reading both tables calls the target account: the worker answers.
        const req = await deps.store.get(parsed.requestId);
        if (!req) {
          await ack(ephemeral(errorMessage(`There is no restore request ${parsed.requestId}.`)));
          return;
        }
        await ackAndHandOff(
          deps,
          args,
          `:hourglass_flowing_sand: Reading the settings of ${req.targetTable} and its source for request *${req.id}*…`,
          {
            type: 'settings.show',
            requestId: req.id,
            userId: command.user_id,
            channelId: command.channel_id,
            replyTo: { responseUrl: command.response_url },
          },
        );
        return;
      }
    }
  };
}
