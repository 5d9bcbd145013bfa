import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.ts';
import { launchChromium, playRestoreStory } from './story.ts';

/** Screenshots of the last run, for a person to look at (not committed; README pictures come from scripts/readme-screenshots.ts). */
const SHOTS = join(process.cwd(), '.data', 'screenshots');

let sandbox: Sandbox;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    log: createLogger('warn'),
    announce: () => {},
    timing: { watchIntervalSeconds: 1, progressIntervalMs: 2_500, creatingPolls: 5 },
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

describe('the sandbox page in Chromium', () => {
  it('plays the whole restore story: /backups, the /restore form, a refused self-approval, an approval, the thread to ACTIVE', async () => {
    const result = await playRestoreStory(page, sandbox.url, { dir: SHOTS });

    // Every kind of reply a successful restore gets, in order.
    const kinds = ['approved', 'started the restore', 'Still restoring', 'ACTIVE'];
    const firsts = kinds.map((k) => result.threadReplies.findIndex((r) => r.includes(k)));
    expect(firsts.every((i) => i >= 0)).toBe(true);
    expect([...firsts].sort((a, b) => a - b)).toEqual(firsts);
    // The bot really restored the table in the stand-in account, once.
    expect(sandbox.aws.restoreCalls).toHaveLength(1);
    expect(sandbox.aws.tables.get('MusicCollection-restored')?.status).toBe('ACTIVE');
    // The self-approval went to the bot as a signed interaction and changed nothing.
    const request = await sandbox.bot.deps.store.get(result.requestId);
    expect(request?.approvals.map((a) => a.userId)).toEqual(['U0APPROVER']);
  }, 120_000);
});
