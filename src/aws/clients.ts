import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { REQUEST_TIMEOUTS } from './timeouts.ts';

/**
 * SDK clients, created once per process. Endpoints are left to the SDK: it honours
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_STS itself (checked against the
 * installed SDK in test/aws/clients.test.ts), which is how local runs point at a stand-in.
 */

/** Throttling and transient errors are retried by the SDK; 4 attempts ride out a short burst. */
export const MAX_ATTEMPTS = 4;

/** The SDK's retry strategy type, so tests can hand in a faster one without importing SDK internals here. */
export type RetryStrategyOption = DynamoDBClientConfig['retryStrategy'];

export interface ClientOptions {
  /** Replaces the standard strategy (e.g. a short backoff in tests). */
  retryStrategy?: RetryStrategyOption;
  /** Replaces REQUEST_TIMEOUTS (tests of a hung endpoint). */
  timeouts?: { connectionTimeout?: number; requestTimeout?: number };
}

const stsClients = new Map<string, STSClient>();
const dynamoDbClients = new Map<string, DynamoDBClient>();

/** Retries and timeouts every SDK client the bot builds shares (REQUEST_TIMEOUTS unless `options` replace them). */
export function retryConfig(
  options: ClientOptions | undefined,
): Pick<
  DynamoDBClientConfig & STSClientConfig,
  'maxAttempts' | 'retryMode' | 'retryStrategy' | 'requestHandler'
> {
  const requestHandler = { ...REQUEST_TIMEOUTS, ...options?.timeouts };
  if (options?.retryStrategy) return { retryStrategy: options.retryStrategy, requestHandler };
  return { maxAttempts: MAX_ATTEMPTS, retryMode: 'standard', requestHandler };
}

/**
 * The STS client the bot assumes target roles with, using the bot's own credentials. One per
 * region per process; with `options` a fresh, unshared client is returned.
 * @param region defaults to the SDK's own resolution (AWS_REGION, profile).
 */
export function createStsClient(region?: string, options?: ClientOptions): STSClient {
  const make = () => new STSClient({ ...(region ? { region } : {}), ...retryConfig(options) });
  if (options) return make();
  const key = region ?? '';
  let client = stsClients.get(key);
  if (!client) {
    client = make();
    stsClients.set(key, client);
  }
  return client;
}

/**
 * A DynamoDB client. Without `credentials` it uses the bot's own (the state table) and is shared
 * per region for the process; with `credentials` (a role session) it is new, and the caller caches it.
 */
export function createDynamoDbClient(
  init: { region: string; credentials?: DynamoDBClientConfig['credentials'] },
  options?: ClientOptions,
): DynamoDBClient {
  const make = () =>
    new DynamoDBClient({
      region: init.region,
      ...(init.credentials ? { credentials: init.credentials } : {}),
      ...retryConfig(options),
    });
  if (init.credentials || options) return make();
  let client = dynamoDbClients.get(init.region);
  if (!client) {
    client = make();
    dynamoDbClients.set(init.region, client);
  }
  return client;
}

/** Forgets the shared clients (tests that change AWS_* variables between cases). */
export function resetSharedClients(): void {
  for (const client of [...stsClients.values(), ...dynamoDbClients.values()]) client.destroy();
  stsClients.clear();
  dynamoDbClients.clear();
}
