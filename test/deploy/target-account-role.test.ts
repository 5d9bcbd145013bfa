import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, type Scalar, type Tags, type YAMLMap, type YAMLSeq } from 'yaml';
import { RESTORE_ITEM_ACTIONS, RESTORE_KMS_ACTIONS, sessionScopeOf } from '../../src/aws/session-policy.ts';
import {
  ALARM_LIST_ACTIONS,
  SCALING_ACTIONS,
  SCALING_ALARM_ACTIONS,
  SETTINGS_READ_ACTIONS,
  SETTINGS_WRITE_ACTIONS,
  settingsStatements,
} from '../../src/settings/session.ts';
import { backupSource, sampleRequest } from '../blocks/samples.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** CloudFormation's short-form intrinsics (!Ref, !Sub, ...) read back as their long form. */
function cloudFormationTags(): Tags {
  const longName = (name: string) => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);
  const names = [
    'Ref',
    'Condition',
    'Sub',
    'GetAtt',
    'If',
    'Equals',
    'Not',
    'And',
    'Or',
    'Select',
    'Split',
    'Join',
  ];
  names.push('FindInMap', 'Base64', 'GetAZs', 'ImportValue', 'Cidr', 'Length', 'ToJsonString');
  return names.flatMap((name) => [
    {
      tag: `!${name}`,
      resolve: (value: string) =>
        name === 'GetAtt' ? { 'Fn::GetAtt': value.split('.') } : { [longName(name)]: value },
    },
    {
      tag: `!${name}`,
      collection: 'seq' as const,
      resolve: (seq: YAMLSeq.Parsed | Scalar.Parsed | YAMLMap.Parsed) => ({ [longName(name)]: seq.toJSON() }),
    },
    {
      tag: `!${name}`,
      collection: 'map' as const,
      resolve: (map: YAMLSeq.Parsed | Scalar.Parsed | YAMLMap.Parsed) => ({ [longName(name)]: map.toJSON() }),
    },
  ]);
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Json;
  Action: string | string[];
  Resource?: Json;
  Condition?: Record<string, Record<string, Json>>;
}
interface RoleTemplate {
  Parameters: Record<string, { Type: string; Default?: string; NoEcho?: boolean }>;
  Conditions: Record<string, Json>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Outputs: Record<string, { Value: Json }>;
}

const template = parse(readFileSync(join(ROOT, 'deploy/target-account-role.yml'), 'utf8'), {
  customTags: cloudFormationTags(),
}) as RoleTemplate;

const role = Object.values(template.Resources).find((r) => r.Type === 'AWS::IAM::Role')!;
const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
const permissions = (role.Properties.Policies as { PolicyDocument: { Statement: Json[] } }[]).flatMap(
  (p) => p.PolicyDocument.Statement,
);

/** Permission statements, with a `!If [Cond, Statement, AWS::NoValue]` counted as its statement. */
function permissionStatements(): Statement[] {
  return permissions.map((s) => {
    if (s && typeof s === 'object' && !Array.isArray(s) && 'Fn::If' in s) {
      return (s['Fn::If'] as Json[])[1] as unknown as Statement;
    }
    return s as unknown as Statement;
  });
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => asList(s.Action));

describe('deploy/target-account-role.yml', () => {
  it('parses as a CloudFormation template with one role and a RoleArn output', () => {
    const roles = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Role');

    expect(roles).toHaveLength(1);
    expect(role.Properties.RoleName).toEqual({ Ref: 'RoleName' });
    expect(template.Parameters.RoleName?.Default).toBe('dynamodb-restore-bot');
    expect(role.Properties.MaxSessionDuration).toBe(3600);
    expect(template.Outputs.RoleArn?.Value).toEqual({ 'Fn::GetAtt': ['RestoreBotRole', 'Arn'] });
  });

  it('requires an ExternalId that is never echoed and has no default', () => {
    const externalId = template.Parameters.ExternalId;

    expect(externalId?.NoEcho).toBe(true);
    expect(externalId?.Default).toBeUndefined();
  });

  it('lets the bot roles assume the role only with the ExternalId', () => {
    const assume = trust.filter((s) => asList(s.Action).includes('sts:AssumeRole'));

    expect(assume).toHaveLength(1);
    expect(assume[0]?.Condition?.StringEquals?.['sts:ExternalId']).toEqual({ Ref: 'ExternalId' });
    expect(assume[0]?.Condition?.ArnEquals?.['aws:PrincipalArn']).toEqual({ Ref: 'BotRoleArns' });
  });

  it('regression 8.7: requires a SourceIdentity on AssumeRole and allows no session tags', () => {
    const assume = trust.find((s) => asList(s.Action).includes('sts:AssumeRole'));
    const setIdentity = trust.find((s) => asList(s.Action).includes('sts:SetSourceIdentity'));

    expect(assume?.Condition?.Null).toEqual({ 'sts:SourceIdentity': 'false' });
    expect(setIdentity?.Condition?.StringLike?.['sts:SourceIdentity']).toEqual(['U*', 'W*']);
    expect(actionsOf(trust)).not.toContain('sts:TagSession');
    for (const statement of trust) {
      expect(statement.Condition?.ArnEquals?.['aws:PrincipalArn']).toEqual({ Ref: 'BotRoleArns' });
    }
  });

  it('grants listing, describing and restoring, and the item actions a restore performs', () => {
    const actions = actionsOf(permissionStatements());

    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:ListBackups',
        'dynamodb:DescribeBackup',
        'dynamodb:DescribeTable',
        'dynamodb:RestoreTableFromBackup',
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Scan',
        'dynamodb:UpdateItem',
      ]),
    );
  });

  it('grants point-in-time recovery: DescribeContinuousBackups on source tables, RestoreTableToPointInTime on source and target tables', () => {
    const statements = permissionStatements();
    const read = statements.find((s) => asList(s.Action).includes('dynamodb:DescribeContinuousBackups'));
    const restore = statements.find((s) => asList(s.Action).includes('dynamodb:RestoreTableToPointInTime'));
    const restoreFromBackup = statements.find((s) =>
      asList(s.Action).includes('dynamodb:RestoreTableFromBackup'),
    );

    expect(asList(read?.Action ?? [])).toEqual(['dynamodb:DescribeContinuousBackups']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
    expect(JSON.stringify(read?.Resource)).toContain('table/${TableNamePrefix}*');
    expect(JSON.stringify(read?.Resource)).not.toContain('backup');
    expect(asList(restore?.Action ?? [])).toEqual(['dynamodb:RestoreTableToPointInTime']);
    // The source side on the source tables (not their backups); the target side only on the tables
    // RestorableTableNames names, like a restore from a backup (regression 8.1).
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
    expect(JSON.stringify(restore?.Resource)).toContain('table/${TableNamePrefix}*');
    expect(JSON.stringify(restore?.Resource)).not.toContain('backup');
    const roleFor = deployed({
      BotRoleArns: 'arn:aws:iam::999999999999:role/bot-worker',
      ExternalId: 'ext-id',
      TableNamePrefix: 'Orders',
      RestorableTableNames: '*-restored',
    });
    expect(
      tablesAllowing(roleFor, 'dynamodb:RestoreTableToPointInTime', ['Orders', 'Orders-restored', 'Users']),
    ).toEqual(['Orders', 'Orders-restored']);
    expect(restoreFromBackup).toBeDefined();
  });

  it('has no wildcard action and no "*" resource except where AWS accepts nothing else', () => {
    const statements = permissionStatements();
    const wildcardActions = actionsOf(statements).filter((a) => a === '*' || a.endsWith(':*'));
    const starResources = statements.filter((s) => asList(s.Resource as Json).includes('*'));

    expect(wildcardActions).toEqual([]);
    expect(actionsOf(starResources).sort()).toEqual([
      'application-autoscaling:DescribeScalableTargets',
      'application-autoscaling:DescribeScalingPolicies',
      'application-autoscaling:PutScalingPolicy',
      'application-autoscaling:RegisterScalableTarget',
      // AWS Backup's list and job reads have no resource type in IAM.
      'backup:DescribeRestoreJob',
      'backup:ListBackupVaults',
      'backup:ListRecoveryPointsByResource',
      'cloudwatch:DescribeAlarms',
      'dynamodb:ListBackups',
    ]);
    // Application Auto Scaling has no table-name resources: its "*" is held to DynamoDB capacity.
    const scaling = starResources.find((s) =>
      asList(s.Action).includes('application-autoscaling:RegisterScalableTarget'),
    );
    expect(scaling?.Condition?.StringEquals?.['application-autoscaling:service-namespace']).toBe('dynamodb');
    expect(actionsOf(statements)).not.toContain('dynamodb:CreateBackup');
    expect(actionsOf(statements)).not.toContain('dynamodb:DeleteTable');
  });

  it("lets KMS be used only through DynamoDB, with the restore session's actions", () => {
    const kms = permissionStatements().find((s) => asList(s.Action).includes('kms:CreateGrant'));

    expect(kms?.Condition?.StringLike?.['kms:ViaService']).toBe('dynamodb.*.amazonaws.com');
    expect(asList(kms?.Action ?? []).sort()).toEqual([...RESTORE_KMS_ACTIONS].sort());
    expect(template.Conditions.HasKmsKeys).toBeDefined();
  });

  it('grants AWS Backup only with AwsBackupRoleArn: recovery points of this account, and passing that one role to AWS Backup', () => {
    const backup = permissions.filter(
      (s) => s !== null && typeof s === 'object' && !Array.isArray(s) && 'Fn::If' in s,
    ) as { 'Fn::If': [string, Statement, Json] }[];
    const gated = backup.filter((s) => s['Fn::If'][0] === 'HasAwsBackupRole').map((s) => s['Fn::If'][1]);
    const restore = gated.find((s) => asList(s.Action).includes('backup:StartRestoreJob'));
    const pass = gated.find((s) => asList(s.Action).includes('iam:PassRole'));

    expect(template.Parameters.AwsBackupRoleArn?.Default).toBe('');
    expect(template.Conditions.HasAwsBackupRole).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AwsBackupRoleArn' }, ''] }],
    });
    // Every backup: and iam: action of the role is behind the condition.
    const ungated = permissionStatements().filter((s) => !gated.includes(s));
    expect(actionsOf(ungated).filter((a) => a.startsWith('backup:') || a.startsWith('iam:'))).toEqual([]);
    expect(asList(restore!.Action).sort()).toEqual([
      'backup:DescribeRecoveryPoint',
      'backup:GetRecoveryPointRestoreMetadata',
      'backup:StartRestoreJob',
    ]);
    expect(restore!.Resource).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
      'Fn::Sub': 'arn:${AWS::Partition}:backup:${TableRegion}:${AWS::AccountId}:recovery-point:*',
    });
    expect(pass!.Resource).toEqual({ Ref: 'AwsBackupRoleArn' });
    expect(pass!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } });
  });

  it('grants exactly the settings actions the settings session uses, and writes only on the new tables', () => {
    const statements = permissionStatements();
    const granted = new Set(actionsOf(statements));
    const used = [
      ...SETTINGS_READ_ACTIONS,
      ...SETTINGS_WRITE_ACTIONS,
      ...SCALING_ACTIONS,
      ...SCALING_ALARM_ACTIONS,
      ...ALARM_LIST_ACTIONS,
    ];
    for (const action of used) expect(granted.has(action), action).toBe(true);

    const copy = statements.find((s) => s.Sid === 'CopySettingsToNewTables');
    expect(asList(copy?.Action ?? []).sort()).toEqual([...SETTINGS_WRITE_ACTIONS].sort());
    const copyResources = JSON.stringify(copy?.Resource);
    // Only the tables RestorableTableNames names (regression 8.1), never the source tables.
    expect(copyResources).toContain('"Ref":"RestorableTableNames"');
    expect(copyResources).not.toContain('TableNamePrefix');
    expect(copyResources).not.toContain('AnySourceTable');
    // No other statement grants a settings write: the source tables can only be read.
    const writers = statements.filter((s) =>
      asList(s.Action).some((a) => (SETTINGS_WRITE_ACTIONS as readonly string[]).includes(a)),
    );
    expect(writers.map((s) => s.Sid)).toEqual(['CopySettingsToNewTables']);
    const alarms = statements.find((s) => asList(s.Action).includes('cloudwatch:PutMetricAlarm'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
    expect(JSON.stringify(alarms?.Resource)).toContain('alarm:TargetTracking-table/${Name}');
    expect(JSON.stringify(alarms?.Resource)).toContain('"Ref":"RestorableTableNames"');
  });

  it('lets the settings session policy write only the new table and read the source', () => {
    const req = sampleRequest({
      targetTable: 'orders-restored',
      source: backupSource({ tableName: 'orders' }),
    });
    const scope = sessionScopeOf({
      accountId: req.accountId,
      region: req.region,
      roleArn: `arn:aws:iam::${req.accountId}:role/dynamodb-restore-bot`,
    });
    const policy: { Statement: Statement[] } = { Statement: settingsStatements(req, scope) };
    const source = `arn:aws:dynamodb:${req.region}:${req.accountId}:table/orders`;
    const target = `arn:aws:dynamodb:${req.region}:${req.accountId}:table/orders-restored`;
    for (const s of policy.Statement) {
      const writes = asList(s.Action).filter((a) =>
        (SETTINGS_WRITE_ACTIONS as readonly string[]).includes(a),
      );
      if (writes.length > 0) expect(s.Resource).toEqual([target, `${target}/index/*`]);
    }
    const reads = policy.Statement.find((s) => s.Sid === 'ReadSettingsOfSourceAndNewTable');
    expect(reads?.Resource).toEqual(expect.arrayContaining([source, target]));
    expect(
      asList(reads?.Action ?? []).every((a) => !(SETTINGS_WRITE_ACTIONS as readonly string[]).includes(a)),
    ).toBe(true);
  });
});

/**
 * The role's permission statements as CloudFormation would deploy them for some parameter values:
 * Ref, Sub, Select, Split, Join, If, Equals, Not, Or, And and Condition evaluated, AWS::NoValue dropped.
 */
function deployed(parameters: Record<string, string>): Statement[] {
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': '111122223333' };
  const ref = (name: string): Json => {
    if (name in pseudo) return pseudo[name] as string;
    const param = template.Parameters[name];
    const value = parameters[name] ?? param?.Default;
    if (value === undefined) throw new Error(`no value for parameter ${name}`);
    return param?.Type === 'CommaDelimitedList' ? value.split(',') : value;
  };
  const NO_VALUE = Symbol('NoValue');
  const conditions = new Map<string, boolean>();
  const condition = (name: string): boolean => {
    if (!conditions.has(name)) conditions.set(name, Boolean(evaluate(template.Conditions[name] as Json)));
    return conditions.get(name) as boolean;
  };
  function evaluate(node: Json): Json {
    if (Array.isArray(node)) {
      return node.map(evaluate).filter((v) => v !== (NO_VALUE as unknown as Json));
    }
    if (node === null || typeof node !== 'object') return node;
    const [key, arg] = Object.entries(node)[0] ?? [];
    const args = arg as Json[];
    switch (key) {
      case 'Ref':
        return arg === 'AWS::NoValue' ? (NO_VALUE as unknown as Json) : ref(arg as string);
      case 'Condition':
        return condition(arg as string);
      case 'Fn::If':
        return evaluate(condition(args[0] as string) ? (args[1] as Json) : (args[2] as Json));
      case 'Fn::Equals':
        return evaluate(args[0] as Json) === evaluate(args[1] as Json);
      case 'Fn::Not':
        return !evaluate(args[0] as Json);
      case 'Fn::Or':
        return args.some((a) => evaluate(a));
      case 'Fn::And':
        return args.every((a) => evaluate(a));
      case 'Fn::Select':
        return (evaluate(args[1] as Json) as Json[])[Number(evaluate(args[0] as Json))] as Json;
      case 'Fn::Split':
        return String(evaluate(args[1] as Json)).split(args[0] as string);
      case 'Fn::Join':
        return (evaluate(args[1] as Json) as Json[]).join(args[0] as string);
      case 'Fn::Sub': {
        const [text, vars] = typeof arg === 'string' ? [arg, {}] : (args as [string, Record<string, Json>]);
        return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
          const local = (vars as Record<string, Json>)[name];
          return String(local !== undefined ? evaluate(local) : ref(name));
        });
      }
      default:
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, evaluate(v)]));
    }
  }
  return (evaluate(permissions as Json) as unknown as Statement[]).filter(Boolean);
}

/** IAM's ARN matching: * any run of characters, ? one character. */
function arnMatches(pattern: string, arn: string): boolean {
  const body = [...pattern].map((c) =>
    c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'),
  );
  return new RegExp(`^${body.join('')}$`).test(arn);
}

const ITEM_ACTIONS = [...RESTORE_ITEM_ACTIONS];
const tableArn = (name: string) => `arn:aws:dynamodb:us-east-1:111122223333:table/${name}`;

/** The tables (of a list of names) on which the deployed role allows `action`. */
function tablesAllowing(statements: Statement[], action: string, names: string[]): string[] {
  const resources = statements
    .filter((s) => asList(s.Action).includes(action))
    .flatMap((s) => asList(s.Resource as Json) as string[]);
  return names.filter((name) => resources.some((r) => arnMatches(r, tableArn(name))));
}

describe('regression 8.1: item actions only on the tables named by RestorableTableNames', () => {
  const base = { BotRoleArns: 'arn:aws:iam::999999999999:role/bot-worker', ExternalId: 'ext-id' };
  const LIVE = ['Orders', 'OrdersArchive', 'Users', 'Orders-restored-not', 'Music'];

  it('has no default for RestorableTableNames and refuses a bare "*"', () => {
    const param = template.Parameters.RestorableTableNames as { Default?: string; AllowedPattern?: string };
    const allowed = new RegExp(param.AllowedPattern ?? '');

    expect(param.Default).toBeUndefined();
    expect(allowed.test('*')).toBe(false);
    expect(allowed.test('*-restored')).toBe(true);
  });

  it('never covers a live table, even when the source prefix names it', () => {
    for (const prefix of ['*', 'Orders']) {
      const statements = deployed({ ...base, TableNamePrefix: prefix, RestorableTableNames: '*-restored' });
      for (const action of ITEM_ACTIONS) {
        expect(tablesAllowing(statements, action, LIVE), `${action} with prefix ${prefix}`).toEqual([]);
        expect(tablesAllowing(statements, action, ['Orders-restored', 'Users-0930-restored'])).toHaveLength(
          2,
        );
      }
    }
  });

  it('covers exactly the listed names and globs, up to four', () => {
    const names = 'restored-*,MusicCollection,Tmp?,Scratch-*';
    const statements = deployed({ ...base, RestorableTableNames: names });
    const candidates = [
      'restored-Orders',
      'MusicCollection',
      'TmpA',
      'Scratch-1',
      'Orders',
      'MusicCollection2',
      'Tmp',
    ];

    for (const action of [...ITEM_ACTIONS, 'dynamodb:RestoreTableFromBackup', 'dynamodb:DescribeTable']) {
      expect(tablesAllowing(statements, action, candidates)).toEqual(
        expect.arrayContaining(['restored-Orders', 'MusicCollection', 'TmpA', 'Scratch-1']),
      );
    }
    for (const action of ITEM_ACTIONS) {
      expect(tablesAllowing(statements, action, candidates)).toHaveLength(4);
    }
  });

  it('builds every item-action resource from RestorableTableNames only', () => {
    const itemStatements = permissionStatements().filter((s) =>
      asList(s.Action).some((a) => ITEM_ACTIONS.includes(a as never)),
    );
    const text = JSON.stringify(itemStatements.map((s) => s.Resource));

    expect(itemStatements).toHaveLength(1);
    expect(
      asList(itemStatements[0]?.Action ?? [])
        .filter((a) => ITEM_ACTIONS.includes(a as never))
        .sort(),
    ).toEqual(ITEM_ACTIONS);
    expect(text).toContain('"Ref":"RestorableTableNames"');
    expect(text).not.toContain('TableNamePrefix');
    expect(text).not.toContain('table/*');
  });
});
