import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { retryConfig } from '../aws/clients.ts';
import type { SettingsClients } from './read.ts';

/**
 * The three clients of one settings role session. Worker-only: the slack function never imports
 * this module, so Application Auto Scaling and CloudWatch stay out of its bundle. Endpoints are
 * left to the SDK (AWS_ENDPOINT_URL and the per-service variables); retries and request timeouts
 * are src/aws/clients.ts's, as for every other client the bot builds.
 */
export function createSettingsClients(init: {
  region: string;
  credentials: DynamoDBClientConfig['credentials'];
  /** Tests: one attempt, so an injected error surfaces at once. */
  maxAttempts?: number;
  endpoint?: string;
}): SettingsClients {
  const config = {
    region: init.region,
    credentials: init.credentials,
    ...retryConfig(undefined),
    ...(init.maxAttempts ? { maxAttempts: init.maxAttempts } : {}),
    ...(init.endpoint ? { endpoint: init.endpoint } : {}),
  };
  return {
    dynamodb: new DynamoDBClient(config),
    autoScaling: new ApplicationAutoScalingClient(config),
    cloudWatch: new CloudWatchClient(config),
  };
}

/** Closes the clients' sockets. */
export function destroySettingsClients(clients: SettingsClients): void {
  clients.dynamodb.destroy();
  clients.autoScaling.destroy();
  clients.cloudWatch.destroy();
}
