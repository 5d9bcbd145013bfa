/**
 * The sandbox's whole restore story, played in a real browser (Chromium through playwright-core):
 * used by the browser test and by scripts/readme-screenshots.ts, which keeps the README's pictures.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

const WAIT_MS = 15_000;

/** Waits until the first element of `locator` (narrowed to those containing `text`) is visible. */
async function visible(locator: Locator, text?: string | RegExp, timeout = WAIT_MS): Promise<void> {
  const target = text === undefined ? locator : locator.filter({ hasText: text });
  await target.first().waitFor({ state: 'visible', timeout });
}

async function hidden(locator: Locator, timeout = WAIT_MS): Promise<void> {
  await locator.first().waitFor({ state: 'hidden', timeout });
}

/** Polls `check` until it is true; fails with `what` after `timeout`. */
async function until(what: string, check: () => Promise<boolean>, timeout = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Debian's Chromium (`apt-get install chromium`), or CHROMIUM_PATH. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `No Chromium at ${path}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.`,
    );
  }
  return path;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // Root in a container has no user namespaces for Chromium's sandbox.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

export interface StoryShots {
  /** Where screenshots go; each step saves one. */
  dir: string;
}

export interface StoryResult {
  requestId: string;
  /** The texts of the thread's replies, in order, at the end. */
  threadReplies: string[];
}

async function as(page: Page, name: string): Promise<void> {
  const person = page.getByRole('radio', { name: new RegExp(name) });
  await person.click();
  await until(`${name} is chosen`, async () => (await person.getAttribute('aria-checked')) === 'true');
}

async function run(page: Page, command: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(command);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
}

function approvalMessage(page: Page, requestId: string): Locator {
  return page
    .locator('#messages article.message:not(.ephemeral)')
    .filter({ hasText: `Restore request ${requestId}` });
}

/**
 * `/backups MusicCollection`, `/restore` through the form, a refused self-approval, an approval
 * through the confirm dialog, and the thread until the table is ACTIVE.
 */
export async function playRestoreStory(page: Page, baseUrl: string, shots: StoryShots): Promise<StoryResult> {
  mkdirSync(shots.dir, { recursive: true });
  const shot = (name: string, target: Page | Locator = page) =>
    target.screenshot({ path: join(shots.dir, `${name}.png`) });

  await page.goto(`${baseUrl}?as=U0REQUESTER`);
  await visible(page.getByRole('heading', { name: '# incidents' }));

  // 1. /backups: an ephemeral list, marked as only visible to you.
  await run(page, '/backups MusicCollection');
  const list = page.locator('#messages article.ephemeral').filter({ hasText: 'backups in prod' });
  await visible(list);
  await visible(list, 'Only visible to you');
  await visible(list, 'MusicCollection-nightly');
  await shot('backups-list', list);

  // 2. /restore with no arguments opens the form; fill it and submit.
  await run(page, '/restore');
  const form = page.getByRole('dialog', { name: 'Restore a table' });
  await visible(form);
  // Anchored: the form's "From a backup" choice is labelled with the word too.
  await form.getByLabel(/^Backup/).fill('MusicCollectionBackup');
  await form.getByLabel('New table name').fill('MusicCollection-restored');
  await form.getByLabel(/^Reason/).fill('INC-4711: a bad deploy deleted songs at 13:40 UTC');
  await shot('restore-form');
  await form.getByRole('button', { name: 'Request restore' }).click();
  await hidden(form);

  const header = page.locator('#messages .b-header').filter({ hasText: /Restore request R-\w+/ });
  await visible(header);
  const requestId = /R-\w+/.exec((await header.textContent()) ?? '')?.[0];
  if (!requestId) throw new Error('no request ID in the approval message');
  const message = approvalMessage(page, requestId);
  await visible(message, 'PENDING');

  // 3. The requester tries to approve: the confirm dialog, then a refusal only they see.
  await message.getByRole('button', { name: 'Approve' }).click();
  let confirm = page.getByRole('dialog', { name: `Approve restore ${requestId}?` });
  await visible(confirm);
  await confirm.getByRole('button', { name: 'Approve and restore' }).click();
  const refusal = page.locator('#messages article.ephemeral').filter({ hasText: 'so you cannot approve it' });
  await visible(refusal);
  await visible(message, 'PENDING');

  // 4. An approver approves through the confirm dialog.
  await as(page, 'Alex Morgan');
  await hidden(refusal);
  await visible(message);
  await shot('approval-message', message);
  await message.getByRole('button', { name: 'Approve' }).click();
  confirm = page.getByRole('dialog', { name: `Approve restore ${requestId}?` });
  await visible(confirm, 'MusicCollection-restored');
  await shot('approve-confirm');
  await confirm.getByRole('button', { name: 'Approve and restore' }).click();
  await until('the approval message leaves PENDING', async () => {
    const text = await message.locator('.b-header').textContent();
    return text !== null && !text.includes('PENDING');
  });
  await until(
    'the buttons are gone',
    async () => (await message.getByRole('button', { name: 'Approve' }).count()) === 0,
  );

  // 5. The thread: approved, started, still restoring, then ACTIVE.
  await message.getByRole('button', { name: /repl(y|ies)/ }).click();
  const thread = page.getByRole('complementary', { name: 'Thread' });
  await visible(thread);
  const replies = thread.locator('article.reply');
  await visible(replies, 'Still restoring', 60_000);
  await visible(replies, 'ACTIVE', 60_000);
  await visible(message.locator('.b-header'), 'ACTIVE');
  await thread.locator('.messages').evaluate((node) => {
    node.scrollTop = node.scrollHeight;
  });
  await shot('thread-active', thread);
  await shot('sandbox');

  return { requestId, threadReplies: await replies.allTextContents() };
}
