import type { types } from '@slack/bolt';
import { viewSource } from '../restore/sources/index.ts';
import type { RestoreRequest } from '../restore/types.ts';
import { formatRelative, formatUtc, formatWhen, plural, who } from './format.ts';
import { actions, clip, code, context, divider, header, link, section } from './kit.ts';
import { approverNames, decisionButtons, displayStatus, STATUS_EMOJI } from './request.ts';

/** Slack's limit for a Home tab view. */
export const MAX_HOME_BLOCKS = 100;
/** Requests shown per list; the rest are counted, within the 100 blocks a Home tab allows. */
export const HOME_LIMITS = { waiting: 30, own: 12, recent: 12 } as const;

export interface HomeData {
  userId: string;
  /** PENDING requests this user may approve (not their own, not yet approved by them). */
  waiting: RestoreRequest[];
  /** This user's requests that are not finished. */
  own: RestoreRequest[];
  /** The latest requests past approval (restoring or finished) in environments this user may see. */
  recent: RestoreRequest[];
  /** Names of the environments this user may see. */
  environments: string[];
  now: Date;
}

function threadLink(req: RestoreRequest): string {
  return req.message?.permalink
    ? ` · ${link(req.message.permalink, 'thread')}`
    : ` · in <#${req.message?.channel ?? req.channelId}>`;
}

function what(req: RestoreRequest, now: Date): string {
  const source = viewSource(req.source, now);
  return `${code(source.tableName, 100)} ${source.phrase} → ${code(req.targetTable, 100)} in *${clip(req.environment, 64)}*`;
}

function waitingBlocks(req: RestoreRequest, now: Date): types.KnownBlock[] {
  const reason = req.reason?.trim() ? `\n>${clip(req.reason.trim(), 300).replaceAll('\n', ' ')}` : '';
  return [
    section(
      `${STATUS_EMOJI.PENDING} *${clip(req.id, 64)}* · ${who(req.requesterId)} asks to restore ${what(req, now)} · ${req.approvals.length}/${req.requiredApprovals} approvals · closes ${formatRelative(req.expiresAt, now)}${threadLink(req)}${reason}`,
    ),
    actions(`home_decide_${req.id}`, decisionButtons(req, now, true)),
  ];
}

function ownLine(req: RestoreRequest, now: Date): types.KnownBlock {
  const status = displayStatus(req, now);
  const approvals =
    status === 'PENDING'
      ? `${req.approvals.length}/${req.requiredApprovals} approvals, closes ${formatRelative(req.expiresAt, now)}`
      : `approved by ${approverNames(req)}`;
  return section(
    `${STATUS_EMOJI[status]} *${clip(req.id, 64)}* · ${status} · ${what(req, now)} · ${approvals}${threadLink(req)}`,
  );
}

/** Who acted, so an approver who did not click sees who did. */
function actedBy(req: RestoreRequest): string {
  if (req.approvals.length > 0) return `approved by ${approverNames(req)}`;
  return `requested by ${who(req.requesterId)}`;
}

function recentLine(req: RestoreRequest, now: Date): types.KnownBlock {
  const when =
    req.status === 'ACTIVE' || req.status === 'FAILED'
      ? `finished ${formatWhen(req.restore?.completedAt ?? req.updatedAt, now)}`
      : `since ${formatUtc(req.updatedAt)}`;
  return section(
    `${STATUS_EMOJI[req.status]} *${clip(req.id, 64)}* · ${req.status} · ${what(req, now)} · ${actedBy(req)} · ${when}${threadLink(req)}`,
  );
}

function list(
  title: string,
  items: RestoreRequest[],
  max: number,
  render: (req: RestoreRequest) => types.KnownBlock[],
  empty: string,
): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [divider(), section(`*${title}* (${items.length})`)];
  if (items.length === 0) return [...blocks, context([empty])];
  blocks.push(...items.slice(0, max).flatMap(render));
  if (items.length > max) {
    blocks.push(
      context([`…and ${plural(items.length - max, 'more request')}: \`/restore status\` lists them all.`]),
    );
  }
  return blocks;
}

/**
 * The bot's Home tab for one person: what waits for their approval (with the same Approve and
 * Reject buttons, and the same confirmation, as the channel message), their own open requests,
 * and the latest restores of the environments they may see, each linking to its thread. Lists are
 * capped so the view stays within Slack's 100 blocks with any number of requests.
 */
export function homeView(data: HomeData): types.HomeView {
  const { now } = data;
  const envs = data.environments.length > 0 ? data.environments.map((e) => clip(e, 64)).join(', ') : 'none';
  const blocks: types.KnownBlock[] = [
    header('DynamoDB restores'),
    context([
      `Ask for a restore with \`/restore\` in an incident channel. Environments you can see: ${envs}. Updated ${formatUtc(now.toISOString())}.`,
    ]),
    ...list(
      ':raised_hand: Waiting for your approval',
      data.waiting,
      HOME_LIMITS.waiting,
      (r) => waitingBlocks(r, now),
      'Nothing waits for you.',
    ),
    ...list(
      ':bust_in_silhouette: Your open requests',
      data.own,
      HOME_LIMITS.own,
      (r) => [ownLine(r, now)],
      'You have no open requests.',
    ),
    ...list(
      ':clipboard: Latest restores',
      data.recent,
      HOME_LIMITS.recent,
      (r) => [recentLine(r, now)],
      'No restores yet in your environments.',
    ),
  ];
  return { type: 'home', blocks: blocks.slice(0, MAX_HOME_BLOCKS) };
}
