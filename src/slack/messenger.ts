import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../blocks/types.ts';

/** The metadata event type on every approval message: it names the request the message is for. */
export const REQUEST_MESSAGE_EVENT = 'dynamodb_restore_request';
/** Pages of channel history read when looking for an approval message (200 messages each). */
const MAX_HISTORY_PAGES = 5;
/** Slack's ts and our clock may differ a little: look this far before the posting mark. */
const HISTORY_SLACK_SECONDS = 60;

export interface PostOptions {
  /** Post as a reply in this message's thread. */
  threadTs?: string;
  /** Mark the message as the approval message of this request (message metadata). */
  requestId?: string;
}

/**
 * The Slack calls that carry a request's story: the channel message, its thread, ephemeral notes,
 * and the notices that follow it (src/slack/notices/).
 */
export interface Messenger {
  /** Posts a message and returns its ts. */
  post(channel: string, message: SlackMessage, options?: PostOptions): Promise<string>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  ephemeral(channel: string, user: string, message: SlackMessage): Promise<void>;
  /**
   * The approval message of `requestId` posted in `channel` since about `since` (ISO-8601), found
   * by its metadata; undefined when there is none.
   */
  findRequestMessage(
    channel: string,
    requestId: string,
    since: string,
  ): Promise<{ channel: string; ts: string } | undefined>;
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export class SlackMessenger implements Messenger {
  constructor(private readonly client: WebClient) {}

  async post(channel: string, message: SlackMessage, options: PostOptions = {}): Promise<string> {
    const res = await this.client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
      ...(options.requestId
        ? {
            metadata: {
              event_type: REQUEST_MESSAGE_EVENT,
              event_payload: { request_id: options.requestId },
            },
          }
        : {}),
    });
    if (!res.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
    return res.ts;
  }

  async update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
  }

  async ephemeral(channel: string, user: string, message: SlackMessage): Promise<void> {
    await this.client.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks });
  }

  async findRequestMessage(
    channel: string,
    requestId: string,
    since: string,
  ): Promise<{ channel: string; ts: string } | undefined> {
    const oldest = String(Math.floor(Date.parse(since) / 1000) - HISTORY_SLACK_SECONDS);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_HISTORY_PAGES; page += 1) {
      const res = await this.client.conversations.history({
        channel,
        oldest,
        limit: 200,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      });
      const found = (res.messages as HistoryMessage[] | undefined)?.find(
        (m) =>
          m.metadata?.event_type === REQUEST_MESSAGE_EVENT &&
          m.metadata.event_payload?.request_id === requestId,
      );
      if (found?.ts) return { channel, ts: found.ts };
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }
}
