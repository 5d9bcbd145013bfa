/**
 * The Lambda entry points. Each function is bundled from its own module under src/lambda/ so that
 * the slack function's bundle (and cold start) carries only what a listener needs; this module
 * gathers them for tests and readers.
 *
 * - `slack`: POST /slack/events behind the HTTP API (src/lambda/slack.ts)
 * - `worker`: asynchronous jobs handed over by the listeners and the watcher (src/lambda/worker.ts)
 * - `watcher`: the one-minute schedule (src/lambda/worker.ts)
 *
 * All are two-argument async handlers; Node 24 runtimes reject the callback form.
 */
export { resetRuntime } from './lambda/runtime.ts';
export { slack } from './lambda/slack.ts';
export { watcher, worker } from './lambda/worker.ts';
