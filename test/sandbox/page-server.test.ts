import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PageServer, startPageServer } from '../../src/sandbox/page-server.ts';
import { type SlackApiStand, startSlackApi } from '../../src/sandbox/slack-api.ts';
import { SandboxWorkspace } from '../../src/sandbox/workspace.ts';

/** The page's API on its own: the bad paths a browser (or another page) can take. */
let slack: SlackApiStand;
let workspace: SandboxWorkspace;
let page: PageServer;

beforeAll(async () => {
  slack = await startSlackApi();
  workspace = new SandboxWorkspace({ slack, botUrl: '', signingSecret: 'secret' });
  page = await startPageServer(workspace, 0);
});
afterAll(async () => {
  await page.close();
  await slack.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(new URL(path, page.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('the sandbox page server', () => {
  it('listens on loopback only and serves the page with a strict content security policy', async () => {
    expect(page.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(page.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('refuses a POST from another origin and changes nothing', async () => {
    const res = await post(
      '/api/command',
      { user: 'U0REQUESTER', text: 'hello' },
      { origin: 'http://evil.test' },
    );
    expect(res.status).toBe(403);
    expect(workspace.state('U0REQUESTER').messages).toEqual([]);
  });

  it('refuses someone who is not one of the sandbox people, and a body that is not JSON', async () => {
    const stranger = await post('/api/command', { user: 'U0NOBODY', text: '/backups' });
    expect(stranger.status).toBe(400);
    expect(await stranger.json()).toEqual({ error: 'Unknown person U0NOBODY.' });
    const garbage = await post('/api/command', '{not json');
    expect(garbage.status).toBe(400);
  });

  it('answers text that is not a slash command with a hint only the writer sees', async () => {
    const res = await post('/api/command', { user: 'U0REQUESTER', text: 'hello bot' });
    expect(res.status).toBe(200);
    expect(workspace.state('U0REQUESTER').messages.at(-1)).toMatchObject({
      ephemeral: true,
      text: expect.stringContaining('slash commands'),
    });
    expect(workspace.state('U0APPROVER').messages).toEqual([]);
  });

  it('says so when the bot is not up yet, instead of failing silently', async () => {
    const res = await post('/api/command', { user: 'U0REQUESTER', text: '/backups' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'The bot is still starting; try again in a moment.' });
  });

  it('refuses a click on a message that does not exist and a submit of a form that is not open', async () => {
    const click = await post('/api/click', {
      user: 'U0APPROVER',
      messageId: 'm-404',
      actionId: 'request_approve',
    });
    expect(click.status).toBe(400);
    expect(await click.json()).toEqual({ error: 'That message is gone.' });
    const submit = await post('/api/view/submit', { user: 'U0APPROVER', viewId: 'V404', values: {} });
    expect(await submit.json()).toEqual({ error: 'That form is no longer open.' });
  });
});
