import { en } from 'zod/locales';
// zod/mini, as in src/config.ts: the slack function's bundle carries only the checks it uses.
import * as z from 'zod/mini';

// zod/mini loads no locale of its own; without one every problem would read "Invalid input".
z.config(en());

/** Where the answer to a command goes: its response_url, or an ephemeral message (modal submissions). */
export const ReplyToSchema = z.union([
  z.object({ responseUrl: z.url() }),
  z.object({ channelId: z.string().check(z.minLength(1)), userId: z.string().check(z.minLength(1)) }),
]);
export type ReplyTo = z.infer<typeof ReplyToSchema>;

const NonEmpty = () => z.string().check(z.minLength(1));
const Actor = { userId: NonEmpty(), channelId: NonEmpty(), replyTo: ReplyToSchema };

const OverridesSchema = z.strictObject({
  billingMode: z.optional(z.enum(['PAY_PER_REQUEST', 'PROVISIONED'])),
  provisionedThroughput: z.optional(
    z.object({
      readCapacityUnits: z.number().check(z.int(), z.positive()),
      writeCapacityUnits: z.number().check(z.int(), z.positive()),
    }),
  ),
  sse: z.optional(
    z.object({
      enabled: z.boolean(),
      sseType: z.optional(z.enum(['KMS', 'AES256'])),
      kmsMasterKeyId: z.optional(z.string()),
    }),
  ),
  dropIndexes: z.optional(z.union([z.literal('ALL'), z.array(z.string())])),
});

/** What to restore from, as the requester gave it (resolved by the worker's pre-flight). */
const SourceRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('backup'), backup: NonEmpty() }),
  z.strictObject({ kind: z.literal('recovery-point'), recoveryPointArn: NonEmpty() }),
  z.strictObject({
    kind: z.literal('pitr'),
    table: NonEmpty(),
    region: z.optional(NonEmpty()),
    point: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('time'), at: z.iso.datetime() }),
      z.strictObject({ kind: z.literal('latest') }),
    ]),
  }),
]);

/**
 * Work handed from a Slack listener to the worker, so the listener can acknowledge within
 * Slack's 3 seconds. On Lambda a job is the payload of an asynchronous invoke of the worker
 * function; locally it runs in the same process after the acknowledgement.
 */
export const JobSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('backups.list'),
    ...Actor,
    env: z.optional(z.string()),
    table: z.optional(z.string()),
    backupType: z.enum(['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL']),
    since: z.optional(z.iso.datetime()),
    limit: z.number().check(z.int(), z.positive()),
    offset: z._default(z.number().check(z.int(), z.minimum(0)), 0),
  }),
  z.object({
    type: z.literal('backups.describe'),
    ...Actor,
    env: z.optional(z.string()),
    backup: NonEmpty(),
  }),
  z.object({
    type: z.literal('restore.request'),
    ...Actor,
    /** Chosen by the listener, so a retried job cannot create a second request. */
    requestId: NonEmpty(),
    source: SourceRefSchema,
    targetTable: NonEmpty(),
    env: z.optional(z.string()),
    reason: z.optional(z.string()),
    overrides: OverridesSchema,
    /** How the command was read (a time without a zone read as UTC), for the answer. */
    notes: z.optional(z.array(z.string())),
    /** --copy-settings */
    copySettings: z.optional(z.boolean()),
  }),
  z.object({ type: z.literal('request.notify'), requestId: NonEmpty() }),
  z.object({ type: z.literal('request.execute'), requestId: NonEmpty() }),
  /** `/restore settings REQUEST_ID`: the diff in full, read now. */
  z.object({ type: z.literal('settings.show'), ...Actor, requestId: NonEmpty() }),
  /** A claimed Copy settings run (button or --copy-settings) of `userId` ('bot' for the latter). */
  z.object({ type: z.literal('settings.copy'), requestId: NonEmpty(), userId: NonEmpty() }),
]);
export type Job = z.infer<typeof JobSchema>;
export type JobOf<T extends Job['type']> = Extract<Job, { type: T }>;

/** Hands a job to the worker. */
export interface Dispatcher {
  dispatch(job: Job): Promise<void>;
}
