import { WebClient, type WebClientOptions } from '@slack/web-api';

/**
 * Web API client options shared by the listeners and the worker. Few, quick retries: a listener
 * has Slack's 3 seconds, and a post that still fails stays in the outbox for the next watcher run
 * rather than blocking a worker for minutes as the client's default retry policy would.
 */
export function slackClientOptions(slackApiUrl?: string): WebClientOptions {
  return {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
    timeout: 5000,
  };
}

export function createWebClient(token: string, slackApiUrl?: string): WebClient {
  return new WebClient(token, slackClientOptions(slackApiUrl));
}
