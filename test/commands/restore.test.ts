import { describe, expect, it } from 'vitest';
import { parseRestoreCommand } from '../../src/commands/restore.ts';
import { RESTORE_CLI_USAGE, RESTORE_USAGE } from '../../src/commands/types.ts';
import { commandErrorOf } from '../helpers/commands.ts';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/Music/backup/01489602797149-73d8d5bc';

const errorOf = (text: string) => commandErrorOf(() => parseRestoreCommand(text), text);

const overridesOf = (flags: string) => {
  const command = parseRestoreCommand(`nightly NewTable ${flags}`);
  if (command.kind !== 'request') throw new Error(`expected a request, got ${command.kind}`);
  return command.overrides;
};

describe('parseRestoreCommand: request', () => {
  it('reads the positional spelling', () => {
    expect(parseRestoreCommand('nightly Music-restored --env prod --reason "bad deploy at 10:02"')).toEqual({
      kind: 'request',
      source: { kind: 'backup', backup: 'nightly' },
      targetTable: 'Music-restored',
      env: 'prod',
      reason: 'bad deploy at 10:02',
      overrides: {},
    });
  });

  it('reads the AWS CLI spelling', () => {
    expect(parseRestoreCommand(`--backup-arn ${ARN} --target-table-name MusicRestored`)).toEqual({
      kind: 'request',
      source: { kind: 'backup', backup: ARN },
      targetTable: 'MusicRestored',
      overrides: {},
    });
  });

  it('reads the AWS CLI spelling with = and in any order', () => {
    expect(parseRestoreCommand(`--target-table-name=MusicRestored --backup-arn=${ARN}`)).toMatchObject({
      source: { kind: 'backup', backup: ARN },
      targetTable: 'MusicRestored',
    });
  });

  it('accepts a backup ARN as the positional backup', () => {
    expect(parseRestoreCommand(`${ARN} MusicRestored`)).toMatchObject({
      source: { kind: 'backup', backup: ARN },
    });
  });

  it('mixes --backup-arn with a positional target', () => {
    expect(parseRestoreCommand(`--backup-arn ${ARN} MusicRestored`)).toMatchObject({
      source: { kind: 'backup', backup: ARN },
      targetTable: 'MusicRestored',
    });
  });

  it('reads a reason in curly quotes with an apostrophe', () => {
    expect(parseRestoreCommand('nightly NewTable --reason “it’s the 3 o’clock incident”')).toMatchObject({
      reason: "it's the 3 o'clock incident",
    });
  });

  it('reads a reason in single quotes and in --reason="…"', () => {
    expect(parseRestoreCommand(`nightly NewTable --reason 'a "quoted" word'`)).toMatchObject({
      reason: 'a "quoted" word',
    });
    expect(parseRestoreCommand('nightly NewTable --reason="two words"')).toMatchObject({
      reason: 'two words',
    });
  });

  it('unescapes the HTML entities Slack sends in a reason', () => {
    expect(parseRestoreCommand('nightly NewTable --reason "R&amp;D &lt;3"')).toMatchObject({
      reason: 'R&D <3',
    });
  });

  it('trims the reason', () => {
    expect(parseRestoreCommand('nightly NewTable --reason "  why  "')).toMatchObject({ reason: 'why' });
  });

  it('accepts a reason of 500 characters and rejects 501', () => {
    expect(parseRestoreCommand(`nightly NewTable --reason "${'x'.repeat(500)}"`)).toMatchObject({
      reason: 'x'.repeat(500),
    });
    const error = errorOf(`nightly NewTable --reason "${'x'.repeat(501)}"`);
    expect(error.part).toBe('--reason');
    expect(error.message).toContain('501 characters');
  });

  it('rejects a blank reason', () => {
    expect(errorOf('nightly NewTable --reason "   "').message).toBe('--reason is empty.');
  });

  it('hints at quotes when an unquoted reason spills into arguments', () => {
    const error = errorOf('nightly NewTable --reason bad deploy');
    expect(error.part).toBe('deploy');
    expect(error.message).toContain('in quotes');
  });

  it('rejects a missing target and names it', () => {
    const error = errorOf('MyBackup');
    expect(error.part).toBe('TARGET_TABLE');
    expect(error.message).toContain('Missing TARGET_TABLE');
    expect(error.usage).toBe(RESTORE_USAGE);
  });

  it('rejects a missing target in the CLI spelling with its usage line', () => {
    const error = errorOf(`--backup-arn ${ARN}`);
    expect(error.part).toBe('TARGET_TABLE');
    expect(error.usage).toBe(RESTORE_CLI_USAGE);
  });

  it('rejects a missing backup', () => {
    const error = errorOf('--target-table-name NewTable');
    expect(error.part).toBe('BACKUP');
    expect(error.message).toContain('Missing BACKUP');
  });

  it('rejects flags alone without a backup', () => {
    expect(errorOf('--env prod').part).toBe('BACKUP');
  });

  it('rejects a backup name given to --backup-arn', () => {
    const error = errorOf('--backup-arn nightly --target-table-name NewTable');
    expect(error.part).toBe('nightly');
    expect(error.message).toContain('is not a backup ARN');
  });

  const POINT = 'arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45';

  it('reads an AWS Backup recovery point ARN where a backup goes', () => {
    expect(parseRestoreCommand(`${POINT} NewTable`)).toMatchObject({
      kind: 'request',
      source: { kind: 'recovery-point', recoveryPointArn: POINT },
      targetTable: 'NewTable',
    });
  });

  it('reads the AWS Backup CLI spelling --recovery-point-arn ARN --target-table-name NAME', () => {
    expect(
      parseRestoreCommand(`--recovery-point-arn ${POINT} --target-table-name NewTable --reason "bad deploy"`),
    ).toEqual({
      kind: 'request',
      source: { kind: 'recovery-point', recoveryPointArn: POINT },
      targetTable: 'NewTable',
      reason: 'bad deploy',
      overrides: {},
    });
  });

  it('refuses --backup-arn and --recovery-point-arn together', () => {
    const error = errorOf(`--backup-arn ${POINT} --recovery-point-arn ${POINT} --target-table-name NewTable`);
    expect(error.message).toBe('Give either --backup-arn or --recovery-point-arn, not both.');
    expect(error.usage).toBe('/restore --recovery-point-arn ARN --target-table-name NAME [...]');
  });

  it('refuses a name after --recovery-point-arn, with that usage line', () => {
    const error = errorOf('--recovery-point-arn nightly --target-table-name NewTable');
    expect(error.part).toBe('nightly');
    expect(error.usage).toBe('/restore --recovery-point-arn ARN --target-table-name NAME [...]');
  });

  it('rejects an AWS Backup ARN that is not a recovery point', () => {
    const vault = 'arn:aws:backup:us-east-1:123456789012:backup-vault:Default';
    const error = errorOf(`--recovery-point-arn ${vault} --target-table-name NewTable`);
    expect(error.part).toBe(vault);
    expect(error.message).toBe(
      `${vault} is not an AWS Backup recovery point ARN (arn:aws:backup:REGION:ACCOUNT:recovery-point:ID).`,
    );
  });

  it('rejects a malformed DynamoDB ARN', () => {
    const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/Music';
    expect(errorOf(`${arn} NewTable`).part).toBe(arn);
  });

  it('rejects an invalid target table name', () => {
    const error = errorOf('nightly "new table"');
    expect(error.part).toBe('new table');
    expect(error.message).toContain('Target table new table is not a valid DynamoDB name');
  });

  it('rejects an extra argument', () => {
    expect(errorOf('nightly NewTable extra').part).toBe('extra');
  });

  it('rejects a target given twice', () => {
    expect(errorOf('nightly NewTable --target-table-name Other').part).toBe('NewTable');
  });

  it('rejects an unknown flag and suggests the AWS CLI name', () => {
    const error = errorOf('nightly NewTable --billing-mode PAY_PER_REQUEST');
    expect(error.part).toBe('--billing-mode');
    expect(error.message).toContain('Did you mean --billing-mode-override?');
  });

  it('rejects a /backups flag', () => {
    expect(errorOf('nightly NewTable --limit 5').part).toBe('--limit');
  });
});

describe('parseRestoreCommand: overrides', () => {
  it('reads every override', () => {
    expect(
      overridesOf(
        '--billing-mode-override PROVISIONED ' +
          '--provisioned-throughput-override ReadCapacityUnits=5,WriteCapacityUnits=10 ' +
          '--sse-specification-override Enabled=true,SSEType=KMS,KMSMasterKeyId=arn:aws:kms:us-east-1:123456789012:key/abcd-12 ' +
          '--drop-indexes ByArtist,ByAlbum',
      ),
    ).toEqual({
      billingMode: 'PROVISIONED',
      provisionedThroughput: { readCapacityUnits: 5, writeCapacityUnits: 10 },
      sse: {
        enabled: true,
        sseType: 'KMS',
        kmsMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abcd-12',
      },
      dropIndexes: ['ByArtist', 'ByAlbum'],
    });
  });

  it('reads the billing mode case-insensitively', () => {
    expect(overridesOf('--billing-mode-override pay_per_request')).toEqual({
      billingMode: 'PAY_PER_REQUEST',
    });
  });

  it('rejects an unknown billing mode', () => {
    const error = errorOf('nightly NewTable --billing-mode-override ON_DEMAND');
    expect(error.part).toBe('ON_DEMAND');
    expect(error.message).toContain('is not PAY_PER_REQUEST or PROVISIONED');
  });

  it('requires throughput for PROVISIONED', () => {
    const error = errorOf('nightly NewTable --billing-mode-override PROVISIONED');
    expect(error.part).toBe('--provisioned-throughput-override');
    expect(error.message).toContain('PROVISIONED needs --provisioned-throughput-override');
  });

  it('forbids throughput with PAY_PER_REQUEST', () => {
    const error = errorOf(
      'nightly NewTable --billing-mode-override PAY_PER_REQUEST ' +
        '--provisioned-throughput-override ReadCapacityUnits=5,WriteCapacityUnits=5',
    );
    expect(error.message).toBe(
      '--provisioned-throughput-override cannot be used with --billing-mode-override PAY_PER_REQUEST.',
    );
  });

  it('accepts throughput without a billing mode', () => {
    expect(overridesOf('--provisioned-throughput-override readcapacityunits=1,WriteCapacityUnits=2')).toEqual(
      {
        provisionedThroughput: { readCapacityUnits: 1, writeCapacityUnits: 2 },
      },
    );
  });

  it('requires both capacity units', () => {
    const error = errorOf('nightly NewTable --provisioned-throughput-override ReadCapacityUnits=5');
    expect(error.part).toBe('WriteCapacityUnits');
    expect(error.message).toContain('is missing WriteCapacityUnits=N');
  });

  it.each(['0', '-1', '1.5', 'five', ''])('rejects the capacity %j', (units) => {
    const error = errorOf(
      `nightly NewTable --provisioned-throughput-override ReadCapacityUnits=${units},WriteCapacityUnits=5`,
    );
    expect(error.part).toBe(`ReadCapacityUnits=${units}`);
    expect(error.message).toContain('must be a positive whole number');
  });

  it('rejects an unknown throughput key', () => {
    const error = errorOf('nightly NewTable --provisioned-throughput-override Read=5,WriteCapacityUnits=5');
    expect(error.part).toBe('Read=5');
    expect(error.message).toContain('ReadCapacityUnits, WriteCapacityUnits');
  });

  it('rejects a repeated throughput key', () => {
    const error = errorOf(
      'nightly NewTable --provisioned-throughput-override ReadCapacityUnits=5,ReadCapacityUnits=6',
    );
    expect(error.part).toBe('ReadCapacityUnits');
    expect(error.message).toContain('more than once');
  });

  it('reads SSE disabled', () => {
    expect(overridesOf('--sse-specification-override Enabled=false')).toEqual({ sse: { enabled: false } });
  });

  it('reads SSE with AES256', () => {
    expect(overridesOf('--sse-specification-override Enabled=TRUE,SSEType=aes256')).toEqual({
      sse: { enabled: true, sseType: 'AES256' },
    });
  });

  it('requires Enabled in the SSE override', () => {
    const error = errorOf('nightly NewTable --sse-specification-override SSEType=KMS');
    expect(error.part).toBe('Enabled');
    expect(error.message).toContain('is missing Enabled=true or Enabled=false');
  });

  it('rejects a non-boolean Enabled', () => {
    expect(errorOf('nightly NewTable --sse-specification-override Enabled=yes').part).toBe('Enabled=yes');
  });

  it('rejects an unknown SSE type', () => {
    const error = errorOf('nightly NewTable --sse-specification-override Enabled=true,SSEType=DES');
    expect(error.part).toBe('SSEType=DES');
    expect(error.message).toContain('is not KMS or AES256');
  });

  it('rejects a KMS key with AES256', () => {
    const error = errorOf(
      'nightly NewTable --sse-specification-override Enabled=true,SSEType=AES256,KMSMasterKeyId=alias/k',
    );
    expect(error.part).toBe('KMSMasterKeyId');
    expect(error.message).toContain('only applies with SSEType=KMS');
  });

  it('rejects SSE settings with Enabled=false', () => {
    const error = errorOf('nightly NewTable --sse-specification-override Enabled=false,SSEType=KMS');
    expect(error.part).toBe('SSEType');
    expect(error.message).toContain('only applies with Enabled=true');
  });

  it('rejects a malformed KMS key ID', () => {
    const error = errorOf('nightly NewTable --sse-specification-override Enabled=true,KMSMasterKeyId=a*b');
    expect(error.part).toBe('KMSMasterKeyId=a*b');
  });

  it('reads --drop-indexes all as ALL', () => {
    expect(overridesOf('--drop-indexes All')).toEqual({ dropIndexes: 'ALL' });
  });

  it('reads one index and drops repeats', () => {
    expect(overridesOf('--drop-indexes=ByArtist,ByArtist')).toEqual({ dropIndexes: ['ByArtist'] });
  });

  it('rejects an invalid index name', () => {
    const error = errorOf('nightly NewTable --drop-indexes ByArtist,x');
    expect(error.part).toBe('x');
    expect(error.message).toContain('--drop-indexes index x');
  });

  it('rejects an empty index name', () => {
    expect(errorOf('nightly NewTable --drop-indexes ByArtist,').part).toBe('""');
  });
});

describe('parseRestoreCommand: status, cancel, help, modal', () => {
  it('opens the modal for empty text', () => {
    expect(parseRestoreCommand('')).toEqual({ kind: 'modal' });
    expect(parseRestoreCommand('  \t ')).toEqual({ kind: 'modal' });
  });

  it('reads status without an id', () => {
    expect(parseRestoreCommand('status')).toEqual({ kind: 'status' });
  });

  it('reads status with an id, upper-casing it', () => {
    expect(parseRestoreCommand('STATUS r-7k3qx9')).toEqual({ kind: 'status', requestId: 'R-7K3QX9' });
  });

  it('reads cancel with an id', () => {
    expect(parseRestoreCommand('Cancel R-7K3QX9')).toEqual({ kind: 'cancel', requestId: 'R-7K3QX9' });
  });

  it('rejects cancel without an id', () => {
    const error = errorOf('cancel');
    expect(error.part).toBe('REQUEST_ID');
    expect(error.message).toContain('Missing REQUEST_ID');
    expect(error.usage).toBe('/restore cancel REQUEST_ID');
  });

  it.each(['R-7K3QX', 'R-7K3QX9A', 'X-7K3QX9', 'R-7K3QXI', 'R-7K3QXU', 'R7K3QX9'])(
    'rejects the request id %s',
    (id) => {
      const error = errorOf(`cancel ${id}`);
      expect(error.part).toBe(id);
      expect(error.message).toContain('is not a request ID');
    },
  );

  it('rejects flags and extra words after status and cancel', () => {
    expect(errorOf('status --env prod').part).toBe('--env');
    expect(errorOf('status R-7K3QX9 R-7K3QX8').part).toBe('R-7K3QX8');
    expect(errorOf('cancel R-7K3QX9 now').part).toBe('now');
  });

  it('reads help in any case and rejects extras', () => {
    expect(parseRestoreCommand('Help')).toEqual({ kind: 'help' });
    expect(errorOf('help me').part).toBe('me');
  });
});
