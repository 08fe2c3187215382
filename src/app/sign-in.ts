/**
 * Who the person is: language, body parsers, the session, SAML sign-in and sign-out, the CSRF check.
 * Order matters and is this file's job: the sign-in endpoints parse their own (larger) bodies before
 * the app-wide parsers; the ACS comes before the CSRF check (the IdP's POST carries no token; a forged
 * response cannot match a request id this browser's session sent).
 */
import express from 'express';
import { createAuth } from '../auth/create-auth.js';
import { csrfProtection } from '../web/csrf.js';
import { localeMiddleware, signedInLocale } from '../web/locale.js';
import { sessionMiddleware, storeSessionBeforeRedirect } from '../web/session-middleware.js';
import type { Services } from './services.js';

export type Auth = ReturnType<typeof createAuth>;

export function installSignIn(app: express.Express, { config, logger, store }: Services): Auth {
  const csrf = csrfProtection(config.app.sessionSecrets[0]!);
  const auth = createAuth(config, logger, { logoutGuards: [csrf] });
  app.use(localeMiddleware(config.i18n.defaultLocale, (req) => req.secure));
  app.use(auth.bodyParsers);
  app.use(express.urlencoded({ extended: false, limit: config.app.bodyLimit, parameterLimit: 2000 }));
  app.use(express.json({ limit: config.app.bodyLimit }));
  app.use(sessionMiddleware(config, store));
  app.use(storeSessionBeforeRedirect());
  app.use(...auth.initialize);
  app.use((req, res, next) => {
    res.locals.user = req.user ?? null;
    next();
  });
  app.use(signedInLocale());
  app.use(auth.router);
  app.use(csrf);
  return auth;
}
