/**
 * How the two copies prove to each other that a request on their internal API comes from the other
 * copy: an HMAC token over the method, the path and a hash of the body, valid one minute, signed with
 * a secret both copies share (`copies.secrets`; the first signs, all verify, for rotation).
 * Between the copies the relay's SAS token (cloud -> on-prem) or TLS (on-prem -> cloud) protects the
 * way; this protects the endpoint itself, which a browser on the LAN or the Internet can also reach.
 */
import { createHash } from 'node:crypto';
import { signToken, verifyToken, type Secrets } from '../security/signed-token.js';

export const COPY_TOKEN_HEADER = 'x-timesheet-copy';
const LIFETIME_MS = 60_000;

const purposeOf = (method: string, path: string) => `copy:${method.toUpperCase()} ${path}`;
const bodyHash = (body: string) => createHash('sha256').update(body).digest('base64url');

export function signCopyRequest(
  secrets: Secrets,
  method: string,
  path: string,
  body: string,
  now = new Date(),
): string {
  return signToken(secrets, purposeOf(method, path), new Date(now.getTime() + LIFETIME_MS), bodyHash(body));
}

/** True when `token` was made by a holder of one of the secrets for exactly this method, path and body, less than a minute ago. */
export function verifyCopyRequest(
  token: string,
  secrets: Secrets,
  method: string,
  path: string,
  body: string,
  now = new Date(),
): boolean {
  const payload = verifyToken(token, secrets, purposeOf(method, path), now);
  if (payload === null) return false;
  // Not after the expiry check alone: a token signed far in the future would live too long.
  const expires = parseInt(token.split('.')[1] ?? '', 36);
  return payload === bodyHash(body) && expires - now.getTime() <= LIFETIME_MS + 5_000;
}
