import { statSync } from 'node:fs';
import { request } from 'node:http';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedDynamo, STORE_KEY_HEADER, startEmbeddedDynamo } from '../../src/store/embedded.ts';

/** A raw DynamoDB ListTables call over the Unix socket, with the headers given. */
function overSocket(socketPath: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path: '/',
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          ...headers,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('regression 8.3: the embedded store cannot be reached from a browser or by anyone else', () => {
  let socket: EmbeddedDynamo;
  let tcp: EmbeddedDynamo;

  beforeAll(async () => {
    socket = await startEmbeddedDynamo();
    tcp = await startEmbeddedDynamo({ transport: 'tcp' });
  });
  afterAll(async () => {
    await socket.close();
    await tcp.close();
  });

  it('listens on a Unix socket in a directory only this OS user can enter, by default', () => {
    const dir = socket.socketPath?.replace(/\/[^/]+$/, '') ?? '';

    expect(socket.socketPath).toMatch(/dynalite\.sock$/);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('serves the bot process through its own client', async () => {
    const out = await socket.client.send(new ListTablesCommand({}));

    expect(out.TableNames).toEqual([]);
  });

  it('refuses a request without the key generated at start', async () => {
    const path = socket.socketPath ?? '';

    expect(await overSocket(path, {})).toBe(403);
    expect(await overSocket(path, { [STORE_KEY_HEADER]: 'guessed' })).toBe(403);
  });

  it('refuses any request with an Origin header and every CORS preflight', async () => {
    const post = await fetch(tcp.endpoint, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '{}',
    });
    const preflight = await fetch(tcp.endpoint, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });

    expect(post.status).toBe(403);
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
