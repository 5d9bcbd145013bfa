import type { WebClient } from '@slack/web-api';
import type { RestoreDeps } from '../../restore/service.ts';
import type { RequestEvent, RestoreRequest } from '../../restore/types.ts';
import type { Messenger } from '../messenger.ts';

/**
 * One kind of Slack notice that follows a request's history, besides the threaded replies: a
 * direct message to the requester, a line in the audit channel, a refresh of the Home tabs. Each
 * kind keeps its own place in the history (`noticeSeqs[name]`), so one that fails (a DM that
 * Slack refuses, a rate limit) is retried by the next notifier run without repeating the others
 * and without holding them up.
 */
export interface NoticeKind {
  /** The key of this kind's progress in the request's `noticeSeqs`. */
  readonly name: string;
  /**
   * Delivers what this kind owes for `events` (oldest first, none delivered by this kind yet),
   * calling `sent(seq)` after each delivery so that a failure resumes after the last one.
   */
  deliver(
    req: RestoreRequest,
    events: readonly RequestEvent[],
    sent: (seq: number) => Promise<void>,
  ): Promise<void>;
}

/**
 * What the notice kinds are built from: the domain's dependencies, the messenger that posts the
 * thread (notices post through it too) and the Slack client for the other calls.
 */
export interface NoticeDeps extends RestoreDeps {
  slack: WebClient;
  messenger: Messenger;
}

/** Slack errors that retrying cannot fix: the notice is logged and skipped instead of blocking. */
const PERMANENT_SLACK_ERRORS = new Set([
  'channel_not_found',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'messages_tab_disabled',
  'is_archived',
  'not_allowed_token_type',
  'invalid_blocks',
]);

/** The Web API's error code of a failed call, if Slack answered with one. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export function isPermanentSlackError(err: unknown): boolean {
  const code = slackErrorCode(err);
  return code !== undefined && PERMANENT_SLACK_ERRORS.has(code);
}
