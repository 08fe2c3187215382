import type { Request, RequestHandler, Response } from 'express';
import type { Store } from 'express-session';
import type { Logger } from 'pino';
import { SAML, type CacheItem, type CacheProvider, type Profile } from '@node-saml/node-saml';
import { signToken, verifyToken } from '../security/signed-token.js';
import type { AuthSettings, ResolvedIdp } from './auth-settings.js';
import { correlationIdOf } from './correlation-id.js';
import { call, endSessions, forgetSession, rememberSession } from './logout-index.js';
import {
  checkLogoutEnvelope,
  readLogoutRequest,
  readLogoutResponse,
  readRedirectQuery,
  requireIdpSignature,
  unverifiedIssuer,
} from './logout-message.js';
import { renderLogoutFailedPage, renderSignedOutPage } from './pages.js';
import './session-state.js';
import type { SamlLogin } from './session-state.js';
import { SignInRejection, toRejection } from './sign-in-rejection.js';
import { cookieValues } from '../web/request-cookies.js';

const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
/** A pending SP-initiated logout: which request we sent to which IdP (the session is already gone). */
export const PENDING_LOGOUT_COOKIE = 'timesheet.slo';
const PENDING_PURPOSE = 'saml-logout';
const PENDING_MAX_AGE_MS = 10 * 60_000;
/** How old an IdP's logout message may be (its IssueInstant), on top of the clock skew. */
const LOGOUT_MESSAGE_MAX_AGE_MS = 5 * 60_000;

/** Captures the id node-saml gives the LogoutRequest it builds (it "saves" it in the cache provider). */
class CapturedRequestId implements CacheProvider {
  id: string | null = null;
  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    this.id = key;
    return { value, createdAt: Date.now() };
  }
  async getAsync(): Promise<string | null> {
    return null;
  }
  async removeAsync(): Promise<string | null> {
    return null;
  }
}

/** node-saml builds and signs the outgoing messages (its output is ours; only its input checks are weak). */
function outgoing(
  settings: AuthSettings,
  idp: ResolvedIdp,
  sloUrl: string,
  cache: CacheProvider = new CapturedRequestId(),
): SAML {
  const signing = settings.signing as { privateKey: string; cert: string };
  return new SAML({
    issuer: settings.spEntityId,
    callbackUrl: settings.acsUrl,
    idpCert: idp.certs,
    entryPoint: sloUrl,
    logoutUrl: sloUrl,
    privateKey: signing.privateKey,
    publicCert: signing.cert,
    signatureAlgorithm: 'sha256',
    cacheProvider: cache,
  });
}

export interface SingleLogout {
  /** POST /logout: ends the session here, then (when the IdP does single logout) asks the IdP to end its own. */
  startLogout: RequestHandler;
  /** GET /saml/slo: the IdP's LogoutRequest (IdP-initiated) or its LogoutResponse (answer to ours). */
  endpoint: RequestHandler;
  /** At sign-in: record the login for single logout and index the session so the IdP can end it anywhere. */
  /** The logout index entry of a new sign-in (the session itself carries `samlLogin`). */
  indexLogin(req: Request, login: SamlLogin, sessionExpires: number): Promise<void>;
}

export function createSingleLogout(settings: AuthSettings, log: Logger): SingleLogout {
  const clearSessionCookie = (res: Response) => res.clearCookie(settings.sessionCookieName, { path: '/' });
  const canSignOutAt = (idp: ResolvedIdp | undefined): idp is ResolvedIdp & { config: { sloUrl: string } } =>
    idp !== undefined && idp.config.sloUrl !== null && settings.signing !== undefined;

  const destroySession = async (req: Request): Promise<void> => {
    if (!req.session) return;
    const login = req.session.samlLogin;
    const sid = req.sessionID;
    await call((cb) => req.session.destroy(cb));
    if (login) {
      // Best effort: a stale index entry only points at a session that no longer exists.
      await forgetSession(req.sessionStore as Store, login.idp, login.nameId, sid).catch((err: unknown) =>
        log.warn(
          { event: 'saml_logout_index_error', err: (err as Error).message },
          'could not update the logout index',
        ),
      );
    }
  };

  const startLogout: RequestHandler = (req, res, next) => {
    void (async () => {
      const login = req.session?.samlLogin;
      const idp = login ? settings.idps.get(login.idp) : undefined;
      let idpUrl: string | null = null;
      if (login && canSignOutAt(idp)) {
        const cache = new CapturedRequestId();
        const user = {
          issuer: idp.config.entityId,
          nameID: login.nameId,
          nameIDFormat: login.nameIdFormat ?? NAMEID_UNSPECIFIED,
          sessionIndex: login.sessionIndex ?? undefined,
        };
        idpUrl = await outgoing(settings, idp, idp.config.sloUrl, cache).getLogoutUrlAsync(
          user as unknown as Profile,
          '',
          {},
        );
        const token = signToken(
          settings.cookieSecrets,
          PENDING_PURPOSE,
          new Date(Date.now() + PENDING_MAX_AGE_MS),
          `${idp.id}~${cache.id}`,
        );
        res.cookie(PENDING_LOGOUT_COOKIE, token, {
          httpOnly: true,
          sameSite: 'lax',
          secure: req.secure,
          maxAge: PENDING_MAX_AGE_MS,
          path: '/saml',
          encode: String,
        });
      }
      // The person is signed out here first, whatever the IdP does next.
      await destroySession(req);
      clearSessionCookie(res);
      res.set('Cache-Control', 'no-store');
      log.info(
        { event: 'saml_logout', idp: login?.idp ?? null, single: idpUrl !== null, correlationId: correlationIdOf(req) },
        'signed out',
      );
      if (req.accepts(['html', 'json']) === 'json') return void res.status(204).end();
      res.redirect(303, idpUrl ?? '/signed-out');
    })().catch(next);
  };

  const reject = (req: Request, res: Response, err: unknown, idp: string | null) => {
    const r = toRejection(err);
    const correlationId = correlationIdOf(req);
    log.warn(
      { event: 'saml_logout_rejected', reason: r.reason, idp, correlationId, detail: r.message.slice(0, 300) },
      'logout message rejected',
    );
    renderLogoutFailedPage(res.status(400).set('Cache-Control', 'no-store'), correlationId);
  };

  /** IdP-initiated: end this person's sessions everywhere, answer with a signed LogoutResponse. */
  const handleRequest = async (
    req: Request,
    res: Response,
    idp: ResolvedIdp & { config: { sloUrl: string } },
    xml: string,
    relayState: string | null,
  ) => {
    const request = readLogoutRequest(xml);
    checkLogoutEnvelope(request, {
      idpEntityId: idp.config.entityId,
      sloUrl: settings.sloUrl,
      now: Date.now(),
      skewMs: settings.clockSkewMs,
      maxAgeMs: LOGOUT_MESSAGE_MAX_AGE_MS,
    });
    // Sessions of this person at this IdP, found by the index: whichever instance or browser holds them.
    const ended = await endSessions(req.sessionStore as Store, idp.id, request.nameId, request.sessionIndexes);
    // This browser's own session only if it is that same sign-in: a LogoutRequest naming someone else
    // (or another IdP's user) must not sign out whoever happens to carry the cookie.
    const own = req.session?.samlLogin;
    const isOwn =
      own !== undefined &&
      own.idp === idp.id &&
      own.nameId === request.nameId &&
      (request.sessionIndexes.length === 0 ||
        (own.sessionIndex !== null && request.sessionIndexes.includes(own.sessionIndex)));
    if (isOwn) {
      await call((cb) => req.session.destroy(cb));
      clearSessionCookie(res);
    }
    log.info(
      {
        event: 'saml_idp_logout',
        idp: idp.id,
        sessionsEnded: ended + (isOwn ? 1 : 0),
        correlationId: correlationIdOf(req),
      },
      'single logout from the IdP',
    );
    const answer = await outgoing(settings, idp, idp.config.sloUrl).getLogoutResponseUrlAsync(
      { ID: request.id } as unknown as Profile,
      relayState ?? '',
      {},
      true,
    );
    res.set('Cache-Control', 'no-store').redirect(302, answer);
  };

  /** The IdP's answer to our LogoutRequest: only the pending-logout cookie says what we asked. */
  const handleResponse = (req: Request, res: Response, idp: ResolvedIdp, xml: string, expectedId: string) => {
    const response = readLogoutResponse(xml);
    checkLogoutEnvelope(response, {
      idpEntityId: idp.config.entityId,
      sloUrl: settings.sloUrl,
      now: Date.now(),
      skewMs: settings.clockSkewMs,
      maxAgeMs: LOGOUT_MESSAGE_MAX_AGE_MS,
    });
    if (response.inResponseTo !== expectedId)
      throw new SignInRejection('unknown-in-response-to', 'LogoutResponse does not answer the logout request we sent');
    res.clearCookie(PENDING_LOGOUT_COOKIE, { path: '/saml' });
    const success = response.statusCode === STATUS_SUCCESS;
    log.info(
      { event: 'saml_logout_completed', idp: idp.id, success, correlationId: correlationIdOf(req) },
      'IdP answered our logout',
    );
    // Signed out here in any case; when the IdP could not end its own session, say so (shared computers).
    renderSignedOutPage(res.status(200).set('Cache-Control', 'no-store'), success ? null : idp.config.label);
  };

  const endpoint: RequestHandler = (req, res, next) => {
    void (async () => {
      const rawQuery = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      let idpId: string | null = null;
      try {
        const message = readRedirectQuery(rawQuery);
        if (message.kind === 'SAMLRequest') {
          // Whose keys to try: the IdP named by the (not yet trusted) Issuer, among those doing single logout.
          const issuer = unverifiedIssuer(message.xml);
          const idp = [...settings.idps.values()].find((i) => i.config.entityId === issuer);
          if (!canSignOutAt(idp))
            throw new SignInRejection(
              'issuer-mismatch',
              'LogoutRequest from an issuer that is not an IdP configured for single logout',
            );
          idpId = idp.id;
          requireIdpSignature(message, idp);
          await handleRequest(req, res, idp, message.xml, message.relayState);
          return;
        }
        const pending = readPendingLogout(req, settings.cookieSecrets);
        const idp = pending ? settings.idps.get(pending.idp) : undefined;
        if (!pending || !idp)
          throw new SignInRejection(
            'unknown-in-response-to',
            'LogoutResponse while no logout of ours is pending in this browser',
          );
        idpId = idp.id;
        requireIdpSignature(message, idp);
        handleResponse(req, res, idp, message.xml, pending.requestId);
      } catch (err) {
        reject(req, res, err, idpId);
      }
    })().catch(next);
  };

  const indexLogin = async (req: Request, login: SamlLogin, sessionExpires: number): Promise<void> => {
    const idp = settings.idps.get(login.idp);
    if (!canSignOutAt(idp)) return;
    await rememberSession(req.sessionStore as Store, login.idp, login.nameId, {
      sid: req.sessionID,
      sessionIndex: login.sessionIndex,
      expires: sessionExpires,
    });
  };

  return { startLogout, endpoint, indexLogin };
}

function readPendingLogout(req: Request, secrets: readonly string[]): { idp: string; requestId: string } | null {
  for (const value of cookieValues(req, PENDING_LOGOUT_COOKIE)) {
    const payload = verifyToken(value, secrets, PENDING_PURPOSE, new Date());
    const m = payload ? /^([a-z0-9-]+)~(.+)$/.exec(payload) : null;
    if (m) return { idp: m[1] as string, requestId: m[2] as string };
  }
  return null;
}
