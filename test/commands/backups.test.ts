import { describe, expect, it } from 'vitest';
import { backupsHelpMessage } from '../../src/blocks/help.ts';
import { parseBackupsCommand } from '../../src/commands/backups.ts';
import { BACKUPS_DESCRIBE_USAGE, BACKUPS_USAGE } from '../../src/commands/types.ts';
import { commandErrorOf } from '../helpers/commands.ts';

const NOW = new Date('2026-11-10T12:00:00.000Z');
const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/Music/backup/01489602797149-73d8d5bc';

const parse = (text: string) => parseBackupsCommand(text, NOW);

const errorOf = (text: string) => commandErrorOf(() => parse(text), text);

describe('parseBackupsCommand: list', () => {
  it('lists everything with the defaults when given nothing', () => {
    expect(parse('')).toEqual({ kind: 'list', type: 'ALL', limit: 20 });
  });

  it('reads a table and every flag', () => {
    expect(parse('Music --env prod --type USER --since 7d --limit 5')).toEqual({
      kind: 'list',
      table: 'Music',
      env: 'prod',
      type: 'USER',
      since: new Date('2026-11-03T12:00:00.000Z'),
      limit: 5,
    });
  });

  it('accepts --flag=value and flags before the table', () => {
    expect(parse('--type=system --limit=40 Music')).toEqual({
      kind: 'list',
      table: 'Music',
      type: 'SYSTEM',
      limit: 40,
    });
  });

  it.each([
    ['user', 'USER'],
    ['Aws_Backup', 'AWS_BACKUP'],
    ['all', 'ALL'],
  ])('reads --type %s case-insensitively', (value, type) => {
    expect(parse(`--type ${value}`)).toMatchObject({ type });
  });

  it('reads --since as a date', () => {
    expect(parse('--since 2026-11-01')).toMatchObject({ since: new Date('2026-11-01T00:00:00Z') });
  });

  it('accepts a quoted table name', () => {
    expect(parse('"Music"')).toMatchObject({ table: 'Music' });
  });

  it('rejects an unknown --type and names it', () => {
    const error = errorOf('--type BOTH');
    expect(error.part).toBe('BOTH');
    expect(error.message).toBe('--type BOTH is not one of USER, SYSTEM, AWS_BACKUP, ALL.');
    expect(error.usage).toBe(BACKUPS_USAGE);
  });

  it.each(['0', '41', '101', '-1', '5.5', '1e2', 'ten', '+5', '0100'])('rejects --limit %s', (value) => {
    const error = errorOf(`--limit ${value}`);
    expect(error.part).toBe(value);
    expect(error.message).toContain('from 1 to 40');
  });

  it('regression: --limit 100 is refused with the bound the help states, not quietly capped at 40', () => {
    const error = errorOf('--limit 100');
    expect(error.message).toBe(
      '--limit 100 must be a whole number from 1 to 40; Next shows the following page.',
    );
    const help = JSON.stringify(backupsHelpMessage());
    expect(help).toContain('at most 40');
  });

  it.each(['1', '40', '007'])('accepts --limit %s', (value) => {
    expect(parse(`--limit ${value}`)).toMatchObject({ limit: Number(value) });
  });

  it('rejects a bad duration', () => {
    expect(errorOf('--since 7y').part).toBe('7y');
  });

  it('rejects a zero duration', () => {
    expect(errorOf('--since 0h').message).toContain('is zero');
  });

  it('rejects an impossible date', () => {
    expect(errorOf('--since 2026-02-30').part).toBe('2026-02-30');
  });

  it('rejects a future date', () => {
    expect(errorOf('--since 2026-12-01').message).toBe('--since 2026-12-01 is in the future.');
  });

  it('rejects a second table', () => {
    const error = errorOf('Music Movies');
    expect(error.part).toBe('Movies');
    expect(error.message).toContain('one table at a time');
  });

  it('rejects an invalid table name', () => {
    const error = errorOf('ab');
    expect(error.part).toBe('ab');
    expect(error.message).toContain('not a valid DynamoDB name');
  });

  it('rejects an invalid environment', () => {
    expect(errorOf('--env pr/od').part).toBe('pr/od');
  });

  it('rejects an unknown flag with a suggestion', () => {
    const error = errorOf('Music --limt 5');
    expect(error.part).toBe('--limt');
    expect(error.message).toContain('Did you mean --limit?');
    expect(error.usage).toBe(BACKUPS_USAGE);
  });

  it('rejects a restore flag', () => {
    expect(errorOf('--reason x').part).toBe('--reason');
  });
});

describe('parseBackupsCommand: describe', () => {
  it('reads a backup ARN', () => {
    expect(parse(`describe ${ARN}`)).toEqual({ kind: 'describe', backup: ARN });
  });

  it('reads a backup name and --env, keyword in any case', () => {
    expect(parse('DESCRIBE nightly --env=staging')).toEqual({
      kind: 'describe',
      backup: 'nightly',
      env: 'staging',
    });
  });

  it('rejects a missing backup', () => {
    const error = errorOf('describe');
    expect(error.part).toBe('BACKUP');
    expect(error.message).toContain('Missing BACKUP');
    expect(error.usage).toBe(BACKUPS_DESCRIBE_USAGE);
  });

  it('rejects list flags', () => {
    const error = errorOf('describe nightly --limit 5');
    expect(error.part).toBe('--limit');
    expect(error.message).toBe('--limit does not apply to /backups describe.');
  });

  it('rejects an extra argument', () => {
    expect(errorOf('describe a b').part).toBe('b');
  });

  it('describes an AWS Backup recovery point by its ARN', () => {
    const arn = 'arn:aws:backup:eu-west-1:123456789012:recovery-point:abc-123';
    expect(parse(`describe ${arn}`)).toEqual({ kind: 'describe', backup: arn });
  });
});

describe('parseBackupsCommand: help', () => {
  it('reads help in any case', () => {
    expect(parse('help')).toEqual({ kind: 'help' });
    expect(parse(' HELP ')).toEqual({ kind: 'help' });
  });

  it('rejects arguments after help', () => {
    expect(errorOf('help me').part).toBe('me');
    expect(errorOf('help --env prod').part).toBe('--env');
  });
});

describe('parseBackupsCommand: quoting', () => {
  it('rejects an unterminated quote with the usage line', () => {
    const error = errorOf('"Music');
    expect(error.part).toBe('"Music');
    expect(error.usage).toBe(BACKUPS_USAGE);
  });
});
