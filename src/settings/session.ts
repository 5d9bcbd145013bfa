import { createStsClient } from '../aws/clients.ts';
import {
  type PolicyStatement,
  type SessionJob,
  type SessionScope,
  sessionScopeOf,
  tableArn,
} from '../aws/session-policy.ts';
import { RoleSessions } from '../aws/sessions.ts';
import { type BotConfig, environmentNamed } from '../config.ts';
import { sourceForSettings } from '../restore/sources/index.ts';
import type { RestoreRequest } from '../restore/types.ts';
import type { SettingsClients } from './read.ts';

/** Reads of a table's settings: needed on the source and on the new table. */
export const SETTINGS_READ_ACTIONS = [
  'dynamodb:DescribeTable',
  'dynamodb:DescribeTimeToLive',
  'dynamodb:DescribeContinuousBackups',
  'dynamodb:ListTagsOfResource',
  'dynamodb:DescribeContributorInsights',
  'dynamodb:DescribeKinesisStreamingDestination',
  'dynamodb:GetResourcePolicy',
] as const;

/** The changes Copy settings makes: only ever on the new table. */
export const SETTINGS_WRITE_ACTIONS = [
  'dynamodb:UpdateTimeToLive',
  'dynamodb:UpdateTable',
  'dynamodb:UpdateContinuousBackups',
  'dynamodb:TagResource',
  'dynamodb:UpdateContributorInsights',
] as const;

/**
 * Application Auto Scaling has no resource-level permissions by table name (a scalable target's
 * ARN holds an opaque ID), so these are narrowed by its condition keys to DynamoDB capacity.
 */
export const SCALING_ACTIONS = [
  'application-autoscaling:DescribeScalableTargets',
  'application-autoscaling:DescribeScalingPolicies',
  'application-autoscaling:RegisterScalableTarget',
  'application-autoscaling:PutScalingPolicy',
] as const;

/** The caller of PutScalingPolicy creates the target-tracking alarms (TargetTracking-table/NAME-…) in its own name. */
export const SCALING_ALARM_ACTIONS = ['cloudwatch:PutMetricAlarm'] as const;

/** DescribeAlarms takes no resource other than "*" when it lists every alarm. */
export const ALARM_LIST_ACTIONS = ['cloudwatch:DescribeAlarms'] as const;

/**
 * The request's scope: its account and region, and the partition of the environment's role (as
 * the restore session's, src/restore/executor.ts).
 */
function requestScope(config: BotConfig, req: RestoreRequest): SessionScope {
  const roleArn = environmentNamed(config, req.environment)?.roleArn ?? req.roleArn ?? 'arn:aws:iam::';
  return sessionScopeOf({ accountId: req.accountId, region: req.region, roleArn });
}

/**
 * The statements of a settings session: reads on the source and the new table, writes on the new
 * table and its indexes only. A session policy can only narrow the role, so the role template
 * (deploy/target-account-role.yml) is the ceiling and this is the request's own limit.
 */
export function settingsStatements(req: RestoreRequest, scope: SessionScope): PolicyStatement[] {
  const alarm = (name: string) =>
    `arn:${scope.partition}:cloudwatch:${scope.region}:${scope.accountId}:alarm:${name}`;
  const source = sourceForSettings(req.source);
  const sourceArn = tableArn(scope, source.tableName);
  const target = tableArn(scope, req.targetTable);
  const statements: PolicyStatement[] = [
    {
      Sid: 'ReadSettingsOfSourceAndNewTable',
      Effect: 'Allow',
      Action: [...SETTINGS_READ_ACTIONS],
      Resource: [sourceArn, `${sourceArn}/index/*`, target, `${target}/index/*`],
    },
    {
      Sid: 'ChangeOnlyTheNewTable',
      Effect: 'Allow',
      Action: [...SETTINGS_WRITE_ACTIONS],
      Resource: [target, `${target}/index/*`],
    },
    {
      Sid: 'DynamoDbCapacityScaling',
      Effect: 'Allow',
      Action: [...SCALING_ACTIONS],
      Resource: ['*'],
      Condition: {
        StringEquals: { 'application-autoscaling:service-namespace': 'dynamodb' },
      },
    },
    {
      Sid: 'TargetTrackingAlarmsOfTheNewTable',
      Effect: 'Allow',
      Action: [...SCALING_ALARM_ACTIONS],
      Resource: [
        alarm(`TargetTracking-table/${req.targetTable}-*`),
        alarm(`TargetTracking-table/${req.targetTable}/index/*`),
      ],
    },
    { Sid: 'ListAlarms', Effect: 'Allow', Action: [...ALARM_LIST_ACTIONS], Resource: ['*'] },
  ];
  if (source.backupArn) {
    statements.push({
      Sid: 'ReadTheBackupWhenTheSourceIsGone',
      Effect: 'Allow',
      Action: ['dynamodb:DescribeBackup'],
      Resource: [source.backupArn],
    });
  }
  return statements;
}

/** Keeps at most this many requests' clients (a long-lived `npm start` copies many). */
const MAX_CACHED = 50;

/** The clients of a settings session for a request, on behalf of a Slack user (or 'bot'). */
export type SettingsClientsFactory = (req: RestoreRequest, userId: string) => Promise<SettingsClients>;

/**
 * Settings sessions through STS: one role session per (request, user), tagged `…-settings` in
 * CloudTrail, with {@link settingsStatements}. Clients are kept per session and reused.
 */
function createSettingsSessions(init: { config: BotConfig; sessions: RoleSessions }): SettingsClientsFactory {
  const cache = new Map<string, SettingsClients>();
  return async (req, userId) => {
    const job: SessionJob = {
      kind: 'settings',
      statements: settingsStatements(req, requestScope(init.config, req)),
    };
    const tag = `${req.id}-settings`;
    // Assume up front, so a broken trust policy is one clear error rather than one per setting.
    await init.sessions.credentialsFor(req.environment, userId, tag, job);
    const key = JSON.stringify([req.id, userId]);
    let clients = cache.get(key);
    if (!clients) {
      // Loaded on first use: `npm start` and the watcher's cold start do not pay for three SDK clients.
      const { createSettingsClients, destroySettingsClients } = await import('./clients.ts');
      clients = createSettingsClients({
        region: req.region,
        credentials: () => init.sessions.credentialsFor(req.environment, userId, tag, job),
      });
      cache.set(key, clients);
      for (const [old, stale] of cache) {
        if (cache.size <= MAX_CACHED) break;
        destroySettingsClients(stale);
        cache.delete(old);
      }
    }
    return clients;
  };
}

/** Settings sessions made with the bot's own credentials through STS: the worker's and npm start's wiring. */
export function createStsSettings(
  config: BotConfig,
  now: () => Date = () => new Date(),
): SettingsClientsFactory {
  const region = process.env.AWS_REGION ?? Object.values(config.environments)[0]?.region;
  return createSettingsSessions({
    config,
    sessions: new RoleSessions({ sts: createStsClient(region), config, now }),
  });
}
