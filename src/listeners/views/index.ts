import type { App } from '@slack/bolt';
import { REJECT_MODAL_CALLBACK } from '../../blocks/reject.ts';
import type { ListenerDeps } from '../shared.ts';
import { rejectModalSubmit } from './reject-modal-submit.ts';
import { restoreModalSubmit } from './restore-modal-submit.ts';

/** Modal submissions: the `/restore` form and the reject form. */
export function registerViews(app: App, deps: ListenerDeps): void {
  app.view('restore_modal', restoreModalSubmit(deps));
  app.view(REJECT_MODAL_CALLBACK, rejectModalSubmit(deps));
}
