import { auditLines } from './audit-line.ts';
import { homeRefresh } from './home-refresh.ts';
import { ThreadLinks } from './links.ts';
import { requesterDms } from './requester-dm.ts';
import type { NoticeDeps, NoticeKind } from './types.ts';

export type { NoticeDeps, NoticeKind } from './types.ts';

/**
 * The notices that follow each request besides its thread, in the order they are sent: the
 * requester's DM, the audit channel's line (when `auditChannel` is set), the Home tab refresh.
 */
export function noticeKinds(deps: NoticeDeps): NoticeKind[] {
  const links = new ThreadLinks(deps.slack, deps.store);
  const auditChannel = deps.config.auditChannel;
  return [
    requesterDms(deps, links),
    ...(auditChannel ? [auditLines(deps, links, auditChannel)] : []),
    homeRefresh(deps, links),
  ];
}
