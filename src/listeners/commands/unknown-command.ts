import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { errorMessage } from '../../blocks/errors.ts';
import { escapeMrkdwn } from '../../blocks/format.ts';
import { ephemeral } from '../shared.ts';

/** Every slash command but the two this app answers (a manifest edited by hand, a renamed command). */
export const OTHER_COMMANDS = /^\/(?!(?:backups|restore)$)/;

/** An unknown command gets an answer that says what the app does answer, instead of a timeout. */
export function unknownCommand() {
  return async ({ command, ack }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack(
      ephemeral(
        errorMessage(
          `This app does not know ${escapeMrkdwn(command.command)}. It answers /backups and /restore; try /restore help.`,
        ),
      ),
    );
  };
}
