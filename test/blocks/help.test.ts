import { describe, expect, it } from 'vitest';
import { backupsHelpMessage, restoreHelpMessage } from '../../src/blocks/help.ts';
import {
  BACKUPS_DESCRIBE_USAGE,
  BACKUPS_USAGE,
  RESTORE_CLI_USAGE,
  RESTORE_USAGE,
} from '../../src/commands/types.ts';
import { assertWithinSlackLimits } from './limits.ts';
import { allText, long } from './samples.ts';

describe('backupsHelpMessage', () => {
  it('shows the grammar, every option and examples', () => {
    const msg = backupsHelpMessage();

    const text = allText(msg.blocks);
    expect(text).toContain(BACKUPS_USAGE);
    expect(text).toContain(BACKUPS_DESCRIBE_USAGE);
    for (const flag of ['--env', '--type', '--since', '--limit', 'describe BACKUP'])
      expect(text).toContain(flag);
    expect(text).toContain('`/backups Orders --since 24h`');
    assertWithinSlackLimits(msg);
  });
});

describe('restoreHelpMessage', () => {
  it('shows both spellings, overrides, status and cancel, and the approval rule', () => {
    const msg = restoreHelpMessage(['prod', 'staging']);

    const text = allText(msg.blocks);
    expect(text).toContain(RESTORE_USAGE);
    expect(text).toContain(RESTORE_CLI_USAGE);
    for (const part of [
      '--billing-mode-override PAY_PER_REQUEST|PROVISIONED',
      '--provisioned-throughput-override ReadCapacityUnits=N,WriteCapacityUnits=N',
      '--sse-specification-override',
      '--drop-indexes',
      '/restore status [REQUEST_ID]',
      '/restore cancel REQUEST_ID',
      'never the requester',
      '`prod`, `staging`',
    ]) {
      expect(text).toContain(part);
    }
    assertWithinSlackLimits(msg);
  });

  it('says when no environment is configured', () => {
    expect(allText(restoreHelpMessage([]).blocks)).toContain('none that you can use in this channel');
  });

  it('stays within Slack limits for many long environment names', () => {
    assertWithinSlackLimits(restoreHelpMessage(Array.from({ length: 500 }, (_, i) => `${long(60)}${i}`)));
  });
});
