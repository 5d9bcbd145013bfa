/**
 * The sandbox's Slack workspace: what the page shows and what its clicks do. It reads what the bot
 * sent to the Slack stand-in (messages, updates, ephemeral messages, response_url posts, views)
 * and turns the page's actions into the signed requests Slack itself sends to the bot: slash
 * commands, block_actions and view_submission payloads with fresh trigger IDs and response URLs.
 */
import { randomUUID } from 'node:crypto';
import { SANDBOX_BOT_NAME, SANDBOX_CHANNEL, SANDBOX_PEOPLE, SANDBOX_USER_GROUPS } from './demo.ts';
import type { SlackApiStand } from './slack-api.ts';
import { blockActionPayload, signSlackBody, slashCommandBody, viewSubmissionBody } from './slack-requests.ts';

/** One message on the page: posted to the channel (or a thread), or only visible to one person. */
export interface PageMessage {
  id: string;
  /** Discovery order: the page sorts by it. */
  seq: number;
  /** When the sandbox first saw it (ms since the epoch). */
  at: number;
  ephemeral: boolean;
  /** For ephemeral messages: who sees it. */
  user?: string;
  text?: string;
  blocks?: unknown[];
  /** The parent's ts when this is a thread reply. */
  threadTs?: string;
  /** Channel messages: Slack's ts (the thread key). */
  ts?: string;
  edited: boolean;
}

export interface PageView {
  id: string;
  user: string;
  view: Record<string, unknown>;
  /** block_id -> message, from a `response_action: errors` answer. */
  errors: Record<string, string>;
}

export interface PageState {
  me: string;
  people: typeof SANDBOX_PEOPLE;
  bot: { id: string; name: string };
  channel: typeof SANDBOX_CHANNEL;
  userGroups: Record<string, string>;
  /** Top-level messages (channel and ephemeral) in order, with their reply counts. */
  messages: (PageMessage & { replies: number })[];
  /** Thread replies by parent ts. */
  threads: Record<string, PageMessage[]>;
  view: PageView | null;
}

export interface WorkspaceOptions {
  slack: SlackApiStand;
  /** The bot's request URL, e.g. http://127.0.0.1:PORT/slack/events. */
  botUrl: string;
  signingSecret: string;
}

interface ResponseContext {
  user: string;
  /** The ephemeral or channel message the interaction came from. */
  origin?: string;
}

/** A page action could not be delivered, or the bot refused it at the HTTP level. */
export class SandboxActionError extends Error {
  override name = 'SandboxActionError';
}

export class SandboxWorkspace {
  private readonly slack: SlackApiStand;
  /** The bot's request URL; the sandbox sets it once the bot listens. */
  botUrl: string;
  private readonly secret: string;
  private seq = 0;
  private readonly channelSeen = new Map<string, PageMessage>();
  private readonly ephemerals = new Map<string, PageMessage>();
  private ephemeralsRead = 0;
  private responsesRead = 0;
  private readonly responseContexts = new Map<string, ResponseContext>();
  private readonly triggers = new Map<string, string>();
  /** Open modals per person, the top one last (views.push stacks). */
  private readonly views = new Map<string, PageView[]>();

  constructor(options: WorkspaceOptions) {
    this.slack = options.slack;
    this.botUrl = options.botUrl;
    this.secret = options.signingSecret;
    this.slack.handle('views.open', (body) => this.openView(body, false));
    this.slack.handle('views.push', (body) => this.openView(body, true));
    this.slack.handle('views.update', (body) => this.updateView(body));
  }

  /** What `user` sees now. */
  state(user: string): PageState {
    this.sync();
    const visible = (m: PageMessage) => !m.ephemeral || m.user === user;
    const all = [...this.channelSeen.values(), ...this.ephemerals.values()]
      .filter(visible)
      .sort((a, b) => a.seq - b.seq);
    const threads: Record<string, PageMessage[]> = {};
    for (const m of all) {
      if (!m.threadTs) continue;
      const replies = threads[m.threadTs] ?? [];
      replies.push(m);
      threads[m.threadTs] = replies;
    }
    const messages = all
      .filter((m) => !m.threadTs)
      .map((m) => ({ ...m, replies: m.ts ? (threads[m.ts]?.filter((r) => !r.ephemeral).length ?? 0) : 0 }));
    const stack = this.views.get(user);
    return {
      me: user,
      people: SANDBOX_PEOPLE,
      bot: { id: this.slack.botUserId, name: SANDBOX_BOT_NAME },
      channel: SANDBOX_CHANNEL,
      userGroups: Object.fromEntries(Object.entries(SANDBOX_USER_GROUPS).map(([id, g]) => [id, g.handle])),
      messages,
      threads,
      view: stack?.at(-1) ?? null,
    };
  }

  /** Runs a slash command typed in the composer, e.g. `/backups MusicCollection`. */
  async command(user: string, line: string): Promise<void> {
    const match = /^(\/[a-z][\w-]*)(?:\s+([\s\S]*))?$/.exec(line.trim());
    if (!match?.[1]) {
      this.addEphemeral(user, {
        text: 'The sandbox runs slash commands: try `/backups MusicCollection` or `/restore`.',
      });
      return;
    }
    const responseId = this.newResponseUrl({ user });
    const body = slashCommandBody({
      command: match[1],
      text: match[2]?.trim() ?? '',
      userId: user,
      userName: this.personName(user),
      channelId: SANDBOX_CHANNEL.id,
      channelName: SANDBOX_CHANNEL.name,
      responseUrl: this.slack.responseUrl(responseId),
      triggerId: this.newTrigger(user),
      teamId: this.slack.teamId,
    });
    const answer = await this.post(body);
    // The acknowledgement's body is a message, as Slack shows it.
    if (answer && (typeof answer.text === 'string' || Array.isArray(answer.blocks))) {
      this.deliverResponse({ user }, answer);
    }
  }

  /** Clicks a button of a message; the page has already shown its confirm dialog, if any. */
  async click(
    user: string,
    input: { messageId: string; actionId: string; blockId?: string; value?: string; text?: string },
  ): Promise<void> {
    this.sync();
    const message = this.channelSeen.get(input.messageId) ?? this.ephemerals.get(input.messageId);
    if (!message || (message.ephemeral && message.user !== user)) {
      throw new SandboxActionError('That message is gone.');
    }
    const responseId = this.newResponseUrl({ user, origin: message.id });
    const payload = blockActionPayload({
      actionId: input.actionId,
      value: input.value ?? '',
      userId: user,
      channelId: SANDBOX_CHANNEL.id,
      messageTs: message.ts ?? `${message.seq}.000000`,
      responseUrl: this.slack.responseUrl(responseId),
      triggerId: this.newTrigger(user),
      teamId: this.slack.teamId,
      ...(input.blockId ? { blockId: input.blockId } : {}),
      ...(message.blocks ? { messageBlocks: message.blocks } : {}),
      ...(message.text ? { messageText: message.text } : {}),
      ...(input.text ? { buttonText: input.text } : {}),
    });
    if (message.ephemeral) {
      // Slack sends no message with a click in an ephemeral message, only its container.
      (payload.container as Record<string, unknown>).is_ephemeral = true;
      delete payload.message;
    }
    if (message.threadTs) (payload.container as Record<string, unknown>).thread_ts = message.threadTs;
    (payload.user as Record<string, unknown>).name = this.personName(user);
    await this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  }

  /** Submits the person's open modal with `values` shaped as Slack's `view.state.values`. */
  async submit(user: string, viewId: string, values: Record<string, Record<string, unknown>>): Promise<void> {
    const stack = this.views.get(user) ?? [];
    const open = stack.at(-1);
    if (!open || open.id !== viewId) throw new SandboxActionError('That form is no longer open.');
    const body = viewSubmissionBody({
      callbackId: String(open.view.callback_id ?? ''),
      values,
      userId: user,
      privateMetadata: String(open.view.private_metadata ?? ''),
      viewId,
      blocks: (open.view.blocks as unknown[]) ?? [],
      triggerId: this.newTrigger(user),
      teamId: this.slack.teamId,
    });
    const answer = (await this.post(body)) ?? {};
    const action = answer.response_action;
    if (action === 'errors') {
      open.errors = (answer.errors as Record<string, string>) ?? {};
    } else if (action === 'update' && answer.view) {
      open.view = answer.view as Record<string, unknown>;
      open.errors = {};
    } else if (action === 'push' && answer.view) {
      stack.push({ id: this.newViewId(), user, view: answer.view as Record<string, unknown>, errors: {} });
    } else if (action === 'clear') {
      this.views.delete(user);
    } else {
      stack.pop();
    }
  }

  /** Closes the person's top modal (Slack sends view_closed only when asked; the bot never asks). */
  close(user: string, viewId: string): void {
    const stack = this.views.get(user) ?? [];
    if (stack.at(-1)?.id === viewId) stack.pop();
  }

  /** Folds what the bot sent to the stand-in since the last call into the page's model. */
  sync(): void {
    for (const message of this.slack.posted.values()) {
      if (message.channel !== SANDBOX_CHANNEL.id) continue;
      const id = `m-${message.ts}`;
      const seen = this.channelSeen.get(id);
      if (seen) {
        seen.text = message.text;
        seen.blocks = message.blocks;
        seen.edited = message.updates.length > 0;
        continue;
      }
      this.channelSeen.set(id, {
        id,
        seq: ++this.seq,
        at: Date.now(),
        ephemeral: false,
        ts: message.ts,
        edited: message.updates.length > 0,
        ...(message.text !== undefined ? { text: message.text } : {}),
        ...(message.blocks ? { blocks: message.blocks } : {}),
        ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
      });
    }
    for (const e of this.slack.ephemerals.slice(this.ephemeralsRead)) {
      this.addEphemeral(e.user, {
        ...(e.text !== undefined ? { text: e.text } : {}),
        ...(e.blocks ? { blocks: e.blocks } : {}),
        ...(e.thread_ts ? { threadTs: e.thread_ts } : {}),
      });
    }
    this.ephemeralsRead = this.slack.ephemerals.length;
    for (const post of this.slack.responses.slice(this.responsesRead)) {
      const context = this.responseContexts.get(post.id);
      if (context) this.deliverResponse(context, post.body);
    }
    this.responsesRead = this.slack.responses.length;
  }

  /** A response_url post or an acknowledgement body, applied as Slack does. */
  private deliverResponse(context: ResponseContext, body: Record<string, unknown>): void {
    const origin = context.origin
      ? (this.ephemerals.get(context.origin) ?? this.channelSeen.get(context.origin))
      : undefined;
    const content = {
      ...(typeof body.text === 'string' ? { text: body.text } : {}),
      ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
    };
    if (origin && (body.delete_original === true || body.delete_original === 'true')) {
      if (origin.ephemeral) this.ephemerals.delete(origin.id);
      return;
    }
    if (origin && (body.replace_original === true || body.replace_original === 'true')) {
      if (origin.ephemeral) {
        origin.text = content.text;
        origin.blocks = content.blocks;
        origin.edited = true;
      } else if (origin.ts) {
        const stored = this.slack.posted.get(`${SANDBOX_CHANNEL.id}/${origin.ts}`);
        if (stored) {
          stored.text = content.text;
          stored.blocks = content.blocks;
          stored.updates.push(body);
        }
      }
      return;
    }
    if (body.response_type === 'in_channel') {
      this.slack.posted.set(`${SANDBOX_CHANNEL.id}/response-${++this.seq}`, {
        channel: SANDBOX_CHANNEL.id,
        ts: `response-${this.seq}`,
        updates: [],
        ...content,
      });
      return;
    }
    this.addEphemeral(context.user, {
      ...content,
      ...(origin?.threadTs ? { threadTs: origin.threadTs } : {}),
    });
  }

  private addEphemeral(user: string, content: Pick<PageMessage, 'text' | 'blocks' | 'threadTs'>): void {
    const seq = ++this.seq;
    const id = `e-${seq}`;
    const message: PageMessage = { id, seq, at: Date.now(), ephemeral: true, user, edited: false };
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks !== undefined) message.blocks = content.blocks;
    if (content.threadTs !== undefined) message.threadTs = content.threadTs;
    this.ephemerals.set(id, message);
  }

  private openView(body: Record<string, unknown>, push: boolean): Record<string, unknown> {
    const trigger = typeof body.trigger_id === 'string' ? body.trigger_id : undefined;
    const user = trigger ? this.triggers.get(trigger) : undefined;
    const view = body.view;
    if (!user || typeof view !== 'object' || view === null) return { ok: false, error: 'invalid_trigger_id' };
    const stack = push ? (this.views.get(user) ?? []) : [];
    const page: PageView = { id: this.newViewId(), user, view: view as Record<string, unknown>, errors: {} };
    stack.push(page);
    this.views.set(user, stack);
    return { ok: true, view: { ...page.view, id: page.id, team_id: this.slack.teamId } };
  }

  private updateView(body: Record<string, unknown>): Record<string, unknown> {
    const view = body.view as Record<string, unknown> | undefined;
    for (const stack of this.views.values()) {
      const page = stack.find(
        (v) =>
          v.id === body.view_id ||
          (typeof body.external_id === 'string' && v.view.external_id === body.external_id),
      );
      if (page && view) {
        page.view = view;
        page.errors = {};
        return { ok: true, view: { ...view, id: page.id, team_id: this.slack.teamId } };
      }
    }
    return { ok: false, error: 'not_found' };
  }

  private newViewId(): string {
    return `V${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
  }

  private newTrigger(user: string): string {
    const trigger = `${Date.now()}.${this.slack.teamId}.${randomUUID().replace(/-/g, '')}`;
    this.triggers.set(trigger, user);
    return trigger;
  }

  private newResponseUrl(context: ResponseContext): string {
    const id = randomUUID();
    this.responseContexts.set(id, context);
    return id;
  }

  private personName(user: string): string {
    return (
      SANDBOX_PEOPLE.find((p) => p.id === user)
        ?.name.split(' ')[0]
        ?.toLowerCase() ?? user.toLowerCase()
    );
  }

  /** POSTs a signed request to the bot; resolves with its JSON answer, if it sent one. */
  private async post(rawBody: string): Promise<Record<string, unknown> | undefined> {
    if (!this.botUrl) throw new SandboxActionError('The bot is still starting; try again in a moment.');
    let response: Response;
    try {
      response = await fetch(this.botUrl, {
        method: 'POST',
        headers: signSlackBody(this.secret, rawBody),
        body: rawBody,
      });
    } catch (err) {
      throw new SandboxActionError(`The bot did not answer: ${(err as Error).message}`);
    }
    const text = await response.text();
    if (response.status !== 200) {
      throw new SandboxActionError(`The bot answered HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    if (!text.trim().startsWith('{')) return undefined;
    return JSON.parse(text) as Record<string, unknown>;
  }
}
