/**
 * Timeouts of every AWS SDK client the bot builds (the SDK has none by default, so a hung
 * connection would hold a function until Lambda kills it). A DynamoDB or STS call answers in
 * milliseconds; 10 s per attempt, with the SDK's retries, keeps the worst start attempt far inside
 * the worker's timeout, which the watcher's re-drive waits for (src/restore/executor.ts).
 * No SDK import here: the slack function's bundle uses it too.
 */
export const REQUEST_TIMEOUTS = {
  connectionTimeout: 3_000,
  requestTimeout: 10_000,
  // Without it, the SDK's HTTP handler only logs a warning when requestTimeout passes and waits on.
  throwOnRequestTimeout: true,
} as const;
