import { createHmac } from 'node:crypto';
import { safeEqual } from './safe-equal.js';

/** One secret, or a list during a rotation: the first signs, every one verifies. */
export type Secrets = string | readonly string[];

export function secretList(secret: Secrets): readonly string[] {
  const list = typeof secret === 'string' ? [secret] : secret;
  if (list.length === 0 || list.some((s) => s.length === 0)) throw new TypeError('a signing secret must not be empty');
  return list;
}

const mac = (secret: string, purpose: string, body: string) =>
  createHmac('sha256', secret).update(`${purpose}:${body}`).digest('base64url');

/**
 * A small value a browser carries for us and cannot forge or keep past its expiry (cookies such as the
 * burst drain mark or a pending single logout). Format `v1.<expiry ms base 36>[.<payload>].<HMAC-SHA256>`.
 * `purpose` is part of the MAC, so a token made for one use is never accepted for another.
 * The payload is signed, not encrypted: only values the browser may see, without dots.
 */
export function signToken(secret: Secrets, purpose: string, expiresAt: Date, payload = ''): string {
  if (payload.includes('.')) throw new TypeError('token payload must not contain a dot');
  const body = `v1.${expiresAt.getTime().toString(36)}${payload ? `.${payload}` : ''}`;
  return `${body}.${mac(secretList(secret)[0] as string, purpose, body)}`;
}

/** The payload ('' when none) of a valid, unexpired token; null for anything else. */
export function verifyToken(token: string, secret: Secrets, purpose: string, now: Date): string | null {
  const m = /^(v1\.([0-9a-z]{1,12})(?:\.([^.]{1,512}))?)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const [, body, expires, payload, given] = m as unknown as [string, string, string, string | undefined, string];
  if (!secretList(secret).some((s) => safeEqual(mac(s, purpose, body), given))) return null;
  return parseInt(expires, 36) > now.getTime() ? (payload ?? '') : null;
}
