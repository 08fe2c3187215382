/**
 * PartitionKey / RowKey values from ids, kept exact and safe for Table Storage.
 *
 * Table Storage refuses `/ \ # ?` and the control characters U+0000–U+001F and U+007F–U+009F in
 * keys (Azurite even answers 500 to a `/`). Those, `%` itself (the escape character) and lone
 * surrogates (which cannot travel as UTF-8) are percent-encoded: `%2F`, `%25`, `%uD800`. Every
 * other character is kept as it is, so keys stay readable in Storage Explorer, the encoding is
 * injective (`a/b` -> `a%2Fb`, `a%2Fb` -> `a%252Fb`) and comparisons stay exact and
 * case-sensitive: `abc-DEF_123`, `abcDEF123` and `ABCdef123` are three keys.
 */
import { createHash } from 'node:crypto';

const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f/\\#?%]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ESCAPE = /%(u[0-9A-F]{4}|[0-9A-F]{2})/g;

/**
 * Longest key accepted, in UTF-16 code units after encoding. Azure allows 1 KiB (512 UTF-16
 * characters); Azurite refuses more than 512 characters.
 */
export const MAX_KEY_LENGTH = 512;

export class KeyTooLongError extends RangeError {
  constructor(what: string, length: number) {
    super(`${what} is too long for a Table Storage key: ${length} characters once encoded, at most ${MAX_KEY_LENGTH}`);
    this.name = 'KeyTooLongError';
  }
}

export function encodeKey(value: string): string {
  return value.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff
      ? `%${code.toString(16).toUpperCase().padStart(2, '0')}`
      : `%u${code.toString(16).toUpperCase()}`;
  });
}

export function decodeKey(key: string): string {
  return key.replace(ESCAPE, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex.startsWith('u') ? hex.slice(1) : hex, 16)),
  );
}

/** encodeKey, refusing what would not fit in a key. `what` names the value in the error. */
export function safeKey(value: string, what: string): string {
  const key = encodeKey(value);
  if (key.length > MAX_KEY_LENGTH) throw new KeyTooLongError(what, key.length);
  return key;
}

/**
 * Sessions are spread over 256 partitions named by the first byte of the id's SHA-256 (`00`–`ff`).
 * Why not one partition per session: the sweep and the end-of-burst purge delete in batches, and a
 * batch (up to 100 deletes) must stay within one partition; 16,000 sessions make ~60 per bucket,
 * so purging them is ~256 batch requests instead of 16,000 deletes. Why not one partition: a
 * partition serves about 2,000 entities/s; 256 of them, keyed by a hash (not by the id's own
 * prefix, whose shape the app does not control), let the service spread the load evenly.
 */
export function sessionPartition(sid: string): string {
  return createHash('sha256').update(sid, 'utf8').digest('hex').slice(0, 2);
}
