/** Small conversions of AWS SDK output shared by the target account's DynamoDB and AWS Backup readers. */

/** An SDK date as ISO 8601, or undefined. */
export function iso(date: Date | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}

/** The object without its undefined fields (the bot's records leave absent facts out). */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The `name` of a thrown SDK error (e.g. ResourceNotFoundException), if it has one. */
export function errorName(err: unknown): string | undefined {
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}
