import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../blocks/types.ts';

/** The Slack calls that carry a request's story: the channel message, its thread, ephemeral notes. */
export interface Messenger {
  /** Posts a message (in a thread when `threadTs` is given) and returns its ts. */
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<string>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  ephemeral(channel: string, user: string, message: SlackMessage): Promise<void>;
}

export class SlackMessenger implements Messenger {
  constructor(private readonly client: WebClient) {}

  async post(channel: string, message: SlackMessage, threadTs?: string): Promise<string> {
    const res = await this.client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
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
}
