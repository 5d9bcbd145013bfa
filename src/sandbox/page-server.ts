/**
 * The sandbox's web page on loopback: the static Slack look-alike (page/) and a small JSON API
 * the page polls and posts to. Everything the page does goes through SandboxWorkspace, which
 * talks to the bot as Slack does.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SANDBOX_PEOPLE } from './demo.ts';
import { BodyTooLargeError, closeServer, listenOnLoopback, readBody } from './loopback.ts';
import { SandboxActionError, type SandboxWorkspace } from './workspace.ts';

const PAGE_DIR = new URL('./page/', import.meta.url);
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};
const MAX_BODY = 256 * 1024;

export interface PageServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_BODY);
  } catch (err) {
    throw err instanceof BodyTooLargeError ? new SandboxActionError('Request too large.') : err;
  }
  const text = raw.toString('utf8');
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    throw new SandboxActionError('The request body is not JSON.');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function person(value: unknown): string {
  const found = SANDBOX_PEOPLE.find((p) => p.id === value);
  if (!found) throw new SandboxActionError(`Unknown person ${String(value)}.`);
  return found.id;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new SandboxActionError(`${name} is missing.`);
  return value;
}

async function route(workspace: SandboxWorkspace, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const asset = STATIC[url.pathname];
  if (req.method === 'GET' && asset) {
    const content = await readFile(new URL(asset.file, PAGE_DIR));
    res.writeHead(200, {
      'content-type': asset.type,
      'cache-control': 'no-store',
      // The page loads only its own script and style, and talks only to this server.
      'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
    });
    res.end(content);
    return;
  }
  if (req.method === 'GET' && url.pathname === '/api/state') {
    send(res, 200, workspace.state(person(url.searchParams.get('user') ?? SANDBOX_PEOPLE[0]?.id)));
    return;
  }
  if (req.method !== 'POST') {
    send(res, 404, { error: 'not found' });
    return;
  }
  // A page on another origin cannot post here: browsers send Origin with every cross-site POST.
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) {
    send(res, 403, { error: 'cross-origin request refused' });
    return;
  }
  const body = await readJson(req);
  const user = person(body.user);
  switch (url.pathname) {
    case '/api/command':
      await workspace.command(user, text(body.text, 'text'));
      break;
    case '/api/click':
      await workspace.click(user, {
        messageId: text(body.messageId, 'messageId'),
        actionId: text(body.actionId, 'actionId'),
        ...(typeof body.blockId === 'string' ? { blockId: body.blockId } : {}),
        ...(typeof body.value === 'string' ? { value: body.value } : {}),
        ...(typeof body.text === 'string' ? { text: body.text } : {}),
      });
      break;
    case '/api/view/submit':
      await workspace.submit(
        user,
        text(body.viewId, 'viewId'),
        (body.values ?? {}) as Record<string, Record<string, unknown>>,
      );
      break;
    case '/api/view/close':
      workspace.close(user, text(body.viewId, 'viewId'));
      break;
    default:
      send(res, 404, { error: 'not found' });
      return;
  }
  send(res, 200, workspace.state(user));
}

/** Serves the page on 127.0.0.1:`port` (0 = any free port). */
export async function startPageServer(workspace: SandboxWorkspace, port: number): Promise<PageServer> {
  const { server, url } = await listenOnLoopback(
    (req, res) =>
      route(workspace, req, res).catch((err: unknown) => {
        const known = err instanceof SandboxActionError;
        send(res, known ? 400 : 500, { error: known ? err.message : `sandbox error: ${String(err)}` });
      }),
    port,
  );
  return {
    url: `${url}/`,
    port: Number(new URL(url).port),
    close: () => closeServer(server),
  };
}
