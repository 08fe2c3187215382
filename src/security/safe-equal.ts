import { timingSafeEqual } from 'node:crypto';

/**
 * Compares a secret-derived value with what a request presented in constant time (no early exit
 * that would leak how many leading bytes matched). Different lengths are simply unequal.
 */
export function safeEqual(expected: string | Buffer, given: string | Buffer): boolean {
  const a = typeof expected === 'string' ? Buffer.from(expected) : expected;
  const b = typeof given === 'string' ? Buffer.from(given) : given;
  return a.length === b.length && timingSafeEqual(a, b);
}
