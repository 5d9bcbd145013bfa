import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface SlashCommand {
  command: string;
  url: string;
  description: string;
  usage_hint: string;
  should_escape: boolean;
}
interface Manifest {
  display_information: { name: string; description: string; long_description?: string };
  features: {
    app_home?: {
      home_tab_enabled?: boolean;
      messages_tab_enabled?: boolean;
      messages_tab_read_only_enabled?: boolean;
    };
    bot_user: { display_name: string };
    slash_commands: SlashCommand[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions?: { request_url: string; bot_events?: string[]; user_events?: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
    org_deploy_enabled: boolean;
  };
}

const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as Manifest;

/**
 * The bot scope each Web API method needs (null: none beyond a bot token). A method the code calls
 * that is missing here fails the scope test, so a new call cannot ship without its scope.
 */
const SCOPE_OF_METHOD: Record<string, string | string[] | null> = {
  'auth.test': null,
  'chat.delete': 'chat:write',
  'chat.getPermalink': null,
  'chat.postEphemeral': 'chat:write',
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  // Public and private incident channels: the bot looks for its own approval message after a crash.
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.info': 'channels:read',
  'conversations.open': 'im:write',
  'usergroups.list': 'usergroups:read',
  'usergroups.users.list': 'usergroups:read',
  'users.info': 'users:read',
  'views.open': null,
  'views.publish': null,
  'views.push': null,
  'views.update': null,
};

/** The method families of the Slack Web API (the first part of a method name). */
const WEB_API_FAMILIES = new Set([
  'admin',
  'apps',
  'auth',
  'bookmarks',
  'bots',
  'calls',
  'chat',
  'conversations',
  'dialog',
  'dnd',
  'emoji',
  'files',
  'oauth',
  'pins',
  'reactions',
  'reminders',
  'search',
  'stars',
  'team',
  'usergroups',
  'users',
  'views',
  'workflows',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Web API methods called through a Bolt/WebClient `client`, or the worker's WebClient `slack`
 * (`deps.slack`, the notice kinds), anywhere in src/.
 */
function webApiMethodsInSource(): Set<string> {
  const methods = new Set<string>();
  const call = /\b(?:client|slack)\s*\.\s*([a-z]+(?:\s*\.\s*[A-Za-z]+)+)\s*\(/g;
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(call)) {
      const method = match[1]!.replace(/\s+/g, '');
      // `slack` also names the sandbox's stand-in (`this.slack.posted.get`): only Web API families count.
      if (WEB_API_FAMILIES.has(method.split('.')[0]!)) methods.add(method);
    }
  }
  return methods;
}

describe('manifest.yml', () => {
  it('declares /backups and /restore with a description, usage hint and the events URL', () => {
    const commands = manifest.features.slash_commands;

    expect(commands.map((c) => c.command)).toEqual(['/backups', '/restore']);
    for (const command of commands) {
      expect(command.description.length).toBeGreaterThan(10);
      expect(command.usage_hint.length).toBeGreaterThan(5);
      expect(command.url).toMatch(/^https:\/\/.+\/slack\/events$/);
      expect(command.should_escape).toBe(false);
    }
  });

  it('regression (review): /restore names every subcommand in its usage hint and point-in-time restores in its description', () => {
    const restore = manifest.features.slash_commands.find((c) => c.command === '/restore')!;
    for (const word of ['BACKUP', 'pitr', '--at', '--latest', 'status', 'cancel', 'settings', 'help']) {
      expect(restore.usage_hint).toContain(word);
    }
    expect(restore.description).toContain('point in time');
  });

  it('sends interactions to the same events URL over HTTP, not Socket Mode', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.interactivity.request_url).toBe(manifest.features.slash_commands[0]!.url);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.org_deploy_enabled).toBe(false);
  });

  it('has a bot user and display information within Slack limits', () => {
    expect(manifest.features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description?.length ?? 175).toBeGreaterThanOrEqual(175);
  });

  it('asks for exactly the justified bot scopes and no user scopes', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'channels:history',
      'chat:write',
      'commands',
      'groups:history',
      'usergroups:read',
    ]);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('asks for the scopes the code needs and no others', () => {
    const methods = webApiMethodsInSource();
    const unknown = [...methods].filter((m) => !(m in SCOPE_OF_METHOD));
    const needed = new Set(['commands']);
    for (const method of methods) {
      const scope = SCOPE_OF_METHOD[method];
      for (const one of [scope ?? []].flat()) needed.add(one);
    }

    expect(methods.size).toBeGreaterThan(0);
    expect(unknown).toEqual([]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('subscribes to exactly the events the listeners handle, and enables the Home tab they publish', () => {
    const events = new Set<string>();
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bapp\s*\.\s*event\(\s*'([a-z_]+)'/g)) {
        events.add(match[1]!);
      }
    }

    expect([...events]).toEqual(['app_home_opened']);
    expect(manifest.settings.event_subscriptions?.bot_events).toEqual([...events]);
    expect(manifest.settings.event_subscriptions?.user_events).toBeUndefined();
    expect(manifest.settings.event_subscriptions?.request_url).toBe(manifest.features.slash_commands[0]!.url);
    // views.publish is what the Home tab needs; DMs go to the Messages tab, which the bot never reads.
    expect(webApiMethodsInSource()).toContain('views.publish');
    expect(webApiMethodsInSource()).toContain('chat.getPermalink');
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: true,
    });
  });
});
