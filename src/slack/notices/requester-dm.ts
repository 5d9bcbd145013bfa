import { requesterNotice } from '../../blocks/notices.ts';
import type { ThreadLinks } from './links.ts';
import { isPermanentSlackError, type NoticeDeps, type NoticeKind, slackErrorCode } from './types.ts';

/**
 * Tells the requester by direct message when their request is approved, rejected (with the
 * reason), expired, ACTIVE or FAILED, with a link to the thread: someone who stepped away learns
 * the outcome without watching the channel. Posted with `chat.postMessage` to the user's ID, which
 * Slack delivers in the app's Messages tab: `chat:write` is enough, no `im:write`.
 */
export function requesterDms(deps: NoticeDeps, links: ThreadLinks): NoticeKind {
  return {
    name: 'dm',
    async deliver(req, events, sent) {
      for (const event of events) {
        const url = await links.of(req);
        const notice = url ? requesterNotice(req, event, url, deps.now()) : undefined;
        if (notice) {
          try {
            await deps.messenger.post(req.requesterId, notice);
          } catch (err) {
            if (!isPermanentSlackError(err)) throw err;
            deps.log.warn('requester DM refused by Slack; skipped', {
              requestId: req.id,
              seq: event.seq,
              error: slackErrorCode(err),
            });
          }
        }
        await sent(event.seq);
      }
    },
  };
}
