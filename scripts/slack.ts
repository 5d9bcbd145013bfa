/**
 * Plays Slack for a local `npm start`: signs a slash command or a button click with
 * SLACK_SIGNING_SECRET, posts it to the bot, and prints the acknowledgement and whatever the bot
 * sends to the response_url in the next few seconds.
 *
 *   npm run demo:slack -- /backups MusicCollection [--user U0REQUESTER] [--channel C0INCIDENTS]
 *   npm run demo:slack -- approve|reject|cancel R-XXXXXX --user U0APPROVER
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  blockActionBody,
  postToLocal,
  signSlackBody,
  slashCommandBody,
} from '../src/sandbox/slack-requests.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const secret = process.env.SLACK_SIGNING_SECRET;
const botUrl = `http://127.0.0.1:${process.env.PORT ?? '3000'}/slack/events`;

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1] ?? fallback;
  args.splice(i, 2);
  return value;
}

async function main(): Promise<void> {
  if (!secret) throw new Error('Set SLACK_SIGNING_SECRET (as for npm start).');
  const args = process.argv.slice(2);
  const user = option(args, '--user', 'U0REQUESTER');
  const channel = option(args, '--channel', 'C0INCIDENTS');
  const [first, ...rest] = args;
  if (!first)
    throw new Error('Usage: npm run demo:slack -- /backups ARGS | /restore ARGS | approve|reject|cancel ID');

  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push(JSON.parse(body || '{}'));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;

  const body = first.startsWith('/')
    ? slashCommandBody({
        command: first,
        text: rest.join(' '),
        userId: user,
        channelId: channel,
        responseUrl,
      })
    : blockActionBody({
        actionId: `request_${first}`,
        value: rest[0] ?? '',
        userId: user,
        channelId: channel,
        messageTs: '0',
        responseUrl,
      });
  const res = await postToLocal(botUrl, body, signSlackBody(secret, body));
  console.log(`HTTP ${res.status}${res.body ? `\n${res.body}` : ''}`);
  await new Promise((resolve) => setTimeout(resolve, 4000));
  for (const message of received) console.log(`response_url:\n${JSON.stringify(message, null, 2)}`);
  server.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
