import type { App } from '@slack/bolt';
import { registerActions } from './actions/index.ts';
import { registerCommands } from './commands/index.ts';
import { registerEvents } from './events/index.ts';
import type { ListenerDeps } from './shared.ts';
import { registerViews } from './views/index.ts';

/**
 * Registers every listener, grouped by kind as Slack's starter templates do: one folder per kind,
 * one listener per file, each folder's index.ts registering its own.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
}
