import type { App } from '@slack/bolt';
import {
  actionIdPattern,
  REQUEST_APPROVE_ACTION_ID,
  REQUEST_REJECT_ACTION_ID,
} from '../../blocks/request.ts';
import { SETTINGS_COPY_ACTION_ID } from '../../blocks/settings.ts';
import type { ListenerDeps } from '../shared.ts';
import { backupsMoreButton } from './backups-more-button.ts';
import { approveButton, cancelButton, rejectButton } from './request-buttons.ts';
import { settingsCopyButton } from './settings-copy-button.ts';

/** Buttons: the request's Approve/Reject/Cancel (in the channel and on the Home tab), Next, Copy settings. */
export function registerActions(app: App, deps: ListenerDeps): void {
  // The Home tab's buttons carry the request ID in their action_id: the same listeners answer them.
  app.action(actionIdPattern(REQUEST_APPROVE_ACTION_ID), approveButton(deps));
  app.action(actionIdPattern(REQUEST_REJECT_ACTION_ID), rejectButton(deps));
  app.action('request_cancel', cancelButton(deps));
  app.action('backups_more', backupsMoreButton(deps));
  app.action(SETTINGS_COPY_ACTION_ID, settingsCopyButton(deps));
}
