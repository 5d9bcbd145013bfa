import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../shared.ts';
import { appHomeOpened } from './app-home-opened.ts';

/** Events API: the Home tab. */
export function registerEvents(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', appHomeOpened(deps));
}
