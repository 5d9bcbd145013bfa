/**
 * Packages the service the way CI does (`npm run package`, no AWS credentials, fake Slack secrets in
 * the environment) and checks the generated CloudFormation template and the function zips: the
 * functions, the route, the schedule, the state table, least-privilege IAM, no secret anywhere, the
 * bundle size, and that the packaged Slack handler really loads and serves a signed request.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config.ts';
import { REDRIVE_AFTER_MS, WORKER_TIMEOUT_MS } from '../../src/restore/executor.ts';
import { type SlackApiStand, startSlackApi } from '../../src/sandbox/slack-api.ts';
import { apiGatewayEvent, signSlackBody } from '../../src/sandbox/slack-requests.ts';
import { SETTINGS_READ_ACTIONS, SETTINGS_WRITE_ACTIONS } from '../../src/settings/session.ts';
import { OUTBOX_INDEX, STATUS_INDEX } from '../../src/store/requests.ts';
import { readZip, type ZipEntry } from './zip.ts';

/** Each function is bundled from its own entry module, so the slack bundle carries only listener code. */
const HANDLERS: Record<string, string> = {
  slack: 'src/lambda/slack.slack',
  worker: 'src/lambda/worker.worker',
  watcher: 'src/lambda/worker.watcher',
};

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, '.serverless');
const SERVICE = 'dynamodb-restore-bot';
const STAGE = 'ci';
const CI_TARGET_ROLE = 'arn:aws:iam::123456789012:role/dynamodb-restore-bot';
const MAX_SLACK_ZIP_BYTES = 1.5 * 1024 * 1024;
/** The JSON form of the config that packaging writes (deploy/serverless-variables.cjs). */
const CONFIG_JSON = '.build/restore-bot.config.json';

// Values a careless template would pick up from the environment (${env:...}) or inline.
const FAKE_SIGNING_SECRET = `fake-signing-secret-${randomBytes(12).toString('hex')}`;
const FAKE_BOT_TOKEN = `xoxb-fake-${randomBytes(12).toString('hex')}`;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
interface Template {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: Json }>;
}
interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: Json;
  Condition?: Record<string, Record<string, Json>>;
}

let template: Template;

function packageService(): void {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AWS_')) env[key] = value;
  }
  // No credentials from anywhere: packaging must not need them.
  env.AWS_CONFIG_FILE = join(tmpdir(), 'no-such-aws-config');
  env.AWS_SHARED_CREDENTIALS_FILE = join(tmpdir(), 'no-such-aws-credentials');
  env.SLACK_SIGNING_SECRET = FAKE_SIGNING_SECRET;
  env.SLACK_BOT_TOKEN = FAKE_BOT_TOKEN;
  rmSync(OUT, { recursive: true, force: true });
  const result = spawnSync('npm', ['run', 'package'], { cwd: ROOT, env, encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0) {
    throw new Error(`npm run package failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

beforeAll(() => {
  packageService();
  template = JSON.parse(readFileSync(join(OUT, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 300_000);

function resourcesOfType(type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

function resource(logicalId: string): CfnResource {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId} in the template`);
  return found;
}

function functionResource(name: string): { id: string; props: Record<string, unknown> } {
  const match = resourcesOfType('AWS::Lambda::Function').find(
    ([, r]) => r.Properties.FunctionName === `${SERVICE}-${STAGE}-${name}`,
  );
  if (!match) throw new Error(`no Lambda function ${name}`);
  return { id: match[0], props: match[1].Properties };
}

function envOf(name: string): Record<string, string> {
  const env = functionResource(name).props.Environment as { Variables: Record<string, string> };
  return env.Variables;
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Resource entries with Fn::Split over a literal resolved, as CloudFormation would. */
function resourceList(statement: Statement): Json[] {
  const raw = statement.Resource;
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'Fn::Split' in raw) {
    const [separator, text] = raw['Fn::Split'] as [string, Json];
    if (typeof text === 'string') return text.split(separator);
  }
  return asList(raw as Json | Json[]);
}

function roleStatements(logicalId: string): Statement[] {
  const policies = (resource(logicalId).Properties.Policies ?? []) as {
    PolicyDocument: { Statement: Statement[] };
  }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

/** Every identity-policy statement in the template: inline role policies and policy resources. */
function allIamStatements(): { where: string; statement: Statement }[] {
  const out: { where: string; statement: Statement }[] = [];
  for (const [id] of resourcesOfType('AWS::IAM::Role')) {
    for (const statement of roleStatements(id)) out.push({ where: id, statement });
  }
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, r] of resourcesOfType(type)) {
      const doc = r.Properties.PolicyDocument as { Statement: Statement[] };
      for (const statement of doc.Statement) out.push({ where: id, statement });
    }
  }
  return out;
}

const READ_ONLY_ACTION = /^[a-z0-9-]+:(Get|Describe|List|Query|Scan|BatchGet)/;

function actionsOf(logicalId: string): string[] {
  return roleStatements(logicalId).flatMap((s) => asList(s.Action));
}

function statementWith(logicalId: string, action: string): Statement {
  const found = roleStatements(logicalId).find((s) => asList(s.Action).includes(action));
  if (!found) throw new Error(`${logicalId} has no statement allowing ${action}`);
  return found;
}

function roleIdOf(functionName: string): string {
  const role = functionResource(functionName).props.Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** The tail of a child's output without the echoed minified source lines that bury the error. */
function readable(output: string): string {
  return output
    .split('\n')
    .filter((line) => line.length < 400)
    .slice(-40)
    .join('\n');
}

function zipEntries(functionName: string): ZipEntry[] {
  return readZip(join(OUT, `${functionName}.zip`));
}

describe('serverless.yml functions', () => {
  it('packages slack, worker and watcher on nodejs22.x arm64 with their own handlers', () => {
    const functions = resourcesOfType('AWS::Lambda::Function').map(([, r]) => r.Properties);

    expect(functions.map((f) => f.FunctionName).sort()).toEqual(
      ['slack', 'watcher', 'worker'].map((n) => `${SERVICE}-${STAGE}-${n}`),
    );
    for (const name of ['slack', 'worker', 'watcher']) {
      const { props } = functionResource(name);
      expect(props.Runtime).toBe('nodejs22.x');
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.Handler).toBe(HANDLERS[name]);
    }
  });

  it('gives the slack function a short timeout and the worker the longest', () => {
    const timeout = (name: string) => functionResource(name).props.Timeout as number;

    expect(timeout('slack')).toBeLessThanOrEqual(30);
    expect(timeout('worker')).toBeGreaterThan(timeout('slack'));
    expect(timeout('worker')).toBeLessThanOrEqual(900);
    expect(timeout('watcher')).toBeGreaterThanOrEqual(60);
  });

  it('gives the worker the timeout the watcher waits out before it drives a start again', () => {
    expect((functionResource('worker').props.Timeout as number) * 1000).toBe(WORKER_TIMEOUT_MS);
    expect(REDRIVE_AFTER_MS).toBeGreaterThan(WORKER_TIMEOUT_MS);
  });

  it('passes parameter names, the table, the worker and the bundled config file in the environment', () => {
    const table = resourcesOfType('AWS::DynamoDB::Table')[0]![1];

    for (const name of ['slack', 'worker', 'watcher']) {
      const env = envOf(name);
      expect(env.STATE_TABLE_NAME).toBe(table.Properties.TableName);
      expect(env.WORKER_FUNCTION_NAME).toBe(functionResource('worker').props.FunctionName);
      // Only the slack function verifies signatures (regression 8.7).
      expect(env.SLACK_SIGNING_SECRET_PARAM).toBe(
        name === 'slack' ? `/${SERVICE}/${STAGE}/slack-signing-secret` : undefined,
      );
      expect(env.SLACK_BOT_TOKEN_PARAM).toBe(`/${SERVICE}/${STAGE}/slack-bot-token`);
      expect(env.RESTORE_BOT_CONFIG).toBe(CONFIG_JSON);
      expect(zipEntries(name).map((e) => e.name)).toContain(env.RESTORE_BOT_CONFIG);
    }
  });

  it('bundles the stage config file as validated JSON, and no YAML parser', () => {
    for (const name of ['slack', 'worker', 'watcher']) {
      const entries = zipEntries(name);
      const config = entries.find((e) => e.name === CONFIG_JSON);
      const bundle = entries.find((e) => e.name === `${HANDLERS[name]!.split('.')[0]}.mjs`);

      expect(JSON.parse(config!.data.toString('utf8'))).toEqual(
        loadConfigFile(join(ROOT, 'restore-bot.config.example.yml')),
      );
      expect(entries.map((e) => e.name).filter((n) => /\.ya?ml$/.test(n))).toEqual([]);
      // Every YAML schema of the yaml package names its tags with this prefix.
      expect(bundle!.data.toString('utf8')).not.toContain('tag:yaml.org,2002:');
    }
  });

  it('bundles the AWS Backup client into the worker and the watcher, never into the slack function', () => {
    const bundleOf = (name: string) =>
      zipEntries(name)
        .find((e) => e.name === `${HANDLERS[name]!.split('.')[0]}.mjs`)!
        .data.toString('utf8');
    // Operation names of @aws-sdk/client-backup's command classes.
    for (const name of ['worker', 'watcher']) {
      expect(bundleOf(name)).toContain('ListRecoveryPointsByResource');
      expect(bundleOf(name)).toContain('DescribeRestoreJob');
    }
    expect(bundleOf('slack')).not.toContain('ListRecoveryPointsByResource');
    expect(bundleOf('slack')).not.toContain('BackupServiceException');
  });

  it("regression 13.2: carries the restore sources' views into the slack function, their pre-flight and start code into the worker and watcher only", () => {
    const bundleOf = (name: string) =>
      zipEntries(name)
        .find((e) => e.name === `${HANDLERS[name]!.split('.')[0]}.mjs`)!
        .data.toString('utf8');
    // Session-policy Sids and pre-flight refusals of src/restore/sources/<kind>/exec.ts.
    const execMarkers = [
      'RestoreFromThisBackup',
      'RestoreFromThisTable',
      'RestoreThisRecoveryPoint',
      'PassTheRestoreRole',
      'not AVAILABLE, so it cannot be restored yet',
      'a deleted table has no recovery window',
      'is in cold storage',
    ];
    // What the views of src/restore/sources/<kind>/view.ts put in a thread.
    const viewMarkers = [
      'AWS is creating the table from the backup',
      'AWS is creating the table from the point-in-time recovery of',
      'AWS Backup is restoring the recovery point',
    ];
    // Compared as booleans, so that a failure names the marker instead of printing a bundle.
    const carries = (name: string) => {
      const bundle = bundleOf(name);
      return Object.fromEntries([...execMarkers, ...viewMarkers].map((m) => [m, bundle.includes(m)]));
    };
    const all = Object.fromEntries([...execMarkers, ...viewMarkers].map((m) => [m, true]));
    expect(carries('worker')).toEqual(all);
    expect(carries('watcher')).toEqual(all);
    expect(carries('slack')).toEqual({ ...all, ...Object.fromEntries(execMarkers.map((m) => [m, false])) });
  });

  it('bundles the settings clients (Application Auto Scaling, CloudWatch) into the worker and watcher only', () => {
    const bundleOf = (name: string) =>
      zipEntries(name)
        .find((e) => e.name === `${HANDLERS[name]!.split('.')[0]}.mjs`)!
        .data.toString('utf8');
    // The services' X-Amz-Target prefixes: present exactly where the clients are bundled.
    expect(bundleOf('slack')).not.toContain('AnyScaleFrontendService');
    expect(bundleOf('slack')).not.toContain('GraniteServiceVersion20100801');
    for (const name of ['worker', 'watcher']) {
      expect(bundleOf(name)).toContain('AnyScaleFrontendService');
      expect(bundleOf(name)).toContain('GraniteServiceVersion20100801');
    }
  });

  it('keeps every function log group for a bounded number of days', () => {
    const groups = resourcesOfType('AWS::Logs::LogGroup').map(([, r]) => r.Properties);

    expect(groups.map((g) => g.LogGroupName).sort()).toEqual(
      ['slack', 'watcher', 'worker'].map((n) => `/aws/lambda/${SERVICE}-${STAGE}-${n}`),
    );
    for (const group of groups) expect(group.RetentionInDays).toBe(30);
  });

  it('does not retry a failed watcher run (the next one is a minute away)', () => {
    const config = resourcesOfType('AWS::Lambda::EventInvokeConfig').find(
      ([, r]) =>
        JSON.stringify(r.Properties.FunctionName) === JSON.stringify({ Ref: functionResource('watcher').id }),
    );

    expect(config?.[1].Properties.MaximumRetryAttempts).toBe(0);
  });
});

describe('serverless.yml events', () => {
  it('routes POST /slack/events through the HTTP API to the slack function', () => {
    const routes = resourcesOfType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    const route = routes.find((r) => r.RouteKey === 'POST /slack/events');
    const target = route?.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integration = resource(target['Fn::Join'][1][1].Ref);

    expect(routes).toHaveLength(1);
    expect(integration.Type).toBe('AWS::ApiGatewayV2::Integration');
    expect(integration.Properties.IntegrationUri).toEqual({
      'Fn::GetAtt': [functionResource('slack').id, 'Arn'],
    });
    expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
  });

  it('runs the watcher on a one-minute schedule', () => {
    const rules = resourcesOfType('AWS::Events::Rule').map(([, r]) => r.Properties);
    const targets = rules[0]?.Targets as { Arn: Json }[];

    expect(rules).toHaveLength(1);
    expect(rules[0]?.ScheduleExpression).toBe('rate(1 minute)');
    expect(rules[0]?.State).toBe('ENABLED');
    expect(targets.map((t) => t.Arn)).toEqual([{ 'Fn::GetAtt': [functionResource('watcher').id, 'Arn'] }]);
  });
});

describe('state table', () => {
  it('is on-demand, encrypted, with TTL and point-in-time recovery, and retained', () => {
    const tables = resourcesOfType('AWS::DynamoDB::Table');
    const [, table] = tables[0]!;

    expect(tables).toHaveLength(1);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
  });

  it('has the key and indexes that the store queries', () => {
    const [, table] = resourcesOfType('AWS::DynamoDB::Table')[0]!;
    const indexes = table.Properties.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: { AttributeName: string; KeyType: string }[];
    }[];
    const keysOf = (name: string) => indexes.find((i) => i.IndexName === name)?.KeySchema;

    expect(table.Properties.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(keysOf(STATUS_INDEX)).toEqual([
      { AttributeName: 'status', KeyType: 'HASH' },
      { AttributeName: 'createdAt', KeyType: 'RANGE' },
    ]);
    expect(keysOf(OUTBOX_INDEX)).toEqual([
      { AttributeName: 'outbox', KeyType: 'HASH' },
      { AttributeName: 'createdAt', KeyType: 'RANGE' },
    ]);
  });
});

describe('IAM', () => {
  it('gives every function a role of its own', () => {
    const roles = ['slack', 'worker', 'watcher'].map(roleIdOf);

    expect(new Set(roles).size).toBe(3);
    for (const id of roles) expect(resource(id).Type).toBe('AWS::IAM::Role');
  });

  it('has no write action on resource "*" and no wildcard action', () => {
    const statements = allIamStatements().filter(({ statement }) => statement.Effect === 'Allow');
    const isWildcard = (action: string) => action === '*' || action.endsWith(':*');
    const isWrite = (action: string) => !READ_ONLY_ACTION.test(action) && !action.startsWith('logs:');
    const offending = statements.flatMap(({ where, statement }) =>
      asList(statement.Action)
        .filter((action) => isWildcard(action) || (isWrite(action) && resourceList(statement).includes('*')))
        .map((action) => `${where}: ${action}`),
    );

    expect(statements.length).toBeGreaterThan(10);
    expect(offending).toEqual([]);
  });

  it('lets the slack function invoke only the worker and assume no role', () => {
    const invoke = statementWith(roleIdOf('slack'), 'lambda:InvokeFunction');

    expect(JSON.stringify(invoke.Resource)).toMatch(/:function:dynamodb-restore-bot-ci-worker"/);
    expect(actionsOf(roleIdOf('slack')).filter((a) => a.startsWith('sts:'))).toEqual([]);
    expect(actionsOf(roleIdOf('worker'))).not.toContain('lambda:InvokeFunction');
    expect(actionsOf(roleIdOf('watcher'))).toContain('lambda:InvokeFunction');
  });

  it('lets the worker and watcher assume only the configured target roles', () => {
    for (const fn of ['worker', 'watcher']) {
      const sts = statementWith(roleIdOf(fn), 'sts:AssumeRole');

      // Regression 8.7: no sts:TagSession (the bot tags no session).
      expect(asList(sts.Action).sort()).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity']);
      expect(resourceList(sts)).toEqual([CI_TARGET_ROLE]);
    }
  });

  it('gives the bot’s own roles none of the settings actions: they run in target-account role sessions', () => {
    const settingsActions = new Set<string>([...SETTINGS_READ_ACTIONS.slice(1), ...SETTINGS_WRITE_ACTIONS]);
    for (const fn of ['slack', 'worker', 'watcher']) {
      const granted = actionsOf(roleIdOf(fn)).filter(
        (a) =>
          settingsActions.has(a) || a.startsWith('application-autoscaling:') || a.startsWith('cloudwatch:'),
      );
      expect(granted).toEqual([]);
    }
  });

  it('limits table access to the state table and its indexes', () => {
    const table = resourcesOfType('AWS::DynamoDB::Table')[0]![0];

    for (const fn of ['slack', 'worker', 'watcher']) {
      const statement = statementWith(roleIdOf(fn), 'dynamodb:UpdateItem');

      expect(resourceList(statement)).toEqual([
        { 'Fn::GetAtt': [table, 'Arn'] },
        { 'Fn::Sub': `\${${table}.Arn}/index/*` },
      ]);
      expect(actionsOf(roleIdOf(fn)).filter((a) => a.startsWith('dynamodb:'))).not.toContain('dynamodb:Scan');
    }
  });

  it('regression 8.7: lets only the slack function read the signing secret; all decrypt only through SSM', () => {
    const param = (name: string) => `:parameter/dynamodb-restore-bot/ci/${name}"`;
    for (const fn of ['slack', 'worker', 'watcher']) {
      const ssm = JSON.stringify(statementWith(roleIdOf(fn), 'ssm:GetParameters').Resource);
      const kms = statementWith(roleIdOf(fn), 'kms:Decrypt');
      const context = JSON.stringify(kms.Condition?.StringLike);

      expect(ssm).toContain(param('slack-bot-token'));
      expect(context).toContain(param('slack-bot-token'));
      expect(ssm.includes(param('slack-signing-secret'))).toBe(fn === 'slack');
      expect(context.includes(param('slack-signing-secret'))).toBe(fn === 'slack');
      expect(ssm).not.toContain('/*');
      expect(kms.Condition?.StringEquals?.['kms:ViaService']).toEqual({
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
        'Fn::Sub': 'ssm.${AWS::Region}.amazonaws.com',
      });
      expect('SLACK_SIGNING_SECRET_PARAM' in envOf(fn)).toBe(fn === 'slack');
    }
  });

  it('regression 8.7: gives PutItem to the worker, to the slack function only for Home markers, and not to the watcher', () => {
    const putItem = (fn: string) =>
      roleStatements(roleIdOf(fn)).filter((st) => asList(st.Action).includes('dynamodb:PutItem'));

    expect(putItem('watcher')).toEqual([]);
    expect(putItem('worker')).toHaveLength(1);
    const [slackPut, ...more] = putItem('slack');
    expect(more).toEqual([]);
    expect(asList(slackPut?.Action)).toEqual(['dynamodb:PutItem']);
    expect(slackPut?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual(['HOME#*']);
  });
});

describe('secrets', () => {
  it('never puts a secret value in the template, the state or the zips', () => {
    const texts = listFiles(OUT).flatMap((path) =>
      path.endsWith('.zip')
        ? readZip(path).map((e) => ({ where: `${path}!${e.name}`, text: e.data.toString('utf8') }))
        : [{ where: path, text: readFileSync(path, 'utf8') }],
    );
    const leaks = texts
      .filter(({ text }) => text.includes(FAKE_SIGNING_SECRET) || text.includes(FAKE_BOT_TOKEN))
      .map(({ where }) => where);

    expect(texts.length).toBeGreaterThanOrEqual(6);
    expect(leaks).toEqual([]);
  });

  it('puts only parameter names in the functions environment', () => {
    for (const name of ['slack', 'worker', 'watcher']) {
      const env = envOf(name);
      const secretish = Object.keys(env).filter((k) => /SECRET|TOKEN|PASSWORD|KEY/.test(k));

      expect(secretish.every((k) => k.endsWith('_PARAM') && env[k]?.startsWith('/'))).toBe(true);
      expect(Object.values(env).join('\n')).not.toMatch(/xox[abpr]-/);
    }
  });
});

describe('slack function package', () => {
  it('is smaller than 1.5 MB zipped', () => {
    expect(statSync(join(OUT, 'slack.zip')).size).toBeLessThan(MAX_SLACK_ZIP_BYTES);
  });

  describe('loaded in a fresh Node process like Lambda does', () => {
    let dir: string;
    let ssm: Server;
    let ssmUrl: string;
    let slackApi: SlackApiStand;
    const ssmRequests: {
      target: string;
      body: { Names?: string[]; Name?: string; WithDecryption?: boolean };
    }[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'restore-bot-slack-zip-'));
      for (const entry of zipEntries('slack')) {
        mkdirSync(dirname(join(dir, entry.name)), { recursive: true });
        writeFileSync(join(dir, entry.name), entry.data);
      }
      const values: Record<string, string> = {
        [envOf('slack').SLACK_SIGNING_SECRET_PARAM!]: FAKE_SIGNING_SECRET,
        [envOf('slack').SLACK_BOT_TOKEN_PARAM!]: FAKE_BOT_TOKEN,
      };
      // A loopback stand-in for SSM Parameter Store (awsJson1_1): the only AWS service the slack
      // function calls before it answers a request.
      ssm = createServer((req, res) => {
        let raw = '';
        req.on('data', (chunk) => {
          raw += chunk;
        });
        req.on('end', () => {
          const target = String(req.headers['x-amz-target'] ?? '');
          const body = raw ? JSON.parse(raw) : {};
          const parameter = (name: string) => ({
            Name: name,
            Type: 'SecureString',
            Value: values[name],
            Version: 1,
          });
          let answer: unknown;
          if (target === 'AmazonSSM.GetParameters') {
            ssmRequests.push({ target, body });
            const names = (body.Names ?? []) as string[];
            answer = {
              Parameters: names.filter((n) => n in values).map(parameter),
              InvalidParameters: names.filter((n) => !(n in values)),
            };
          } else if (target === 'AmazonSSM.GetParameter' && body.Name in values) {
            ssmRequests.push({ target, body });
            answer = { Parameter: parameter(body.Name) };
          }
          res.writeHead(answer ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(
            JSON.stringify(
              answer ?? { __type: 'UnknownOperationException', message: `unexpected ${target}` },
            ),
          );
        });
      });
      await new Promise<void>((resolve) => ssm.listen(0, '127.0.0.1', resolve));
      ssmUrl = `http://127.0.0.1:${(ssm.address() as AddressInfo).port}`;
      // Bolt checks its token with auth.test when the app is built.
      slackApi = await startSlackApi({ tokens: [FAKE_BOT_TOKEN] });
    });

    afterAll(async () => {
      await new Promise((resolve) => ssm.close(resolve));
      await slackApi.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /**
     * Runs `script` in a child Node process in the unzipped package, with the function's environment,
     * and returns what the script passed to `report()` (stdout carries the function's own logs).
     */
    async function runInPackage(script: string): Promise<string> {
      const resultFile = join(dir, 'result.json');
      rmSync(resultFile, { force: true });
      writeFileSync(
        join(dir, 'invoke.mjs'),
        `import { writeFileSync } from 'node:fs';\nconst report = (value) => writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify(value));\n${script}`,
      );
      await new Promise<void>((resolve, reject) => {
        execFile(
          process.execPath,
          ['invoke.mjs'],
          {
            cwd: dir,
            timeout: 60_000,
            env: {
              PATH: process.env.PATH,
              ...envOf('slack'),
              AWS_REGION: 'us-east-1',
              AWS_ACCESS_KEY_ID: 'AKIDFAKE',
              AWS_SECRET_ACCESS_KEY: 'fake',
              AWS_ENDPOINT_URL: ssmUrl,
              SLACK_API_URL: `${slackApi.url}/api/`,
              AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
              AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
              LAMBDA_TASK_ROOT: dir,
            },
          },
          (error, stdout, stderr) =>
            error
              ? reject(new Error(`${error.message.split('\n')[0]}\n${readable(stdout + stderr)}`))
              : resolve(),
        );
      });
      return readFileSync(resultFile, 'utf8');
    }

    it('exports the slack handler as a two-argument function and carries no worker code', async () => {
      const out = await runInPackage(`
        const { readdirSync } = await import('node:fs');
        const m = await import('./src/lambda/slack.mjs');
        report({ exports: Object.keys(m), slack: [typeof m.slack, m.slack?.length], files: readdirSync('./src/lambda') });
      `);

      const { exports, slack, files } = JSON.parse(out);
      expect(exports).toEqual(['slack']);
      expect(slack).toEqual(['function', 2]);
      expect(files.filter((f: string) => f.endsWith('.mjs'))).toEqual(['slack.mjs']);
    });

    it('reads its secrets from SSM by name and verifies Slack signatures with them', async () => {
      const challenge = randomBytes(8).toString('hex');
      const body = JSON.stringify({ token: 'x', challenge, type: 'url_verification' });
      const signed = apiGatewayEvent(body, signSlackBody(FAKE_SIGNING_SECRET, body));
      const forged = apiGatewayEvent(body, signSlackBody('not-the-secret', body));

      const out = await runInPackage(`
        const { slack } = await import('./src/lambda/slack.mjs');
        const context = { functionName: 'dynamodb-restore-bot-ci-slack', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 9000 };
        const forged = await slack(${JSON.stringify(forged)}, context);
        const signed = await slack(${JSON.stringify(signed)}, context);
        report({ forged, signed });
      `);
      const { forged: forgedResponse, signed: signedResponse } = JSON.parse(out);

      expect(forgedResponse.statusCode).toBe(401);
      expect(signedResponse.statusCode).toBe(200);
      expect(JSON.parse(signedResponse.body)).toEqual({ challenge });
      expect(ssmRequests.length).toBeGreaterThan(0);
      const asked = ssmRequests.flatMap((r) => r.body.Names ?? [r.body.Name]);
      expect(new Set(asked)).toEqual(
        new Set([envOf('slack').SLACK_SIGNING_SECRET_PARAM, envOf('slack').SLACK_BOT_TOKEN_PARAM]),
      );
      expect(ssmRequests.every((r) => r.body.WithDecryption === true)).toBe(true);
    });
  });
});
