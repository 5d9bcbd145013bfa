import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { decideApproval, transition } from '../../src/restore/lifecycle.ts';
import type { RestoreRequest } from '../../src/restore/types.ts';
import { type SlackApiStand, startSlackApi } from '../../src/sandbox/slack-api.ts';
import { createWebClient } from '../../src/slack/client.ts';
import { type Messenger, SlackMessenger } from '../../src/slack/messenger.ts';
import { NOTIFY_LEASE_MS, type NotifierDeps, notifyRequest } from '../../src/slack/notifier.ts';
import type { RequestStore } from '../../src/store/requests.ts';
import { APPROVER, BOT_TOKEN, CHANNEL, manualClock, messageText } from '../helpers/bot.ts';
import { pendingRequest } from '../helpers/requests.ts';
import { startTestStore } from '../helpers/store.ts';

const T0 = new Date('2026-11-24T10:01:00.000Z');

let ctx: Awaited<ReturnType<typeof startTestStore>>;
let store: RequestStore;
let slack: SlackApiStand;
let clock: ReturnType<typeof manualClock>;
let deps: NotifierDeps;
let n = 0;

beforeAll(async () => {
  ctx = await startTestStore();
  store = ctx.store;
});
afterAll(async () => ctx.close());
beforeEach(async () => {
  slack = await startSlackApi();
  clock = manualClock(T0);
  deps = {
    store,
    messenger: new SlackMessenger(createWebClient(BOT_TOKEN, `${slack.url}/api/`)),
    now: clock.now,
    log: createLogger('error'),
  };
});
afterEach(async () => slack.close());

async function stored(overrides: Partial<RestoreRequest> = {}): Promise<RestoreRequest> {
  n += 1;
  const req = pendingRequest({ id: `R-NTFY${String(n).padStart(2, '0')}`, ...overrides });
  await store.create(req);
  return req;
}

async function current(id: string): Promise<RestoreRequest> {
  const req = await store.get(id);
  if (!req) throw new Error(`${id} is not stored`);
  return req;
}

/** Writes the approval, the start, one progress step and completion, as the domain does. */
async function runToActive(id: string): Promise<RestoreRequest> {
  let req = await current(id);
  const steps: ((r: RestoreRequest) => RestoreRequest)[] = [
    (r) => {
      const d = decideApproval(r, APPROVER, true, clock.now());
      if (!d.ok) throw new Error(d.reason);
      return d.next;
    },
    (r) => transition(r, { status: 'RESTORING', restore: { attempts: 0 } }, undefined, clock.now()),
    (r) =>
      transition(
        r,
        { restore: { attempts: 1, startedAt: clock.now().toISOString(), tableStatus: 'CREATING' } },
        { actor: 'bot', action: 'restore_started', detail: 'CREATING' },
        clock.now(),
      ),
    (r) =>
      transition(
        r,
        { restore: { ...r.restore, lastProgressAt: clock.now().toISOString() } },
        { actor: 'bot', action: 'progress', detail: 'CREATING' },
        clock.now(),
      ),
    (r) =>
      transition(
        r,
        {
          status: 'ACTIVE',
          restore: { ...r.restore, completedAt: clock.now().toISOString(), itemCount: 1200 },
        },
        { actor: 'bot', action: 'active' },
        clock.now(),
      ),
  ];
  for (const step of steps) {
    clock.advance(60_000);
    const next = step(req);
    if (!(await store.update(req, next))) throw new Error('lost a write');
    req = next;
  }
  return req;
}

function root(id: string) {
  return slack.messages(CHANNEL).find((m) => !m.thread_ts && messageText(m).includes(id));
}

function replies(id: string) {
  const r = root(id);
  return r ? slack.thread(CHANNEL, r.ts) : [];
}

async function outboxIds(): Promise<string[]> {
  return (await store.listOutbox()).map((r) => r.id);
}

describe('notifyRequest', () => {
  it('posts the approval message once and records its ts', async () => {
    const req = await stored();

    await notifyRequest(deps, req.id);
    await notifyRequest(deps, req.id);

    const posts = slack.callsOf('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.thread_ts).toBeUndefined();
    const after = await current(req.id);
    expect(after.message).toEqual({ channel: CHANNEL, ts: root(req.id)?.ts });
    expect(after.notifiedSeq).toBe(1);
    expect(messageText(root(req.id))).toContain('request_approve');
    expect(await outboxIds()).not.toContain(req.id);
  });

  it('posts thread replies in event order', async () => {
    const req = await stored();
    await notifyRequest(deps, req.id);
    await runToActive(req.id);

    await notifyRequest(deps, req.id);

    const thread = replies(req.id).map((m) => messageText(m));
    expect(thread).toHaveLength(4);
    expect(thread[0]).toContain('approved (1/1)');
    expect(thread[1]).toContain('started the restore');
    expect(thread[2]).toContain('Still restoring');
    expect(thread[3]).toContain('is *ACTIVE*');
    expect((await current(req.id)).notifiedSeq).toBe(5);
    expect(await outboxIds()).not.toContain(req.id);
  });

  it('posts the message and the whole story when nothing was posted yet', async () => {
    const req = await stored();
    await runToActive(req.id);

    await notifyRequest(deps, req.id);

    expect(slack.callsOf('chat.postMessage')).toHaveLength(5);
    expect(messageText(root(req.id))).toContain('is ACTIVE');
    expect(replies(req.id)).toHaveLength(4);
  });

  it('redraws the message after events, without stale buttons', async () => {
    const req = await stored();
    await notifyRequest(deps, req.id);
    const decision = decideApproval(await current(req.id), APPROVER, true, clock.now());
    if (!decision.ok) throw new Error(decision.reason);
    await store.update(await current(req.id), decision.next);

    await notifyRequest(deps, req.id);

    const updates = slack.callsOf('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.body.ts).toBe(root(req.id)?.ts);
    const text = messageText(root(req.id));
    expect(text).toContain('Approved by <@U0APPROVER>');
    expect(text).not.toContain('request_approve');
  });

  it('posts each update once when two notifyRequest calls run at once (the lease)', async () => {
    const req = await stored();
    await runToActive(req.id);

    await Promise.all([
      notifyRequest(deps, req.id),
      notifyRequest(deps, req.id),
      notifyRequest(deps, req.id),
    ]);

    expect(slack.messages(CHANNEL).filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(replies(req.id)).toHaveLength(4);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(5);
  });

  it('leaves a request alone while another run holds its lease, and takes over when it runs out', async () => {
    const req = await stored();
    await store.claimNotify(req.id, clock.now(), NOTIFY_LEASE_MS);

    await notifyRequest(deps, req.id);
    const whileHeld = slack.callsOf('chat.postMessage').length;
    clock.advance(NOTIFY_LEASE_MS + 1);
    await notifyRequest(deps, req.id);

    expect(whileHeld).toBe(0);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    expect((await current(req.id)).message).toBeDefined();
  });

  it('resumes after a failed post from where it stopped, posting nothing twice', async () => {
    const req = await stored();
    await notifyRequest(deps, req.id);
    await runToActive(req.id);
    const real = deps.messenger;
    let posts = 0;
    const flaky = withPost(real, (channel, message, options) => {
      posts += 1;
      // The second reply meets a rate limit at the stand-in.
      if (posts === 2) slack.failNext('chat.postMessage', 'ratelimited');
      return real.post(channel, message, options);
    });

    const failed = await notifyRequest({ ...deps, messenger: flaky }, req.id).catch((err: unknown) => err);
    const afterFailure = await current(req.id);
    await notifyRequest(deps, req.id);

    expect(failed).toMatchObject({ code: 'slack_webapi_rate_limited_error' });
    expect(afterFailure.notifiedSeq).toBe(2);
    expect(replies(req.id).map((m) => messageText(m))).toEqual([
      expect.stringContaining('approved (1/1)'),
      expect.stringContaining('started the restore'),
      expect.stringContaining('Still restoring'),
      expect.stringContaining('is *ACTIVE*'),
    ]);
    expect(await outboxIds()).not.toContain(req.id);
  });

  it('keeps a request in the outbox until its message redraw has gone through', async () => {
    const req = await stored();
    await notifyRequest(deps, req.id);
    const decision = decideApproval(await current(req.id), APPROVER, true, clock.now());
    if (!decision.ok) throw new Error(decision.reason);
    await store.update(await current(req.id), decision.next);
    slack.failNext('chat.update', 'ratelimited');

    await notifyRequest(deps, req.id).catch(() => undefined);
    const stillQueued = await outboxIds();
    await notifyRequest(deps, req.id);

    expect(stillQueued).toContain(req.id);
    expect(replies(req.id)).toHaveLength(1);
    expect(messageText(root(req.id))).not.toContain('request_approve');
    expect(await outboxIds()).not.toContain(req.id);
  });

  it('keeps a transition in the outbox when it was written from a read older than the last post', async () => {
    // Regression: a writer that read the request before the notifier drained it wrote its event
    // without putting the request back in the outbox, so a failed post of that event was never retried.
    const req = await stored();
    const stale = await current(req.id);
    await notifyRequest(deps, req.id);
    const decision = decideApproval(stale, APPROVER, true, clock.now());
    if (!decision.ok) throw new Error(decision.reason);
    expect(await store.update(stale, decision.next)).toBe(true);
    slack.failNext('chat.postMessage', 'ratelimited');

    await notifyRequest(deps, req.id).catch(() => undefined);
    const queued = await outboxIds();
    for (const r of await store.listOutbox()) await notifyRequest(deps, r.id);

    expect(queued).toContain(req.id);
    expect(replies(req.id).map((m) => messageText(m))).toEqual([expect.stringContaining('approved (1/1)')]);
  });
});

/** `real`, with its posts made by `post`. */
function withPost(real: Messenger, post: Messenger['post']): Messenger {
  return {
    post,
    update: (channel, ts, message) => real.update(channel, ts, message),
    ephemeral: (channel, user, message) => real.ephemeral(channel, user, message),
    findRequestMessage: (channel, id, since) => real.findRequestMessage(channel, id, since),
  };
}

/** A messenger whose posts take `ms` of the test clock each, and that runs `during` inside post `n`. */
function slowMessenger(real: Messenger, ms: number, during?: { post: number; run: () => Promise<void> }) {
  let posts = 0;
  const messenger = withPost(real, async (channel, message, options) => {
    posts += 1;
    const ts = await real.post(channel, message, options);
    clock.advance(ms);
    if (during && posts === during.post) await during.run();
    return ts;
  });
  return { messenger, posts: () => posts };
}

describe('regression (issue 9, finding 3): the outbox lease is enforced on writes', () => {
  it('a run longer than the lease keeps it by renewing, so an overlapping run posts nothing twice', async () => {
    const req = await stored();
    const active = await runToActive(req.id);
    // Each post takes 25 s: the whole run (message + 4 replies) lasts 125 s, twice the lease.
    const slow = slowMessenger(deps.messenger, 25_000, {
      post: 3,
      run: () => notifyRequest(deps, req.id),
    });

    await notifyRequest({ ...deps, messenger: slow.messenger }, req.id);

    expect(slack.messages(CHANNEL).filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(replies(req.id)).toHaveLength(4);
    const after = await current(req.id);
    expect(after.notifiedSeq).toBe(active.events.length);
    expect(await outboxIds()).not.toContain(req.id);
  });

  it('a run that lost its lease stops, never moves notifiedSeq back and never drops the new holder’s lease', async () => {
    const req = await stored();
    const active = await runToActive(req.id);
    let secondRunHeld = false;
    // The first post hangs past the lease; meanwhile another run takes over and posts everything.
    const slow = slowMessenger(deps.messenger, NOTIFY_LEASE_MS + 1, {
      post: 1,
      run: async () => {
        const other = await store.claimNotify(req.id, clock.now(), NOTIFY_LEASE_MS);
        secondRunHeld = other !== undefined;
        if (other) await store.releaseNotify(other.lease, -1);
        await notifyRequest(deps, req.id);
      },
    });

    await notifyRequest({ ...deps, messenger: slow.messenger }, req.id);

    expect(secondRunHeld).toBe(true);
    expect(slow.posts()).toBe(1);
    const after = await current(req.id);
    expect(after.notifiedSeq).toBe(active.events.length);
    expect(replies(req.id)).toHaveLength(4);
    expect(await outboxIds()).not.toContain(req.id);
  });
});

describe('regression (issue 9, finding 4): the approval message is posted once', () => {
  it('after a crash between chat.postMessage and storing its ts, the next run reuses the posted message', async () => {
    const req = await stored();
    const real = deps.messenger;
    const crashing = withPost(real, async (channel, message, options) => {
      await real.post(channel, message, options);
      throw new Error('process died before storing the ts');
    });
    await notifyRequest({ ...deps, messenger: crashing }, req.id).catch(() => undefined);
    clock.advance(NOTIFY_LEASE_MS + 1);
    await runToActive(req.id);

    await notifyRequest(deps, req.id);

    const roots = slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(roots).toHaveLength(1);
    expect((await current(req.id)).message).toEqual({ channel: CHANNEL, ts: roots[0]!.ts });
    // The reused message is redrawn: it shows the request ACTIVE, with no live buttons.
    expect(roots[0]!.updates).toHaveLength(1);
    expect(messageText(roots[0])).not.toContain('request_approve');
    expect(replies(req.id)).toHaveLength(4);
    expect(slack.callsOf('conversations.history')).toHaveLength(1);
  });

  it('marks the approval message with the request ID in its metadata', async () => {
    const req = await stored();
    await notifyRequest(deps, req.id);
    const [root] = slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(root?.metadata).toEqual({
      event_type: 'dynamodb_restore_request',
      event_payload: { request_id: req.id },
    });
  });

  it('posts the message when a run marked it as posting but the post never reached Slack', async () => {
    const req = await stored();
    const real = deps.messenger;
    const failing = withPost(real, async () => {
      throw new Error('network down');
    });
    await notifyRequest({ ...deps, messenger: failing }, req.id).catch(() => undefined);
    clock.advance(NOTIFY_LEASE_MS + 1);

    await notifyRequest(deps, req.id);

    expect(slack.messages(CHANNEL).filter((m) => !m.thread_ts)).toHaveLength(1);
    expect((await current(req.id)).message).toBeDefined();
  });
});
