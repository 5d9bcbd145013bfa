import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../shared.ts';
import { backupsCommand } from './backups-command.ts';
import { restoreCommand } from './restore-command.ts';
import { OTHER_COMMANDS, unknownCommand } from './unknown-command.ts';

/** Slash commands: `/backups`, `/restore`, and an answer for any other command routed here. */
export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command('/backups', backupsCommand(deps));
  app.command('/restore', restoreCommand(deps));
  app.command(OTHER_COMMANDS, unknownCommand());
}
