import {
  BackupInUseException,
  BackupNotFoundException,
  DynamoDBServiceException,
  LimitExceededException,
  ResourceNotFoundException,
  TableAlreadyExistsException,
  TableInUseException,
  TableNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { ExpiredTokenException, RegionDisabledException, STSServiceException } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { AwsOperationError, isRetryable, mapAwsError } from '../../src/aws/errors.ts';

const metadata = { httpStatusCode: 400, requestId: 'req-1' };

/** An SDK service error the way the DynamoDB client raises an unmodelled one. */
function dynamoError(name: string, message: string, fault: 'client' | 'server' = 'client') {
  return new DynamoDBServiceException({ name, $fault: fault, $metadata: metadata, message });
}

function stsError(name: string, message: string) {
  return new STSServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 403 }, message });
}

const target = {
  environment: 'prod',
  accountId: '123456789012',
  region: 'us-east-1',
  roleArn: 'arn:aws:iam::123456789012:role/dynamodb-restore-bot',
};

describe('AwsOperationError', () => {
  it('keeps name, code, operation, retryable, user message and cause', () => {
    const cause = new Error('root');
    const err = new AwsOperationError({
      code: 'UnknownIndex',
      operation: 'RestoreTableFromBackup',
      retryable: false,
      userMessage: 'No such index.',
      cause,
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('AwsOperationError');
    expect(err.code).toBe('UnknownIndex');
    expect(err.operation).toBe('RestoreTableFromBackup');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toBe('No such index.');
    expect(err.message).toBe('No such index.');
    expect(err.cause).toBe(cause);
  });
});

describe('mapAwsError', () => {
  it('explains an AccessDenied on AssumeRole as a trust policy or ExternalId problem', () => {
    const err = mapAwsError(
      stsError('AccessDenied', 'User: arn:aws:sts::1:assumed-role/bot is not authorized'),
      {
        ...target,
        operation: 'AssumeRole',
      },
    );
    expect(err.code).toBe('AccessDenied');
    expect(err.operation).toBe('AssumeRole');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain(`cannot assume role ${target.roleArn}`);
    expect(err.userMessage).toContain('trust policy');
    expect(err.userMessage).toContain('ExternalId');
    expect(err.userMessage).toContain('prod (account 123456789012, us-east-1)');
  });

  it('explains an AccessDeniedException on DynamoDB as a missing permission for the operation', () => {
    const err = mapAwsError(
      dynamoError('AccessDeniedException', 'not authorized to perform: dynamodb:ListBackups'),
      { ...target, operation: 'ListBackups' },
    );
    expect(err.code).toBe('AccessDeniedException');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain(`The role ${target.roleArn} lacks permission for dynamodb:ListBackups`);
    expect(err.userMessage).toContain('not authorized to perform: dynamodb:ListBackups');
  });

  it('lists the target-table permissions a restore needs when RestoreTableFromBackup is denied', () => {
    const err = mapAwsError(dynamoError('AccessDeniedException', 'denied'), {
      ...target,
      operation: 'RestoreTableFromBackup',
    });
    expect(err.userMessage).toContain('BatchWriteItem');
  });

  it('tells to refresh the bot credentials when they expired before AssumeRole', () => {
    const err = mapAwsError(
      new ExpiredTokenException({
        $metadata: metadata,
        message: 'The security token included in the request is expired',
      }),
      { ...target, operation: 'AssumeRole' },
    );
    expect(err.code).toBe('ExpiredTokenException');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain("bot's own AWS credentials have expired");
  });

  it('treats an expired role session on DynamoDB as retryable', () => {
    const err = mapAwsError(dynamoError('ExpiredToken', 'expired'), {
      ...target,
      operation: 'DescribeTable',
    });
    expect(err.code).toBe('ExpiredToken');
    expect(err.retryable).toBe(true);
    expect(err.userMessage).toContain('role session');
  });

  it('explains InvalidClientTokenId as an unknown access key', () => {
    const err = mapAwsError(stsError('InvalidClientTokenId', 'The security token is invalid'), {
      ...target,
      operation: 'AssumeRole',
    });
    expect(err.code).toBe('InvalidClientTokenId');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain('does not recognise the access key');
  });

  it('explains RegionDisabledException with the region to activate', () => {
    const err = mapAwsError(
      new RegionDisabledException({ $metadata: metadata, message: 'STS not activated' }),
      {
        ...target,
        region: 'ap-east-1',
        operation: 'AssumeRole',
      },
    );
    expect(err.code).toBe('RegionDisabledException');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain('STS is not activated in ap-east-1');
  });

  it.each(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded'])(
    'maps %s to a retryable "AWS is throttling"',
    (name) => {
      const err = mapAwsError(dynamoError(name, 'Rate exceeded'), { ...target, operation: 'ListBackups' });
      expect(err.code).toBe(name);
      expect(err.retryable).toBe(true);
      expect(err.userMessage).toContain('AWS is throttling ListBackups');
    },
  );

  it('maps LimitExceededException to a retryable too-many-operations message', () => {
    const err = mapAwsError(
      new LimitExceededException({ $metadata: metadata, message: 'Subscriber limit exceeded' }),
      {
        ...target,
        operation: 'RestoreTableFromBackup',
      },
    );
    expect(err.code).toBe('LimitExceededException');
    expect(err.retryable).toBe(true);
    expect(err.userMessage).toContain('too many concurrent restores or table operations');
  });

  it('tells to pick another name on TableAlreadyExistsException', () => {
    const err = mapAwsError(
      new TableAlreadyExistsException({
        $metadata: metadata,
        message: 'Table already exists: orders-restored',
      }),
      { ...target, operation: 'RestoreTableFromBackup', tableName: 'orders-restored' },
    );
    expect(err.code).toBe('TableAlreadyExistsException');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain('A table named orders-restored already exists');
    expect(err.userMessage).toContain('another target table name');
  });

  it('treats TableInUseException as retryable', () => {
    const err = mapAwsError(new TableInUseException({ $metadata: metadata, message: 'in use' }), {
      ...target,
      operation: 'RestoreTableFromBackup',
      tableName: 'orders',
    });
    expect(err.code).toBe('TableInUseException');
    expect(err.retryable).toBe(true);
    expect(err.userMessage).toContain('Table orders is busy');
  });

  it('names the missing table on TableNotFoundException', () => {
    const err = mapAwsError(new TableNotFoundException({ $metadata: metadata, message: 'not found' }), {
      ...target,
      operation: 'ListBackups',
      tableName: 'orders',
    });
    expect(err.code).toBe('TableNotFoundException');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain('Table orders does not exist in prod');
  });

  it('names the missing table on ResourceNotFoundException', () => {
    const err = mapAwsError(
      new ResourceNotFoundException({ $metadata: metadata, message: 'Requested resource not found' }),
      {
        ...target,
        operation: 'DescribeTable',
        tableName: 'orders',
      },
    );
    expect(err.code).toBe('ResourceNotFoundException');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain('Table orders does not exist');
  });

  it('names the backup on BackupNotFoundException', () => {
    const backupArn = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/backup/01700000000000-abcdef12';
    const err = mapAwsError(
      new BackupNotFoundException({ $metadata: metadata, message: 'Backup not found' }),
      {
        ...target,
        operation: 'DescribeBackup',
        backupArn,
      },
    );
    expect(err.code).toBe('BackupNotFoundException');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain(`Backup ${backupArn} was not found`);
  });

  it('treats BackupInUseException as retryable', () => {
    const err = mapAwsError(new BackupInUseException({ $metadata: metadata, message: 'in use' }), {
      ...target,
      operation: 'RestoreTableFromBackup',
    });
    expect(err.code).toBe('BackupInUseException');
    expect(err.retryable).toBe(true);
    expect(err.userMessage).toContain('is in use by another operation');
  });

  it('explains InvalidRestoreTimeException as outside the recovery window', () => {
    const err = mapAwsError(dynamoError('InvalidRestoreTimeException', 'bad time'), {
      ...target,
      operation: 'RestoreTableToPointInTime',
    });
    expect(err.code).toBe('InvalidRestoreTimeException');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain('point-in-time recovery window');
  });

  it('includes the AWS message in a ValidationException', () => {
    const err = mapAwsError(
      dynamoError(
        'ValidationException',
        'One or more parameter values were invalid: ReadCapacityUnits must be > 0',
      ),
      { ...target, operation: 'RestoreTableFromBackup' },
    );
    expect(err.code).toBe('ValidationException');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain('ReadCapacityUnits must be > 0');
  });

  it.each(['ECONNREFUSED', 'ETIMEDOUT'])(
    'maps a %s socket error to a retryable unreachable endpoint',
    (code) => {
      const socketError = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), {
        code,
        syscall: 'connect',
      });
      const err = mapAwsError(socketError, { ...target, operation: 'ListBackups' });
      expect(err.code).toBe(code);
      expect(err.retryable).toBe(true);
      expect(err.userMessage).toContain('cannot reach the AWS endpoint');
    },
  );

  it('finds ECONNREFUSED inside an AggregateError from a multi-address connect', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED ::1:443'), { code: 'ECONNREFUSED' });
    const err = mapAwsError(new AggregateError([inner], 'connect failed'), { operation: 'AssumeRole' });
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.retryable).toBe(true);
  });

  it('maps a TimeoutError to a retryable unreachable endpoint', () => {
    const timeout = Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
    const err = mapAwsError(timeout, { ...target, operation: 'DescribeTable' });
    expect(err.code).toBe('TimeoutError');
    expect(err.retryable).toBe(true);
    expect(err.userMessage).toContain('cannot reach the AWS endpoint for DescribeTable');
  });

  it('explains missing bot credentials', () => {
    const err = mapAwsError(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      { operation: 'AssumeRole' },
    );
    expect(err.code).toBe('CredentialsProviderError');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain('no AWS credentials');
  });

  it('treats a server fault as retryable', () => {
    const err = mapAwsError(dynamoError('InternalServerError', 'oops', 'server'), {
      operation: 'ListBackups',
    });
    expect(err.retryable).toBe(true);
    expect(err.userMessage).toContain('internal error');
  });

  it('includes the AWS error name and message for anything else', () => {
    const err = mapAwsError(dynamoError('PolicyNotFoundException', 'Resource-based policy not found'), {
      ...target,
      operation: 'DescribeTable',
    });
    expect(err.code).toBe('PolicyNotFoundException');
    expect(err.retryable).toBe(false);
    expect(err.userMessage).toContain('PolicyNotFoundException');
    expect(err.userMessage).toContain('Resource-based policy not found');
  });

  it('maps something that is not an Error at all', () => {
    const err = mapAwsError('socket hang up', { operation: 'ListBackups' });
    expect(err.code).toBe('UnknownError');
    expect(err.userMessage).toContain('socket hang up');
  });

  it('keeps the original error as cause and puts details in the log message', () => {
    const original = new TableInUseException({ $metadata: metadata, message: 'Table is being deleted' });
    const err = mapAwsError(original, { ...target, operation: 'RestoreTableFromBackup' });
    expect(err.cause).toBe(original);
    expect(err.message).toContain('TableInUseException: Table is being deleted');
  });

  it('passes an AwsOperationError through unchanged', () => {
    const first = mapAwsError(stsError('AccessDenied', 'no'), { ...target, operation: 'AssumeRole' });
    expect(mapAwsError(first, { operation: 'ListBackups' })).toBe(first);
  });
});

describe('isRetryable', () => {
  it('follows the mapping for raw SDK errors', () => {
    expect(isRetryable(dynamoError('ThrottlingException', 'slow down'))).toBe(true);
    expect(isRetryable(new TableAlreadyExistsException({ $metadata: metadata, message: 'exists' }))).toBe(
      false,
    );
  });

  it('reads the flag of an AwsOperationError', () => {
    const err = new AwsOperationError({ code: 'X', operation: 'Y', retryable: true, userMessage: 'z' });
    expect(isRetryable(err)).toBe(true);
  });
});
