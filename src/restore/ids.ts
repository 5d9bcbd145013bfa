import { randomInt } from 'node:crypto';

/** Crockford base32: no I, L, O or U, so an ID read aloud on a call is not misheard. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REQUEST_ID_PATTERN = /^R-[0-9A-HJKMNP-TV-Z]{6}$/;

/** A short request ID such as R-7K3QX9 (about 10^9 values; creation is conditional on uniqueness). */
export function newRequestId(): string {
  let id = 'R-';
  for (let i = 0; i < 6; i += 1) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
