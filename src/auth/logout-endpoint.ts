import type { Request, RequestHandler, Response } from 'express';
import type { Store } from 'express-session';
import type { Logger } from 'pino';
import type { AuthSettings, ResolvedIdp } from './auth-settings.js';
import { correlationIdOf } from './correlation-id.js';
import { call, endSessions } from './logout-index.js';
import {
  checkLogoutEnvelope,
  readLogoutRequest,
  readLogoutResponse,
  readRedirectQuery,
  requireIdpSignature,
  unverifiedIssuer,
  type ExpectedLogout,
} from './logout-message.js';
import { canSignOutAt, logoutResponseUrl, type SloIdp } from './logout-outgoing.js';
import { renderLogoutFailedPage, renderSignedOutPage } from './pages.js';
import { quoted } from './refusal-diagnosis.js';
import { clearPendingLogout, readPendingLogout } from './pending-logout.js';
import './session-state.js';
import { SignInRejection, toRejection } from './sign-in-rejection.js';

const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
/** How old an IdP's logout message may be (its IssueInstant), on top of the clock skew. */
const LOGOUT_MESSAGE_MAX_AGE_MS = 5 * 60_000;

interface LogoutDeps {
  settings: AuthSettings;
  log: Logger;
}

/** GET /saml/slo: the IdP's LogoutRequest (IdP-initiated) or its LogoutResponse (answer to ours). */
export function createLogoutEndpoint(settings: AuthSettings, log: Logger): RequestHandler {
  const deps: LogoutDeps = { settings, log };
  return (req, res, next) => {
    void (async () => {
      const rawQuery = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      let idpId: string | null = null;
      try {
        const message = readRedirectQuery(rawQuery);
        if (message.kind === 'SAMLRequest') {
          // Whose keys to try: the IdP named by the (not yet trusted) Issuer, among those doing single logout.
          const issuer = unverifiedIssuer(message.xml);
          const idp = [...settings.idps.values()].find((i) => i.config.entityId === issuer);
          if (!canSignOutAt(settings, idp))
            throw new SignInRejection('issuer-mismatch', notForSingleLogout(settings, issuer, idp));
          idpId = idp.id;
          requireIdpSignature(message, idp);
          await handleLogoutRequest(deps, req, res, idp, message.xml, message.relayState);
          return;
        }
        const pending = readPendingLogout(req, settings.cookieSecrets);
        const idp = pending ? settings.idps.get(pending.idp) : undefined;
        if (!pending || !idp)
          throw new SignInRejection(
            'unknown-in-response-to',
            'LogoutResponse while no logout of ours is pending in this browser (InResponseTo answers nothing we sent: ' +
              'unsolicited, replayed, or the sign-out was started in another browser or too long ago)',
          );
        idpId = idp.id;
        try {
          requireIdpSignature(message, idp);
          handleLogoutResponse(deps, req, res, idp, message.xml, pending.requestId);
        } catch (err) {
          answerRefusedLogoutResponse(deps, req, res, idp, err);
        }
      } catch (err) {
        rejectLogoutMessage(log, req, res, err, idpId);
      }
    })().catch(next);
  };
}

/** Why a LogoutRequest's Issuer is not one this SP does single logout with, and what would change that. */
function notForSingleLogout(settings: AuthSettings, issuer: string | null, idp: ResolvedIdp | undefined): string {
  const head = 'LogoutRequest from an issuer that is not an IdP configured for single logout';
  if (!idp) {
    const slo = [...settings.idps.values()].filter((i) => i.config.sloUrl !== null).map((i) => i.id);
    return `${head}: the message says Issuer ${quoted(issuer)}, which is no saml.idps[].entityId (IdPs doing single logout: ${slo.join(', ') || 'none'})`;
  }
  if (idp.config.sloUrl === null)
    return `${head}: saml.idps[${idp.id}].sloUrl is null (single logout is off for this IdP; if it now has a SingleLogoutService, import its metadata again)`;
  return `${head}: saml.sp.signingKey is not set (single logout messages are signed)`;
}

function rejectLogoutMessage(log: Logger, req: Request, res: Response, err: unknown, idp: string | null): void {
  const correlationId = logRefusal(log, req, err, idp);
  renderLogoutFailedPage(res.status(400).set('Cache-Control', 'no-store'), correlationId);
}

/** The refusal's log line; returns the reference the page shows. */
function logRefusal(log: Logger, req: Request, err: unknown, idp: string | null): string {
  const r = toRejection(err);
  const correlationId = correlationIdOf(req);
  log.warn(
    { event: 'saml_logout_rejected', reason: r.reason, idp, correlationId, detail: r.message.slice(0, 500) },
    'logout message rejected',
  );
  return correlationId;
}

/**
 * The IdP's answer to our logout cannot be trusted (unsigned, forged, not the answer we wait for).
 * This browser's session ended when our request left, so the person IS signed out here: show that,
 * with the warning that their organisation did not confirm it (a shared computer may still be signed
 * in there), not an error page. Nothing is granted by a forged answer: the page only tells the truth.
 */
function answerRefusedLogoutResponse(
  { log }: LogoutDeps,
  req: Request,
  res: Response,
  idp: ResolvedIdp,
  err: unknown,
): void {
  logRefusal(log, req, err, idp.id);
  // The pending-logout cookie stays: the IdP's genuine answer, if it comes after, still confirms.
  renderSignedOutPage(res.status(200).set('Cache-Control', 'no-store'), idp.config.label);
}

function expectedFrom(settings: AuthSettings, idp: ResolvedIdp): ExpectedLogout {
  return {
    idpEntityId: idp.config.entityId,
    sloUrl: settings.sloUrl,
    now: Date.now(),
    skewMs: settings.clockSkewMs,
    maxAgeMs: LOGOUT_MESSAGE_MAX_AGE_MS,
  };
}

/** IdP-initiated: end this person's sessions everywhere, answer with a signed LogoutResponse. */
async function handleLogoutRequest(
  { settings, log }: LogoutDeps,
  req: Request,
  res: Response,
  idp: SloIdp,
  xml: string,
  relayState: string | null,
): Promise<void> {
  const request = readLogoutRequest(xml);
  checkLogoutEnvelope(request, expectedFrom(settings, idp));
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
    ended.push(req.sessionID); // before destroy, which takes the id with it
    await call((cb) => req.session.destroy(cb));
    res.clearCookie(settings.sessionCookieName, { path: '/' });
  }
  // This browser's session is usually in the index too: counted once, not twice.
  const sessionsEnded = new Set(ended).size;
  log.info(
    {
      event: 'saml_idp_logout',
      idp: idp.id,
      sessionsEnded,
      correlationId: correlationIdOf(req),
    },
    'single logout from the IdP',
  );
  const answer = await logoutResponseUrl(settings, idp, request.id, relayState);
  res.set('Cache-Control', 'no-store').redirect(302, answer);
}

/** The IdP's answer to our LogoutRequest: only the pending-logout cookie says what we asked. */
function handleLogoutResponse(
  { settings, log }: LogoutDeps,
  req: Request,
  res: Response,
  idp: ResolvedIdp,
  xml: string,
  expectedId: string,
): void {
  const response = readLogoutResponse(xml);
  checkLogoutEnvelope(response, expectedFrom(settings, idp));
  if (response.inResponseTo !== expectedId)
    throw new SignInRejection(
      'unknown-in-response-to',
      `LogoutResponse does not answer the logout request we sent: its InResponseTo is ${quoted(response.inResponseTo)}, ours ${quoted(expectedId)}`,
    );
  clearPendingLogout(res);
  const success = response.statusCode === STATUS_SUCCESS;
  log.info(
    { event: 'saml_logout_completed', idp: idp.id, success, correlationId: correlationIdOf(req) },
    'IdP answered our logout',
  );
  // Signed out here in any case; when the IdP could not end its own session, say so (shared computers).
  renderSignedOutPage(res.status(200).set('Cache-Control', 'no-store'), success ? null : idp.config.label);
}
