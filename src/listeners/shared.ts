import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { errorMessage, noticeMessage } from '../blocks/errors.ts';
import { escapeMrkdwn } from '../blocks/format.ts';
import type { SlackMessage } from '../blocks/types.ts';
import { CommandError, type RestoreRequestCommand } from '../commands/types.ts';
import type { EnvironmentConfig } from '../config.ts';
import type { Job, JobOf } from '../jobs.ts';
import { authoriseRequester } from '../restore/policy.ts';
import type { RestoreDeps } from '../restore/service.ts';

/** What every listener gets: the domain's dependencies and a source of new request IDs. */
export interface ListenerDeps extends RestoreDeps {
  newRequestId: () => string;
}

/** Slack shows modal field errors in a small space: keep them short. */
export const MAX_FIELD_ERROR = 150;

/** A message only the person who ran the command sees, as an ack() or respond() body. */
export function ephemeral(message: SlackMessage) {
  return { response_type: 'ephemeral' as const, replace_original: false, ...message };
}

/** Hands a job to the worker; a failed hand-off is reported instead of being lost silently. */
export async function handOff(deps: ListenerDeps, job: Job): Promise<string | undefined> {
  try {
    await deps.dispatcher.dispatch(job);
    return undefined;
  } catch (err) {
    deps.log.error('hand-off to the worker failed', { job: job.type, error: err });
    return 'The bot could not start that work (its worker is unreachable). Nothing was changed; try again in a minute.';
  }
}

type CommandArgs = Pick<SlackCommandMiddlewareArgs, 'command' | 'ack' | 'respond'>;

/**
 * A command's text through its parser; bad input is answered in the acknowledgement with the
 * usage line, and then undefined is returned.
 */
export async function parseCommand<T>({ ack }: CommandArgs, parse: () => T): Promise<T | undefined> {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    await ack(ephemeral(errorMessage(escapeMrkdwn(err.message), err.usage)));
    return undefined;
  }
}

/**
 * A slash command the worker answers: acknowledged at once with `note` (within Slack's 3
 * seconds), the job handed over, and a failed hand-off told through the command's response_url.
 */
export async function ackAndHandOff(
  deps: ListenerDeps,
  { ack, respond }: CommandArgs,
  note: string,
  job: Job,
): Promise<void> {
  await ack(ephemeral(noticeMessage(note)));
  const failed = await handOff(deps, job);
  if (failed) await respond(ephemeral(errorMessage(failed)));
}

/**
 * The environment a command's requester may use here (`env` or the default); a refusal is
 * answered in the acknowledgement, and then undefined is returned.
 */
export async function authoriseCommand(
  deps: ListenerDeps,
  { command, ack }: CommandArgs,
  env: string | undefined,
): Promise<{ name: string; env: EnvironmentConfig } | undefined> {
  const resolved = await authoriseRequester(deps.config, deps.directory, {
    env,
    userId: command.user_id,
    channelId: command.channel_id,
  });
  if (!('refusal' in resolved)) return resolved;
  await ack(ephemeral(errorMessage(resolved.refusal)));
  return undefined;
}

/** `*prod* (account 111122223333, eu-west-1)`, as the acknowledgements name an environment. */
export function environmentPlace(name: string, env: EnvironmentConfig): string {
  return `*${name}* (account ${env.accountId}, ${env.region})`;
}

/**
 * The worker job for a request the listener has checked: one mapping for `/restore …` and the
 * restore form, so neither can leave out a field the other passes on.
 */
export function restoreRequestJob(
  parsed: RestoreRequestCommand,
  request: Pick<JobOf<'restore.request'>, 'requestId' | 'userId' | 'channelId' | 'replyTo' | 'env'>,
): JobOf<'restore.request'> {
  return {
    type: 'restore.request',
    ...request,
    source: parsed.source,
    targetTable: parsed.targetTable,
    overrides: parsed.overrides,
    ...(parsed.reason ? { reason: parsed.reason } : {}),
    ...(parsed.notes ? { notes: parsed.notes } : {}),
    ...(parsed.copySettings ? { copySettings: true } : {}),
  };
}
