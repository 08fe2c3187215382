import session from 'express-session';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
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
 * changed session at the end of the response, but when the response has a body it sends the status
 * and headers (and all of the body but its last byte) before the store has answered, and a browser
 * follows a redirect on its headers: the next request could read the session as it was. Seen under
 * load after sign-in (the ACS's redirect reached the week page before the new session was stored,
 * which sent the person back to sign in). Without a body express-session sends nothing before its
 * save is done, so redirects here have none (Express's "Found. Redirecting to" text is for browsers
 * of the last century). No extra store write: the save is express-session's own.
 * Mount right after sessionMiddleware.
 */
export function storeSessionBeforeRedirect(): RequestHandler {
  return (_req, res, next) => {
    res.redirect = function redirectWithoutBody(this: Response, first: unknown, second?: unknown) {
      const [status, url] = typeof first === 'number' ? [first, String(second)] : [302, String(first)];
      this.location(url).status(status).set('Content-Length', '0').end();
    } as Response['redirect'];
    next();
  };
}

/**
 * For a response whose next step reads the session it changed: the redirect to the IdP carries a
 * request id that the ACS looks up in the session when the IdP answers. express-session sends a
 * response even when the store failed to save (it only hands the error on, too late to answer): the
 * person went to the IdP and came back to "Sign-in failed", although nothing was wrong but the store
 * (seen during the chaos run's store restarts). Here the session is saved before the response leaves,
 * and when the store cannot, its error goes to the error handler (503, "Nothing you saved is lost;
 * try again in a minute") instead. express-session's save is the one called: it does not write again.
 */
export function endOnlyOnceSessionStored(req: Request, res: Response, next: NextFunction): void {
  const end = res.end;
  res.end = function endAfterSave(this: Response, ...args: unknown[]) {
    res.end = end;
    const send = () => (end as (...a: unknown[]) => Response).apply(res, args);
    // An error page is already the answer: it goes as it is (express-session saves as usual).
    if (res.statusCode >= 400) return send();
    req.session.save((err?: unknown) => {
      if (!err) return void send();
      res.removeHeader('Location');
      res.removeHeader('Content-Length');
      next(err);
    });
    return this;
  } as Response['end'];
}
