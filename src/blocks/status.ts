import type { types } from '@slack/bolt';
import { sourceLabel } from '../restore/sources/index.ts';
import type { RestoreRequest } from '../restore/types.ts';
import { TERMINAL_STATUSES } from '../restore/types.ts';
import { formatCount, formatRelative, who } from './format.ts';
import { clip, code, context, message, section } from './kit.ts';
import { MAX_MESSAGE_BLOCKS } from './limits.ts';
import { displayStatus, requestBlocks, requestFallbackText, STATUS_EMOJI } from './request.ts';
import type { SlackMessage } from './types.ts';

/** The title and the "…and N more" line take two blocks; requests get the rest. */
const MAX_LISTED = MAX_MESSAGE_BLOCKS - 2;

function requestLine(req: RestoreRequest, now: Date): string {
  const status = displayStatus(req, now);
  return [
    `${STATUS_EMOJI[status]} ${code(req.id, 64)} *${status}* · ${clip(req.environment, 64)} · ${code(sourceLabel(req.source))} → ${code(req.targetTable)}`,
    `by ${who(req.requesterId)} · requested ${formatRelative(req.createdAt, now)}`,
  ].join('\n');
}

/**
 * The reply to `/restore status`: one compact section per request (ID, status, environment,
 * source → target, requester, age), in the order given.
 */
export function requestStatusMessage(reqs: RestoreRequest[], now: Date): SlackMessage {
  if (reqs.length === 0) {
    return message('No open restore requests.', [
      section('No open restore requests. Start one with `/restore BACKUP TARGET_TABLE`, or `/restore help`.'),
    ]);
  }
  const allOpen = reqs.every((r) => !TERMINAL_STATUSES.has(r.status));
  const title = `${allOpen ? 'Open restore requests' : 'Restore requests'} (${formatCount(reqs.length)})`;
  const blocks: types.KnownBlock[] = [section(`*${title}*`)];
  for (const req of reqs.slice(0, MAX_LISTED)) blocks.push(section(requestLine(req, now)));
  const hidden = reqs.length - MAX_LISTED;
  if (hidden > 0) {
    blocks.push(
      context([`…and ${formatCount(hidden)} more. \`/restore status REQUEST_ID\` shows one in full.`]),
    );
  } else {
    blocks.push(context(['`/restore status REQUEST_ID` shows one in full.']));
  }
  return message(title, blocks);
}

/** The reply to `/restore status ID`: the approval message's content, never with buttons. */
export function requestDetailStatusMessage(req: RestoreRequest, now: Date): SlackMessage {
  return message(requestFallbackText(req, now), requestBlocks(req, now));
}
