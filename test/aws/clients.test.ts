/**
 * The real SDK clients against a tiny loopback server speaking the DynamoDB JSON and STS query
 * protocols. aws-sdk-client-mock replaces `send`, so retries, endpoint resolution, credential
 * providers and signing are only exercised here.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListBackupsCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDynamoDbClient,
  createStsClient,
  MAX_ATTEMPTS,
  type RetryStrategyOption,
  resetSharedClients,
} from '../../src/aws/clients.ts';
import { AwsOperationError } from '../../src/aws/errors.ts';
import { RoleSessions } from '../../src/aws/sessions.ts';
import { createTargetAccountFactory } from '../../src/aws/target.ts';
import { REQUEST_TIMEOUTS } from '../../src/aws/timeouts.ts';
import { parseConfig } from '../../src/config.ts';

interface Received {
  /** DynamoDB operation from X-Amz-Target, or the STS Action. */
  operation: string;
  body: string;
  headers: IncomingHttpHeaders;
}

interface Reply {
  status: number;
  body: string;
  contentType?: string;
}

const DDB_JSON = 'application/x-amz-json-1.0';

function dynamoError(type: string, message: string): Reply {
  return {
    status: 400,
    contentType: DDB_JSON,
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
  };
}

function dynamoOk(payload: unknown): Reply {
  return { status: 200, contentType: DDB_JSON, body: JSON.stringify(payload) };
}

function stsXml(body: string, status = 200): Reply {
  return { status, contentType: 'text/xml', body };
}

const listBackupsAnswer = dynamoOk({
  BackupSummaries: [
    {
      BackupArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/backup/01762000000000-aaaa1111',
      BackupName: 'nightly',
      TableName: 'orders',
      BackupCreationDateTime: 1_762_000_000,
      BackupStatus: 'AVAILABLE',
      BackupType: 'USER',
      BackupSizeBytes: 2048,
    },
  ],
});

/** A loopback server that answers each request with the next queued reply (or a default). */
class Loopback {
  readonly received: Received[] = [];
  private readonly replies: Reply[] = [];
  private server?: Server;
  fallback: (r: Received) => Reply = () => dynamoError('InternalServerError', 'no reply queued');

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  queue(...replies: Reply[]): void {
    this.replies.push(...replies);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        const target = req.headers['x-amz-target'];
        const operation =
          typeof target === 'string'
            ? (target.split('.')[1] ?? target)
            : (new URLSearchParams(body).get('Action') ?? 'unknown');
        const received = { operation, body, headers: req.headers };
        this.received.push(received);
        const reply = this.replies.shift() ?? this.fallback(received);
        res.writeHead(reply.status, { 'content-type': reply.contentType ?? DDB_JSON });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_STS',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
] as const;

let savedEnv: Record<string, string | undefined>;
let server: Loopback;
const staticCredentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

beforeEach(async () => {
  savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const key of ENV_KEYS) delete process.env[key];
  server = new Loopback();
  await server.start();
});

afterEach(async () => {
  resetSharedClients();
  for (const key of ENV_KEYS) {
    const value = savedEnv[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await server.stop();
});

const noRetries: RetryStrategyOption = {
  acquireInitialRetryToken: async () => ({ getRetryCount: () => 0, getRetryDelay: () => 0 }),
  refreshRetryTokenForRetry: async () => {
    throw new Error('no retry');
  },
  recordSuccess: () => {},
};

describe('createDynamoDbClient', () => {
  it('retries ThrottlingException with the production settings until ListBackups succeeds', async () => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = server.url;
    server.queue(
      dynamoError('ThrottlingException', 'Rate exceeded'),
      dynamoError('ThrottlingException', 'Rate exceeded'),
      listBackupsAnswer,
    );
    const client = createDynamoDbClient({ region: 'us-east-1', credentials: staticCredentials });

    const output = await client.send(new ListBackupsCommand({ TableName: 'orders' }));

    expect(server.received.map((r) => r.operation)).toEqual(['ListBackups', 'ListBackups', 'ListBackups']);
    expect(output.$metadata.attempts).toBe(3);
    expect(output.BackupSummaries?.[0]?.BackupName).toBe('nightly');
    expect(output.BackupSummaries?.[0]?.BackupCreationDateTime).toEqual(new Date(1_762_000_000_000));
  });

  it('does not retry a ValidationException', async () => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = server.url;
    server.queue(dynamoError('ValidationException', '1 validation error detected'), listBackupsAnswer);
    const client = createDynamoDbClient({ region: 'us-east-1', credentials: staticCredentials });

    const failure = await client.send(new ListBackupsCommand({})).catch((err: unknown) => err);

    expect(failure).toMatchObject({ name: 'ValidationException' });
    expect(server.received).toHaveLength(1);
  });

  it('uses the standard retry mode with four attempts', async () => {
    const client = createDynamoDbClient({ region: 'us-east-1', credentials: staticCredentials });

    expect(MAX_ATTEMPTS).toBe(4);
    expect(await client.config.maxAttempts()).toBe(4);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
  });

  it('uses a caller-supplied retry strategy instead', async () => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = server.url;
    server.queue(
      dynamoError('ThrottlingException', 'Rate exceeded'),
      dynamoError('ThrottlingException', 'Rate exceeded'),
      dynamoError('ThrottlingException', 'Rate exceeded'),
      listBackupsAnswer,
    );
    const consulted: string[] = [];
    const token = (count: number) => ({ getRetryCount: () => count, getRetryDelay: () => 0 });
    const noDelay: RetryStrategyOption = {
      acquireInitialRetryToken: async () => token(0),
      refreshRetryTokenForRetry: async (previous, info) => {
        consulted.push(info.errorType);
        return token(previous.getRetryCount() + 1);
      },
      recordSuccess: () => {},
    };
    const client = createDynamoDbClient(
      { region: 'us-east-1', credentials: staticCredentials },
      { retryStrategy: noDelay },
    );

    const output = await client.send(new ListBackupsCommand({}));

    expect(consulted).toEqual(['THROTTLING', 'THROTTLING', 'THROTTLING']);
    expect(server.received).toHaveLength(4);
    expect(output.BackupSummaries).toHaveLength(1);
  });

  it('shares one client per region when it uses the bot credentials', () => {
    const a = createDynamoDbClient({ region: 'us-east-1' });
    const b = createDynamoDbClient({ region: 'us-east-1' });
    const c = createDynamoDbClient({ region: 'eu-west-1' });

    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(createDynamoDbClient({ region: 'us-east-1', credentials: staticCredentials })).not.toBe(a);
  });
});

describe('request timeouts (regression, issue 9 finding 5)', () => {
  it('gives every client an explicit request and connection timeout', async () => {
    const client = createDynamoDbClient({ region: 'us-east-1', credentials: staticCredentials });
    const handler = client.config.requestHandler as unknown as {
      configProvider: Promise<Record<string, unknown>>;
    };
    expect(await handler.configProvider).toMatchObject(REQUEST_TIMEOUTS);
    const sts = createStsClient('us-east-1', {});
    const stsHandler = sts.config.requestHandler as unknown as {
      configProvider: Promise<Record<string, unknown>>;
    };
    expect(await stsHandler.configProvider).toMatchObject(REQUEST_TIMEOUTS);
  });

  it('gives up on an endpoint that accepts the call and never answers', async () => {
    const hung = createServer(() => {});
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
    try {
      const client = createDynamoDbClient(
        { region: 'us-east-1', credentials: staticCredentials },
        { timeouts: { requestTimeout: 200 }, retryStrategy: noRetries },
      );
      const failure = await client.send(new ListBackupsCommand({})).catch((err: unknown) => err);
      expect(failure).toMatchObject({ name: 'TimeoutError' });
    } finally {
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
    }
  });
});

describe('createStsClient', () => {
  it('shares one client per region', () => {
    expect(createStsClient('us-east-1')).toBe(createStsClient('us-east-1'));
    expect(createStsClient('eu-west-1')).not.toBe(createStsClient('us-east-1'));
  });
});

describe('AWS_ENDPOINT_URL', () => {
  const config = parseConfig({
    environments: {
      prod: {
        accountId: '123456789012',
        region: 'us-east-1',
        roleArn: 'arn:aws:iam::123456789012:role/dynamodb-restore-bot',
        externalId: 'prod-external-id',
        approvers: { users: ['U0APPROVER'] },
      },
    },
  });

  const assumeRoleXml = stsXml(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>U0ABC123</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/dynamodb-restore-bot/restore-bot-U0ABC123</Arn>
      <AssumedRoleId>AROAEXAMPLE:restore-bot-U0ABC123</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAASSUMED</AccessKeyId>
      <SecretAccessKey>assumed-secret</SecretAccessKey>
      <SessionToken>assumed-session-token</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>`);

  function useLoopbackForEverything(): void {
    process.env.AWS_ENDPOINT_URL = server.url;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDBOT';
    process.env.AWS_SECRET_ACCESS_KEY = 'bot-secret';
  }

  it('steers clients from clients.ts to the loopback server, signed with the assumed role', async () => {
    useLoopbackForEverything();
    server.queue(assumeRoleXml, listBackupsAnswer);
    const sessions = new RoleSessions({ sts: createStsClient('us-east-1'), config });
    const getTarget = createTargetAccountFactory({ config, sessions });

    const target = await getTarget('prod', 'U0ABC123', 'R-7K3QX9');
    const backups = await target.listBackups({ tableName: 'orders', type: 'USER' });

    expect(server.received.map((r) => r.operation)).toEqual(['AssumeRole', 'ListBackups']);
    const assume = new URLSearchParams(server.received[0]!.body);
    expect(assume.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/dynamodb-restore-bot');
    expect(assume.get('RoleSessionName')).toBe('restore-bot-U0ABC123-R-7K3QX9');
    expect(assume.get('SourceIdentity')).toBe('U0ABC123');
    expect(assume.get('ExternalId')).toBe('prod-external-id');
    expect(assume.get('DurationSeconds')).toBe('3600');
    expect(server.received[0]!.headers.authorization).toContain('Credential=AKIDBOT/');

    const list = server.received[1]!;
    expect(list.headers.authorization).toContain('Credential=ASIAASSUMED/');
    expect(list.headers['x-amz-security-token']).toBe('assumed-session-token');
    expect(JSON.parse(list.body)).toEqual({ TableName: 'orders', BackupType: 'USER' });
    expect(backups.map((b) => [b.name, b.createdAt])).toEqual([['nightly', '2025-11-01T12:26:40.000Z']]);
  });

  it('surfaces a real STS AccessDenied as an explained AssumeRole error', async () => {
    useLoopbackForEverything();
    server.queue(
      stsXml(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::999999999999:assumed-role/bot is not authorized to perform: sts:AssumeRole</Message></Error>
  <RequestId>req-2</RequestId>
</ErrorResponse>`,
        403,
      ),
    );
    const sessions = new RoleSessions({ sts: createStsClient('us-east-1'), config });
    const getTarget = createTargetAccountFactory({ config, sessions });

    const failure = await getTarget('prod', 'U0ABC123').catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(AwsOperationError);
    expect(failure).toMatchObject({ code: 'AccessDenied', operation: 'AssumeRole', retryable: false });
    expect(server.received).toHaveLength(1);
  });

  it('turns a real ResourceNotFoundException from DescribeTable into undefined', async () => {
    useLoopbackForEverything();
    server.queue(assumeRoleXml, dynamoError('ResourceNotFoundException', 'Requested resource not found'));
    const sessions = new RoleSessions({ sts: createStsClient('us-east-1'), config });
    const target = await createTargetAccountFactory({ config, sessions })('prod', 'U0ABC123');

    expect(await target.describeTable('orders-restored')).toBeUndefined();
    expect(server.received.map((r) => r.operation)).toEqual(['AssumeRole', 'DescribeTable']);
  });

  it('reports an unreachable endpoint as a retryable network error', async () => {
    useLoopbackForEverything();
    server.queue(assumeRoleXml);
    const sessions = new RoleSessions({ sts: createStsClient('us-east-1'), config });
    const target = await createTargetAccountFactory({ config, sessions })('prod', 'U0ABC123');
    const closedUrl = server.url;
    await server.stop();
    process.env.AWS_ENDPOINT_URL = closedUrl;

    const failure = await target.listBackups({ type: 'USER' }).catch((err: unknown) => err);

    expect(failure).toMatchObject({ code: 'ECONNREFUSED', operation: 'ListBackups', retryable: true });
    expect((failure as AwsOperationError).userMessage).toContain('cannot reach the AWS endpoint');
    await server.start();
  });
});
