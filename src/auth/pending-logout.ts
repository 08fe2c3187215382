import type { Request, Response } from 'express';
import { signToken, verifyToken } from '../security/signed-token.js';
import { cookieValues } from '../web/request-cookies.js';

/** A pending SP-initiated logout: which request we sent to which IdP (the session is already gone). */
export const PENDING_LOGOUT_COOKIE = 'timesheet.slo';
const PENDING_PURPOSE = 'saml-logout';
const PENDING_MAX_AGE_MS = 10 * 60_000;

export function setPendingLogout(
  req: Request,
  res: Response,
  secrets: readonly string[],
  idpId: string,
  requestId: string | null,
): void {
  const token = signToken(secrets, PENDING_PURPOSE, new Date(Date.now() + PENDING_MAX_AGE_MS), `${idpId}~${requestId}`);
  res.cookie(PENDING_LOGOUT_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    maxAge: PENDING_MAX_AGE_MS,
    path: '/saml',
    encode: String,
  });
}

export function readPendingLogout(req: Request, secrets: readonly string[]): { idp: string; requestId: string } | null {
  for (const value of cookieValues(req, PENDING_LOGOUT_COOKIE)) {
    const payload = verifyToken(value, secrets, PENDING_PURPOSE, new Date());
    const m = payload ? /^([a-z0-9-]+)~(.+)$/.exec(payload) : null;
    if (m) return { idp: m[1] as string, requestId: m[2] as string };
  }
  return null;
}

export function clearPendingLogout(res: Response): void {
  res.clearCookie(PENDING_LOGOUT_COOKIE, { path: '/saml' });
}
