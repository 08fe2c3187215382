import type { Request, RequestHandler, Response } from 'express';
import type { Store } from 'express-session';
import type { Logger } from 'pino';
import type { AuthSettings } from './auth-settings.js';
import { correlationIdOf } from './correlation-id.js';
import { createLogoutEndpoint } from './logout-endpoint.js';
import { call, forgetSession, rememberSession } from './logout-index.js';
import { canSignOutAt, logoutRequestUrl } from './logout-outgoing.js';
import { setPendingLogout } from './pending-logout.js';
import './session-state.js';
import type { SamlLogin } from './session-state.js';

export { PENDING_LOGOUT_COOKIE } from './pending-logout.js';

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
  return {
    startLogout: (req, res, next) => {
      signOut(settings, log, req, res).catch(next);
    },
    endpoint: createLogoutEndpoint(settings, log),
    indexLogin: (req, login, sessionExpires) => indexLogin(settings, req, login, sessionExpires),
  };
}

async function signOut(settings: AuthSettings, log: Logger, req: Request, res: Response): Promise<void> {
  const login = req.session?.samlLogin;
  const idp = login ? settings.idps.get(login.idp) : undefined;
  let idpUrl: string | null = null;
  if (login && canSignOutAt(settings, idp)) {
    const request = await logoutRequestUrl(settings, idp, login);
    idpUrl = request.url;
    setPendingLogout(req, res, settings.cookieSecrets, idp.id, request.requestId);
  }
  // The person is signed out here first, whatever the IdP does next.
  await destroySession(log, req);
  res.clearCookie(settings.sessionCookieName, { path: '/' });
  res.set('Cache-Control', 'no-store');
  log.info(
    { event: 'saml_logout', idp: login?.idp ?? null, single: idpUrl !== null, correlationId: correlationIdOf(req) },
    'signed out',
  );
  if (req.accepts(['html', 'json']) === 'json') return void res.status(204).end();
  res.redirect(303, idpUrl ?? '/signed-out');
}

async function destroySession(log: Logger, req: Request): Promise<void> {
  if (!req.session) return;
  const login = req.session.samlLogin;
  const sid = req.sessionID;
  await call((cb) => req.session.destroy(cb));
  if (login) {
    // Best effort: a stale index entry only points at a session that no longer exists.
    await forgetSession(req.sessionStore as Store, login.idp, login.nameId, sid).catch((err: unknown) =>
      log.warn({ event: 'saml_logout_index_error', err: (err as Error).message }, 'could not update the logout index'),
    );
  }
}

async function indexLogin(
  settings: AuthSettings,
  req: Request,
  login: SamlLogin,
  sessionExpires: number,
): Promise<void> {
  const idp = settings.idps.get(login.idp);
  if (!canSignOutAt(settings, idp)) return;
  await rememberSession(req.sessionStore as Store, login.idp, login.nameId, {
    sid: req.sessionID,
    sessionIndex: login.sessionIndex,
    expires: sessionExpires,
  });
}
