import type { EnvironmentConfig } from '../config.ts';
import { type Decision, isExpired, transition } from './lifecycle.ts';
import type { RestoreRequest } from './types.ts';

/** The last reminder goes out this long before the approval deadline. */
const LAST_REMINDER_BEFORE_MS = 5 * 60_000;
/** Never more reminders than this per request: one after `reminderMinutes`, one before expiry. */
const MAX_REMINDERS = 2;

/** When each reminder is due; `first` is absent when it would not come before the last one. */
function reminderTimes(req: RestoreRequest, reminderMinutes: number): { first?: number; last?: number } {
  const created = Date.parse(req.createdAt);
  const last = Date.parse(req.expiresAt) - LAST_REMINDER_BEFORE_MS;
  const first = created + reminderMinutes * 60_000;
  return {
    ...(first < last ? { first } : {}),
    ...(last > created ? { last } : {}),
  };
}

/**
 * Who a reminder mentions: the environment's approver groups, and its approver users except the
 * requester (who cannot approve) and those who have already approved.
 */
export function reminderMentions(req: RestoreRequest, env: EnvironmentConfig): string[] {
  const approved = new Set(req.approvals.map((a) => a.userId));
  return [
    ...env.approvers.users.filter((u) => u !== req.requesterId && !approved.has(u)),
    ...env.approvers.userGroups,
  ];
}

/**
 * Whether a waiting request is owed a reminder now: the first once it has waited
 * `reminderMinutes`, the last 5 minutes before it expires, never more than two, never once it is
 * decided. A late run (the watcher was down) sends only the reminder that is still useful. The
 * decision is written with the request's conditional write, so two watcher runs send it once.
 */
export function decideReminder(
  req: RestoreRequest,
  reminderMinutes: number,
  mentions: string[],
  now: Date,
): Decision {
  const sent = req.reminders ?? 0;
  if (req.status !== 'PENDING' || isExpired(req, now) || sent >= MAX_REMINDERS) {
    return { ok: false, reason: `Request ${req.id} is not owed a reminder.` };
  }
  const { first, last } = reminderTimes(req, reminderMinutes);
  const t = now.getTime();
  let reminders: number;
  if (last !== undefined && t >= last) reminders = MAX_REMINDERS;
  else if (first !== undefined && sent === 0 && t >= first) reminders = 1;
  else return { ok: false, reason: `No reminder of ${req.id} is due yet.` };
  return {
    ok: true,
    next: transition(
      req,
      { reminders },
      {
        actor: 'bot',
        action: 'reminded',
        detail: reminders === MAX_REMINDERS ? 'last' : 'first',
        mentions,
      },
      now,
    ),
  };
}
