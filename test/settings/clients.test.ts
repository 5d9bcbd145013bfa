import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '../../src/aws/clients.ts';
import { REQUEST_TIMEOUTS } from '../../src/aws/timeouts.ts';
import { createSettingsClients, destroySettingsClients } from '../../src/settings/clients.ts';

describe('createSettingsClients', () => {
  it('gives the three settings clients the request timeouts and retries of every other client (regression, review C)', async () => {
    const clients = createSettingsClients({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    });
    try {
      for (const client of [clients.dynamodb, clients.autoScaling, clients.cloudWatch]) {
        const handler = client.config.requestHandler as unknown as {
          configProvider: Promise<Record<string, unknown>>;
        };
        expect(await handler.configProvider).toMatchObject(REQUEST_TIMEOUTS);
        expect(await client.config.maxAttempts()).toBe(MAX_ATTEMPTS);
      }
    } finally {
      destroySettingsClients(clients);
    }
  });
});
