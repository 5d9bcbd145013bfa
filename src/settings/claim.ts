import { transition } from '../restore/lifecycle.ts';
import { isApprover } from '../restore/policy.ts';
import type { RestoreDeps } from '../restore/service.ts';
import type { RestoreRequest } from '../restore/types.ts';

/**
 * Claiming a Copy settings run. Store-only (no AWS SDK), so the slack function can do it within
 * Slack's 3 seconds; the copy itself runs in the worker (src/settings/service.ts).
 */

/** A RUNNING claim older than this is taken to be a worker that died, and may be claimed again. */
export const COPY_STALE_MS = 15 * 60_000;

/** The actor of a --copy-settings run. */
export const BOT_ACTOR = 'bot';

export type CopyClaim = { ok: true; request: RestoreRequest } | { ok: false; message: string };

/**
 * Whether `userId` may start a copy now, and the request with the run claimed. Pure.
 * @param approver whether `userId` is an approver of the request's environment.
 */
export function decideCopyClaim(
  req: RestoreRequest,
  userId: string,
  approver: boolean,
  now: Date,
): CopyClaim {
  if (userId !== BOT_ACTOR && userId !== req.requesterId && !approver) {
    return {
      ok: false,
      message: `Only the requester or an approver of ${req.environment} can copy settings to ${req.targetTable}.`,
    };
  }
  if (req.status !== 'ACTIVE') {
    return {
      ok: false,
      message: `Settings can be copied once ${req.targetTable} is ACTIVE; request ${req.id} is ${req.status}.`,
    };
  }
  const running = req.settings?.copy;
  if (running?.state === 'RUNNING' && now.getTime() - Date.parse(running.startedAt) < COPY_STALE_MS) {
    const who = running.by === BOT_ACTOR ? 'the bot (--copy-settings)' : `<@${running.by}>`;
    return {
      ok: false,
      message: `Settings are already being copied to ${req.targetTable} (started by ${who}); the result follows in the thread.`,
    };
  }
  const copy = {
    state: 'RUNNING' as const,
    by: userId,
    startedAt: now.toISOString(),
    run: (running?.run ?? 0) + 1,
  };
  return { ok: true, request: transition(req, { settings: { ...req.settings, copy } }, undefined, now) };
}

/**
 * Claims a copy run with one conditional write on the request, so two clicks (or a click and
 * --copy-settings) start one run: the loser re-reads, sees RUNNING and is told so.
 */
export async function claimCopy(
  deps: Pick<RestoreDeps, 'store' | 'config' | 'directory' | 'now'>,
  requestId: string,
  userId: string,
): Promise<CopyClaim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const req = await deps.store.get(requestId);
    if (!req) return { ok: false, message: `There is no restore request ${requestId}.` };
    const env = Object.hasOwn(deps.config.environments, req.environment)
      ? deps.config.environments[req.environment]
      : undefined;
    const approver = env && userId !== BOT_ACTOR ? await isApprover(env, userId, deps.directory) : false;
    const claim = decideCopyClaim(req, userId, approver, deps.now());
    if (!claim.ok) return claim;
    if (await deps.store.update(req, claim.request)) return claim;
  }
  return {
    ok: false,
    message: 'The request changed several times while you clicked; try again in a moment.',
  };
}
