import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsOperationError } from '../../src/aws/errors.ts';
import { RoleSessions, roleSessionName } from '../../src/aws/sessions.ts';
import { type BotConfig, parseConfig } from '../../src/config.ts';
import { manualClock } from '../helpers/clock.ts';

const LEGAL_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

const config: BotConfig = parseConfig({
  defaultEnvironment: 'prod',
  environments: {
    prod: {
      accountId: '123456789012',
      region: 'us-east-1',
      roleArn: 'arn:aws:iam::123456789012:role/dynamodb-restore-bot',
      externalId: 'prod-external-id',
      approvers: { users: ['U0APPROVER'] },
    },
    staging: {
      accountId: '210987654321',
      region: 'eu-west-1',
      roleArn: 'arn:aws:iam::210987654321:role/dynamodb-restore-bot',
      approvers: { users: ['U0APPROVER'] },
    },
  },
});

const T0 = new Date('2026-11-03T10:00:00Z');
const HOUR = 60 * 60 * 1000;

let keyCounter = 0;
/** An STS answer whose session expires one hour after `issuedAt`, with a distinct key each time. */
function stsCredentials(issuedAt: Date) {
  keyCounter += 1;
  return {
    Credentials: {
      AccessKeyId: `ASIA${keyCounter}`,
      SecretAccessKey: `secret-${keyCounter}`,
      SessionToken: `token-${keyCounter}`,
      Expiration: new Date(issuedAt.getTime() + HOUR),
    },
  };
}

describe('roleSessionName', () => {
  it('prefixes the Slack user ID', () => {
    expect(roleSessionName('U0ABC123')).toBe('restore-bot-U0ABC123');
  });

  it('appends the tag', () => {
    expect(roleSessionName('U0ABC123', 'R-7K3QX9')).toBe('restore-bot-U0ABC123-R-7K3QX9');
  });

  it('replaces characters IAM does not allow', () => {
    const name = roleSessionName('U0 ABC/1:2', 'req#1 (retry)');
    expect(name).toMatch(LEGAL_SESSION_NAME);
    expect(name).toBe('restore-bot-U0-ABC-1-2-req-1--retry-');
  });

  it('shortens a long tag but keeps the user ID whole', () => {
    const name = roleSessionName('U0ABC123', 'x'.repeat(100));
    expect(name).toHaveLength(64);
    expect(name).toMatch(LEGAL_SESSION_NAME);
    expect(name.startsWith('restore-bot-U0ABC123-xxx')).toBe(true);
  });

  it('stays within 64 characters for an absurdly long user ID', () => {
    const name = roleSessionName('U'.repeat(80), 'R-1');
    expect(name).toHaveLength(64);
    expect(name).toMatch(LEGAL_SESSION_NAME);
  });

  it('never produces an empty user part', () => {
    expect(roleSessionName('')).toBe('restore-bot-unknown');
  });
});

describe('RoleSessions', () => {
  const sts = new STSClient({ region: 'us-east-1' });
  const stsMock = mockClient(sts);

  beforeEach(() => {
    stsMock.reset();
  });

  afterEach(() => {
    stsMock.reset();
  });

  it('assumes the environment role with session name, source identity, ExternalId and one hour', async () => {
    stsMock.on(AssumeRoleCommand).resolves(stsCredentials(T0));
    const sessions = new RoleSessions({ sts, config, now: () => T0 });

    const creds = await sessions.credentialsFor('prod', 'U0ABC123', 'R-7K3QX9');

    const calls = stsMock.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input).toEqual({
      RoleArn: 'arn:aws:iam::123456789012:role/dynamodb-restore-bot',
      RoleSessionName: 'restore-bot-U0ABC123-R-7K3QX9',
      SourceIdentity: 'U0ABC123',
      ExternalId: 'prod-external-id',
      DurationSeconds: 3600,
      // Without a job: the narrowest read-only session (src/aws/session-policy.ts).
      Policy: expect.stringContaining('"Version":"2012-10-17"'),
    });
    expect(input.Policy).not.toMatch(/PutItem|RestoreTable|StartRestoreJob/);
    expect(input.RoleSessionName).toMatch(LEGAL_SESSION_NAME);
    expect(creds).toEqual({
      accessKeyId: expect.stringMatching(/^ASIA/),
      secretAccessKey: expect.stringMatching(/^secret-/),
      sessionToken: expect.stringMatching(/^token-/),
      expiration: new Date(T0.getTime() + HOUR),
    });
  });

  it('omits ExternalId when the environment has none', async () => {
    stsMock.on(AssumeRoleCommand).resolves(stsCredentials(T0));
    const sessions = new RoleSessions({ sts, config, now: () => T0 });

    await sessions.credentialsFor('staging', 'U0ABC123');

    const input = stsMock.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
    expect(input.RoleArn).toBe('arn:aws:iam::210987654321:role/dynamodb-restore-bot');
    expect(input.RoleSessionName).toBe('restore-bot-U0ABC123');
    expect(input).not.toHaveProperty('ExternalId');
  });

  it('reuses a session until five minutes before it expires, then assumes the role again', async () => {
    const clock = manualClock(T0);
    stsMock.on(AssumeRoleCommand).callsFake(() => stsCredentials(clock.now()));
    const sessions = new RoleSessions({ sts, config, now: clock.now });

    const first = await sessions.credentialsFor('prod', 'U0ABC123');
    clock.advance(54 * 60 * 1000);
    const reused = await sessions.credentialsFor('prod', 'U0ABC123');
    expect(reused).toBe(first);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);

    clock.advance(60 * 1000 + 1);
    const renewed = await sessions.credentialsFor('prod', 'U0ABC123');
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(renewed.expiration.getTime()).toBe(clock.now().getTime() + HOUR);
  });

  it('honours a custom refresh margin', async () => {
    const clock = manualClock(T0);
    stsMock.on(AssumeRoleCommand).callsFake(() => stsCredentials(clock.now()));
    const sessions = new RoleSessions({ sts, config, now: clock.now, refreshBeforeMs: 30 * 60 * 1000 });

    await sessions.credentialsFor('prod', 'U0ABC123');
    clock.advance(30 * 60 * 1000);
    await sessions.credentialsFor('prod', 'U0ABC123');

    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('keeps separate sessions per environment, user and tag', async () => {
    stsMock.on(AssumeRoleCommand).callsFake(() => stsCredentials(T0));
    const sessions = new RoleSessions({ sts, config, now: () => T0 });

    await sessions.credentialsFor('prod', 'U0ABC123');
    await sessions.credentialsFor('prod', 'U0ABC123', 'R-1');
    await sessions.credentialsFor('prod', 'U0OTHER99');
    await sessions.credentialsFor('staging', 'U0ABC123');
    await sessions.credentialsFor('prod', 'U0ABC123', 'R-1');

    const names = stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleSessionName);
    expect(names).toEqual([
      'restore-bot-U0ABC123',
      'restore-bot-U0ABC123-R-1',
      'restore-bot-U0OTHER99',
      'restore-bot-U0ABC123',
    ]);
  });

  it('shares one in-flight AssumeRole between concurrent callers', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    stsMock.on(AssumeRoleCommand).callsFake(async () => {
      await gate;
      return stsCredentials(T0);
    });
    const sessions = new RoleSessions({ sts, config, now: () => T0 });

    const pending = [
      sessions.credentialsFor('prod', 'U0ABC123', 'R-1'),
      sessions.credentialsFor('prod', 'U0ABC123', 'R-1'),
      sessions.credentialsFor('prod', 'U0ABC123', 'R-1'),
    ];
    release();
    const [a, b, c] = await Promise.all(pending);

    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('maps an AssumeRole failure and tries again on the next call', async () => {
    stsMock
      .on(AssumeRoleCommand)
      .rejectsOnce(
        new STSServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: 'User is not authorized to perform: sts:AssumeRole',
        }),
      )
      .resolves(stsCredentials(T0));
    const sessions = new RoleSessions({ sts, config, now: () => T0 });

    const failure = await sessions.credentialsFor('prod', 'U0ABC123').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AwsOperationError);
    expect(failure).toMatchObject({ code: 'AccessDenied', operation: 'AssumeRole', retryable: false });
    expect((failure as AwsOperationError).userMessage).toContain(
      'cannot assume role arn:aws:iam::123456789012:role/dynamodb-restore-bot in prod',
    );

    const creds = await sessions.credentialsFor('prod', 'U0ABC123');
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('refuses an unknown environment without calling STS', async () => {
    const sessions = new RoleSessions({ sts, config, now: () => T0 });

    const failure = await sessions.credentialsFor('qa', 'U0ABC123').catch((err: unknown) => err);

    expect(failure).toMatchObject({
      name: 'AwsOperationError',
      code: 'UnknownEnvironment',
      retryable: false,
    });
    expect((failure as AwsOperationError).userMessage).toContain('prod, staging');
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('rejects an STS answer without credentials', async () => {
    stsMock.on(AssumeRoleCommand).resolves({});
    const sessions = new RoleSessions({ sts, config, now: () => T0 });

    await expect(sessions.credentialsFor('prod', 'U0ABC123')).rejects.toMatchObject({
      code: 'IncompleteCredentials',
    });
  });
});
