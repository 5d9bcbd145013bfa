import { afterAll, afterEach, beforeAll } from 'vitest';
import { type FakeAws, type FakeAwsOptions, startFakeAws } from '../../src/sandbox/fake-aws.ts';
import { type SlackApiStand, startSlackApi } from '../../src/sandbox/slack-api.ts';
import { type Bot, type BotOptions, startBot } from './bot.ts';

/**
 * One fake AWS and one Slack stand-in for a whole test file, and a bot per test on them: `startBot`
 * starts one (several when a test restarts it), and every bot a test started is closed after it.
 * Registers the vitest hooks; `seed` fills the fake once, before the first test.
 */
export function botsOnSharedStandIns(fakeOptions: FakeAwsOptions = {}, seed?: (fake: FakeAws) => void) {
  const bots: Bot[] = [];
  const shared = {
    fake: undefined as unknown as FakeAws,
    slack: undefined as unknown as SlackApiStand,
    async startBot(options: Omit<BotOptions, 'fake' | 'slack'> = {}): Promise<Bot> {
      const bot = await startBot({ ...options, fake: shared.fake, slack: shared.slack });
      bots.push(bot);
      return bot;
    },
  };
  beforeAll(async () => {
    shared.fake = await startFakeAws(fakeOptions);
    shared.slack = await startSlackApi();
    seed?.(shared.fake);
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.close();
  });
  afterAll(async () => {
    await shared.fake.close();
    await shared.slack.close();
  });
  return shared;
}
