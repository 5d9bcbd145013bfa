import type { AllMiddlewareArgs, AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { errorMessage, refusalModal } from '../blocks/errors.ts';
import type { Logger } from '../log.ts';
import { ephemeral, MAX_FIELD_ERROR } from './shared.ts';

/** What to tell the person when a listener failed: Slack's own failure named, otherwise plain. */
function failureText(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('slack_webapi_')) {
    const detail = (error as { data?: { error?: unknown } }).data?.error;
    return `The bot could not get an answer from Slack${typeof detail === 'string' ? ` (${detail})` : ''}. Nothing was changed; try again in a minute.`;
  }
  return 'Something went wrong on the bot’s side; nothing was changed. The platform team can find the details in the bot’s logs.';
}

type Args = AnyMiddlewareArgs & AllMiddlewareArgs;

/** Acks if nobody did yet; false when the request was acknowledged already. */
async function ackOnce(args: Args, response?: unknown): Promise<boolean> {
  if (!('ack' in args) || typeof args.ack !== 'function') return false;
  try {
    await (args.ack as (r?: unknown) => Promise<void>)(response);
    return true;
  } catch {
    return false;
  }
}

function firstInputBlock(args: Args): string | undefined {
  if (!('view' in args)) return undefined;
  const blocks = (args.view as { blocks?: { type?: string; block_id?: string }[] }).blocks ?? [];
  return blocks.find((b) => b.type === 'input' && b.block_id)?.block_id;
}

/**
 * Global Bolt middleware, first in the chain: whatever a listener or a later middleware throws
 * (a failed user-group lookup, an unreadable form, Slack failing auth.test), the person gets an
 * answer within Slack's 3 seconds and the failure is logged. A command is answered in its ack; a
 * click in an ephemeral message; a form submission with an error next to its first field.
 */
export function answerFailures(log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    try {
      await args.next();
    } catch (error) {
      const kind =
        'command' in args ? 'command' : 'view' in args ? 'view' : 'action' in args ? 'action' : 'event';
      log.error(`a Slack ${kind} failed; the user was told`, { error, stack: (error as Error).stack });
      const text = failureText(error);
      const message = ephemeral(errorMessage(text));
      const a = args as Args;
      const respond = async () => {
        const fn = (a as { respond?: (m: unknown) => Promise<unknown> }).respond;
        await fn?.(message).catch((err: unknown) => log.warn('could not tell the user', { error: err }));
      };
      if (kind === 'command') {
        if (!(await ackOnce(a, message))) await respond();
      } else if (kind === 'action') {
        await ackOnce(a);
        await respond();
      } else if (kind === 'view') {
        // A form: the error next to its first field, or (no field to point at) in place of the form.
        const block = firstInputBlock(a);
        await ackOnce(
          a,
          block
            ? { response_action: 'errors', errors: { [block]: text.slice(0, MAX_FIELD_ERROR) } }
            : { response_action: 'update', view: refusalModal(text) },
        );
      }
    }
  };
}
