import type { WebClient } from '@slack/web-api';
import type { RestoreRequest } from '../../restore/types.ts';
import type { RequestStore } from '../../store/requests.ts';

/**
 * The link to a request's thread. Slack's own `chat.getPermalink` (no scope needed) rather than a
 * link built from the channel and ts: only Slack knows the workspace's domain (custom domains,
 * Enterprise Grid), and a built link sends people to a sign-in page of the wrong workspace.
 * Asked once per request and stored with the message, so a DM, an audit line or a Home view
 * costs no further call.
 */
export class ThreadLinks {
  constructor(
    private readonly slack: WebClient,
    private readonly store: RequestStore,
  ) {}

  /** The permalink of the request's approval message; undefined while it is not posted. */
  async of(req: RestoreRequest): Promise<string | undefined> {
    const message = req.message;
    if (!message) return undefined;
    if (message.permalink) return message.permalink;
    const res = await this.slack.chat.getPermalink({ channel: message.channel, message_ts: message.ts });
    if (!res.permalink)
      throw new Error(`chat.getPermalink for ${message.channel}/${message.ts} returned no link`);
    message.permalink = res.permalink;
    await this.store.recordPermalink(req.id, res.permalink);
    return res.permalink;
  }
}
