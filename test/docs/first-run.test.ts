import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv as parseDotenv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LocalEnvSchema, parseEnv } from '../../src/config.ts';
import { isSandbox } from '../../src/server.ts';

/** Regression tests for the first-run problems of issue 11: what a new user reads and runs. */
const root = process.cwd();
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const readme = read('README.md');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const headings = [...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => (m[1] ?? '').trim());
const anchors = new Set(headings.map(slug));

describe('first run: references', () => {
  it('regression: every README #anchor link names a heading that exists', () => {
    const links = [...readme.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((a) => !anchors.has(a ?? ''))).toEqual([]);
  });

  it('regression: every relative file link and image in the README exists', () => {
    const targets = [...readme.matchAll(/\]\((?!#|https?:)([^)#\s]+)/g)].map((m) => m[1] ?? '');
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !existsSync(join(root, t)))).toEqual([]);
  });

  it('regression: files that send the reader to a README section name one that exists ("Target-account role" did not)', () => {
    const files = [
      'deploy/target-account-role.yml',
      'restore-bot.config.example.yml',
      'restore-bot.config.demo.yml',
      '.env.example',
      'serverless.yml',
      'manifest.yml',
    ];
    const named = files.flatMap((f) =>
      [...read(f).matchAll(/README, "([^"]+)"/g)].map((m) => ({ file: f, section: m[1] ?? '' })),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((n) => !headings.some((h) => h.replace(/`/g, '') === n.section))).toEqual([]);
  });

  it('regression: no shipped file points outside the repository (../shared/DESIGN.md)', () => {
    for (const f of [
      'restore-bot.config.example.yml',
      'restore-bot.config.demo.yml',
      'README.md',
      '.env.example',
    ]) {
      expect(read(f), f).not.toMatch(/\.\.\/shared\//);
    }
  });

  it('regression: every npm script that runs a file names one that exists (npm run build did not)', () => {
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    const files = Object.entries(scripts).flatMap(([name, command]) =>
      [...command.matchAll(/(?:^|\s)((?:src|scripts|bench|test)\/[\w./-]+\.(?:ts|mjs|cjs|js))/g)].map(
        (m) => ({
          name,
          file: m[1] ?? '',
        }),
      ),
    );
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !existsSync(join(root, f.file)))).toEqual([]);
  });
});

describe('first run: "Run it against Slack and AWS" leaves a real setup', () => {
  const example = parseDotenv(read('.env.example'));

  it('regression: .env.example carries no demo stand-in, fake AWS key or demo config', () => {
    expect(Object.keys(example).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    expect(example.SLACK_API_URL).toBeUndefined();
    expect(example.RESTORE_BOT_CONFIG ?? 'restore-bot.config.yml').toBe('restore-bot.config.yml');
    expect(read('.env.example')).not.toMatch(/fake|demo|127\.0\.0\.1:45/i);
  });

  it('regression: the steps, followed literally, give the real bot with the secrets filled in', () => {
    const section = readme.slice(readme.indexOf('### Run it against Slack and AWS'));
    expect(section).toContain('cp .env.example .env');
    const filled = { ...example, SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-1' };
    expect(isSandbox(filled)).toBe(false);
    const env = parseEnv(LocalEnvSchema, filled);
    expect(env.RESTORE_BOT_CONFIG).toBe('restore-bot.config.yml');
    expect(env.SLACK_API_URL).toBeUndefined();
  });

  it('regression: .env.example copied but not filled in is an error listing the Slack secrets, never the sandbox', () => {
    expect(isSandbox(example)).toBe(false);
    expect(() => parseEnv(LocalEnvSchema, example)).toThrow(/SLACK_SIGNING_SECRET[\s\S]*SLACK_BOT_TOKEN/);
  });

  it('states the supported Node versions', () => {
    expect(readme).toMatch(/Node\.js 22[^\n]*Lambda[^\n]*nodejs22\.x|nodejs22\.x[^\n]*Node\.js 22/);
    expect(readme).toMatch(/Node\.js 20\.12/);
  });
});
