import { createHmac } from 'node:crypto';
import type { RequestHandler } from 'express';
import { safeEqual } from '../security/safe-equal.js';

/**
 * CSRF tokens bound to the session id: HMAC(secret, session id). Nothing is stored, so a page
 * view costs no session write, and a token is worthless for any other session. Forms send it
 * as `_csrf`, scripts as the `X-CSRF-Token` header.
 */
export function csrfToken(secret: string, sessionId: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');
}

function matches(expected: string, given: unknown): boolean {
  return typeof given === 'string' && safeEqual(expected, given);
}

export class CsrfError extends Error {
  constructor() {
    super('Missing or invalid CSRF token');
    this.name = 'CsrfError';
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Exposes `res.locals.csrfToken` and rejects state-changing requests without a valid token. */
export function csrfProtection(secret: string): RequestHandler {
  return (req, res, next) => {
    const token = csrfToken(secret, req.sessionID);
    res.locals.csrfToken = token;
    if (SAFE_METHODS.has(req.method)) return next();
    const given = req.get('x-csrf-token') ?? (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!req.session || !matches(token, given)) return next(new CsrfError());
    next();
  };
}
