import { createHash } from 'node:crypto';

/**
 * An AWS error to put on the wire. The stand-ins (fake-aws.ts and the services it routes to,
 * fake-aws-settings.ts and fake-backup.ts) throw it; FakeAws writes it in the protocol of the
 * service that was called.
 */
export class AwsWireError extends Error {
  override name = 'AwsWireError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * One page of `items` for a NextToken-paged AWS list call: the token is an opaque offset, and one
 * the fake did not issue is refused as AWS refuses it.
 */
export function pageOf<T>(
  items: readonly T[],
  nextToken: string | undefined,
  size: number,
): { items: T[]; nextToken?: string } {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new AwsWireError('InvalidParameterValueException', 'Invalid NextToken');
  }
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return end < items.length
    ? { items: page, nextToken: Buffer.from(String(end)).toString('base64url') }
    : { items: page };
}

/** A stable UUID-shaped id derived from `seed` (table IDs, recovery point IDs). */
export function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
