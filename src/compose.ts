import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type AuditSink, stdoutAudit } from './audit.ts';
import { createStsClient } from './aws/clients.ts';
import { RoleSessions } from './aws/sessions.ts';
import { createTargetAccountFactory } from './aws/target.ts';
import type { TargetAccountFactory } from './aws/types.ts';
import type { BotConfig } from './config.ts';
import type { Dispatcher } from './jobs.ts';
import type { Logger } from './log.ts';
import { createWebClient } from './slack/client.ts';
import { SlackDirectory } from './slack/directory.ts';
import { SlackMessenger } from './slack/messenger.ts';
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
  /** Replaces the STS-backed target accounts (tests). */
  targets?: TargetAccountFactory;
}

/**
 * The composition root shared by the Lambda handlers and `npm start`: one set of clients per
 * process, handed to the domain as plain dependencies.
 */
export function composeDeps(o: ComposeOptions): WorkerDeps {
  const now = o.now ?? (() => new Date());
  const slack = createWebClient(o.slackToken, o.slackApiUrl);
  const fallbackRegion = Object.values(o.config.environments)[0]?.region;
  const targets =
    o.targets ??
    createTargetAccountFactory({
      config: o.config,
      sessions: new RoleSessions({
        sts: createStsClient(process.env.AWS_REGION ?? fallbackRegion),
        config: o.config,
        now,
      }),
      now,
    });
  return {
    config: o.config,
    store: new RequestStore(o.stateClient, o.stateTable),
    targets,
    directory: new SlackDirectory(slack, () => now().getTime()),
    dispatcher: o.dispatcher,
    now,
    audit: o.audit ?? stdoutAudit,
    log: o.log,
    slack,
    messenger: new SlackMessenger(slack),
  };
}
