import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mapLimited } from '../concurrency.ts';
import {
  type BackupInfo,
  type RequestStatus,
  type RestoreRequest,
  TERMINAL_STATUSES,
} from '../restore/types.ts';

/** GSI on `status` (sort `createdAt`): the watcher's list of requests in a given state. */
export const STATUS_INDEX = 'status-index';
/**
 * Sparse GSI on `outbox` (sort `createdAt`): requests with history that Slack has not been told
 * about yet. A failed Slack post leaves the request here so that the next watcher run posts it.
 */
export const OUTBOX_INDEX = 'outbox-index';
/** Ended requests are kept this long for `/restore status` and audit, then DynamoDB's TTL removes them. */
export const RETENTION_DAYS = 90;

/** Attributes that only the notifier writes; transitions never touch them. */
const NOTIFY_OWNED = new Set(['message', 'notifiedSeq', 'noticeSeqs', 'messagePosting', 'drawnVersion']);
/** People who opened the bot's Home tab are remembered this long, so their view is kept fresh. */
const HOME_VIEWER_DAYS = 30;
/** Home viewer lookups run at once. */
const VIEWER_READS = 8;
const KEY_ONLY = new Set(['id']);

interface StoredItem extends RestoreRequest {
  pk: string;
  outbox?: string;
  ttl?: number;
  notifyLease?: number;
  notifyToken?: string;
}

/** A notifier run's hold on a request: its ID, the run's token and the lease length. */
export interface NotifyLease {
  id: string;
  token: string;
  leaseMs: number;
}

/** Another notifier run took the lease over (this one ran past it): stop posting. */
export class NotifyLeaseLostError extends Error {
  override name = 'NotifyLeaseLostError';
  constructor(readonly requestId: string) {
    super(`The notify lease of ${requestId} was taken over by another run`);
  }
}

/** What a notifier run records as it posts (see recordNotified). */
interface NotifyProgress {
  notifiedSeq?: number;
  message?: RestoreRequest['message'];
  /** The approval message is about to be posted (see the notifier). */
  posting?: string;
  /** How far each further notice kind (DM, audit line, Home) has got. */
  noticeSeqs?: Record<string, number>;
  /** The request version the approval message now shows. */
  drawnVersion?: number;
}

/** The stored attribute of each progress field (all of them NOTIFY_OWNED). */
const PROGRESS_ATTRIBUTES: readonly (readonly [keyof NotifyProgress, string])[] = [
  ['notifiedSeq', 'notifiedSeq'],
  ['message', 'message'],
  ['noticeSeqs', 'noticeSeqs'],
  ['drawnVersion', 'drawnVersion'],
  ['posting', 'messagePosting'],
];

const keyOf = (id: string) => ({ pk: `REQ#${id}` });
/** One item per (environment, target table): which request holds the name. */
const reservationKey = (environment: string, targetTable: string) => ({
  pk: `TARGET#${environment}#${targetTable}`,
});
/** A tombstone keeps an abandoned request ID from being created later; TTL removes it. */
const TOMBSTONE_DAYS = 2;
const MAX_RESERVE_ROUNDS = 5;

/** Who holds a target table name: an open request, which a second request must not share. */
type Reservation = { ok: true } | { ok: false; holder: RestoreRequest };

/** Before restore sources existed, a request stored its backup at the top level. */
interface LegacyFields {
  backup?: BackupInfo;
}

function toRequest(item: Record<string, unknown> | undefined): RestoreRequest | undefined {
  if (!item || item.abandoned === true) return undefined;
  const {
    pk: _pk,
    outbox: _outbox,
    ttl: _ttl,
    notifyLease: _lease,
    notifyToken: _token,
    backup,
    ...request
  } = item as unknown as StoredItem & LegacyFields;
  // Requests stored by an earlier version (still open, or kept for /restore status and audit)
  // read as a backup source. Updates write only what changed, so such an item keeps `backup`
  // and is converted on every read.
  if (!request.source && backup) return { ...request, source: { kind: 'backup', backup } };
  return request;
}

/**
 * The state table: one item per restore request, written through DynamoDB's API (a real table in
 * AWS, dynalite for local runs and tests). Every transition is one conditional write on `version`,
 * so of two writers that read the same version exactly one succeeds.
 */
export class RequestStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  /** Stores a new request; false when a request with that ID already exists. */
  async create(request: RestoreRequest): Promise<boolean> {
    const created = await this.writeIf(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...request, ...keyOf(request.id), ...this.derived(request) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return created !== undefined;
  }

  /**
   * Every conditional write of the store goes through here: the write's output, or undefined when
   * its condition did not hold (another writer got there first). Other errors are thrown.
   */
  private async writeIf(
    command: PutCommand | UpdateCommand,
  ): Promise<{ Attributes?: Record<string, unknown> } | undefined> {
    try {
      return command instanceof PutCommand ? await this.doc.send(command) : await this.doc.send(command);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  async get(id: string): Promise<RestoreRequest | undefined> {
    return toRequest(await this.getItem(id));
  }

  /** The stored item of a request ID: a request, a tombstone, or undefined. */
  private async getItem(id: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(id), ConsistentRead: true }),
    );
    return out.Item;
  }

  /**
   * Writes `next` over `prev` if the stored version is still `prev.version`: one conditional write.
   * Returns false when someone else changed the request first; the caller re-reads and decides again.
   */
  async update(prev: RestoreRequest, next: RestoreRequest): Promise<boolean> {
    if (next.version !== prev.version + 1) {
      throw new Error(`update of ${prev.id} must raise version by one (${prev.version} -> ${next.version})`);
    }
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': prev.version };
    const sets: string[] = [];
    const removes: string[] = [];
    const nextItem: Record<string, unknown> = { ...next, ...this.derived(next) };
    const prevItem: Record<string, unknown> = { ...prev, ...this.derived(prev) };
    const keys = new Set([...Object.keys(prevItem), ...Object.keys(nextItem)]);
    let i = 0;
    for (const key of keys) {
      if (NOTIFY_OWNED.has(key) || KEY_ONLY.has(key)) continue;
      const before = prevItem[key];
      const after = nextItem[key];
      // A new event always puts the request (back) in the outbox: `prev` may have been read before a
      // notifier run drained it, and a diff against that stale read would leave the event unlisted.
      const newEvent = key === 'outbox' && next.events.length > prev.events.length;
      if (!newEvent && JSON.stringify(before) === JSON.stringify(after)) continue;
      const name = key === 'version' ? '#version' : `#a${i}`;
      names[name] = key;
      if (after === undefined) {
        removes.push(name);
      } else {
        values[`:v${i}`] = after;
        sets.push(`${name} = :v${i}`);
      }
      i += 1;
    }
    const expression = [
      sets.length > 0 ? `SET ${sets.join(', ')}` : '',
      removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const written = await this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(prev.id),
        UpdateExpression: expression,
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    if (!written) return false;
    if (TERMINAL_STATUSES.has(next.status) && !TERMINAL_STATUSES.has(prev.status)) {
      await this.releaseTarget(next);
    }
    return true;
  }

  /**
   * Reserves `targetTable` in `environment` for `requestId` with one conditional put, before the
   * request itself is stored. A reservation held by a request that has ended, or by a request ID
   * that was never stored (a crash between the two writes), is free: the missing request is first
   * made impossible with a tombstone, so it cannot appear later and share the name. Returns the
   * open request that holds the name otherwise.
   */
  async reserveTarget(environment: string, targetTable: string, requestId: string): Promise<Reservation> {
    const key = reservationKey(environment, targetTable);
    let expected: string | undefined;
    for (let round = 0; round < MAX_RESERVE_ROUNDS; round += 1) {
      const reserved = await this.writeIf(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, requestId, environment, targetTable },
          ConditionExpression:
            expected === undefined
              ? 'attribute_not_exists(requestId) OR requestId = :me'
              : 'attribute_not_exists(requestId) OR requestId = :me OR requestId = :old',
          ExpressionAttributeValues: {
            ':me': requestId,
            ...(expected === undefined ? {} : { ':old': expected }),
          },
        }),
      );
      if (reserved) return { ok: true };
      const holderId = await this.reservedBy(environment, targetTable);
      if (holderId === undefined || holderId === requestId) {
        expected = undefined;
        continue;
      }
      const holder = await this.getItem(holderId);
      if (holder === undefined && !(await this.abandon(holderId))) {
        // The holder was stored meanwhile: look again.
        expected = undefined;
        continue;
      }
      const request = toRequest(holder);
      if (request && !TERMINAL_STATUSES.has(request.status)) return { ok: false, holder: request };
      expected = holderId;
    }
    throw new Error(`Target ${environment}/${targetTable} is contended; try again`);
  }

  /** The open request holding a target name, if any (for messages; reserveTarget decides). */
  async targetHolder(environment: string, targetTable: string): Promise<RestoreRequest | undefined> {
    const holderId = await this.reservedBy(environment, targetTable);
    const holder = holderId ? await this.get(holderId) : undefined;
    return holder && !TERMINAL_STATUSES.has(holder.status) ? holder : undefined;
  }

  /** The request ID a target name's reservation names, if any. */
  private async reservedBy(environment: string, targetTable: string): Promise<string | undefined> {
    const held = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: reservationKey(environment, targetTable),
        ConsistentRead: true,
      }),
    );
    return held.Item?.requestId as string | undefined;
  }

  /**
   * Frees a request's target name; a reservation another request holds by now is left alone. An
   * update rather than a delete, so the functions need no DeleteItem; TTL removes the empty item.
   */
  private async releaseTarget(request: RestoreRequest): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reservationKey(request.environment, request.targetTable),
          UpdateExpression: 'REMOVE requestId SET #ttl = :ttl',
          ConditionExpression: 'requestId = :me',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':me': request.id,
            ':ttl': Math.floor(Date.parse(request.updatedAt) / 1000) + RETENTION_DAYS * 24 * 3600,
          },
        }),
      );
    } catch {
      // Already released or taken over, or the delete failed: a reservation whose holder has ended
      // is free for reserveTarget anyway, so the transition itself stands.
    }
  }

  /** Makes a never-stored request ID unusable; false when the request exists after all. */
  private async abandon(requestId: string): Promise<boolean> {
    const tombstone = await this.writeIf(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keyOf(requestId),
          abandoned: true,
          ttl: Math.floor(Date.now() / 1000) + TOMBSTONE_DAYS * 24 * 3600,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return tombstone !== undefined;
  }

  /** Every request in a status, oldest first. */
  async listByStatus(status: RequestStatus): Promise<RestoreRequest[]> {
    return this.queryIndex(STATUS_INDEX, '#s = :s', { '#s': 'status' }, { ':s': status });
  }

  /** The latest `limit` requests in a status, newest first (one page of the status index). */
  async listRecent(status: RequestStatus, limit: number): Promise<RestoreRequest[]> {
    return this.queryIndex(STATUS_INDEX, '#s = :s', { '#s': 'status' }, { ':s': status }, limit);
  }

  /** Requests with history not yet posted to Slack. */
  async listOutbox(): Promise<RestoreRequest[]> {
    return this.queryIndex(OUTBOX_INDEX, '#o = :o', { '#o': 'outbox' }, { ':o': '1' });
  }

  private async queryIndex(
    index: string,
    condition: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
    newest?: number,
  ): Promise<RestoreRequest[]> {
    const ids: string[] = [];
    const pages = paginateQuery(
      { client: this.doc, ...(newest ? { pageSize: newest } : {}) },
      {
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(newest ? { ScanIndexForward: false } : {}),
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) ids.push(String(item.pk).slice('REQ#'.length));
      if (newest && ids.length >= newest) break;
    }
    // Index reads are eventually consistent; read each item again so decisions use the latest version.
    const items = await Promise.all(ids.map((id) => this.get(id)));
    return items.filter((r): r is RestoreRequest => r !== undefined);
  }

  /**
   * Takes the right to post a request's pending Slack updates for `leaseMs`, under a fresh token.
   * Undefined when another run holds it: that run posts them, so two runs never post the same
   * update. Every later write of the run names the token and fails once another run took over.
   */
  async claimNotify(
    id: string,
    now: Date,
    leaseMs: number,
  ): Promise<{ request: RestoreRequest; lease: NotifyLease } | undefined> {
    const lease: NotifyLease = { id, token: randomUUID(), leaseMs };
    const out = await this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(id),
        UpdateExpression: 'SET notifyLease = :until, notifyToken = :token',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(notifyLease) OR notifyLease < :now)',
        ExpressionAttributeValues: {
          ':until': now.getTime() + leaseMs,
          ':now': now.getTime(),
          ':token': lease.token,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const request = toRequest(out?.Attributes);
    return request ? { request, lease } : undefined;
  }

  /** Stores the permalink of the request's approval message next to its channel and ts. */
  async recordPermalink(id: string, permalink: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(id),
        UpdateExpression: 'SET #m.permalink = :p',
        ConditionExpression: 'attribute_exists(#m)',
        ExpressionAttributeNames: { '#m': 'message' },
        ExpressionAttributeValues: { ':p': permalink },
      }),
    );
  }

  /** Remembers that a user opened the Home tab, so that changes to their requests refresh it. */
  async markHomeViewer(userId: string, now: Date): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `HOME#${userId}`,
          openedAt: now.toISOString(),
          ttl: Math.floor(now.getTime() / 1000) + HOME_VIEWER_DAYS * 24 * 3600,
        },
      }),
    );
  }

  /**
   * Those of `userIds` who opened the Home tab in the last HOME_VIEWER_DAYS. One GetItem each
   * (the state table's roles allow no more), a few at a time.
   */
  async homeViewers(userIds: readonly string[], now: Date): Promise<string[]> {
    const unique = [...new Set(userIds)];
    const seen = await mapLimited(unique, VIEWER_READS, async (userId) => {
      const out = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: `HOME#${userId}` } }),
      );
      // DynamoDB's TTL deletes late; an expired entry no longer counts.
      return out.Item && Number(out.Item.ttl) * 1000 > now.getTime() ? userId : undefined;
    });
    return seen.filter((u): u is string => u !== undefined);
  }

  /**
   * Records what has been posted (and where the request's message lives), and renews the lease,
   * if the run still holds it; throws NotifyLeaseLostError otherwise, and the run stops.
   * `posting` marks that the approval message is about to be posted (see the notifier).
   */
  async recordNotified(lease: NotifyLease, now: Date, progress: NotifyProgress): Promise<void> {
    const values: Record<string, unknown> = {
      ':token': lease.token,
      ':until': now.getTime() + lease.leaseMs,
    };
    const sets = ['notifyLease = :until'];
    for (const [field, attribute] of PROGRESS_ATTRIBUTES) {
      const value = progress[field];
      if (value === undefined) continue;
      sets.push(`${attribute} = :${attribute}`);
      values[`:${attribute}`] = value;
    }
    const recorded = await this.writeIf(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(lease.id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'notifyToken = :token',
        ExpressionAttributeValues: values,
      }),
    );
    if (!recorded) throw new NotifyLeaseLostError(lease.id);
  }

  /**
   * Releases the notify lease, if the run still holds it, and leaves the outbox if every event up
   * to `notifiedSeq` is posted. A transition that appended an event meanwhile keeps the request in
   * the outbox. Returns 'done' when nothing is left to post, 'more' when events remain, and 'lost'
   * when another run holds the lease by now (that run posts what is left).
   */
  async releaseNotify(lease: NotifyLease, notifiedSeq: number): Promise<'done' | 'more' | 'lost'> {
    const release = (expression: string, condition: string, values: Record<string, unknown>) =>
      this.writeIf(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(lease.id),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: { ':token': lease.token, ...values },
        }),
      );
    const drained = await release(
      'REMOVE notifyLease, notifyToken, outbox',
      'notifyToken = :token AND size(events) <= :seq',
      { ':seq': notifiedSeq },
    );
    if (drained) return 'done';
    return (await release('REMOVE notifyLease, notifyToken', 'notifyToken = :token', {})) ? 'more' : 'lost';
  }

  /** Attributes computed from the request: index keys and TTL. */
  private derived(request: RestoreRequest): Partial<StoredItem> {
    const derived: Partial<StoredItem> = {};
    if (request.events.length > request.notifiedSeq) derived.outbox = '1';
    if (TERMINAL_STATUSES.has(request.status)) {
      derived.ttl = Math.floor(Date.parse(request.updatedAt) / 1000) + RETENTION_DAYS * 24 * 3600;
    }
    return derived;
  }
}

/**
 * Creates the state table when it does not exist (local runs and tests; in AWS, serverless.yml
 * owns it). Same key schema and indexes as the deployed table.
 */
export async function ensureStateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const index = (name: string, hash: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: hash, KeyType: 'HASH' as const },
      { AttributeName: 'createdAt', KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'KEYS_ONLY' as const },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
          { AttributeName: 'outbox', AttributeType: 'S' },
          { AttributeName: 'createdAt', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [index(STATUS_INDEX, 'status'), index(OUTBOX_INDEX, 'outbox')],
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
}
