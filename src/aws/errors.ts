/**
 * Turns AWS SDK failures into one error class with a sentence an on-call engineer can act on.
 * The raw SDK error stays in `cause` for logs; `userMessage` is what goes to Slack.
 */

/** Where a failed AWS call was aimed; every field is optional and only used to make messages concrete. */
export interface AwsErrorContext {
  /** The API operation, e.g. 'AssumeRole', 'ListBackups', 'RestoreTableFromBackup'. */
  operation: string;
  environment?: string;
  accountId?: string;
  region?: string;
  roleArn?: string;
  tableName?: string;
  backupArn?: string;
  /** An AWS Backup recovery point ARN. */
  recoveryPointArn?: string;
  restoreJobId?: string;
  /** AssumeRole only: false when the environment sends no ExternalId. */
  externalIdSent?: boolean;
}

/** A failed AWS call (or a check the bot makes around one), explained. */
export class AwsOperationError extends Error {
  override name = 'AwsOperationError';
  /** The AWS error name (e.g. 'TableAlreadyExistsException') or the bot's own code (e.g. 'UnknownIndex'). */
  readonly code: string;
  readonly operation: string;
  /** True when trying the same call again later can succeed without anyone changing anything. */
  readonly retryable: boolean;
  /** One or two sentences for Slack: what happened and what to do. */
  readonly userMessage: string;

  constructor(init: {
    code: string;
    operation: string;
    retryable: boolean;
    userMessage: string;
    /** Technical message for logs; defaults to the user message. */
    message?: string;
    cause?: unknown;
  }) {
    super(init.message ?? init.userMessage, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.operation = init.operation;
    this.retryable = init.retryable;
    this.userMessage = init.userMessage;
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

const NETWORK_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
]);

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

const SERVER_NAMES = new Set([
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
]);

/** The AWS Backup operations the bot calls; everything else it calls in a target account is DynamoDB. */
const BACKUP_OPERATIONS = new Set([
  'ListBackupVaults',
  'ListRecoveryPointsByResource',
  'DescribeRecoveryPoint',
  'GetRecoveryPointRestoreMetadata',
  'StartRestoreJob',
  'DescribeRestoreJob',
]);

interface ErrorFacts {
  name: string;
  message: string;
  networkCode?: string;
  httpStatus?: number;
  serverFault: boolean;
  sdkRetryable: boolean;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Node reports some connection failures as an AggregateError (one per address tried) or nests them in `cause`. */
function findNetworkCode(err: unknown, depth = 0): string | undefined {
  if (depth > 3 || typeof err !== 'object' || err === null) return undefined;
  const code = field(err, 'code');
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  const nested = field(err, 'errors');
  if (Array.isArray(nested)) {
    for (const inner of nested) {
      const found = findNetworkCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return findNetworkCode(field(err, 'cause'), depth + 1);
}

function factsOf(err: unknown): ErrorFacts {
  if (!(err instanceof Error) && (typeof err !== 'object' || err === null)) {
    return { name: 'UnknownError', message: String(err), serverFault: false, sdkRetryable: false };
  }
  const rawName = field(err, 'name');
  const rawCode = field(err, 'Code') ?? field(err, 'code');
  let name = typeof rawName === 'string' && rawName !== 'Error' ? rawName : undefined;
  if (!name && typeof rawCode === 'string') name = rawCode;
  const message = field(err, 'message');
  const metadata = field(err, '$metadata');
  const status = field(metadata, 'httpStatusCode');
  return {
    name: name ?? 'Error',
    message: typeof message === 'string' && message !== '' ? message : String(err),
    networkCode: findNetworkCode(err),
    httpStatus: typeof status === 'number' ? status : undefined,
    serverFault: field(err, '$fault') === 'server',
    sdkRetryable: field(err, '$retryable') !== undefined,
  };
}

function where(ctx: AwsErrorContext): string {
  const parts: string[] = [];
  if (ctx.accountId) parts.push(`account ${ctx.accountId}`);
  if (ctx.region) parts.push(ctx.region);
  const details = parts.join(', ');
  if (ctx.environment) return details ? ` in ${ctx.environment} (${details})` : ` in ${ctx.environment}`;
  return details ? ` in ${details}` : '';
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function roleName(ctx: AwsErrorContext): string {
  return ctx.roleArn ? `role ${ctx.roleArn}` : 'the configured role';
}

function tableRef(ctx: AwsErrorContext): string {
  return ctx.tableName ? `table ${ctx.tableName}` : 'the table';
}

function backupRef(ctx: AwsErrorContext): string {
  return ctx.backupArn ? `backup ${ctx.backupArn}` : 'the backup';
}

function recoveryPointRef(ctx: AwsErrorContext): string {
  return ctx.recoveryPointArn ? `recovery point ${ctx.recoveryPointArn}` : 'the recovery point';
}

/** Sentences for the errors only AWS Backup returns, or that mean something else there. */
function mapBackupError(
  name: string,
  message: string,
  context: AwsErrorContext,
  at: string,
  make: (code: string, retryable: boolean, userMessage: string) => AwsOperationError,
): AwsOperationError | undefined {
  const op = context.operation;
  switch (name) {
    case 'AccessDenied':
    case 'AccessDeniedException':
      return make(
        name,
        false,
        `${context.roleArn ? `The role ${context.roleArn}` : 'The configured role'} lacks permission for backup:${op}${at}. ` +
          (op === 'StartRestoreJob'
            ? 'Starting a restore job also needs iam:PassRole on the AWS Backup restore role (awsBackupRoleArn) with ' +
              'iam:PassedToService backup.amazonaws.com; deploy/target-account-role.yml grants both. '
            : '') +
          `Grant it in the role's policy (AWS said: ${sentence(message)})`,
      );
    case 'ResourceNotFoundException':
      if (context.restoreJobId) {
        return make(
          name,
          false,
          `AWS Backup has no restore job ${context.restoreJobId}${at}. Look for the restore in the AWS Backup console (Jobs, Restore jobs).`,
        );
      }
      return make(
        name,
        false,
        `${capitalise(recoveryPointRef(context))} was not found${at}. It may have expired or been deleted by its ` +
          'lifecycle, or it belongs to another account or region: check the ARN and --env.',
      );
    case 'InvalidParameterValueException':
    case 'MissingParameterValueException':
      return make(
        name,
        false,
        `AWS Backup rejected ${op}${at} as invalid: ${sentence(message)} Check the recovery point ARN, the target table name and awsBackupRoleArn.`,
      );
    case 'InvalidRequestException':
      return make(
        name,
        false,
        `AWS Backup refused ${op} for ${recoveryPointRef(context)}${at}: ${sentence(message)}`,
      );
    case 'InvalidResourceStateException':
      return make(
        name,
        true,
        `${capitalise(recoveryPointRef(context))} is busy with another AWS Backup job${at}. The bot tries again in a few minutes.`,
      );
    case 'DependencyFailureException':
      return make(
        name,
        true,
        `A service AWS Backup depends on failed during ${op}${at}. This is usually temporary: the bot tries again.`,
      );
    case 'ConflictException':
      return make(
        name,
        true,
        `AWS Backup is still processing an earlier action on ${recoveryPointRef(context)}${at}. The bot tries again in a few minutes.`,
      );
    case 'LimitExceededException':
      return make(
        name,
        true,
        `AWS Backup refused ${op}${at}: the account has reached its limit of concurrent restore jobs. Wait for some to finish; the bot tries again.`,
      );
  }
  return undefined;
}

/**
 * Maps any error thrown around an AWS call to an AwsOperationError. An AwsOperationError passes
 * through unchanged, so wrapping layers can map again without losing the first explanation.
 */
export function mapAwsError(err: unknown, context: AwsErrorContext): AwsOperationError {
  if (err instanceof AwsOperationError) return err;
  const facts = factsOf(err);
  const op = context.operation;
  const isAssumeRole = op === 'AssumeRole';
  const at = where(context);
  const make = (code: string, retryable: boolean, userMessage: string): AwsOperationError =>
    new AwsOperationError({
      code,
      operation: op,
      retryable,
      userMessage,
      message: `${op} failed${at}: ${facts.name}: ${facts.message}`,
      cause: err,
    });

  if (facts.networkCode || NETWORK_NAMES.has(facts.name)) {
    const what = facts.networkCode ?? facts.name;
    return make(
      what,
      true,
      `The bot cannot reach the AWS endpoint for ${op}${at} (${what}). ` +
        'It is usually a network blip and the bot will retry; if it persists, check outbound network access and AWS_ENDPOINT_URL.',
    );
  }

  if (BACKUP_OPERATIONS.has(op)) {
    const mapped = mapBackupError(facts.name, facts.message, context, at, make);
    if (mapped) return mapped;
  }

  switch (facts.name) {
    case 'AccessDenied':
    case 'AccessDeniedException':
      if (isAssumeRole) {
        return make(
          facts.name,
          false,
          context.externalIdSent === false
            ? `The bot cannot assume ${roleName(context)}${at}, and environment ${context.environment ?? ''} has no externalId in the config: ` +
                'the role from deploy/target-account-role.yml requires the ExternalId it was deployed with. Add it as environments.' +
                `${context.environment ?? '<env>'}.externalId.`
            : `The bot cannot assume ${roleName(context)}${at}. Check the role's trust policy (it must allow the bot's own ` +
                'role sts:AssumeRole and sts:SetSourceIdentity), the ExternalId in the config, and that the bot may call sts:AssumeRole on it.',
        );
      }
      return make(
        facts.name,
        false,
        `${context.roleArn ? `The role ${context.roleArn}` : 'The configured role'} lacks permission for dynamodb:${op}${at}. ` +
          (op === 'RestoreTableFromBackup' || op === 'RestoreTableToPointInTime'
            ? 'A restore also needs PutItem, UpdateItem, DeleteItem, GetItem, Query, Scan and BatchWriteItem on the target table. '
            : '') +
          `Grant it in the role's policy (AWS said: ${sentence(facts.message)})`,
      );
    case 'ExpiredToken':
    case 'ExpiredTokenException':
      if (isAssumeRole) {
        return make(
          facts.name,
          false,
          "The bot's own AWS credentials have expired, so it cannot assume the target role. " +
            'Refresh the credentials the bot runs with (for a local run: log in again and restart).',
        );
      }
      return make(
        facts.name,
        true,
        `The role session used for ${op}${at} expired. The bot assumes the role again on the next try; retry the action.`,
      );
    case 'InvalidClientTokenId':
    case 'UnrecognizedClientException':
      return make(
        facts.name,
        false,
        `AWS does not recognise the access key used for ${op}${at}. ` +
          "Check the bot's own AWS credentials (a deleted or mistyped key, or a key from another partition).",
      );
    case 'CredentialsProviderError':
      return make(
        facts.name,
        false,
        `The bot has no AWS credentials to call ${op}. Give it credentials (an execution role in Lambda, ` +
          'or AWS_PROFILE / AWS_ACCESS_KEY_ID for a local run) and restart.',
      );
    case 'RegionDisabledException':
      return make(
        facts.name,
        false,
        `STS is not activated in ${context.region ?? 'this region'} for the account${at}. ` +
          'Activate the region in IAM account settings, or run the bot against an enabled region.',
      );
    case 'LimitExceededException':
      return make(
        facts.name,
        true,
        `AWS refused ${op}${at}: too many concurrent restores or table operations are running in the account. ` +
          'Wait for some to finish, then try again.',
      );
    case 'TableAlreadyExistsException':
      return make(
        facts.name,
        false,
        `A table named ${context.tableName ?? 'like the target'} already exists${at}. ` +
          'Pick another target table name, or delete the existing table first.',
      );
    case 'TableInUseException':
    case 'ResourceInUseException':
      return make(
        facts.name,
        true,
        `${capitalise(tableRef(context))} is busy with another operation${at} (being created, updated or deleted). ` +
          'Wait until it settles and try again.',
      );
    case 'TableNotFoundException':
      return make(
        facts.name,
        false,
        op === 'RestoreTableToPointInTime' || op === 'DescribeContinuousBackups'
          ? `Source ${tableRef(context)} does not exist${at}, so it has no point-in-time recovery window. ` +
              `If it was deleted, restore its SYSTEM backup instead (/backups ${context.tableName ?? 'TABLE'} --type SYSTEM).`
          : `${capitalise(tableRef(context))} does not exist${at}. Check the table name and --env.`,
      );
    case 'PointInTimeRecoveryUnavailableException':
      return make(
        facts.name,
        false,
        `Point-in-time recovery is not enabled on ${tableRef(context)}${at}, so it cannot be restored to a point in time. ` +
          `Restore one of its backups instead (/backups ${context.tableName ?? 'TABLE'}).`,
      );
    case 'ResourceNotFoundException':
      return make(
        facts.name,
        false,
        context.tableName
          ? `Table ${context.tableName} does not exist${at}. Check the table name and --env.`
          : `AWS could not find the resource for ${op}${at}. Check the name or ARN and --env.`,
      );
    case 'BackupNotFoundException':
      return make(
        facts.name,
        false,
        `${capitalise(backupRef(context))} was not found${at}. It may have been deleted, or it belongs to ` +
          'another account or region: check the ARN and --env.',
      );
    case 'BackupInUseException':
      return make(
        facts.name,
        true,
        `${capitalise(backupRef(context))} is in use by another operation${at}. Try again in a few minutes.`,
      );
    case 'InvalidRestoreTimeException':
      return make(
        facts.name,
        false,
        `The restore time is outside the point-in-time recovery window of ${tableRef(context)}${at} ` +
          '(the window moves: its start advances as days pass). Ask again with a time inside the window; ' +
          `/backups ${context.tableName ?? 'TABLE'} shows it.`,
      );
    case 'ValidationException':
      return make(
        facts.name,
        false,
        `AWS rejected ${op}${at} as invalid: ${sentence(facts.message)} Check the request and its overrides.`,
      );
  }

  if (THROTTLING_NAMES.has(facts.name)) {
    return make(
      facts.name,
      true,
      `AWS is throttling ${op} requests${at}; the bot already retried. Try again in a minute.`,
    );
  }
  if (SERVER_NAMES.has(facts.name) || facts.serverFault || (facts.httpStatus ?? 0) >= 500) {
    return make(
      facts.name,
      true,
      `AWS had an internal error during ${op}${at} (${facts.name}). This is usually temporary: try again shortly.`,
    );
  }
  return make(
    facts.name,
    facts.sdkRetryable,
    `${op} failed${at} with ${facts.name}: ${sentence(facts.message)}`,
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** True when trying the same call again later can succeed (throttling, limits, busy resources, network). */
export function isRetryable(err: unknown): boolean {
  return mapAwsError(err, { operation: 'unknown' }).retryable;
}
