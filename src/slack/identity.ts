import type { AuthorizeResult } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.ts';

/** Who the bot is, from Slack's auth.test. */
export interface BotIdentity {
  teamId: string;
  /** Absent when Slack does not say (then only the workspace is checked). */
  appId?: string;
  botId?: string;
  botUserId?: string;
}

/**
 * Slack's `auth.test`, at most once per process: the first caller starts it, a success is kept
 * for the life of the process, and a failure is logged and tried again by the next caller only.
 * (Bolt with `tokenVerificationEnabled: false` calls it on every request inside Slack's 3 seconds,
 * and drops the request when it fails.)
 */
export class SlackIdentity {
  private known: BotIdentity | undefined;
  private pending: Promise<BotIdentity> | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly token: string,
    private readonly log: Logger,
  ) {}

  /** The identity, calling auth.test when it is not known yet; rejects while Slack fails it. */
  get(): Promise<BotIdentity> {
    if (this.known) return Promise.resolve(this.known);
    this.pending ??= this.client.auth.test({ token: this.token }).then(
      (res) => {
        this.known = {
          teamId: String(res.team_id ?? ''),
          ...(res.app_id ? { appId: String(res.app_id) } : {}),
          ...(res.bot_id ? { botId: res.bot_id } : {}),
          ...(res.user_id ? { botUserId: res.user_id } : {}),
        };
        this.pending = undefined;
        return this.known;
      },
      (error: unknown) => {
        this.pending = undefined;
        this.log.error('Slack auth.test failed; the next request tries again', {
          error,
          code: (error as { data?: { error?: string } }).data?.error ?? null,
        });
        throw error;
      },
    );
    return this.pending;
  }

  /**
   * Bolt's `authorize`: the bot token, with the bot's IDs once known. It never waits for Slack, so
   * no Web API call sits between a request and its listener.
   */
  readonly authorize = async (): Promise<AuthorizeResult> => ({
    botToken: this.token,
    ...(this.known?.botId ? { botId: this.known.botId } : {}),
    ...(this.known?.botUserId ? { botUserId: this.known.botUserId } : {}),
    ...(this.known?.teamId ? { teamId: this.known.teamId } : {}),
  });
}
