import { mapLimited } from '../../concurrency.ts';
import { environmentNamed } from '../../config.ts';
import { loadHomeSnapshot, publishHome } from '../home.ts';
import type { ThreadLinks } from './links.ts';
import { isPermanentSlackError, type NoticeDeps, type NoticeKind, slackErrorCode } from './types.ts';

/** Home views published at once. */
const PUBLISH_CONCURRENCY = 4;

/**
 * Refreshes the Home tab of everyone a change concerns (the requester and the environment's
 * approvers) who has opened it, once for all the events at hand: a view is a snapshot, so one
 * publish after the last event is as good as one per event.
 */
export function homeRefresh(deps: NoticeDeps, links: ThreadLinks): NoticeKind {
  return {
    name: 'home',
    async deliver(req, events) {
      const last = events.at(-1);
      if (!last) return;
      // The Home view links each request to its thread: make sure this one has its link.
      await links.of(req);
      const env = environmentNamed(deps.config, req.environment);
      const people = new Set([req.requesterId, ...(env?.approvers.users ?? [])]);
      for (const group of env?.approvers.userGroups ?? []) {
        for (const member of await deps.directory.membersOf(group)) people.add(member);
      }
      const viewers = await deps.store.homeViewers([...people], deps.now());
      if (viewers.length > 0) {
        const snapshot = await loadHomeSnapshot(deps);
        await mapLimited(viewers, PUBLISH_CONCURRENCY, async (user) => {
          try {
            await publishHome(deps, deps.slack, user, snapshot);
          } catch (err) {
            if (!isPermanentSlackError(err)) throw err;
            deps.log.warn('Home view refused by Slack; skipped', { user, error: slackErrorCode(err) });
          }
        });
      }
    },
  };
}
