import * as z from 'zod';

/** Where the answer to a command goes: its response_url, or an ephemeral message (modal submissions). */
export const ReplyToSchema = z.union([
  z.object({ responseUrl: z.url() }),
  z.object({ channelId: z.string().min(1), userId: z.string().min(1) }),
]);
export type ReplyTo = z.infer<typeof ReplyToSchema>;

const Actor = { userId: z.string().min(1), channelId: z.string().min(1), replyTo: ReplyToSchema };

const OverridesSchema = z
  .object({
    billingMode: z.enum(['PAY_PER_REQUEST', 'PROVISIONED']).optional(),
    provisionedThroughput: z
      .object({
        readCapacityUnits: z.number().int().positive(),
        writeCapacityUnits: z.number().int().positive(),
      })
      .optional(),
    sse: z
      .object({
        enabled: z.boolean(),
        sseType: z.enum(['KMS', 'AES256']).optional(),
        kmsMasterKeyId: z.string().optional(),
      })
      .optional(),
    dropIndexes: z.union([z.literal('ALL'), z.array(z.string())]).optional(),
  })
  .strict();

/**
 * Work handed from a Slack listener to the worker, so the listener can acknowledge within
 * Slack's 3 seconds. On Lambda a job is the payload of an asynchronous invoke of the worker
 * function; locally it runs in the same process after the acknowledgement.
 */
export const JobSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('backups.list'),
    ...Actor,
    env: z.string().optional(),
    table: z.string().optional(),
    backupType: z.enum(['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL']),
    since: z.iso.datetime().optional(),
    limit: z.number().int().positive(),
    offset: z.number().int().min(0).default(0),
  }),
  z.object({
    type: z.literal('backups.describe'),
    ...Actor,
    env: z.string().optional(),
    backup: z.string().min(1),
  }),
  z.object({
    type: z.literal('restore.request'),
    ...Actor,
    /** Chosen by the listener, so a retried job cannot create a second request. */
    requestId: z.string().min(1),
    backup: z.string().min(1),
    targetTable: z.string().min(1),
    env: z.string().optional(),
    reason: z.string().optional(),
    overrides: OverridesSchema,
  }),
  z.object({ type: z.literal('request.notify'), requestId: z.string().min(1) }),
  z.object({ type: z.literal('request.execute'), requestId: z.string().min(1) }),
]);
export type Job = z.infer<typeof JobSchema>;
export type JobOf<T extends Job['type']> = Extract<Job, { type: T }>;

/** Hands a job to the worker. */
export interface Dispatcher {
  dispatch(job: Job): Promise<void>;
}
