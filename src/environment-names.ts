/**
 * Names that a plain object inherits (`constructor`, `__proto__`, `toString`, …). An environment
 * with such a name would be "found" on any object, configured or not, so the config schema and the
 * command parsers refuse them, and lookups use own properties only (`environmentNamed` in config.ts).
 */
export const RESERVED_ENVIRONMENT_NAMES: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Object.prototype),
);

/** The shape of an environment name: 1-32 of A-Z a-z 0-9 _ -. */
export const ENVIRONMENT_NAME_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** An environment name that is well-formed and not reserved. */
export function isUsableEnvironmentName(name: string): boolean {
  return ENVIRONMENT_NAME_PATTERN.test(name) && !RESERVED_ENVIRONMENT_NAMES.has(name);
}
