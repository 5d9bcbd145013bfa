import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { publishHome } from '../../slack/home.ts';
import type { ListenerDeps } from '../shared.ts';

/**
 * Someone opened the bot's Home tab: remember them (so changes to their requests refresh it) and
 * publish their view: requests waiting for their approval, their own, the latest restores.
 */
export function appHomeOpened(deps: ListenerDeps) {
  return async ({ event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (event.tab !== 'home') return;
    await deps.store.markHomeViewer(event.user, deps.now());
    await publishHome(deps, client, event.user);
  };
}
