import { describe, expect, it } from 'vitest';
import {
  checkBackupRef,
  checkTableName,
  lex,
  shown,
  splitArgs,
  tokenize,
} from '../../src/commands/tokenize.ts';
import { commandErrorOf } from '../helpers/commands.ts';

const USAGE = '/x usage';
const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/Music/backup/01489602797149-73d8d5bc';

describe('tokenize', () => {
  it('splits on any whitespace', () => {
    expect(tokenize('  a\tb \n c\u00a0d ')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('returns nothing for blank text', () => {
    expect(tokenize('   ')).toEqual([]);
  });

  it('keeps double- and single-quoted words together', () => {
    expect(tokenize(`--reason "disk is full" 'x y'`)).toEqual(['--reason', 'disk is full', 'x y']);
  });

  it('treats curly quotes like straight quotes', () => {
    expect(tokenize('--reason “it’s on fire” ‘a b’')).toEqual(['--reason', "it's on fire", 'a b']);
  });

  it('keeps apostrophes inside words literal', () => {
    expect(tokenize(`can't won’t`)).toEqual(["can't", "won't"]);
  });

  it('keeps quotes inside a quoted word when not followed by a space', () => {
    expect(tokenize(`"say "hi"there" x`)).toEqual(['say "hi"there', 'x']);
  });

  it('opens a quote right after = in --flag="value"', () => {
    expect(tokenize('--reason="two words" --env=prod')).toEqual(['--reason=two words', '--env=prod']);
  });

  it('unescapes the HTML entities Slack sends', () => {
    expect(tokenize('a&amp;b &lt;x&gt; &amp;lt;')).toEqual(['a&b', '<x>', '&lt;']);
  });

  it('gives an empty word for empty quotes', () => {
    expect(tokenize('a "" b')).toEqual(['a', '', 'b']);
  });

  it('turns an autocorrected em or en dash at the start of a word back into --', () => {
    expect(tokenize('—env prod –type USER')).toEqual(['--env', 'prod', '--type', 'USER']);
  });

  it('leaves a dash inside a quoted word alone', () => {
    expect(tokenize('"—env"')).toEqual(['—env']);
  });

  it('rejects an unterminated quote and names it', () => {
    const error = commandErrorOf(() => tokenize('--reason "disk full', USAGE));
    expect(error.part).toBe('"disk full');
    expect(error.message).toContain('"disk full');
    expect(error.usage).toBe(USAGE);
  });

  it('rejects an unterminated curly quote', () => {
    expect(commandErrorOf(() => tokenize('--reason “disk full')).part).toBe('"disk full');
  });
});

describe('lex', () => {
  it('marks quoted words', () => {
    expect(lex(`a "--b"`, USAGE)).toEqual([
      { text: 'a', quoted: false },
      { text: '--b', quoted: true },
    ]);
  });
});

describe('splitArgs', () => {
  const known = ['--env', '--reason', '--limit'];
  const split = (text: string) => splitArgs(lex(text, USAGE), known, USAGE);

  it('separates flags from positionals', () => {
    const { flags, positionals } = split('a --env prod b --reason=why');
    expect(positionals).toEqual(['a', 'b']);
    expect(Object.fromEntries(flags)).toEqual({ '--env': 'prod', '--reason': 'why' });
  });

  it('keeps = signs after the first in an inline value', () => {
    expect(split('--reason=a=b').flags.get('--reason')).toBe('a=b');
  });

  it('takes a quoted word starting with -- as a value, not a flag', () => {
    expect(split('--reason "--force was wrong"').flags.get('--reason')).toBe('--force was wrong');
  });

  it('takes a negative number as a value', () => {
    expect(split('--limit -5').flags.get('--limit')).toBe('-5');
  });

  it('rejects an unknown flag and suggests the closest one', () => {
    const error = commandErrorOf(() => split('--enviroment prod'));
    expect(error.part).toBe('--enviroment');
    expect(error.message).toBe('Unknown option --enviroment. Did you mean --env?');
    expect(error.usage).toBe(USAGE);
  });

  it('suggests the flag for a single-dash or upper-case spelling', () => {
    expect(commandErrorOf(() => split('-env prod')).message).toContain('Did you mean --env?');
    expect(commandErrorOf(() => split('--ENV prod')).message).toContain('Did you mean --env?');
  });

  it('lists the options when nothing is close', () => {
    const error = commandErrorOf(() => split('--profile default'));
    expect(error.message).toBe('Unknown option --profile. Options: --env, --reason, --limit.');
  });

  it('names the flag of --flag=value when unknown', () => {
    expect(commandErrorOf(() => split('--colour=red')).part).toBe('--colour');
  });

  it('rejects a flag without a value at the end', () => {
    const error = commandErrorOf(() => split('a --env'));
    expect(error.part).toBe('--env');
    expect(error.message).toBe('--env needs a value.');
  });

  it('rejects a flag followed by another flag', () => {
    expect(commandErrorOf(() => split('--env --limit 5')).part).toBe('--env');
  });

  it('rejects an empty inline value', () => {
    expect(commandErrorOf(() => split('--env=')).message).toBe('--env needs a value.');
  });

  it('rejects a repeated flag', () => {
    const error = commandErrorOf(() => split('--env a --env=b'));
    expect(error.part).toBe('--env');
    expect(error.message).toContain('more than once');
  });
});

describe('shown', () => {
  it('cuts tokens longer than 400 characters', () => {
    expect(shown('x'.repeat(1000))).toBe(`${'x'.repeat(399)}…`);
    expect(shown('x'.repeat(400))).toBe('x'.repeat(400));
    expect(shown('short')).toBe('short');
  });
});

describe('checkTableName', () => {
  it('accepts 3 to 255 letters, digits, _ . -', () => {
    expect(checkTableName('My_table.v2-x', 'Table', USAGE)).toBe('My_table.v2-x');
    expect(checkTableName('a'.repeat(255), 'Table', USAGE)).toHaveLength(255);
  });

  it.each(['ab', 'a'.repeat(256), 'my table', 'tablé', 'a/b'])('rejects %j', (name) => {
    const error = commandErrorOf(() => checkTableName(name, 'Table', USAGE));
    expect(error.message).toContain(error.part);
    expect(error.message).toContain('3-255');
  });
});

describe('checkBackupRef', () => {
  it('accepts a DynamoDB backup ARN, including other partitions', () => {
    expect(checkBackupRef(ARN, USAGE)).toBe(ARN);
    const gov = 'arn:aws-us-gov:dynamodb:us-gov-west-1:123456789012:table/T_1/backup/01489602797149-73d8d5bc';
    expect(checkBackupRef(gov, USAGE)).toBe(gov);
  });

  it('accepts a backup name', () => {
    expect(checkBackupRef('nightly-2026.11.01', USAGE)).toBe('nightly-2026.11.01');
  });

  it.each([
    'arn:aws:dynamodb:us-east-1:123456789012:table/Music',
    'arn:aws:dynamodb:us-east-1:12345:table/Music/backup/01489602797149-73d8d5bc',
    'arn:aws:dynamodb:useast1:123456789012:table/Music/backup/01489602797149-73d8d5bc',
    'arn:aws:dynamodb:us-east-1:123456789012:table/Music/backup/1489602797149-73d8d5bc',
    'arn:aws:dynamodb:us-east-1:123456789012:table/Music/backup/01489602797149-XYZ',
  ])('rejects the malformed ARN %s', (arn) => {
    const error = commandErrorOf(() => checkBackupRef(arn, USAGE));
    expect(error.part).toBe(arn);
    expect(error.message).toContain('is not a DynamoDB backup ARN');
  });

  it('accepts an AWS Backup recovery point ARN, also where only an ARN is allowed', () => {
    const arn = 'arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45';
    expect(checkBackupRef(arn, USAGE)).toBe(arn);
    expect(checkBackupRef(arn, USAGE, true)).toBe(arn);
  });

  it('rejects an AWS Backup ARN of something else than a recovery point', () => {
    const arn = 'arn:aws:backup:us-east-1:123456789012:recovery-point:';
    const error = commandErrorOf(() => checkBackupRef(arn, USAGE));
    expect(error.part).toBe(arn);
    expect(error.message).toContain('is not an AWS Backup recovery point ARN');
  });

  it('rejects a name where only an ARN is allowed', () => {
    expect(commandErrorOf(() => checkBackupRef('nightly', USAGE, true)).message).toContain(
      'is not a backup ARN',
    );
  });

  it('rejects a name with bad characters', () => {
    expect(commandErrorOf(() => checkBackupRef('my backup!', USAGE)).part).toBe('my backup!');
  });
});
