import type { WebClient } from '@slack/web-api';
import type { Directory } from '../restore/policy.ts';

/** How long a user group's members are trusted before asking Slack again. */
export const GROUP_CACHE_MS = 5 * 60_000;

/**
 * User group membership from `usergroups.users.list`, cached per process so that an approval
 * click costs no Slack call in the common case.
 */
export class SlackDirectory implements Directory {
  private readonly cache = new Map<string, { at: number; members: Promise<ReadonlySet<string>> }>();

  constructor(
    private readonly client: WebClient,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = GROUP_CACHE_MS,
  ) {}

  membersOf(groupId: string): Promise<ReadonlySet<string>> {
    const hit = this.cache.get(groupId);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.members;
    const members = this.client.usergroups.users
      .list({ usergroup: groupId })
      .then((res) => new Set(res.users ?? []) as ReadonlySet<string>);
    this.cache.set(groupId, { at: this.now(), members });
    // A failed lookup must not be cached: the next click asks again.
    members.catch(() => this.cache.delete(groupId));
    return members;
  }
}
