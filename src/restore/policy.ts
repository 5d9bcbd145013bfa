import { type BotConfig, type EnvironmentConfig, environmentNamed } from '../config.ts';

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

/**
 * True when the user may see an environment's requests (the Home tab's latest restores): its
 * requesters (anyone when the list is absent or empty) and its approvers. Channels do not matter
 * here: the Home tab is not in a channel.
 */
export async function maySee(env: EnvironmentConfig, userId: string, directory: Directory): Promise<boolean> {
  const requesters = env.requesters;
  if (!requesters || (requesters.users.length === 0 && requesters.userGroups.length === 0)) return true;
  return (
    (await includes(requesters, userId, directory)) || (await includes(env.approvers, userId, directory))
  );
}

/** Plain description of who can approve, for messages ("<@U1>, <!subteam^S1>"). */
export function describeApprovers(env: EnvironmentConfig): string {
  return [
    ...env.approvers.users.map((u) => `<@${u}>`),
    ...env.approvers.userGroups.map((g) => `<!subteam^${g}>`),
  ].join(', ');
}

/**
 * The environments this user may use in this channel (requester or approver, channel allowed), in
 * config order. Help, the modal, status and "unknown environment" answers name only these, so a
 * channel never learns the names, accounts or requests of environments it cannot use.
 */
export async function visibleEnvironments(
  config: BotConfig,
  directory: Directory,
  who: { userId: string; channelId: string },
): Promise<string[]> {
  const visible: string[] = [];
  for (const [name, env] of Object.entries(config.environments)) {
    if (!(await requesterRefusal(name, env, who.userId, who.channelId, directory))) visible.push(name);
  }
  return visible;
}

/** For a user who may use no environment in a channel. */
export const NO_ENVIRONMENT_HERE =
  'You cannot use any environment in this channel: run the command in an incident channel of the environment, or ask the platform team to add you as a requester.';

function knownList(names: string[]): string {
  return names.length > 0 ? `Environments you can use here: ${names.join(', ')}.` : NO_ENVIRONMENT_HERE;
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
  const names = Object.keys(config.environments);
  const name = who.env ?? config.defaultEnvironment ?? (names.length === 1 ? names[0] : undefined);
  if (!name) {
    const visible = await visibleEnvironments(config, directory, who);
    return { refusal: `Say which environment with --env. ${knownList(visible)}` };
  }
  const env = environmentNamed(config, name);
  if (!env) {
    const visible = await visibleEnvironments(config, directory, who);
    return { refusal: `Unknown environment "${name}". ${knownList(visible)}` };
  }
  const refusal = await requesterRefusal(name, env, who.userId, who.channelId, directory);
  return refusal ? { refusal } : { name, env };
}

/** True when the user may see this request here: its environment is one they may use in the channel. */
export async function canSeeRequest(
  config: BotConfig,
  directory: Directory,
  req: { environment: string },
  who: { userId: string; channelId: string },
): Promise<boolean> {
  const env = environmentNamed(config, req.environment);
  return (
    env !== undefined && !(await requesterRefusal(req.environment, env, who.userId, who.channelId, directory))
  );
}

/**
 * Turns a `targetTables` glob into a matcher: `*` is any run of characters and `?` one character,
 * as in the IAM resource ARNs the role template builds from the same patterns.
 */
function globMatcher(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/**
 * Why `table` may not be restored into in this environment (outside `targetTables`), or undefined.
 * Checked when the request is made, so nobody learns it from an AccessDenied after approval.
 */
export function targetTableRefusal(
  envName: string,
  env: EnvironmentConfig,
  table: string,
): string | undefined {
  const patterns = env.targetTables;
  if (!patterns || patterns.some((p) => globMatcher(p).test(table))) return undefined;
  const allowed = patterns.map((p) => `\`${p}\``).join(', ');
  return `Restores in *${envName}* may only create tables named ${allowed} (config: environments.${envName}.targetTables); ${table} is not one of them. Choose a target table name that matches.`;
}

/**
 * Why an APPROVED request must not run, or undefined when it may. The executor asks this just
 * before it calls AWS, from the config it runs with now, so a request whose status was set to
 * APPROVED by anything other than the approval path (a write straight into the state table, a bug)
 * starts nothing: it needs `requiredApprovals` distinct approval events (the higher of the
 * request's and the environment's), none by the requester, each by someone who is still an
 * approver, and the environment's account, region and role as they were when it was asked for.
 */
export async function approvalProblem(
  config: BotConfig,
  directory: Directory,
  req: {
    environment: string;
    accountId: string;
    region: string;
    roleArn?: string;
    requesterId: string;
    requiredApprovals: number;
    events: readonly { action: string; actor: string; to?: string }[];
  },
): Promise<string | undefined> {
  const env = environmentNamed(config, req.environment);
  if (!env) return `Environment ${req.environment} is no longer configured.`;
  if (env.accountId !== req.accountId || env.region !== req.region) {
    return `Environment ${req.environment} now points at account ${env.accountId} (${env.region}), not ${req.accountId} (${req.region}) as when the restore was asked for.`;
  }
  if (req.roleArn !== env.roleArn) {
    return `The role of environment ${req.environment} changed since the restore was asked for (${req.roleArn ?? 'none recorded'} → ${env.roleArn}).`;
  }
  if (!req.events.some((e) => e.action === 'approved' && e.to === 'APPROVED')) {
    return 'The request is marked APPROVED, but no approval completed it.';
  }
  const required = Math.max(req.requiredApprovals, env.requiredApprovals);
  const approvers = new Set<string>();
  for (const e of req.events) {
    if (e.action !== 'approved') continue;
    if (e.actor === req.requesterId) return `User ${e.actor} asked for the restore and cannot approve it.`;
    if (!(await isApprover(env, e.actor, directory))) {
      return `User ${e.actor} approved it but is not an approver of ${req.environment} (any more).`;
    }
    approvers.add(e.actor);
  }
  if (approvers.size < required) {
    return `It has ${approvers.size} of the ${required} distinct approvals that ${req.environment} requires.`;
  }
  return undefined;
}
