import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

export interface EmbeddedDynamo {
  /** The URL the client uses (over the private socket in `socket` mode, the host is not dialled). */
  endpoint: string;
  /** In `socket` mode: the Unix socket, in a directory only this OS user can enter. */
  socketPath?: string;
  /** A client for the embedded store (fixed local credentials; never the real AWS). */
  client: DynamoDBClient;
  close(): Promise<void>;
}

/** The header that carries the per-start key in `socket` mode. */
export const STORE_KEY_HEADER = 'x-restore-bot-store-key';

interface EmbeddedOptions {
  /** LevelDB directory; in memory when omitted. */
  path?: string;
  /**
   * `socket` (default): a Unix socket in a fresh 0700 directory, and a key generated at start that
   * every request must carry: only this process can use the store. `tcp`: loopback TCP (for test
   * stand-ins that forward raw DynamoDB requests to it), still closed to browsers.
   */
  transport?: 'socket' | 'tcp';
  /** TCP port (`tcp` only); 0 = any free one. */
  port?: number;
}

function refuse(res: ServerResponse, message: string): void {
  res.writeHead(403, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message }));
}

/**
 * dynalite answers CORS preflights and any origin, so a web page could read and write the bot's
 * state through a loopback port. Every request with an `Origin` header (what browsers send on
 * cross-origin requests) and every preflight is refused before dynalite sees it, and in `socket`
 * mode a request without the start-up key too.
 */
function guard(server: ReturnType<typeof dynalite>, key: string | undefined): void {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.origin !== undefined || req.method === 'OPTIONS') {
      refuse(res, 'The embedded state store does not serve browsers.');
      return;
    }
    if (key !== undefined && req.headers[STORE_KEY_HEADER] !== key) {
      refuse(res, 'The embedded state store serves only the bot process that started it.');
      return;
    }
    for (const handler of handlers) handler.call(server, req, res);
  });
}

/**
 * Starts dynalite: DynamoDB's API backed by LevelDB under `path` (in memory when omitted), so local
 * runs and tests use the same store code as AWS does. It is for one machine and one operator.
 */
export async function startEmbeddedDynamo(options: EmbeddedOptions = {}): Promise<EmbeddedDynamo> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const socketMode = (options.transport ?? 'socket') === 'socket';
  const key = socketMode ? randomBytes(32).toString('hex') : undefined;
  guard(server, key);

  let socketDir: string | undefined;
  let socketPath: string | undefined;
  let endpoint: string;
  let agent: Agent | undefined;
  if (socketMode) {
    // mkdtemp creates the directory with mode 0700: no other local user can reach the socket.
    socketDir = mkdtempSync(join(tmpdir(), 'restore-bot-store-'));
    socketPath = join(socketDir, 'dynalite.sock');
    const path = socketPath;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    endpoint = 'http://embedded-store.invalid';
    agent = new Agent({ keepAlive: true });
    // Every connection goes to the socket, whatever host the SDK puts in the URL.
    agent.createConnection = () => connect(path);
  } else {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...(agent ? { requestHandler: { httpAgent: agent } } : {}),
  });
  if (key) {
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (request.headers) request.headers[STORE_KEY_HEADER] = key;
        return next(args);
      },
      { step: 'build', name: 'embeddedStoreKey' },
    );
  }
  return {
    endpoint,
    ...(socketPath ? { socketPath } : {}),
    client,
    close: async () => {
      client.destroy();
      agent?.destroy();
      server.closeAllConnections();
      // dynalite's close also closes LevelDB, so a restarted process can open the same path.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (socketDir) rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
