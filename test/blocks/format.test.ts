import { describe, expect, it } from 'vitest';
import {
  consoleTableUrl,
  durationBetween,
  escapeMrkdwn,
  formatBytes,
  formatCount,
  formatDuration,
  formatRelative,
  formatUtc,
  formatWhen,
  who,
} from '../../src/blocks/format.ts';

const NOW = new Date('2026-11-24T17:05:00Z');

describe('formatUtc', () => {
  it('shows an ISO time in UTC to the minute', () => {
    expect(formatUtc('2026-11-24T14:05:31.123Z')).toBe('2026-11-24 14:05 UTC');
  });

  it('converts a time with an offset to UTC', () => {
    expect(formatUtc('2026-11-24T16:05:00+02:00')).toBe('2026-11-24 14:05 UTC');
  });

  it('pads months, days, hours and minutes', () => {
    expect(formatUtc('2026-01-02T03:04:00Z')).toBe('2026-01-02 03:04 UTC');
  });

  it('returns an unparsable value unchanged and a missing one as unknown', () => {
    expect(formatUtc('yesterday')).toBe('yesterday');
    expect(formatUtc(undefined)).toBe('unknown time');
  });
});

describe('formatRelative', () => {
  it('says just now within a minute', () => {
    expect(formatRelative('2026-11-24T17:04:30Z', NOW)).toBe('just now');
  });

  it('counts minutes, hours and days in the past, rounding down', () => {
    expect(formatRelative('2026-11-24T16:53:00Z', NOW)).toBe('12m ago');
    expect(formatRelative('2026-11-24T14:05:00Z', NOW)).toBe('3h ago');
    expect(formatRelative('2026-11-24T13:06:00Z', NOW)).toBe('3h ago');
    expect(formatRelative('2026-11-22T17:05:00Z', NOW)).toBe('2d ago');
  });

  it('counts into the future', () => {
    expect(formatRelative('2026-11-24T17:30:00Z', NOW)).toBe('in 25m');
    expect(formatRelative('2026-12-01T17:05:00Z', NOW)).toBe('in 7d');
  });

  it('uses thousands separators for very old times', () => {
    expect(formatRelative('2020-01-01T00:00:00Z', NOW)).toBe('2,519d ago');
  });

  it('says the time is unknown when it cannot be parsed', () => {
    expect(formatRelative('soon', NOW)).toBe('at an unknown time');
  });
});

describe('formatWhen', () => {
  it('gives the UTC time and the relative time together', () => {
    expect(formatWhen('2026-11-24T14:05:00Z', NOW)).toBe('2026-11-24 14:05 UTC (3h ago)');
  });
});

describe('formatBytes', () => {
  it('shows small sizes in bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
  });

  it('uses decimal units with one decimal', () => {
    expect(formatBytes(1_234)).toBe('1.2 KB');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
    expect(formatBytes(43_000_000_000)).toBe('43.0 GB');
    expect(formatBytes(2.5e12)).toBe('2.5 TB');
  });

  it('moves up a unit instead of printing 1000.0', () => {
    expect(formatBytes(999_999)).toBe('1.0 MB');
  });

  it('says unknown for a missing or impossible size', () => {
    expect(formatBytes(undefined)).toBe('unknown');
    expect(formatBytes(-1)).toBe('unknown');
    expect(formatBytes(Number.NaN)).toBe('unknown');
  });
});

describe('formatCount', () => {
  it('adds thousands separators', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
  });

  it('says unknown for a missing count', () => {
    expect(formatCount(undefined)).toBe('unknown');
  });
});

describe('formatDuration', () => {
  it('shows seconds under a minute', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(0)).toBe('0s');
  });

  it('shows minutes and padded seconds under an hour', () => {
    expect(formatDuration(12 * 60_000 + 5_000)).toBe('12m 05s');
  });

  it('shows hours and padded minutes from an hour on', () => {
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 59_000)).toBe('2h 05m');
    expect(formatDuration(26 * 3_600_000)).toBe('26h 00m');
  });

  it('treats a negative duration as zero', () => {
    expect(formatDuration(-5_000)).toBe('0s');
  });
});

describe('durationBetween', () => {
  it('returns the milliseconds between two times', () => {
    expect(durationBetween('2026-11-24T14:00:00Z', '2026-11-24T16:05:00Z')).toBe(7_500_000);
  });

  it('returns undefined when a time is missing', () => {
    expect(durationBetween(undefined, '2026-11-24T16:05:00Z')).toBeUndefined();
  });
});

describe('consoleTableUrl', () => {
  it('links to the table in the DynamoDB console of its region', () => {
    expect(consoleTableUrl('eu-west-1', 'Orders-restored')).toBe(
      'https://eu-west-1.console.aws.amazon.com/dynamodbv2/home?region=eu-west-1#table?name=Orders-restored',
    );
  });

  it('encodes characters that would break a Slack link', () => {
    const url = consoleTableUrl('us-east-1', 'a|b>c');
    expect(url).not.toMatch(/[|>]/);
    expect(url.endsWith('name=a%7Cb%3Ec')).toBe(true);
  });
});

describe('escapeMrkdwn', () => {
  it('escapes the characters Slack uses for mentions and links', () => {
    expect(escapeMrkdwn('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });
});

describe('who', () => {
  it('mentions a Slack user and names the bot', () => {
    expect(who('U0APPROVER')).toBe('<@U0APPROVER>');
    expect(who('bot')).toBe('the bot');
    expect(who(undefined)).toBe('the bot');
  });

  it('escapes anything that is not a user ID', () => {
    expect(who('<!here>')).toBe('&lt;!here&gt;');
  });
});
