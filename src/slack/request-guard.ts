import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../log.ts';
import type { BotIdentity } from './identity.ts';

/**
 * Slack signs `v0:{timestamp}:{body}`. Bolt refuses a timestamp more than five minutes old but
 * accepts any timestamp in the future, so a request signed ahead of time (a leaked signature, a
 * captured request with a skewed clock) could be replayed for as long as its timestamp lies ahead.
 * The bot refuses both directions with the same bound.
 */
const MAX_REQUEST_SKEW_SECONDS = 5 * 60;

/** True when a `X-Slack-Request-Timestamp` value lies more than five minutes ahead of `nowMs`. */
export function isFutureTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return false;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > Math.floor(nowMs / 1000) + MAX_REQUEST_SKEW_SECONDS;
}

type Body = {
  team_id?: unknown;
  api_app_id?: unknown;
  team?: { id?: unknown } | null;
  user?: { team_id?: unknown } | null;
};

function teamOf(body: Body): string | undefined {
  if (typeof body.team_id === 'string') return body.team_id;
  if (typeof body.team?.id === 'string') return body.team.id;
  return undefined;
}

/**
 * Global Bolt middleware: a request signed with our secret but carrying another workspace's
 * `team.id` or another app's `api_app_id` is acknowledged (so Slack does not retry) and dropped
 * before any listener runs. The installation is learnt once from auth.test with the bot token.
 */
export function installationGuard(
  log: Logger,
  installation: () => Promise<Pick<BotIdentity, 'teamId' | 'appId'>>,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { next } = args;
    // Learnt once per process (SlackIdentity); while Slack fails it, this throws and the
    // person is told so (answerFailures) instead of the request running unchecked.
    const own = await installation();
    const body = args.body as Body;
    const team = teamOf(body);
    const app = typeof body.api_app_id === 'string' ? body.api_app_id : undefined;
    const foreignTeam = team !== undefined && team !== own.teamId;
    const foreignApp = own.appId !== undefined && app !== undefined && app !== own.appId;
    if (foreignTeam || foreignApp || team === undefined) {
      log.warn('refused a signed request from another workspace or app', {
        team: team ?? null,
        app: app ?? null,
        expectedTeam: own.teamId,
        expectedApp: own.appId ?? null,
      });
      if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
      return;
    }
    await next();
  };
}
