import express, { type Request, type RequestHandler, type Router } from 'express';
import passport from 'passport';
import type { Logger } from 'pino';
import { generateServiceProviderMetadata } from '@node-saml/node-saml';
import type { AppConfig } from '../config/app-config-schema.js';
import { createAcsHandler, createSamlVerify, type AcsContext } from './acs-route.js';
import { certificateWarnings, resolveAuthSettings, type ResolvedIdp } from './auth-settings.js';
import './express-user.js';
import { safeLocalPath } from './local-path.js';
import { createLogout } from './logout.js';
import { AUTO_SUBMIT_SCRIPT, pageLocale, signedOutPage, unknownIdpPage } from './pages.js';
import { Principal } from './principal.js';
import { requireRole, requireUser } from './require-user.js';
import { createSamlStrategy } from './saml-strategy.js';

export interface CreateAuthOptions {
  /** Middleware run in front of `POST /logout`, typically the app's CSRF check. */
  logoutGuards?: RequestHandler[];
  /**
   * Session keys set before sign-in (e.g. a chosen language) to copy into the regenerated session.
   * Everything else is dropped on purpose: a CSRF secret planted before sign-in must not survive it.
   */
  keepSessionKeys?: string[];
}

export interface Auth {
  /** Mount after express-session: passport.initialize() + passport.session() (sets req.user to a Principal). */
  initialize: RequestHandler[];
  /** GET /login[?idp=&returnTo=], POST /saml/acs, GET /saml/metadata, POST /logout, GET /signed-out, GET /saml/auto-submit.js. */
  router: Router;
  requireUser: RequestHandler;
  requireRole: (...roles: string[]) => RequestHandler;
  /** The sign-out handler alone, for mounting elsewhere (it destroys the session and clears the cookie). */
  logout: RequestHandler;
  /** What the SP is known as, for the lead's pages and the dev stack. */
  sp: { entityId: string; acsUrl: string; idps: Array<{ id: string; label: string }> };
}

const AUTO_SUBMIT_PATH = '/saml/auto-submit.js';

/**
 * The one entry point of the sign-in: SAML 2.0 with @node-saml/passport-saml, hardened as in
 * shared/design/saml.md. Mount `initialize` after express-session, then `router` (the ACS route parses
 * its own urlencoded body; keep CSRF checks away from POST /saml/acs: the IdP's form carries no token).
 */
export function createAuth(config: AppConfig, logger: Logger, options: CreateAuthOptions = {}): Auth {
  const settings = resolveAuthSettings(config);
  const log = logger.child({ component: 'auth' });
  for (const warning of certificateWarnings(settings)) log.warn({ event: 'saml_certificate_expiry' }, warning);

  // Our own Passport instance: no global state, so several apps (tests) can live in one process.
  const authenticator = new passport.Passport();
  authenticator.serializeUser((user, done) => done(null, (user as Principal).toJSON()));
  authenticator.deserializeUser((stored: unknown, done) => done(null, Principal.fromJSON(stored) ?? false));

  // Which IdP a request is about: chosen at /login, or found from InResponseTo at the ACS.
  const selectedIdp = new WeakMap<Request, ResolvedIdp>();
  const acsContext = new WeakMap<Request, AcsContext>();
  const verify = createSamlVerify(settings, log, (req) => acsContext.get(req));
  authenticator.use('saml', createSamlStrategy(settings, (req) => selectedIdp.get(req) ?? acsContext.get(req)?.idp, verify));

  const router = express.Router();

  router.get(AUTO_SUBMIT_PATH, (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'public, max-age=86400').send(AUTO_SUBMIT_SCRIPT);
  });

  router.get('/login', (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    const q = req.query as Record<string, unknown>;
    // A SAML message in the query would make passport-saml process it as a logout message.
    if ('SAMLRequest' in q || 'SAMLResponse' in q) return void res.status(400).type('html').send(unknownIdpPage(pageLocale(res)));
    const returnTo = safeLocalPath(q.returnTo);
    const idp = q.idp === undefined ? settings.defaultIdp : typeof q.idp === 'string' ? settings.idps.get(q.idp) : undefined;
    if (!idp) return void res.status(400).type('html').send(unknownIdpPage(pageLocale(res)));
    if (req.user instanceof Principal) return res.redirect(302, returnTo);
    selectedIdp.set(req, idp);
    // The strategy saves the request id in req.session (cacheProvider); express-session writes the
    // session to the store before the redirect leaves, so any instance can check the answer.
    authenticator.authenticate('saml', { session: false, additionalParams: { RelayState: returnTo } } as passport.AuthenticateOptions)(req, res, next);
  });

  router.post(
    '/saml/acs',
    express.urlencoded({ extended: false, limit: '600kb' }),
    createAcsHandler({ settings, authenticator, log, acsContext, keepSessionKeys: options.keepSessionKeys ?? [], autoSubmitPath: AUTO_SUBMIT_PATH }),
  );

  router.get('/saml/metadata', (_req, res) => {
    const xml = generateServiceProviderMetadata({
      issuer: settings.spEntityId,
      callbackUrl: settings.acsUrl,
      identifierFormat: null,
      wantAssertionsSigned: true,
      ...(settings.signing ? { privateKey: settings.signing.privateKey, publicCerts: settings.signing.cert, signatureAlgorithm: 'sha256' as const } : {}),
    });
    res.type('application/samlmetadata+xml').send(xml);
  });

  const logout = createLogout(settings.sessionCookieName);
  router.post('/logout', ...(options.logoutGuards ?? []), logout);

  router.get('/signed-out', (_req, res) => {
    res.type('html').send(signedOutPage(pageLocale(res)));
  });

  return {
    initialize: [authenticator.initialize(), authenticator.session()],
    router,
    requireUser,
    requireRole,
    logout,
    sp: { entityId: settings.spEntityId, acsUrl: settings.acsUrl, idps: [...settings.idps.values()].map((i) => ({ id: i.id, label: i.config.label })) },
  };
}
