import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type AuditSink, stdoutAudit } from './audit.ts';
import type { TargetAccountFactory } from './aws/types.ts';
import type { BotConfig } from './config.ts';
import type { Dispatcher } from './jobs.ts';
import type { Logger } from './log.ts';
import type { SettingsClientsFactory } from './settings/session.ts';
import { createWebClient } from './slack/client.ts';
import { SlackDirectory } from './slack/directory.ts';
import { SlackMessenger } from './slack/messenger.ts';
import type { NoticeDeps, NoticeKind } from './slack/notices/types.ts';
import { RequestStore } from './store/requests.ts';
import type { WorkerDeps } from './worker.ts';

export interface ComposeOptions {
  config: BotConfig;
  stateClient: DynamoDBClient;
  stateTable: string;
  slackToken: string;
  slackApiUrl?: string;
  dispatcher: Dispatcher;
  log: Logger;
  now?: () => Date;
  audit?: AuditSink;
  /**
   * The notices that follow each request's thread (`noticeKinds` from src/slack/notices/): given by
   * the worker's entry and `npm start`, left out of the slack function, which never notifies.
   */
  notices?: (deps: NoticeDeps) => NoticeKind[];
  /** The target accounts: createStsTargets() in production, a fake in tests. */
  targets: TargetAccountFactory;
  progressIntervalMs?: number;
  /** Settings sessions: createStsSettings() in the worker and npm start; absent in the slack function. */
  settingsClients?: SettingsClientsFactory;
}

/**
 * The composition root shared by the Lambda handlers and `npm start`: one set of clients per
 * process, handed to the domain as plain dependencies.
 */
export function composeDeps(o: ComposeOptions): WorkerDeps {
  const now = o.now ?? (() => new Date());
  const slack = createWebClient(o.slackToken, o.slackApiUrl);
  const deps: WorkerDeps = {
    config: o.config,
    store: new RequestStore(o.stateClient, o.stateTable),
    targets: o.targets,
    ...(o.settingsClients ? { settingsClients: o.settingsClients } : {}),
    directory: new SlackDirectory(slack, () => now().getTime()),
    dispatcher: o.dispatcher,
    now,
    audit: o.audit ?? stdoutAudit,
    log: o.log,
    slack,
    messenger: new SlackMessenger(slack),
    ...(o.progressIntervalMs !== undefined ? { progressIntervalMs: o.progressIntervalMs } : {}),
  };
  if (o.notices) deps.notices = o.notices(deps);
  return deps;
}
