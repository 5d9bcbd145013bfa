/**
 * Regenerates the README's pictures from the sandbox itself: starts it, plays the restore story in
 * Chromium (the same steps as test/sandbox/page.test.ts) and keeps three screenshots.
 *
 *   npm run screenshots        writes docs/images/{backups-list,approval-message,thread-active}.png
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/log.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { launchChromium, playRestoreStory } from '../test/sandbox/story.ts';

const KEEP = ['backups-list', 'approval-message', 'thread-active'];
const OUT = join(import.meta.dirname, '..', 'docs', 'images');

const sandbox = await startSandbox({ port: 0, log: createLogger('warn'), announce: () => {} });
const browser = await launchChromium();
const shots = mkdtempSync(join(tmpdir(), 'sandbox-shots-'));
try {
  // Tall enough that the whole thread, from the approval to ACTIVE, fits in one picture.
  const page = await browser.newPage({ viewport: { width: 1280, height: 1500 }, deviceScaleFactor: 1 });
  await playRestoreStory(page, sandbox.url, { dir: shots });
  for (const name of KEEP) copyFileSync(join(shots, `${name}.png`), join(OUT, `${name}.png`));
  console.log(`Wrote ${KEEP.map((n) => `docs/images/${n}.png`).join(', ')}`);
} finally {
  await browser.close();
  await sandbox.close();
  rmSync(shots, { recursive: true, force: true });
}
