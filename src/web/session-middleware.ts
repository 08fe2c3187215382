import session from 'express-session';
import type { RequestHandler } from 'express';
import type { AppConfig } from '../config/app-config-schema.js';
import type { Storage } from '../ports/storage.js';

/**
 * express-session over the target's store. resave/saveUninitialized false: a page view that
 * changes nothing writes nothing (the store's touch() decides when the expiry needs a write),
 * and no row is created for visitors who never sign in.
 */
export function sessionMiddleware(config: AppConfig, handle: Storage): RequestHandler {
  return session({
    name: config.app.sessionCookieName,
    secret: config.app.sessionSecrets,
    store: handle.store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    proxy: config.app.trustProxy === false ? undefined : true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.app.cookieSecure,
      maxAge: config.app.sessionMaxAgeMinutes * 60_000,
      path: '/',
    },
  });
}

/**
 * A redirect leaves only once a session it changed is in the store. express-session stores a
 * changed session at the end of the response, but it sends the status and headers (and all of a
 * body but its last byte) before the store has answered, and a browser follows a redirect on its
 * headers: the next request could read the session as it was. Seen under load after sign-in (the
 * ACS's redirect reached the week page before the new session was stored, which sent the person
 * back to sign in) and possible after any form that changes the session and redirects.
 * Mount right after sessionMiddleware. A redirect that changed nothing writes nothing.
 */
export function storeSessionBeforeRedirect(): RequestHandler {
  return (req, res, next) => {
    const idBefore = req.sessionID;
    const before = snapshot(req.session);
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    res.redirect = ((...args: unknown[]) => {
      const current = req.session;
      if (!current || (req.sessionID === idBefore && snapshot(current) === before)) return redirect(...args);
      current.save((err: unknown) => (err ? next(err) : redirect(...args)));
    }) as typeof res.redirect;
    next();
  };
}

/** The session's data without its cookie (which express-session refreshes on its own). */
function snapshot(data: object | undefined): string {
  if (!data) return '';
  const { cookie: _cookie, ...rest } = data as Record<string, unknown>;
  return JSON.stringify(rest);
}
