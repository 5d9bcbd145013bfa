import { describe, expect, it } from 'vitest';
import { errorMessage, refusalMessage } from '../../src/blocks/errors.ts';
import { RESTORE_USAGE } from '../../src/commands/types.ts';
import { assertWithinSlackLimits } from './limits.ts';
import { allText, long } from './samples.ts';

describe('errorMessage', () => {
  it('shows the problem with a warning sign and the usage in a code block', () => {
    const msg = errorMessage(
      '`--billing-mode-override FAST` is not PAY_PER_REQUEST or PROVISIONED.',
      RESTORE_USAGE,
    );

    expect(msg.text).toBe(':warning: `--billing-mode-override FAST` is not PAY_PER_REQUEST or PROVISIONED.');
    expect(allText(msg.blocks)).toContain(`\`\`\`${RESTORE_USAGE}\`\`\``);
    assertWithinSlackLimits(msg);
  });

  it('has no code block without a usage line', () => {
    const msg = errorMessage('There is no restore request R-AAAAAA.');

    expect(msg.blocks).toHaveLength(1);
  });

  it('stays within Slack limits for very long text and usage', () => {
    assertWithinSlackLimits(errorMessage(long(10_000), long(10_000)));
  });
});

describe('refusalMessage', () => {
  it('says no and that nothing changed', () => {
    const msg = refusalMessage('You requested this restore, so someone else has to approve it.');

    expect(msg.text).toBe(':no_entry: You requested this restore, so someone else has to approve it.');
    expect(allText(msg.blocks)).toContain('Nothing was changed.');
    assertWithinSlackLimits(msg);
  });

  it('stays within Slack limits for very long text', () => {
    assertWithinSlackLimits(refusalMessage(long(10_000)));
  });
});
