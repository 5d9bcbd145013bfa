import type { types } from '@slack/bolt';

/**
 * A message ready for chat.postMessage / chat.update / respond(). `text` is the notification
 * fallback (push notifications, screen readers, clients that cannot render blocks).
 */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}
