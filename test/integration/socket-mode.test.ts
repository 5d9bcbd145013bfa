import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { stringify } from 'yaml';
import { resetSharedClients } from '../../src/aws/clients.ts';
import { LocalEnvSchema } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { type FakeAws, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { type SlackApiStand, startSlackApi } from '../../src/sandbox/slack-api.ts';
import { type LocalServer, startLocal } from '../../src/server.ts';
import { BOT_TOKEN, CHANNEL, messageText, REQUESTER, testConfig } from '../helpers/bot.ts';

/**
 * `npm start` with SLACK_APP_TOKEN: Bolt's SocketModeReceiver opens the connection URL that
 * apps.connections.open (at SLACK_API_URL) returns, and a slash command arrives as an envelope
 * over that WebSocket instead of an HTTP POST.
 */
let fake: FakeAws;
let slack: SlackApiStand;
let wss: WebSocketServer;
let socket: Promise<WebSocket>;
let server: LocalServer;
let dir: string;

beforeAll(async () => {
  fake = await startFakeAws();
  fake.externalIds.set('arn:aws:iam::123456789012:role/dynamodb-restore-bot', 'test-external-id');
  fake.addBackup({ tableName: 'Orders', name: 'OrdersNightly', createdAt: new Date(Date.now() - 3600_000) });
  slack = await startSlackApi();
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as { port: number };
  slack.handle('apps.connections.open', () => ({ ok: true, url: `ws://127.0.0.1:${port}/link` }));
  socket = new Promise((resolve) =>
    wss.once('connection', (ws) => {
      ws.send(
        JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0RESTOREBOT' } }),
      );
      resolve(ws);
    }),
  );
  dir = mkdtempSync(join(tmpdir(), 'restore-bot-socket-'));
  writeFileSync(join(dir, 'config.yml'), stringify(testConfig()));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDSOCKET',
    AWS_SECRET_ACCESS_KEY: 'secret',
  });
  resetSharedClients();
  server = await startLocal(
    LocalEnvSchema.parse({
      SLACK_SIGNING_SECRET: 'unused-in-socket-mode',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: 'xapp-1-test',
      SLACK_API_URL: `${slack.url}/api/`,
      RESTORE_BOT_CONFIG: join(dir, 'config.yml'),
      DATA_DIR: join(dir, 'data'),
      WATCH_INTERVAL_SECONDS: '3600',
    }),
    { log: createLogger('error'), audit: () => {} },
  );
});
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => wss.close(resolve));
  await fake.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Socket Mode', () => {
  it('opens the connection through SLACK_API_URL and listens on no HTTP port', async () => {
    await socket;
    expect(server.port).toBeUndefined();
    expect(slack.callsOf('apps.connections.open')).toHaveLength(1);
  });

  it('acknowledges a /backups envelope and answers through the response_url', async () => {
    const ws = await socket;
    const acked = new Promise<Record<string, unknown>>((resolve) =>
      ws.on('message', (data) => {
        const message = JSON.parse(String(data));
        if (message.envelope_id === 'env-1') resolve(message);
      }),
    );
    ws.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          token: 'x',
          team_id: 'T0TEAM',
          channel_id: CHANNEL,
          user_id: REQUESTER,
          command: '/backups',
          text: 'Orders',
          api_app_id: 'A0RESTOREBOT',
          response_url: slack.responseUrl('socket-backups'),
          trigger_id: '1.2.3',
        },
      }),
    );

    const ack = await acked;
    expect(messageText(ack.payload as { text?: string })).toContain('Looking up backups of Orders');
    const answer = await slack.waitForResponse((r) => r.id === 'socket-backups', 10_000);
    expect(messageText(answer.body)).toContain('OrdersNightly');
  });
});
