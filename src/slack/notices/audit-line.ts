import { auditLine } from '../../blocks/notices.ts';
import type { ThreadLinks } from './links.ts';
import type { NoticeDeps, NoticeKind } from './types.ts';

/**
 * One line per transition in the audit channel (`auditChannel`), every environment, in order.
 * Through the outbox like every other notice, so a failed post is retried and a line is posted
 * once; a channel the bot cannot post in keeps failing (and logging) rather than losing lines.
 */
export function auditLines(deps: NoticeDeps, links: ThreadLinks, channel: string): NoticeKind {
  return {
    name: 'audit',
    async deliver(req, events, sent) {
      for (const event of events) {
        const line = auditLine(req, event, await links.of(req), deps.now());
        if (line) await deps.messenger.post(channel, line);
        await sent(event.seq);
      }
    },
  };
}
