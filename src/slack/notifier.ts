import { eventReply } from '../blocks/events.ts';
import { requestMessage } from '../blocks/request.ts';
import type { Logger } from '../log.ts';
import type { RestoreRequest } from '../restore/types.ts';
import type { RequestStore } from '../store/requests.ts';
import type { Messenger } from './messenger.ts';
import type { NoticeKind } from './notices/index.ts';

/** How long one run may hold a request's right to post; a crashed run's lease simply runs out. */
export const NOTIFY_LEASE_MS = 60_000;
/** Rounds per call: a transition that lands while we post is picked up at once, up to this many times. */
const MAX_ROUNDS = 3;

export interface NotifierDeps {
  store: RequestStore;
  messenger: Messenger;
  now: () => Date;
  log: Logger;
  /** The notices that follow the thread (requester DM, audit line, Home refresh); none by default. */
  notices?: readonly NoticeKind[];
}

/**
 * Lets each further notice kind catch up with the history, each from its own place. A kind that
 * fails does not stop the others; the first failure is returned for the caller to raise after the
 * lease is released. Returns the lowest place reached, i.e. how far every kind has got.
 */
async function deliverNotices(
  deps: NotifierDeps,
  req: RestoreRequest,
): Promise<{ reached: number; failure?: unknown }> {
  const seqs: Record<string, number> = { ...req.noticeSeqs };
  const last = req.events.at(-1)?.seq ?? 0;
  let reached = last;
  let failure: unknown;
  for (const kind of deps.notices ?? []) {
    const from = seqs[kind.name] ?? 0;
    const pending = req.events.filter((e) => e.seq > from);
    if (pending.length > 0) {
      const sent = async (seq: number) => {
        seqs[kind.name] = seq;
        await deps.store.recordNoticeSeqs(req.id, seqs);
      };
      try {
        await kind.deliver(req, pending, sent);
        if (seqs[kind.name] !== last) await sent(last);
      } catch (err) {
        failure ??= err;
        deps.log.warn(`notifier: ${kind.name} notice failed; the next run tries again`, {
          requestId: req.id,
          error: err,
        });
      }
    }
    reached = Math.min(reached, seqs[kind.name] ?? 0);
  }
  return failure === undefined ? { reached } : { reached, failure };
}

/**
 * Brings Slack up to date with a request: posts the approval message if it is not there yet,
 * posts each unposted history event as a threaded reply, then redraws the message. Progress is
 * recorded after every post, so a failed post (rate limit, network) is retried by the next run
 * from where it stopped; the lease keeps two runs from posting the same update.
 */
export async function notifyRequest(deps: NotifierDeps, requestId: string): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const req = await deps.store.claimNotify(requestId, deps.now(), NOTIFY_LEASE_MS);
    if (!req) return;
    let seq = req.notifiedSeq;
    let drained = false;
    let empty = false;
    let noticesReached = Number.POSITIVE_INFINITY;
    let failure: unknown;
    try {
      let message = req.message;
      const pending = req.events.filter((e) => e.seq > seq);
      if (!message) {
        const ts = await deps.messenger.post(req.channelId, requestMessage(req, deps.now()));
        message = { channel: req.channelId, ts };
        // The first event is the request itself: the message we just posted tells it.
        if (pending[0]?.action === 'requested') seq = pending.shift()!.seq;
        await deps.store.recordNotified(req.id, seq, message);
      }
      for (const event of pending) {
        if (event.action !== 'requested') {
          await deps.messenger.post(message.channel, eventReply(req, event, deps.now()), message.ts);
        }
        seq = event.seq;
        await deps.store.recordNotified(req.id, seq);
      }
      if (req.message)
        await deps.messenger.update(message.channel, message.ts, requestMessage(req, deps.now()));
      drained = true;
      ({ reached: noticesReached, failure } = await deliverNotices(deps, { ...req, message }));
    } finally {
      // The release tells whether a transition added events while we posted: then go round again.
      empty = await deps.store.releaseNotify(req.id, drained ? Math.min(seq, noticesReached) : -1);
    }
    if (failure !== undefined) throw failure;
    if (empty) return;
  }
}
