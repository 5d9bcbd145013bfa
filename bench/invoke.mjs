// Runs a bundled Lambda handler in this fresh Node process, the way the Lambda runtime does:
// import the module, then call the exported two-argument handler with each event in turn.
// Plain JavaScript on purpose: no TypeScript loader may add to the cold-start time measured here.
//
//   node bench/invoke.mjs HANDLER.mjs EXPORT EVENTS.json
//
// EVENTS.json is [{ label, event }]. The result goes to file descriptor 3 as one JSON object;
// stdout and stderr stay the function's own (logs). Times are performance.now() values, i.e.
// milliseconds since this process started (Node's time origin), plus timeOrigin to line them up
// with the stand-ins' clocks.
import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const scriptStart = performance.now();
const [handlerPath, exportName, eventsPath] = process.argv.slice(2);
const events = JSON.parse(readFileSync(eventsPath, 'utf8'));

const importStart = performance.now();
const mod = await import(pathToFileURL(handlerPath).href);
const imported = performance.now();
const handler = mod[exportName];
if (typeof handler !== 'function') throw new Error(`${handlerPath} exports no function ${exportName}`);

const invocations = [];
for (const { label, event } of events) {
  const start = performance.now();
  const result = await handler(event, {});
  const end = performance.now();
  invocations.push({ label, start, end, statusCode: result?.statusCode, body: result?.body ?? '' });
}

writeSync(
  3,
  JSON.stringify({
    timeOrigin: performance.timeOrigin,
    scriptStart,
    importStart,
    imported,
    invocations,
  }),
);
// Keep-alive sockets of the SDK and Slack clients would hold the process open.
process.exit(0);
