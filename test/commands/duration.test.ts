import { describe, expect, it } from 'vitest';
import { parseSince } from '../../src/commands/duration.ts';
import { commandErrorOf } from '../helpers/commands.ts';

const NOW = new Date('2026-11-10T12:00:00.000Z');
const USAGE = '/x usage';

const sinceError = (value: string) => commandErrorOf(() => parseSince(value, NOW, USAGE), value);

describe('parseSince', () => {
  it.each([
    ['30m', '2026-11-10T11:30:00.000Z'],
    ['24h', '2026-11-09T12:00:00.000Z'],
    ['7d', '2026-11-03T12:00:00.000Z'],
    ['2w', '2026-10-27T12:00:00.000Z'],
    ['7D', '2026-11-03T12:00:00.000Z'],
  ])('reads the duration %s back from now', (value, expected) => {
    expect(parseSince(value, NOW, USAGE).toISOString()).toBe(expected);
  });

  it('reads a plain date as UTC midnight', () => {
    expect(parseSince('2026-11-01', NOW, USAGE).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('accepts today', () => {
    expect(parseSince('2026-11-10', NOW, USAGE).toISOString()).toBe('2026-11-10T00:00:00.000Z');
  });

  it('reads a datetime with an offset', () => {
    expect(parseSince('2026-11-01T10:00:00+02:00', NOW, USAGE).toISOString()).toBe(
      '2026-11-01T08:00:00.000Z',
    );
  });

  it('reads a datetime without an offset as UTC', () => {
    expect(parseSince('2026-11-01T10:00', NOW, USAGE).toISOString()).toBe('2026-11-01T10:00:00.000Z');
  });

  it.each(['0d', '0m', '000h'])('rejects the zero duration %s', (value) => {
    const error = sinceError(value);
    expect(error.part).toBe(value);
    expect(error.message).toContain('is zero');
  });

  it.each(['7', 'd', '7y', '1.5d', '-7d', '7 d', 'seven days', '7dd'])(
    'rejects the bad duration %j',
    (value) => {
      const error = sinceError(value);
      expect(error.message).toContain(error.part);
      expect(error.message).toContain('is not a duration');
      expect(error.usage).toBe(USAGE);
    },
  );

  it.each(['2026-02-30', '2026-13-01', '2026-11-1', '01/11/2026', '2026-11-01T25:00Z', '2026-11-01 10:00'])(
    'rejects the bad date %j',
    (value) => {
      expect(sinceError(value).part).toBe(value);
    },
  );

  it.each(['2026-11-11', '2026-11-10T12:00:01Z', '2099-01-01'])('rejects the future date %s', (value) => {
    expect(sinceError(value).message).toBe(`--since ${value} is in the future.`);
  });

  it('rejects a duration reaching past the representable dates', () => {
    expect(sinceError('99999999999999999999d').message).toContain('out of range');
  });

  it('names the flag it was given', () => {
    expect(() => parseSince('x', NOW, USAGE, '--after')).toThrow('--after x');
  });
});
