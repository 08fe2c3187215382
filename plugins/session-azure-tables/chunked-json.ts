/**
 * JSON text stored across several string properties of one entity (written ASCII-only, see asciiJson).
 *
 * Table Storage keeps strings as UTF-16 and refuses a property over 64 KiB (32,768 code units);
 * Azurite refuses one of 32,768 non-ASCII characters already. Parts of at most 32,000 code units,
 * never cut inside a surrogate pair, fit both. The whole entity must stay under 1 MiB, counted
 * the way the service counts it (entitySize below); Azurite does not check that, the store does.
 */

export const PART_LENGTH = 32_000;

/**
 * The same JSON with every non-ASCII character written as a `\uXXXX` escape: JSON.parse gives
 * back exactly the same value, and the request body is pure ASCII.
 *
 * Why: Azurite decodes a request body chunk by chunk (serializer.js readRequestIntoText joins the
 * Buffers as strings), so a multi-byte UTF-8 character cut by a chunk boundary arrives
 * as two U+FFFD — seen with 200 KiB sessions holding accented text. An ASCII body cannot be cut
 * inside a character. The price on Azure: a non-ASCII character takes 6 characters instead of 1,
 * little for French and English comments. Keys are short and never affected. Still needed with
 * Azurite 3.37 (checked 2026-12-05: without it, the 200 KiB test in session-azure-tables.test.ts
 * reads back one character more than it wrote).
 */
export function asciiJson(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Table Storage's entity limit. */
export const MAX_ENTITY_BYTES = 1024 * 1024;
/** Property holding the number of parts; the parts are `json`, `json1`, `json2`, ... */
export const PARTS_PROPERTY = 'jsonParts';

export function partName(index: number): string {
  return index === 0 ? 'json' : `json${index}`;
}

/** The bytes Table Storage counts for a string's text: 2 per UTF-16 code unit. */
export function storedBytes(text: string): number {
  return text.length * 2;
}

export class EntityTooLargeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'EntityTooLargeError';
  }
}

export function splitJson(json: string): Record<string, string | number> {
  const props: Record<string, string | number> = {};
  let index = 0;
  let start = 0;
  do {
    let end = Math.min(start + PART_LENGTH, json.length);
    // Keep a surrogate pair together: a lone half would not survive the trip.
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    props[partName(index)] = json.slice(start, end);
    index += 1;
    start = end;
  } while (start < json.length);
  props[PARTS_PROPERTY] = index;
  return props;
}

/** The JSON back from an entity's parts, or undefined when a part is missing. */
export function joinJson(entity: Record<string, unknown>): string | undefined {
  const count = entity[PARTS_PROPERTY];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const part = entity[partName(i)];
    if (typeof part !== 'string') return undefined;
    parts.push(part);
  }
  return parts.join('');
}

/**
 * An entity's size as the service counts it: 4 bytes + 2 per key character + per property
 * 8 bytes + 2 per name character + the value (string 4 + 2 per character, DateTime/Int64/Double
 * 8, Int32 4, Boolean 1). Timestamp, which the service adds, is counted too.
 */
export function entitySize(entity: Record<string, unknown>): number {
  let size = 4;
  let timestamp = false;
  for (const [name, value] of Object.entries(entity)) {
    if (name === 'partitionKey' || name === 'rowKey') {
      size += storedBytes(String(value));
      continue;
    }
    if (name === 'timestamp') timestamp = true;
    if (name === 'etag' || value === undefined || value === null) continue;
    size += 8 + storedBytes(name);
    if (typeof value === 'string') size += 4 + storedBytes(value);
    else if (typeof value === 'boolean') size += 1;
    else if (typeof value === 'number') size += Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 4 : 8;
    else size += 8;
  }
  if (!timestamp) size += 8 + storedBytes('Timestamp') + 8;
  return size;
}
