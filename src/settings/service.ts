import { auditTransition } from '../audit.ts';
import { AwsOperationError } from '../aws/errors.ts';
import { sessionUser } from '../restore/executor.ts';
import { transition } from '../restore/lifecycle.ts';
import type { RestoreDeps } from '../restore/service.ts';
import { sourceForSettings } from '../restore/sources/index.ts';
import type { RestoreRequest } from '../restore/types.ts';
import { BOT_ACTOR, claimCopy } from './claim.ts';
import type { CopyOptions, SettingsComparison } from './copy.ts';
import { rowView } from './diff.ts';
import type { SettingsClientsFactory } from './session.ts';
import type { CopyLine, RequestSettings } from './types.ts';

/** The worker's settings dependencies: a settings session per request and user. */
export interface SettingsDeps extends RestoreDeps {
  settingsClients: SettingsClientsFactory;
  copyOptions?: CopyOptions;
}

/** The line emoji of each copy outcome, as the thread shows them. */
const OUTCOME_EMOJI: Record<CopyLine['outcome'], string> = {
  done: ':white_check_mark:',
  equal: ':heavy_check_mark:',
  not_possible: ':hand:',
  failed: ':x:',
};

function errorText(err: unknown): string {
  return err instanceof AwsOperationError
    ? err.userMessage
    : 'Something went wrong on the bot’s side; the platform team can find the details in the bot’s logs.';
}

/** The tables whose settings a request compares and copies: its source (or the source's backup) and its new table. */
function tablesOf(req: RestoreRequest): { sourceTable: string; backupArn?: string; targetTable: string } {
  const source = sourceForSettings(req.source);
  return {
    sourceTable: source.tableName,
    ...(source.backupArn ? { backupArn: source.backupArn } : {}),
    targetTable: req.targetTable,
  };
}

/** Reads the source's and the new table's settings for a request, through its settings session. */
export async function compareRequest(
  deps: SettingsDeps,
  req: RestoreRequest,
  userId: string,
): Promise<SettingsComparison> {
  const clients = await deps.settingsClients(req, userId);
  const { compareSettings } = await import('./copy.ts');
  return compareSettings(clients, tablesOf(req));
}

/**
 * The diff stored with the request when it turns ACTIVE: the rows, or why they could not be read.
 * Never throws: a failed read must not keep the request from being ACTIVE.
 */
export async function settingsAtActive(
  deps: SettingsDeps,
  req: RestoreRequest,
  userId: string,
): Promise<RequestSettings> {
  const comparedAt = deps.now().toISOString();
  try {
    const comparison = await compareRequest(deps, req, userId);
    return { comparedAt, sourceOrigin: comparison.source.origin, rows: comparison.rows.map(rowView) };
  } catch (err) {
    deps.log.warn('settings: could not compare at ACTIVE', { requestId: req.id, error: err });
    return { comparedAt, compareError: errorText(err) };
  }
}

/** The thread's copy report (the event's detail): one line per setting. */
export function copyReport(lines: CopyLine[]): string {
  return lines.map((l) => `${OUTCOME_EMOJI[l.outcome]} ${l.text}`).join('\n');
}

/**
 * Runs a claimed copy (src/settings/claim.ts) and records it: the lines on the request, one
 * `settings_copied` event for the thread and one audit line. A retried job whose run is already
 * recorded does nothing.
 */
export async function runSettingsCopy(deps: SettingsDeps, requestId: string, userId: string): Promise<void> {
  const req = await deps.store.get(requestId);
  const claimed = req?.settings?.copy;
  if (!req || claimed?.state !== 'RUNNING' || claimed.by !== userId) {
    deps.log.info('settings: no running copy to do', { requestId, userId, state: claimed?.state });
    return;
  }
  let lines: CopyLine[];
  let rows: RequestSettings['rows'];
  try {
    // --copy-settings runs as the bot, in a session in the name of the approver who approved it.
    const clients = await deps.settingsClients(req, userId === BOT_ACTOR ? sessionUser(req) : userId);
    // The SDK commands load with the first copy, not with every process that imports this module.
    const { copySettings } = await import('./copy.ts');
    const result = await copySettings(clients, tablesOf(req), deps.copyOptions);
    lines = result.lines;
    rows = result.comparison.rows.map(rowView);
  } catch (err) {
    deps.log.warn('settings: copy could not start', { requestId, error: err });
    lines = [{ key: 'ttl', outcome: 'failed', text: `Nothing was copied: ${errorText(err)}` }];
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = attempt === 0 ? req : await deps.store.get(requestId);
    if (!current || current.settings?.copy?.run !== claimed.run) return;
    const copy = { ...claimed, state: 'DONE' as const, finishedAt: deps.now().toISOString(), lines };
    const settings: RequestSettings = { ...current.settings, copy, ...(rows ? { rows } : {}) };
    const next = transition(
      current,
      { settings },
      { actor: userId, action: 'settings_copied', detail: copyReport(lines) },
      deps.now(),
    );
    if (await deps.store.update(current, next)) {
      auditTransition(deps.audit, current, next, userId, 'copy-settings', {
        settings: Object.fromEntries(lines.map((l) => [l.key, l.outcome])),
      });
      await deps.dispatcher.dispatch({ type: 'request.notify', requestId });
      return;
    }
  }
  deps.log.error('settings: could not record the copy after 5 attempts', { requestId });
}

/**
 * What the watcher does once a request is ACTIVE and was asked with --copy-settings: claim the
 * run as the bot and hand it to the worker. A run already claimed (by a person's click) is left be.
 */
export async function startRequestedCopy(deps: RestoreDeps, req: RestoreRequest): Promise<void> {
  if (!req.copySettings || req.settings?.copy) return;
  const claim = await claimCopy(deps, req.id, BOT_ACTOR);
  if (!claim.ok) {
    deps.log.info('settings: --copy-settings not started', { requestId: req.id, reason: claim.message });
    return;
  }
  await deps.dispatcher.dispatch({ type: 'settings.copy', requestId: req.id, userId: BOT_ACTOR });
}
