/**
 * AWS and Slack calls one scheduled watcher run makes for one restore in progress. The restore is
 * driven to RESTORING by the real code through the Lambda entry points of src/handler.ts (signed
 * /restore, the worker jobs, an approval click), against the fake AWS (target account) with the
 * state table in dynalite behind the fake's DynamoDB pass-through, as test/helpers/lambda.ts sets up.
 */
import { CHANNEL, messageText, REQUESTER } from '../test/helpers/bot.ts';
import { startLambdaBot } from '../test/helpers/lambda.ts';
import { BenchCheckError } from './latency.ts';

/** What one watcher run cost. */
export interface WatcherRun {
  /** Calls to the target account (STS and DynamoDB control plane), by operation. */
  targetAccount: Record<string, number>;
  /** Calls to the bot's own state table (relayed to dynalite), by operation. */
  stateTable: Record<string, number>;
  /** Slack Web API calls, by method. */
  slack: Record<string, number>;
  /** Asynchronous invokes of the worker. */
  workerInvokes: number;
  /** The table status the run saw, from the request as stored afterwards. */
  status: string | undefined;
  tableStatus: string | undefined;
}

export interface WatcherResults {
  /** First run in a new watcher container (its role session cache is empty). */
  cold: WatcherRun;
  /** The next run in the same container (the role session is reused). */
  warm: WatcherRun;
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** Drives one restore to RESTORING, then runs the watcher twice while the table is CREATING. */
export async function measureWatcherCalls(): Promise<WatcherResults> {
  // The restored table stays CREATING for far more DescribeTable calls than the bench makes.
  const bot = await startLambdaBot({ creatingPolls: 1000 });
  try {
    bot.fake.addBackup({
      tableName: 'MusicCollection',
      name: 'MusicCollectionBackup',
      createdAt: new Date(Date.now() - 3600_000),
      itemCount: 1200,
      sizeBytes: 2_000_000,
    });
    const req = await bot.command('/restore', 'MusicCollectionBackup MusicCollectionRestored', REQUESTER);
    const id = /R-[0-9A-Z]{6}/.exec(req.ack.text ?? '')?.[0];
    if (!id) throw new BenchCheckError(`/restore was not accepted: ${JSON.stringify(req.ack)}`);
    await bot.drain();
    const approval = bot.slack.messages(CHANNEL).find((m) => !m.thread_ts && messageText(m).includes(id));
    if (!approval) throw new BenchCheckError(`no approval message was posted for ${id}`);
    await bot.click('request_approve', id, 'U0APPROVER', approval.ts);
    await bot.drain();
    const restoring = await bot.store.get(id);
    if (restoring?.status !== 'RESTORING' || bot.fake.restoreCalls.length !== 1) {
      throw new BenchCheckError(`${id} is ${restoring?.status} after approval, not RESTORING`);
    }

    const run = async (): Promise<WatcherRun> => {
      const aws = bot.fake.calls.length;
      const slack = bot.slack.calls.length;
      const invokes = bot.invokes.length;
      await bot.watcher();
      const calls = bot.fake.calls.slice(aws);
      const after = await bot.store.get(id);
      return {
        targetAccount: countBy(
          calls.filter((c) => !c.forwarded),
          (c) => c.operation,
        ),
        stateTable: countBy(
          calls.filter((c) => c.forwarded),
          (c) => c.operation,
        ),
        slack: countBy(bot.slack.calls.slice(slack), (c) => c.method),
        workerInvokes: bot.invokes.length - invokes,
        status: after?.status,
        tableStatus: after?.restore?.tableStatus,
      };
    };
    // A new container: the watcher function never shares one with the worker that started the restore.
    bot.coldStart();
    const cold = await run();
    const warm = await run();
    for (const r of [cold, warm]) {
      if (r.status !== 'RESTORING' || r.tableStatus !== 'CREATING') {
        throw new BenchCheckError(`the watcher saw ${r.status}/${r.tableStatus}, not RESTORING/CREATING`);
      }
    }
    return { cold, warm };
  } finally {
    await bot.close();
  }
}
