import type { types } from '@slack/bolt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BLOCKS, truncate, truncateMrkdwn } from '../../src/blocks/limits.ts';
import type { SlackMessage } from '../../src/blocks/types.ts';
import { slackLimitProblems } from './limits.ts';

describe('truncate', () => {
  it('leaves text that fits alone', () => {
    expect(truncate('Orders', 6)).toBe('Orders');
  });

  it('cuts to exactly the limit and ends with an ellipsis', () => {
    const out = truncate('Orders-restored', 8);
    expect(out).toBe('Orders-…');
    expect(out).toHaveLength(8);
  });

  it('never splits an emoji into half a surrogate pair', () => {
    const out = truncate('ab😀cd', 4);
    expect(out).toBe('ab…');
  });

  it('handles limits of zero and one', () => {
    expect(truncate('Orders', 0)).toBe('');
    expect(truncate('Orders', 1)).toBe('…');
  });

  it('never exceeds the limit for any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.integer({ min: 0, max: 200 }),
        (s, max) => {
          const out = truncate(s, max);
          expect(out.length).toBeLessThanOrEqual(Math.max(max, 0));
          if (s.length <= max) expect(out).toBe(s);
          else if (max > 0) expect(out.endsWith('…')).toBe(true);
        },
      ),
    );
  });
});

describe('truncateMrkdwn', () => {
  it('does not cut a mention in half', () => {
    const out = truncateMrkdwn(`Approved by <@U0APPROVER> ${'x'.repeat(50)}`, 20);
    expect(out).toBe('Approved by …');
  });

  it('does not cut an escaped character in half', () => {
    const out = truncateMrkdwn(`Reason: a &amp; b ${'x'.repeat(50)}`, 17);
    expect(out).toBe('Reason: a …');
  });

  it('closes a code span it cut open', () => {
    const out = truncateMrkdwn(`ARN \`${'a'.repeat(100)}\``, 30);
    expect(out.length).toBeLessThanOrEqual(30);
    expect(out.endsWith('…`')).toBe(true);
  });

  it('closes a code block it cut open', () => {
    const out = truncateMrkdwn(`\`\`\`\n${'usage '.repeat(100)}\n\`\`\``, 60);
    expect(out.length).toBeLessThanOrEqual(60);
    expect(out.endsWith('…\n```')).toBe(true);
  });

  it('never exceeds the limit for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 1, max: 300 }), (s, max) => {
        expect(truncateMrkdwn(s, max).length).toBeLessThanOrEqual(max);
      }),
    );
  });
});

describe('slackLimitProblems', () => {
  const ok: SlackMessage = {
    text: 'hello',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
  };

  it('accepts a small valid message', () => {
    expect(slackLimitProblems(ok)).toEqual([]);
  });

  it('reports too many blocks', () => {
    const blocks: types.KnownBlock[] = Array.from({ length: MAX_MESSAGE_BLOCKS + 1 }, () => ({
      type: 'divider',
    }));
    expect(slackLimitProblems({ text: 't', blocks })).toContain('51 blocks > 50');
  });

  it('reports long section text, empty text and duplicate action IDs', () => {
    const button = (value: string): types.Button => ({
      type: 'button',
      text: { type: 'plain_text', text: 'Go' },
      action_id: 'same',
      value,
    });
    const problems = slackLimitProblems({
      text: '',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } },
        { type: 'actions', elements: [button('1'), button('x'.repeat(2001))] },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'blocks[0].text.text: 3001 > 3000 characters',
        'blocks[1].elements[1]: duplicate action_id same',
        'blocks[1].elements[1].value: 2001 > 2000 characters',
        'text: empty',
      ]),
    );
  });

  it('reports a long header and a broken surrogate pair', () => {
    const problems = slackLimitProblems({
      text: 't',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: `${'h'.repeat(150)}\uD83D` } }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'blocks[0].text.text: 151 > 150 characters',
        'blocks[0].text.text: contains a broken surrogate pair',
      ]),
    );
  });
});
