import express, { type Request, type RequestHandler, type Router } from 'express';
import passport from 'passport';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config-schema.js';
import { createAcsHandler, createSamlVerify, type AcsContext } from './acs-route.js';
import { certificateWarnings, resolveAuthSettings, type AuthSettings, type ResolvedIdp } from './auth-settings.js';
import './express-user.js';
import { safeLocalPath } from './local-path.js';
import { createHomeRealmRoutes, type HomeRealmRoutes } from './home-realm.js';
import { AUTO_SUBMIT_SCRIPT, renderSignedOutPage, renderUnknownIdpPage } from './pages.js';
import { createSignInRateLimit } from './sign-in-rate-limit.js';
import { createSingleLogout, type SingleLogout } from './single-logout.js';
import { spMetadataXml } from './sp-metadata.js';
import { Principal } from './principal.js';
import { requireRole, requireUser } from './require-user.js';
import { createSamlStrategy } from './saml-strategy.js';
import { endOnlyOnceSessionStored } from '../web/session-middleware.js';

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
  /** Mount BEFORE the app-wide body parsers: the ACS parses up to 600 kB itself (a response can exceed the app's body limit). */
  bodyParsers: Router;
  /** Mount after express-session: passport.initialize() + passport.session() (sets req.user to a Principal). */
  initialize: RequestHandler[];
  /**
   * GET /login[?idp=&returnTo=&choose=1], POST /login/discover, POST /saml/acs, GET /saml/slo,
   * GET /saml/metadata, POST /logout, GET /signed-out, GET /saml/auto-submit.js.
   */
  router: Router;
  requireUser: RequestHandler;
  requireRole: (...roles: string[]) => RequestHandler;
  /** The sign-out handler alone, for mounting elsewhere (ends the session here, then at the IdP when it does single logout). */
  logout: RequestHandler;
  /** What the SP is known as, for the lead's pages and the dev stack. */
  sp: { entityId: string; acsUrl: string; idps: Array<{ id: string; label: string }> };
}

const AUTO_SUBMIT_PATH = '/saml/auto-submit.js';
/** A SAMLResponse with a few hundred group claims stays well below; response-checks.ts refuses more than 512 KiB of base64. */
const ACS_BODY_LIMIT = '600kb';

/**
 * The one entry point of the sign-in: SAML 2.0 with @node-saml/passport-saml, hardened as src/auth/README.md
 * explains. Mount `initialize` after express-session, then `router` (the ACS route parses
 * its own urlencoded body; keep CSRF checks away from POST /saml/acs: the IdP's form carries no token).
 */
export function createAuth(config: AppConfig, logger: Logger, options: CreateAuthOptions = {}): Auth {
  const settings = resolveAuthSettings(config);
  const log = logger.child({ component: 'auth' });
  for (const warning of certificateWarnings(settings)) log.warn({ event: 'saml_certificate_expiry' }, warning);

  const authenticator = createAuthenticator();
  // Which IdP a request is about: chosen at /login, or found from InResponseTo at the ACS.
  const selectedIdp = new WeakMap<Request, ResolvedIdp>();
  const acsContext = new WeakMap<Request, AcsContext>();
  const verify = createSamlVerify(settings, log, (req) => acsContext.get(req));
  const singleLogout = createSingleLogout(settings, log);
  // One budget per client address for every sign-in endpoint: a script hammering any of them is slowed.
  const rateLimit = createSignInRateLimit(settings, log);
  authenticator.use(
    'saml',
    createSamlStrategy(
      settings,
      (req) => selectedIdp.get(req) ?? acsContext.get(req)?.idp,
      verify,
      (req) => acsContext.get(req)?.decryptionKey,
    ),
  );

  const acsBody = express.urlencoded({ extended: false, limit: ACS_BODY_LIMIT });
  const bodyParsers = express.Router();
  bodyParsers.post('/saml/acs', acsBody);
  const wiring = { settings, log, authenticator, selectedIdp, acsContext, singleLogout, rateLimit, acsBody };

  return {
    bodyParsers,
    initialize: [authenticator.initialize(), authenticator.session()],
    router: createAuthRouter(wiring, options),
    requireUser,
    requireRole,
    logout: singleLogout.startLogout,
    sp: {
      entityId: settings.spEntityId,
      acsUrl: settings.acsUrl,
      idps: [...settings.idps.values()].map((i) => ({ id: i.id, label: i.config.label })),
    },
  };
}

/** Our own Passport instance: no global state, so several apps (tests) can live in one process. */
function createAuthenticator(): passport.Authenticator {
  const authenticator = new passport.Passport();
  authenticator.serializeUser((user, done) => done(null, (user as Principal).toJSON()));
  authenticator.deserializeUser((stored: unknown, done) => done(null, Principal.fromJSON(stored) ?? false));
  return authenticator;
}

/** The parts of the sign-in that the routes share. */
interface AuthWiring {
  settings: AuthSettings;
  log: Logger;
  authenticator: passport.Authenticator;
  selectedIdp: WeakMap<Request, ResolvedIdp>;
  acsContext: WeakMap<Request, AcsContext>;
  singleLogout: SingleLogout;
  rateLimit: RequestHandler;
  acsBody: RequestHandler;
}

function createAuthRouter(wiring: AuthWiring, options: CreateAuthOptions): Router {
  const { settings, log, authenticator, acsContext, singleLogout, rateLimit, acsBody } = wiring;
  const router = express.Router();

  router.get(AUTO_SUBMIT_PATH, (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'public, max-age=86400').send(AUTO_SUBMIT_SCRIPT);
  });

  const homeRealm = createHomeRealmRoutes(settings);
  router.post('/login/discover', rateLimit, express.urlencoded({ extended: false, limit: '8kb' }), homeRealm.discover);
  router.get('/login', rateLimit, createLoginHandler(wiring, homeRealm));

  router.post(
    '/saml/acs',
    rateLimit,
    acsBody,
    createAcsHandler({
      settings,
      authenticator,
      log,
      acsContext,
      keepSessionKeys: options.keepSessionKeys ?? [],
      autoSubmitPath: AUTO_SUBMIT_PATH,
      indexLogin: singleLogout.indexLogin,
    }),
  );

  router.get('/saml/slo', rateLimit, singleLogout.endpoint);

  // Built once per start: signed (when the SP has a key) and valid for 30 days from then.
  const metadataXml = spMetadataXml(settings);
  router.get('/saml/metadata', (_req, res) => {
    res.type('application/samlmetadata+xml').set('Cache-Control', 'public, max-age=3600').send(metadataXml);
  });

  router.post('/logout', ...(options.logoutGuards ?? []), singleLogout.startLogout);

  router.get('/signed-out', (_req, res) => {
    renderSignedOutPage(res);
  });
  return router;
}

/** GET /login: sends the browser to the chosen IdP with an AuthnRequest. */
function createLoginHandler({ authenticator, selectedIdp }: AuthWiring, homeRealm: HomeRealmRoutes): RequestHandler {
  return (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    const q = req.query as Record<string, unknown>;
    // A SAML message in the query would make passport-saml process it as a logout message.
    if ('SAMLRequest' in q || 'SAMLResponse' in q) return renderUnknownIdpPage(res.status(400));
    const returnTo = safeLocalPath(q.returnTo);
    if (req.user instanceof Principal && q.choose === undefined) return res.redirect(302, returnTo);
    const idp = homeRealm.pick(req, res, returnTo);
    if (idp === 'answered') return;
    if (!idp) return renderUnknownIdpPage(res.status(400));
    selectedIdp.set(req, idp);
    // The strategy saves the request id in req.session (cacheProvider) and redirects: the redirect
    // leaves once the store has the session, so an IdP that answers at once (Windows sign-in at
    // ADFS) finds it stored, on any instance (test/web/session-before-redirect); a store that cannot
    // keep it answers 503 here rather than after a trip to the IdP.
    endOnlyOnceSessionStored(req, res, next);
    authenticator.authenticate('saml', {
      session: false,
      additionalParams: { RelayState: returnTo },
    } as passport.AuthenticateOptions)(req, res, next);
  };
}
