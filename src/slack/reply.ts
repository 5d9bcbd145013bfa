import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../blocks/types.ts';
import type { ReplyTo } from '../jobs.ts';

/** A response_url that Slack refused (expired after 30 minutes or used 5 times). */
export class ResponseUrlError extends Error {
  override name = 'ResponseUrlError';
}

/**
 * Answers the person who ran a command, visible only to them: through the command's
 * response_url, or with chat.postEphemeral when there is none (modal submissions).
 */
export async function replyTo(client: WebClient, to: ReplyTo, message: SlackMessage): Promise<void> {
  if ('responseUrl' in to) {
    const res = await fetch(to.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new ResponseUrlError(`response_url answered ${res.status}: ${await res.text()}`);
    return;
  }
  await client.chat.postEphemeral({
    channel: to.channelId,
    user: to.userId,
    text: message.text,
    blocks: message.blocks,
  });
}
