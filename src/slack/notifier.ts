import { eventReply } from '../blocks/events.ts';
import { requestMessage } from '../blocks/request.ts';
import type { Logger } from '../log.ts';
import type { RestoreRequest } from '../restore/types.ts';
import { type NotifyLease, NotifyLeaseLostError, type RequestStore } from '../store/requests.ts';
import type { Messenger } from './messenger.ts';
import type { NoticeKind } from './notices/index.ts';

/**
 * How long one run may hold a request's right to post without renewing it. Each post renews it,
 * and one post is bounded by the Web API client's timeout and retries, far below this; a crashed
 * run's lease simply runs out.
 */
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
 * Lets each further notice kind catch up with the history, each from its own place, recorded
 * under the run's lease. A kind that fails does not stop the others; the first failure is
 * returned for the caller to raise after the lease is released (a lost lease is thrown at once).
 * Returns the lowest place reached, i.e. how far every kind has got.
 */
async function deliverNotices(
  deps: NotifierDeps,
  req: RestoreRequest,
  lease: NotifyLease,
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
        await deps.store.recordNotified(lease, deps.now(), { noticeSeqs: seqs });
      };
      try {
        await kind.deliver(req, pending, sent);
        if (seqs[kind.name] !== last) await sent(last);
      } catch (err) {
        if (err instanceof NotifyLeaseLostError) throw err;
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
 * recorded after every post, under the run's lease token, so a failed post (rate limit, network)
 * is retried by the next run from where it stopped, and a run that lost its lease to another (it
 * ran past it) stops at its next write instead of posting what the other run posts.
 *
 * The approval message is posted at most once: before posting, the run marks that it is about to
 * (`messagePosting`), and the message carries the request ID in its metadata. A later run that
 * finds the mark but no stored ts looks for that message in the channel and reuses it.
 */
export async function notifyRequest(deps: NotifierDeps, requestId: string): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const claim = await deps.store.claimNotify(requestId, deps.now(), NOTIFY_LEASE_MS);
    if (!claim) return;
    const { request: req, lease } = claim;
    let seq = req.notifiedSeq;
    let drained = false;
    let noticesReached = Number.POSITIVE_INFINITY;
    let failure: unknown;
    try {
      let message = req.message;
      // A message that already shows this version is not drawn again: a run that only owes a
      // notice (a DM, an audit line) leaves the channel message alone.
      let redraw = req.message !== undefined && req.drawnVersion !== req.version;
      const pending = req.events.filter((e) => e.seq > seq);
      if (!message) {
        message = req.messagePosting
          ? await deps.messenger.findRequestMessage(req.channelId, req.id, req.messagePosting)
          : undefined;
        if (message) {
          // Posted by a run that stopped before storing its ts: it may show an older state.
          redraw = true;
        } else {
          await deps.store.recordNotified(lease, deps.now(), { posting: deps.now().toISOString() });
          const ts = await deps.messenger.post(req.channelId, requestMessage(req, deps.now()), {
            requestId: req.id,
          });
          message = { channel: req.channelId, ts };
        }
        // The first event is the request itself: the message tells it.
        if (pending[0]?.action === 'requested') seq = pending.shift()!.seq;
        await deps.store.recordNotified(lease, deps.now(), {
          notifiedSeq: seq,
          message,
          ...(redraw ? {} : { drawnVersion: req.version }),
        });
      }
      for (const event of pending) {
        if (event.action !== 'requested') {
          await deps.messenger.post(message.channel, eventReply(req, event, deps.now()), {
            threadTs: message.ts,
          });
        }
        seq = event.seq;
        await deps.store.recordNotified(lease, deps.now(), { notifiedSeq: seq });
      }
      if (redraw) {
        await deps.messenger.update(message.channel, message.ts, requestMessage(req, deps.now()));
        await deps.store.recordNotified(lease, deps.now(), { drawnVersion: req.version });
      }
      drained = true;
      ({ reached: noticesReached, failure } = await deliverNotices(deps, { ...req, message }, lease));
    } catch (err) {
      failure = err;
    }
    if (failure instanceof NotifyLeaseLostError) {
      deps.log.warn('notifier: another run took over this request; stopping', { requestId });
      return;
    }
    // The release tells whether a transition added events while we posted: then go round again.
    const left = await deps.store.releaseNotify(lease, drained ? Math.min(seq, noticesReached) : -1);
    if (failure !== undefined) throw failure;
    if (left !== 'more') return;
  }
}
