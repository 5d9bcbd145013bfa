import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { backupsHelpMessage } from '../../blocks/help.ts';
import { parseBackupsCommand } from '../../commands/backups.ts';
import {
  ackAndHandOff,
  authoriseCommand,
  environmentPlace,
  ephemeral,
  type ListenerDeps,
  parseCommand,
} from '../shared.ts';

/**
 * `/backups`: parses and authorises at once, acknowledges with a short note, and leaves the
 * AWS calls (AssumeRole, ListBackups, DescribeBackup) to the worker, which answers through the
 * command's response_url.
 */
export function backupsCommand(deps: ListenerDeps) {
  return async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const { command, ack } = args;
    const parsed = await parseCommand(args, () => parseBackupsCommand(command.text, deps.now()));
    if (!parsed) return;
    if (parsed.kind === 'help') {
      await ack(ephemeral(backupsHelpMessage()));
      return;
    }
    const resolved = await authoriseCommand(deps, args, parsed.env);
    if (!resolved) return;
    const actor = {
      userId: command.user_id,
      channelId: command.channel_id,
      replyTo: { responseUrl: command.response_url },
      env: resolved.name,
    };
    const what =
      parsed.kind === 'describe'
        ? `backup ${parsed.backup}`
        : `backups${parsed.table ? ` of ${parsed.table}` : ''}`;
    await ackAndHandOff(
      deps,
      args,
      `:hourglass_flowing_sand: Looking up ${what} in ${environmentPlace(resolved.name, resolved.env)}…`,
      parsed.kind === 'describe'
        ? { type: 'backups.describe', ...actor, backup: parsed.backup }
        : {
            type: 'backups.list',
            ...actor,
            backupType: parsed.type,
            limit: parsed.limit,
            offset: 0,
            ...(parsed.table ? { table: parsed.table } : {}),
            ...(parsed.since ? { since: parsed.since.toISOString() } : {}),
          },
    );
  };
}
