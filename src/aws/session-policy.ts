/**
 * AssumeRole session policies, one per kind of job. The target account's role
 * (deploy/target-account-role.yml) is the ceiling; each session gets the intersection of the role
 * and the policy built here, so a session can do only what its job needs:
 *
 * - `list`, `lookup`, `preflight`, `watch`: metadata reads (ListBackups, DescribeBackup,
 *   DescribeTable, DescribeContinuousBackups, AWS Backup's recovery point and restore job reads) and no item action or start
 *   action at all; DescribeTable only on the table the job looks at.
 * - `restore`: the source module's statements, on the approved source and on exactly the approved
 *   target table. A DynamoDB restore (backup, point in time) gets the start action and the item
 *   actions a restore needs on the target table, and the KMS actions a restore of a table
 *   encrypted with a customer managed key needs, only through DynamoDB
 *   ({@link dynamoDbRestoreTargetStatements}); an AWS Backup restore only reads the target table,
 *   because AWS Backup's own restore role creates and fills it.
 *
 * No stand-in here enforces session policies; the reading of AWS's "Using IAM with DynamoDB backup
 * and restore" (restore permission on the source, read and write on the target table) is kept in
 * {@link RESTORE_ITEM_ACTIONS} and tested against the role template.
 */

/** One IAM policy statement (JSON shape). */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** Where a session runs: the environment's partition, account and region. */
export interface SessionScope {
  partition: string;
  accountId: string;
  region: string;
}

/**
 * What a role session is for. `restore` carries the source module's statements (its
 * `sessionStatements` on the source and its `targetStatements` on the target table), so a new
 * source kind adds its statements without touching this file.
 */
export type SessionJob =
  /** `/backups [TABLE]`: list, and describe the listed backups. */
  | { kind: 'list'; tableName?: string }
  /** `/backups describe BACKUP`: find one backup by ARN or name. */
  | { kind: 'lookup' }
  /**
   * `/restore` pre-flight: find the source, check that the target does not exist. A point-in-time
   * source names its table (an ARN, possibly of another region) for its recovery window.
   */
  | { kind: 'preflight'; targetTable: string; sourceTableArn?: string }
  /** The watcher's look at a restoring table. */
  | { kind: 'watch'; targetTable: string }
  /**
   * Reading and copying settings after ACTIVE: the statements the settings module builds
   * (src/settings/session.ts), reads on the source and new table and writes on the new table only.
   */
  | { kind: 'settings'; statements: PolicyStatement[] }
  /** The restore itself, for one approved source and target. */
  | {
      kind: 'restore';
      targetTable: string;
      sourceStatements: PolicyStatement[];
      targetStatements: PolicyStatement[];
    };

/**
 * The item actions DynamoDB performs with the caller's permissions while it restores into the new
 * table ("DynamoDB read and write permissions on the target table are necessary for restore
 * functionality"). All of them, on the target table only.
 */
export const RESTORE_ITEM_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
] as const;

/** What DynamoDB needs of a customer managed key to restore a table encrypted with it. */
export const RESTORE_KMS_ACTIONS = [
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
] as const;

/** STS refuses a session policy longer than this (plain text, before packing). */
export const MAX_SESSION_POLICY_CHARS = 2048;

/** The scope of sessions with an environment's role (the partition comes from the role ARN). */
export function sessionScopeOf(env: { accountId: string; region: string; roleArn: string }): SessionScope {
  return { partition: env.roleArn.split(':')[1] ?? 'aws', accountId: env.accountId, region: env.region };
}

/** The ARN of `table` in the session's account and region. */
export function tableArn(scope: SessionScope, table: string): string {
  return `arn:${scope.partition}:dynamodb:${scope.region}:${scope.accountId}:table/${table}`;
}

/** Backups of `table` (or of any table): DescribeBackup's resource. */
function backupsArn(scope: SessionScope, table = '*'): string {
  return `${tableArn(scope, table)}/backup/*`;
}

// ListBackups accepts no resource but "*".
const LIST_BACKUPS: PolicyStatement = { Effect: 'Allow', Action: ['dynamodb:ListBackups'], Resource: ['*'] };

/**
 * AWS Backup reads (recovery points are a source kind): listing vaults and a table's recovery
 * points and reading a restore job accept no resource but "*"; a recovery point's description and
 * restore metadata are read on the account's recovery points. No item access, no start action.
 */
function awsBackupReads(scope: SessionScope, withRecoveryPoints: boolean): PolicyStatement[] {
  const list: PolicyStatement = {
    Effect: 'Allow',
    Action: ['backup:DescribeRestoreJob', 'backup:ListBackupVaults', 'backup:ListRecoveryPointsByResource'],
    Resource: ['*'],
  };
  if (!withRecoveryPoints) return [list];
  return [
    list,
    {
      Effect: 'Allow',
      Action: ['backup:DescribeRecoveryPoint', 'backup:GetRecoveryPointRestoreMetadata'],
      Resource: [`arn:${scope.partition}:backup:${scope.region}:${scope.accountId}:recovery-point:*`],
    },
  ];
}

const DESCRIBE_RESTORE_JOB: PolicyStatement = {
  Effect: 'Allow',
  Action: ['backup:DescribeRestoreJob'],
  Resource: ['*'],
};

function describeBackups(scope: SessionScope, table?: string): PolicyStatement {
  return { Effect: 'Allow', Action: ['dynamodb:DescribeBackup'], Resource: [backupsArn(scope, table)] };
}

function describeTable(scope: SessionScope, table: string): PolicyStatement {
  return { Effect: 'Allow', Action: ['dynamodb:DescribeTable'], Resource: [tableArn(scope, table)] };
}

/** The statements of a job's session, in the order they appear in the policy. */
export function sessionStatements(job: SessionJob, scope: SessionScope): PolicyStatement[] {
  switch (job.kind) {
    case 'list':
      return [
        LIST_BACKUPS,
        describeBackups(scope, job.tableName),
        ...awsBackupReads(scope, true),
        // `/backups TABLE` starts with the table's point-in-time recovery window.
        ...(job.tableName
          ? [
              {
                Effect: 'Allow' as const,
                Action: ['dynamodb:DescribeContinuousBackups'],
                Resource: [tableArn(scope, job.tableName)],
              },
            ]
          : []),
      ];
    case 'lookup':
      return [LIST_BACKUPS, describeBackups(scope), ...awsBackupReads(scope, true)];
    case 'preflight':
      return [
        LIST_BACKUPS,
        describeBackups(scope),
        ...awsBackupReads(scope, true),
        describeTable(scope, job.targetTable),
        ...(job.sourceTableArn
          ? [
              {
                Effect: 'Allow' as const,
                Action: ['dynamodb:DescribeContinuousBackups', 'dynamodb:DescribeTable'],
                Resource: [job.sourceTableArn],
              },
            ]
          : []),
      ];
    case 'watch':
      // An AWS Backup restore is followed by its job until the table exists.
      return [DESCRIBE_RESTORE_JOB, describeTable(scope, job.targetTable)];
    case 'settings':
      return job.statements;
    case 'restore':
      return [...job.sourceStatements, ...job.targetStatements];
  }
}

/**
 * The target-table statements of a restore DynamoDB performs with the caller's permissions
 * (RestoreTableFromBackup, RestoreTableToPointInTime): the start action (`dynamodb:` + operation),
 * DescribeTable and the item actions on exactly the new table, and the KMS actions via DynamoDB.
 */
export function dynamoDbRestoreTargetStatements(
  startOperation: string,
  targetTableArn: string,
  scope: SessionScope,
): PolicyStatement[] {
  return [
    {
      Effect: 'Allow',
      Action: [`dynamodb:${startOperation}`, 'dynamodb:DescribeTable', ...RESTORE_ITEM_ACTIONS],
      Resource: [targetTableArn],
    },
    {
      Effect: 'Allow',
      Action: [...RESTORE_KMS_ACTIONS],
      Resource: [`arn:${scope.partition}:kms:${scope.region}:*:key/*`],
      Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${scope.region}.amazonaws.com` } },
    },
  ];
}

/** The session policy document of a job. */
export function sessionPolicy(job: SessionJob, scope: SessionScope): PolicyDocument {
  return { Version: '2012-10-17', Statement: sessionStatements(job, scope) };
}

/** The policy as sent to STS: compact JSON. */
export function sessionPolicyJson(job: SessionJob, scope: SessionScope): string {
  return JSON.stringify(sessionPolicy(job, scope));
}

/** The ARN of a point-in-time source table: `table` as given when it is an ARN, else in `region`. */
export function sourceTableArn(scope: SessionScope, table: string, region = scope.region): string {
  return table.startsWith('arn:') ? table : tableArn({ ...scope, region }, table);
}
