import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Dispatcher, Job } from './jobs.ts';
import type { Logger } from './log.ts';

/**
 * Runs jobs in this process after the current listener has returned (so after Slack's ack), the
 * `npm start` equivalent of an asynchronous Lambda invoke. Bolt for JS has no lazy listeners.
 */
export class LocalDispatcher implements Dispatcher {
  private runner: ((job: Job) => Promise<void>) | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  /** Connects the worker; set once the worker's dependencies (which include this dispatcher) exist. */
  attach(runner: (job: Job) => Promise<void>): void {
    this.runner = runner;
  }

  async dispatch(job: Job): Promise<void> {
    const runner = this.runner;
    if (!runner) throw new Error('LocalDispatcher has no worker attached');
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => runner(job))
      .catch((err: unknown) => this.log.error('job failed', { job: job.type, error: err }))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Resolves when every job dispatched so far (and any they dispatched) has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}

/** Hands jobs to the worker function with an asynchronous (Event) invoke. */
export class LambdaDispatcher implements Dispatcher {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async dispatch(job: Job): Promise<void> {
    await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(job)),
      }),
    );
  }
}
