import type { App } from '@slack/bolt';
import { REJECT_MODAL_CALLBACK } from '../blocks/reject.ts';
import { actionIdPattern, REQUEST_APPROVE_ACTION_ID, REQUEST_REJECT_ACTION_ID } from '../blocks/request.ts';
import { SETTINGS_COPY_ACTION_ID } from '../blocks/settings.ts';
import { appHomeOpened } from './app-home-opened.ts';
import { backupsCommand } from './backups-command.ts';
import { backupsMoreButton } from './backups-more-button.ts';
import { rejectModalSubmit } from './reject-modal-submit.ts';
import { approveButton, cancelButton, rejectButton } from './request-buttons.ts';
import { restoreCommand } from './restore-command.ts';
import { restoreModalSubmit } from './restore-modal-submit.ts';
import { settingsCopyButton } from './settings-copy-button.ts';
import type { ListenerDeps } from './shared.ts';
import { OTHER_COMMANDS, unknownCommand } from './unknown-command.ts';

export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command('/backups', backupsCommand(deps));
  app.command('/restore', restoreCommand(deps));
  app.command(OTHER_COMMANDS, unknownCommand());
  // The Home tab's buttons carry the request ID in their action_id: the same listeners answer them.
  app.action(actionIdPattern(REQUEST_APPROVE_ACTION_ID), approveButton(deps));
  app.action(actionIdPattern(REQUEST_REJECT_ACTION_ID), rejectButton(deps));
  app.action('request_cancel', cancelButton(deps));
  app.action('backups_more', backupsMoreButton(deps));
  app.action(SETTINGS_COPY_ACTION_ID, settingsCopyButton(deps));
  app.view('restore_modal', restoreModalSubmit(deps));
  app.view(REJECT_MODAL_CALLBACK, rejectModalSubmit(deps));
  app.event('app_home_opened', appHomeOpened(deps));
}
