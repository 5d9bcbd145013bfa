import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

export interface EmbeddedDynamo {
  endpoint: string;
  /** A client for the embedded store (fixed local credentials; never the real AWS). */
  client: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * Starts dynalite on loopback: DynamoDB's API backed by LevelDB under `path` (in memory when
 * omitted). Local runs and tests use the same store code as AWS does.
 */
export async function startEmbeddedDynamo(
  options: { path?: string; port?: number } = {},
): Promise<EmbeddedDynamo> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      server.closeAllConnections();
      // dynalite's close also closes LevelDB, so a restarted process can open the same path.
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
