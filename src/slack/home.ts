import type { WebClient } from '@slack/web-api';
import { HOME_LIMITS, type HomeData, homeView } from '../blocks/home.ts';
import { isPastDeadline } from '../blocks/request.ts';
import { isApprover, maySee } from '../restore/policy.ts';
import { listOpenRequests, type RestoreDeps } from '../restore/service.ts';
import type { RestoreRequest } from '../restore/types.ts';

/** The requests every Home view is cut from, read once per refresh however many people it serves. */
export interface HomeSnapshot {
  open: RestoreRequest[];
  finished: RestoreRequest[];
}

/** Open requests and the latest finished restores (ACTIVE or FAILED), newest first. */
export async function loadHomeSnapshot(deps: RestoreDeps): Promise<HomeSnapshot> {
  const [open, active, failed] = await Promise.all([
    listOpenRequests(deps),
    deps.store.listRecent('ACTIVE', HOME_LIMITS.recent),
    deps.store.listRecent('FAILED', HOME_LIMITS.recent),
  ]);
  const finished = [...active, ...failed].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return { open, finished };
}

/** What one person's Home tab shows, following the same approver and visibility rules as the channel. */
export async function homeDataFor(
  deps: RestoreDeps,
  userId: string,
  snapshot: HomeSnapshot,
): Promise<HomeData> {
  const now = deps.now();
  const approverOf = new Set<string>();
  const visible = new Set<string>();
  for (const [name, env] of Object.entries(deps.config.environments)) {
    if (await isApprover(env, userId, deps.directory)) approverOf.add(name);
    if (await maySee(env, userId, deps.directory)) visible.add(name);
  }
  const waiting = snapshot.open.filter(
    (r) =>
      r.status === 'PENDING' &&
      !isPastDeadline(r, now) &&
      approverOf.has(r.environment) &&
      r.requesterId !== userId &&
      !r.approvals.some((a) => a.userId === userId),
  );
  const own = snapshot.open.filter((r) => r.requesterId === userId);
  const recent = [...snapshot.open.filter((r) => r.status !== 'PENDING'), ...snapshot.finished]
    .filter((r) => visible.has(r.environment))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return { userId, waiting, own, recent, environments: [...visible], now };
}

/**
 * Publishes one person's Home tab with `views.publish` (no scope needed beyond the bot token;
 * the manifest enables the Home tab).
 */
export async function publishHome(
  deps: RestoreDeps,
  client: WebClient,
  userId: string,
  snapshot?: HomeSnapshot,
): Promise<void> {
  const data = await homeDataFor(deps, userId, snapshot ?? (await loadHomeSnapshot(deps)));
  await client.views.publish({ user_id: userId, view: homeView(data) });
}
