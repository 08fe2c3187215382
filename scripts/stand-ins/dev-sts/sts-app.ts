import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { CLAIM_TYPES } from './claim-types.js';
import { cookieValues } from '../../../src/web/request-cookies.js';
import { AuthnRequestError, decodeRedirectAuthnRequest, type AuthnRequestInfo } from './authn-request.js';
import type { Directory, DirectoryUser } from './directory.js';
import { idpMetadataXml } from './idp-metadata.js';
import { registerLogoutRoutes } from './logout-routes.js';
import { renderMessage, securityHeaders } from './pages.js';
import { DUMMY_HASH, verifyPassword } from './password-hash.js';
import type { PendingLogouts } from './pending-logouts.js';
import { buildSamlResponse, NAMEID_UNSPECIFIED, type Claim } from './saml-response.js';
import type { StsSessions } from './sts-sessions.js';
import { preferredLang, TEXTS } from './texts.js';
import { signSamlResponse, type SigningKey } from './xml-signature.js';
import { encryptAssertion } from './assertion-encryption.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface ServiceProvider {
  entityId: string;
  /** The one ACS URL responses are posted to; an AuthnRequest naming another is refused. */
  acsUrl: string;
  /** Its SingleLogoutService (HTTP-Redirect), e.g. `<publicUrl>/saml/slo`; without it the STS never logs it out. */
  sloUrl?: string;
  /** Its signing certificate (PEM): its logout messages must be signed by it. */
  certPem?: string;
  /** Its encryption certificate (PEM): when given, assertions for it are encrypted (EncryptedAssertion). */
  encryptionCertPem?: string;
}

export interface StsAppDeps {
  entityId: string;
  stsName: string;
  directory: Directory;
  key: SigningKey;
  lifetimeSeconds: number;
  log: Logger;
  /** Registered SPs by entityID; may change while running (addServiceProvider). */
  sps: Map<string, ServiceProvider>;
  /** Sessions it issued (cookie -> sign-ins) and the logout requests it waits answers for. */
  sessions: StsSessions;
  pending: PendingLogouts;
  /** Known only once the server listens. */
  ssoUrl: () => string;
  sloUrl: () => string;
  /** Distinct per instance: two STSs on one host name (ports share cookies) must not overwrite each other's. */
  cookieName: () => string;
}

/** Claims as ADFS would send them for this person (saml.md); one AttributeValue per role and group. */
function claimsFor(user: DirectoryUser, roles: string[]): Claim[] {
  return [
    { type: CLAIM_TYPES.windowsAccountName, values: [user.account] },
    { type: CLAIM_TYPES.name, values: [user.account] },
    { type: CLAIM_TYPES.upn, values: [user.upn] },
    { type: CLAIM_TYPES.email, values: [user.email] },
    { type: CLAIM_TYPES.displayName, values: [user.displayName] },
    { type: CLAIM_TYPES.role, values: roles },
    { type: CLAIM_TYPES.group, values: user.groups },
    { type: CLAIM_TYPES.preferredLanguage, values: user.preferredLanguage ? [user.preferredLanguage] : [] },
  ];
}

/**
 * The STS's routes: GET /sso (AuthnRequest, HTTP-Redirect) shows the sign-in form, POST /sso checks
 * the password and answers with a page that posts the signed Response to the SP's ACS, GET /metadata.
 * The AuthnRequest travels in a hidden field and is checked again on POST: no server-side state for
 * the sign-in itself; the session it opens is recorded for single logout (logout-routes.ts).
 */
export function createStsApp(deps: StsAppDeps): Express {
  const {
    entityId,
    stsName,
    directory,
    key,
    lifetimeSeconds,
    log,
    sps,
    sessions,
    pending,
    ssoUrl,
    sloUrl,
    cookieName,
  } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('views', path.join(HERE, 'views'));
  app.set('view engine', 'ejs');

  const message = (res: Response, status: number, title: string, lines: string[]) =>
    renderMessage(res.req, res, stsName, status, title, lines);

  /** The AuthnRequest, checked against the registered SPs; answers with an error page and returns null when refused. */
  const acceptRequest = (
    res: Response,
    samlRequest: unknown,
  ): { request: AuthnRequestInfo; sp: ServiceProvider } | null => {
    let request: AuthnRequestInfo;
    try {
      request = decodeRedirectAuthnRequest(samlRequest);
    } catch (err) {
      if (!(err instanceof AuthnRequestError)) throw err;
      message(res, 400, 'Invalid sign-in request', [err.message]);
      return null;
    }
    const sp = sps.get(request.issuer);
    if (!sp) {
      log.warn({ event: 'sts_unknown_sp', sp: request.issuer }, 'AuthnRequest from an unknown SP');
      message(res, 400, 'Unknown service provider', [
        `The application "${request.issuer}" is not registered with this STS.`,
        `Registered: ${[...sps.keys()].join(', ') || 'none'}.`,
      ]);
      return null;
    }
    if (request.acsUrl !== null && request.acsUrl !== sp.acsUrl) {
      log.warn({ event: 'sts_acs_mismatch', sp: sp.entityId }, 'AssertionConsumerServiceURL does not match');
      message(res, 400, 'Assertion consumer service URL mismatch', [
        `The request asks for responses at "${request.acsUrl}", but "${sp.entityId}" is registered with "${sp.acsUrl}".`,
      ]);
      return null;
    }
    return { request, sp };
  };

  const relayStateOf = (value: unknown): string | null =>
    typeof value === 'string' && value.length > 0 && value.length <= 1024 ? value : null;

  const renderLogin = (
    req: Request,
    res: Response,
    fields: { samlRequest: string; relayState: string | null; username: string; error: boolean },
  ) => {
    const lang = preferredLang(req.get('accept-language'));
    const t = TEXTS[lang];
    const sp = sps.get(decodeRedirectAuthnRequest(fields.samlRequest).issuer) as ServiceProvider;
    securityHeaders(res, "'self'");
    res.set('Content-Language', lang).render('login', {
      lang,
      t,
      stsName,
      spEntityId: sp.entityId,
      samlRequest: fields.samlRequest,
      relayState: fields.relayState,
      username: fields.username,
      error: fields.error ? t.wrongCredentials : null,
    });
  };

  app.use('/assets', express.static(path.join(HERE, 'assets'), { maxAge: '1h', index: false }));

  app.get('/', (_req, res) => {
    message(res, 200, stsName, [
      `entityID: ${entityId}`,
      'Single sign-on: /sso, single logout: /slo (HTTP-Redirect). Sign out of all applications: /logout. Metadata: /metadata.',
      `Development accounts (password dev-password): ${directory.users.map((u) => u.account).join(', ')}.`,
    ]);
  });

  app.get('/metadata', (_req, res) => {
    res
      .type('application/samlmetadata+xml')
      .send(idpMetadataXml(entityId, ssoUrl(), key.certPem, Object.values(CLAIM_TYPES), sloUrl()));
  });

  app.get('/sso', (req, res) => {
    const q = req.query as Record<string, unknown>;
    if (q.SAMLRequest === undefined) {
      return message(res, 400, 'No sign-in request', [
        'This is the sign-in endpoint of the development STS. Open the application instead; it sends you here.',
      ]);
    }
    const accepted = acceptRequest(res, q.SAMLRequest);
    if (!accepted) return;
    renderLogin(req, res, {
      samlRequest: q.SAMLRequest as string,
      relayState: relayStateOf(q.RelayState),
      username: '',
      error: false,
    });
  });

  app.post('/sso', express.urlencoded({ extended: false, limit: '64kb' }), async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const accepted = acceptRequest(res, body.SAMLRequest);
      if (!accepted) return;
      const { request, sp } = accepted;
      const samlRequest = body.SAMLRequest as string;
      const relayState = relayStateOf(body.RelayState);
      const username = typeof body.username === 'string' ? body.username.slice(0, 256) : '';
      const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
      const user = directory.find(username);
      // Unknown users cost a hash too, so timing does not tell which accounts exist.
      const ok = (await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)) && user !== undefined;
      if (!ok || !user) {
        log.info({ event: 'sts_signin_failed', sp: sp.entityId }, 'wrong user name or password');
        return renderLogin(req, res, { samlRequest, relayState, username, error: true });
      }
      const built = buildSamlResponse({
        idpEntityId: entityId,
        spEntityId: sp.entityId,
        acsUrl: sp.acsUrl,
        inResponseTo: request.id,
        nameId: user.account,
        claims: claimsFor(user, directory.rolesOf(user)),
        lifetimeSeconds,
      });
      // Sign the assertion, encrypt it when the SP asked for it, then sign the response around it.
      const signed = sp.encryptionCertPem
        ? signSamlResponse(
            await encryptAssertion(
              signSamlResponse(built.xml, key, { signAssertion: true, signResponse: false }),
              sp.encryptionCertPem,
            ),
            key,
            { signAssertion: false, signResponse: true },
          )
        : signSamlResponse(built.xml, key, { signAssertion: true, signResponse: true });
      // Remembered so the session can be ended later (single logout); every sign-in still shows the form.
      const sessionId = sessions.signIn(cookieValues(req, cookieName())[0], {
        nameId: user.account,
        nameIdFormat: NAMEID_UNSPECIFIED,
        sessionIndex: built.sessionIndex,
        spEntityId: sp.entityId,
        issuedAt: new Date(),
      });
      res.cookie(cookieName(), sessionId, { httpOnly: true, sameSite: 'lax', path: '/' });
      log.info({ event: 'sts_signin', sp: sp.entityId, user: user.account }, 'signed in');
      const lang = preferredLang(req.get('accept-language'));
      securityHeaders(res, `${new URL(sp.acsUrl).origin}`);
      res.set('Content-Language', lang).render('post-response', {
        lang,
        t: TEXTS[lang],
        stsName,
        acsUrl: sp.acsUrl,
        samlResponse: Buffer.from(signed, 'utf8').toString('base64'),
        relayState,
      });
    } catch (err) {
      next(err);
    }
  });

  registerLogoutRoutes(app, {
    entityId,
    stsName,
    privateKeyPem: key.privateKey,
    log,
    sps,
    sessions,
    pending,
    sloUrl,
    cookieName,
  });

  // Never a stack trace on a page, even in development.
  app.use((err: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    log.error({ err }, 'dev STS error');
    message(res, 500, 'STS error', ['Something went wrong in the development STS; see its log.']);
  });

  return app;
}
