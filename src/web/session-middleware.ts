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
