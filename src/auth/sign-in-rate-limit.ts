import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { AuthSettings } from './auth-settings.js';
import { renderTooManyAttemptsPage } from './pages.js';

/**
 * Requests per client address on the sign-in endpoints (/login, /login/discover, /saml/acs, /saml/slo),
 * counted in this instance's memory: with N instances an address gets at most N times the budget,
 * enough to stop a script forging responses or flooding the IdP with AuthnRequests, without a shared
 * counter on the hot path. The client address is req.ip (set `app.trustProxy` behind a proxy, or
 * every user shares the proxy's address).
 */
export function createSignInRateLimit(settings: AuthSettings, log: Logger): RequestHandler {
  return rateLimit({
    windowMs: settings.rateLimit.windowMs,
    limit: settings.rateLimit.max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler(req, res, _next, options) {
      log.warn(
        { event: 'saml_rate_limited', path: req.path, reason: 'rate-limited' },
        'too many sign-in requests from one address',
      );
      renderTooManyAttemptsPage(res.status(options.statusCode).set('Cache-Control', 'no-store'));
    },
  });
}
