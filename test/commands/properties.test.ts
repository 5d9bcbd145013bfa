import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBackupsCommand } from '../../src/commands/backups.ts';
import { parseRestoreCommand } from '../../src/commands/restore.ts';
import { tokenize } from '../../src/commands/tokenize.ts';
import { CommandError } from '../../src/commands/types.ts';

const NOW = new Date('2026-11-10T12:00:00.000Z');

const flagName = fc.constantFrom(
  '--env',
  '--type',
  '--since',
  '--limit',
  '--reason',
  '--backup-arn',
  '--recovery-point-arn',
  '--target-table-name',
  '--billing-mode-override',
  '--provisioned-throughput-override',
  '--sse-specification-override',
  '--drop-indexes',
);

const fragment = fc.oneof(
  flagName,
  fc.constantFrom(
    '--',
    '-',
    '=',
    ',',
    '"',
    "'",
    '“',
    '”',
    '‘',
    '’',
    '—',
    '&amp;',
    '&lt;',
    'describe',
    'status',
    'cancel',
    'help',
    'ALL',
    'PROVISIONED',
    'PAY_PER_REQUEST',
    'ReadCapacityUnits=5',
    'WriteCapacityUnits=',
    'Enabled=true',
    'SSEType=KMS',
    'KMSMasterKeyId=',
    'R-7K3QX9',
    '7d',
    '0h',
    '2026-11-01',
    '2026-02-30',
    'arn:aws:dynamodb:us-east-1:123456789012:table/Music/backup/01489602797149-73d8d5bc',
    'arn:aws:backup:us-east-1:123456789012:recovery-point:x',
    'arn:',
    'Music',
    ' ',
    '\t',
    '\u00a0',
  ),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

/** `Key=value,...` with each of `keys` present or not, in the given order. */
const shorthandOf = (keys: readonly string[], values: readonly string[]) =>
  fc
    .subarray([...keys], { minLength: 1 })
    .chain((present) =>
      fc.tuple(...present.map((key) => fc.constantFrom(...values).map((v) => `${key}=${v}`))),
    )
    .map((items) => items.join(','));

// Near-valid restore requests, so every override check is reached, not only the first flag's.
const overrideText = fc
  .record(
    {
      '--billing-mode-override': fc.constantFrom('PROVISIONED', 'pay_per_request', 'ON_DEMAND'),
      '--provisioned-throughput-override': shorthandOf(
        ['ReadCapacityUnits', 'WriteCapacityUnits', 'Read'],
        ['5', '0', '-1', '1.5', ''],
      ),
      '--sse-specification-override': shorthandOf(
        ['Enabled', 'SSEType', 'KMSMasterKeyId'],
        ['true', 'FALSE', 'KMS', 'aes256', 'alias/k', '', 'a*b'],
      ),
      '--drop-indexes': fc.constantFrom('all', 'ByArtist,ByAlbum', 'x', 'a,,b', ','),
    },
    { requiredKeys: [] },
  )
  .map((flags) =>
    ['nightly NewTable', ...Object.entries(flags).map(([flag, value]) => `${flag} ${value}`)].join(' '),
  );

// Well-formed heads with flag/value pairs, so the flag checks of every subcommand are reached.
const flagPairs = fc
  .tuple(
    fc.constantFrom('', 'nightly NewTable', 'Music', 'describe nightly', 'status', 'cancel R-7K3QX9'),
    fc.array(
      fc.tuple(flagName, fc.constantFrom(' ', '='), fc.array(fragment, { minLength: 1, maxLength: 3 })),
      { maxLength: 3 },
    ),
  )
  .map(([head, pairs]) =>
    [head, ...pairs.map(([flag, sep, values]) => `${flag}${sep}${values.join(',')}`)].join(' '),
  );

const commandText = fc.oneof(
  overrideText,
  flagPairs,
  fc.array(fragment, { maxLength: 14 }).map((parts) => parts.join(' ')),
  fc.array(fragment, { maxLength: 14 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

/** Runs `parse` and checks that any error is a well-formed CommandError. */
function assertOnlyCommandErrors(parse: () => unknown): void {
  try {
    parse();
  } catch (e) {
    expect(e).toBeInstanceOf(CommandError);
    const error = e as CommandError;
    expect(error.part.length).toBeGreaterThan(0);
    expect(error.message).toContain(error.part);
    expect(error.usage.startsWith('/')).toBe(true);
  }
}

// Slack sends `& < >` escaped; the round trips send what Slack would.
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const tableName = fc.string({
  unit: fc.constantFrom(...'abcXYZ019_.-'.split('')),
  minLength: 3,
  maxLength: 255,
});
// An unquoted word starting with '-' reads as a flag, so unquoted names in the round trips avoid it.
// Not a flag, and not a /restore keyword (a backup named "pitr" must be given by ARN).
const safeTableName = tableName.filter(
  (name) => !name.startsWith('-') && !['help', 'status', 'cancel', 'pitr'].includes(name.toLowerCase()),
);

const reason = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 200 })
  // Curly single quotes come back straightened, and a double quote would end the quoted reason.
  .map((s) => s.replace(/["“”‘’]/g, '').trim())
  .filter((s) => s.length > 0 && [...s].length <= 500);

describe('parsers on arbitrary text', () => {
  it('parseBackupsCommand throws nothing but well-formed CommandErrors', () => {
    fc.assert(
      fc.property(commandText, (text) => assertOnlyCommandErrors(() => parseBackupsCommand(text, NOW))),
      { numRuns: 3000 },
    );
  });

  it('parseRestoreCommand throws nothing but well-formed CommandErrors', () => {
    fc.assert(
      fc.property(commandText, (text) => assertOnlyCommandErrors(() => parseRestoreCommand(text))),
      { numRuns: 3000 },
    );
  });

  it('tokenize throws nothing but CommandErrors', () => {
    fc.assert(
      fc.property(commandText, (text) => {
        try {
          tokenize(text, '/x');
        } catch (e) {
          expect(e).toBeInstanceOf(CommandError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('round trips', () => {
  it('/backups carries the table name exactly', () => {
    fc.assert(
      fc.property(safeTableName, (table) => {
        expect(parseBackupsCommand(`${table} --limit 3`, NOW)).toMatchObject({ kind: 'list', table });
      }),
    );
  });

  it('/restore carries the backup, target and reason exactly, in straight or curly quotes', () => {
    fc.assert(
      fc.property(
        safeTableName,
        tableName,
        reason,
        fc.constantFrom(['"', '"'], ['“', '”']),
        (backup, target, why, [open, close]) => {
          const text = `${backup} "${target}" --reason ${open}${slackEscape(why)}${close}`;
          const command = parseRestoreCommand(text);
          expect(command).toEqual({
            kind: 'request',
            source: { kind: 'backup', backup },
            targetTable: target,
            reason: why,
            overrides: {},
          });
        },
      ),
    );
  });

  it('/restore carries the target in the AWS CLI spelling with =', () => {
    fc.assert(
      fc.property(tableName, (target) => {
        const arn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/T-1/backup/01489602797149-73d8d5bc';
        expect(parseRestoreCommand(`--backup-arn=${arn} --target-table-name="${target}"`)).toMatchObject({
          source: { kind: 'backup', backup: arn },
          targetTable: target,
        });
      }),
    );
  });
});
