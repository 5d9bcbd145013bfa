import { type BotConfig, type EnvironmentConfig, resolveEnvironment } from '../config.ts';

/** Resolves Slack user groups to their members (cached by the implementation). */
export interface Directory {
  membersOf(groupId: string): Promise<ReadonlySet<string>>;
}

type Principals = EnvironmentConfig['approvers'];

async function includes(principals: Principals, userId: string, directory: Directory): Promise<boolean> {
  if (principals.users.includes(userId)) return true;
  for (const group of principals.userGroups) {
    if ((await directory.membersOf(group)).has(userId)) return true;
  }
  return false;
}

/** True when the user may approve (or reject) requests in the environment. */
export function isApprover(env: EnvironmentConfig, userId: string, directory: Directory): Promise<boolean> {
  return includes(env.approvers, userId, directory);
}

/**
 * Why the user may not list backups or ask for a restore in this environment and channel, or
 * undefined when they may. Requesters absent or empty means anyone; approvers may always list and
 * request, since they need to see what they approve.
 */
export async function requesterRefusal(
  envName: string,
  env: EnvironmentConfig,
  userId: string,
  channelId: string,
  directory: Directory,
): Promise<string | undefined> {
  if (env.channels && env.channels.length > 0 && !env.channels.includes(channelId)) {
    const where = env.channels.map((c) => `<#${c}>`).join(', ');
    return `Environment *${envName}* can only be used in ${where}. Run the command there.`;
  }
  const requesters = env.requesters;
  const anyone = !requesters || (requesters.users.length === 0 && requesters.userGroups.length === 0);
  if (anyone) return undefined;
  if (await includes(requesters, userId, directory)) return undefined;
  if (await includes(env.approvers, userId, directory)) return undefined;
  return `You are not on the requesters list of environment *${envName}*. Ask the platform team to add you (config: environments.${envName}.requesters).`;
}

/** Plain description of who can approve, for messages ("<@U1>, <!subteam^S1>"). */
export function describeApprovers(env: EnvironmentConfig): string {
  return [
    ...env.approvers.users.map((u) => `<@${u}>`),
    ...env.approvers.userGroups.map((g) => `<!subteam^${g}>`),
  ].join(', ');
}

/**
 * The environment a command is about (`--env` or the default), if this user may use it in this
 * channel; otherwise the sentence that says why not. The one check every entry point makes.
 */
export async function authoriseRequester(
  config: BotConfig,
  directory: Directory,
  who: { env?: string | undefined; userId: string; channelId: string },
): Promise<{ name: string; env: EnvironmentConfig } | { refusal: string }> {
  const resolved = resolveEnvironment(config, who.env);
  if ('error' in resolved) return { refusal: resolved.error };
  const refusal = await requesterRefusal(resolved.name, resolved.env, who.userId, who.channelId, directory);
  return refusal ? { refusal } : resolved;
}
