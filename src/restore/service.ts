import type { AuditSink } from '../audit.ts';
import { auditTransition } from '../audit.ts';
import { sessionScopeOf, sourceTableArn } from '../aws/session-policy.ts';
import type { TargetAccountFactory } from '../aws/types.ts';
import { type BotConfig, type EnvironmentConfig, environmentNamed } from '../config.ts';
import type { Dispatcher } from '../jobs.ts';
import type { Logger } from '../log.ts';
import type { SettingsClientsFactory } from '../settings/session.ts';
import type { RequestStore } from '../store/requests.ts';
import { REQUEST_ID_PATTERN } from './ids.ts';
import { type Decision, decideApproval, decideCancel, decideExpire, decideReject } from './lifecycle.ts';
import {
  authoriseRequester,
  type Directory,
  describeApprovers,
  isApprover,
  targetTableRefusal,
} from './policy.ts';
import { resolveSource } from './sources/index.ts';
import type { BackupInfo, RestoreOverrides, RestoreRequest, SourceRef } from './types.ts';

/** Everything the domain needs, handed in so tests can pass fakes and an injected clock. */
export interface RestoreDeps {
  config: BotConfig;
  store: RequestStore;
  targets: TargetAccountFactory;
  directory: Directory;
  dispatcher: Dispatcher;
  now: () => Date;
  audit: AuditSink;
  log: Logger;
  /** How often a CREATING table gets a progress reply; default PROGRESS_INTERVAL_MS (the sandbox shortens it). */
  progressIntervalMs?: number;
  /** Settings sessions (src/settings): worker and watcher only; absent in the slack function. */
  settingsClients?: SettingsClientsFactory;
}

/** Statuses in which a request still holds its target table name. */
export const OPEN_STATUSES = ['PENDING', 'APPROVED', 'RESTORING'] as const;

export type ActionOutcome =
  | { ok: true; request: RestoreRequest; previous: RestoreRequest }
  | { ok: false; message: string; request?: RestoreRequest };

const MAX_WRITE_ATTEMPTS = 5;

/** The refusal for a button value or form field that does not hold a request ID. */
export const NOT_A_REQUEST_ID =
  'That is not a restore request ID (they look like R-7K3QX9); nothing was changed.';

/**
 * Reads the request, decides, and writes the decision with one conditional write. When another
 * writer got there first, reads again and decides again on what it wrote, so two approvers racing
 * or a double click produce exactly one transition.
 */
export async function applyDecision(
  deps: RestoreDeps,
  requestId: string,
  actor: string,
  action: string,
  decide: (req: RestoreRequest) => Decision,
  /** The request as just read by the caller; saves the first read. */
  initial?: RestoreRequest,
): Promise<ActionOutcome> {
  // Button values and modal metadata come back from the client: never echo one that is not an ID.
  if (!REQUEST_ID_PATTERN.test(requestId)) return { ok: false, message: NOT_A_REQUEST_ID };
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const current = attempt === 0 && initial ? initial : await deps.store.get(requestId);
    if (!current) return { ok: false, message: `There is no restore request ${requestId}.` };
    const decision = decide(current);
    if (!decision.ok) return { ok: false, message: decision.reason, request: current };
    if (await deps.store.update(current, decision.next)) {
      auditTransition(deps.audit, current, decision.next, actor, action);
      return { ok: true, request: decision.next, previous: current };
    }
  }
  return {
    ok: false,
    message: `Request ${requestId} is changing right now; look at its message and try again.`,
  };
}

function environmentOf(deps: RestoreDeps, req: RestoreRequest): EnvironmentConfig | undefined {
  return environmentNamed(deps.config, req.environment);
}

/** Hands the Slack update (and, once approved, the restore) to the worker after a transition. */
async function afterTransition(deps: RestoreDeps, outcome: ActionOutcome): Promise<void> {
  if (!outcome.ok) return;
  await deps.dispatcher.dispatch({ type: 'request.notify', requestId: outcome.request.id });
  if (outcome.request.status === 'APPROVED') {
    await deps.dispatcher.dispatch({ type: 'request.execute', requestId: outcome.request.id });
  }
}

/** Expires the request if it is past its deadline (a late click is how users often find out). */
async function expireIfDue(deps: RestoreDeps, requestId: string): Promise<void> {
  const outcome = await applyDecision(deps, requestId, 'bot', 'expire', (req) =>
    decideExpire(req, deps.now()),
  );
  await afterTransition(deps, outcome);
}

/** The request and whether the user is one of its environment's approvers. */
async function withApproverStatus(
  deps: RestoreDeps,
  requestId: string,
  userId: string,
): Promise<{ request: RestoreRequest | undefined; approver: boolean }> {
  const request = await deps.store.get(requestId);
  const env = request && environmentOf(deps, request);
  return { request, approver: env ? await isApprover(env, userId, deps.directory) : false };
}

/** A click that only approvers may make: the approver check reuses the request it read. */
async function actAsApprover(
  deps: RestoreDeps,
  requestId: string,
  userId: string,
  action: string,
  decide: (req: RestoreRequest, approver: boolean, now: Date) => Decision,
): Promise<ActionOutcome> {
  const { request, approver } = await withApproverStatus(deps, requestId, userId);
  const outcome = await applyDecision(
    deps,
    requestId,
    userId,
    action,
    (req) => decide(req, approver, deps.now()),
    request,
  );
  await settle(deps, requestId, outcome);
  return outcome;
}

/** An approval click. */
export function approveRequest(deps: RestoreDeps, requestId: string, userId: string): Promise<ActionOutcome> {
  return actAsApprover(deps, requestId, userId, 'approve', (req, approver, now) =>
    decideApproval(req, userId, approver, now),
  );
}

/** A rejection by an approver, with an optional reason. */
export function rejectRequest(
  deps: RestoreDeps,
  requestId: string,
  userId: string,
  reason?: string,
): Promise<ActionOutcome> {
  return actAsApprover(deps, requestId, userId, 'reject', (req, approver, now) =>
    decideReject(req, userId, approver, reason, now),
  );
}

/** The requester withdraws their request. */
export async function cancelRequest(
  deps: RestoreDeps,
  requestId: string,
  userId: string,
): Promise<ActionOutcome> {
  const outcome = await applyDecision(deps, requestId, userId, 'cancel', (req) =>
    decideCancel(req, userId, deps.now()),
  );
  await settle(deps, requestId, outcome);
  return outcome;
}

async function settle(deps: RestoreDeps, requestId: string, outcome: ActionOutcome): Promise<void> {
  if (outcome.ok) {
    await afterTransition(deps, outcome);
  } else if (
    outcome.request?.status === 'PENDING' &&
    Date.parse(outcome.request.expiresAt) <= deps.now().getTime()
  ) {
    await expireIfDue(deps, requestId);
  }
}

export interface NewRequestInput {
  requestId: string;
  userId: string;
  channelId: string;
  source: SourceRef;
  targetTable: string;
  env?: string;
  reason?: string;
  overrides: RestoreOverrides;
  /** --copy-settings: copy the source's settings once the new table is ACTIVE. */
  copySettings?: boolean;
}

export type CreateOutcome =
  | { kind: 'created'; request: RestoreRequest; approvers: string }
  | { kind: 'refused'; text: string }
  | { kind: 'ambiguous'; name: string; candidates: BackupInfo[] };

/**
 * A new restore request: checks the requester, the source (its module's pre-flight) and the target
 * (no such table, no other open request for it) in the target account, then stores it PENDING
 * and asks the worker to post the approval message.
 */
export async function createRequest(deps: RestoreDeps, input: NewRequestInput): Promise<CreateOutcome> {
  const allowed = await authoriseRequester(deps.config, deps.directory, input);
  if ('refusal' in allowed) return { kind: 'refused', text: allowed.refusal };
  const { name: envName, env } = allowed;
  const outside = targetTableRefusal(envName, env, input.targetTable);
  if (outside) return { kind: 'refused', text: outside };

  const existing = await deps.store.get(input.requestId);
  if (existing) return { kind: 'created', request: existing, approvers: describeApprovers(env) };

  const ref = input.source;
  const target = await deps.targets(envName, input.userId, input.requestId, {
    kind: 'preflight',
    targetTable: input.targetTable,
    ...(ref.kind === 'pitr'
      ? { sourceTableArn: sourceTableArn(sessionScopeOf(env), ref.table, ref.region) }
      : {}),
  });
  const found = await resolveSource(target, input.source, {
    envName,
    overrides: input.overrides,
    now: deps.now(),
    env,
  });
  if ('refused' in found) return { kind: 'refused', text: found.refused };
  if ('ambiguous' in found) return { kind: 'ambiguous', name: found.name, candidates: found.ambiguous };
  const { source } = found;
  if (await target.describeTable(input.targetTable)) {
    return {
      kind: 'refused',
      text: `Table ${input.targetTable} already exists in *${envName}* (account ${env.accountId}, ${env.region}). A restore creates a new table: choose a name that is not taken, e.g. ${input.targetTable}-restored.`,
    };
  }
  // The name is reserved before the request is stored (see RequestStore.reserveTarget), so of two
  // requests racing for one target exactly one is created and the other is told which one won.
  const reserved = await deps.store.reserveTarget(envName, input.targetTable, input.requestId);
  if (!reserved.ok) return heldBy(reserved.holder, envName);

  const now = deps.now();
  const at = now.toISOString();
  const request: RestoreRequest = {
    id: input.requestId,
    version: 1,
    status: 'PENDING',
    environment: envName,
    accountId: env.accountId,
    roleArn: env.roleArn,
    region: env.region,
    requesterId: input.userId,
    channelId: input.channelId,
    source,
    targetTable: input.targetTable,
    overrides: input.overrides,
    ...(input.reason ? { reason: input.reason } : {}),
    ...(input.copySettings ? { copySettings: true } : {}),
    requiredApprovals: env.requiredApprovals,
    approvals: [],
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date(now.getTime() + deps.config.approvalTimeoutMinutes * 60_000).toISOString(),
    events: [{ seq: 1, at, actor: input.userId, action: 'requested', to: 'PENDING' }],
    notifiedSeq: 0,
  };
  if (!(await deps.store.create(request))) {
    const again = await deps.store.get(input.requestId);
    if (again) return { kind: 'created', request: again, approvers: describeApprovers(env) };
    // Another request found our reservation without its request and took the name over.
    const holder = await deps.store.targetHolder(envName, input.targetTable);
    if (holder) return heldBy(holder, envName);
    throw new Error(`Request ${input.requestId} could not be stored`);
  }
  auditTransition(deps.audit, undefined, request, input.userId, 'request');
  await deps.dispatcher.dispatch({ type: 'request.notify', requestId: request.id });
  return { kind: 'created', request, approvers: describeApprovers(env) };
}

/** The refusal of a request whose target name another open request holds. */
function heldBy(holder: RestoreRequest, envName: string): CreateOutcome {
  return {
    kind: 'refused',
    text: `Request ${holder.id} (${holder.status}) already restores into ${holder.targetTable} in *${envName}*. Cancel it or choose another target table.`,
  };
}

/** Open requests, newest first, for `/restore status`. */
export async function listOpenRequests(deps: RestoreDeps): Promise<RestoreRequest[]> {
  const lists = await Promise.all(OPEN_STATUSES.map((s) => deps.store.listByStatus(s)));
  return lists.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
