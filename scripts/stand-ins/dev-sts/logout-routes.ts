import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { cookieValues } from '../../../src/web/request-cookies.js';
import {
  LogoutMessageError,
  parseLogoutRequest,
  parseLogoutResponse,
  type LogoutRequestInfo,
} from './logout-message-reading.js';
import { buildLogoutResponse, STATUS } from './logout-messages.js';
import { logoutRequestUrl, withQuery } from './logout-request-url.js';
import { renderLogoutPage, renderMessage } from './pages.js';
import type { PendingLogouts } from './pending-logouts.js';
import {
  decodeRedirect,
  encodeRedirect,
  RedirectBindingError,
  verifyRedirectSignature,
  type DecodedRedirect,
} from './http-redirect.js';
import type { ServiceProvider } from './sts-app.js';
import type { StsSessions } from './sts-sessions.js';

export interface LogoutRouteDeps {
  entityId: string;
  stsName: string;
  privateKeyPem: string;
  log: Logger;
  sps: Map<string, ServiceProvider>;
  sessions: StsSessions;
  pending: PendingLogouts;
  /** Known only once the server listens. */
  sloUrl: () => string;
  cookieName: () => string;
}

/** A LogoutRequest older than this is refused even without NotOnOrAfter (node-saml sends none). */
const MAX_REQUEST_AGE_MS = 10 * 60_000;
const CLOCK_SKEW_MS = 60_000;

/** SPs the STS can log out: it can send them a request and check their signed answer. */
const canLogOut = (sp: ServiceProvider | undefined): sp is ServiceProvider & { sloUrl: string; certPem: string } =>
  Boolean(sp?.sloUrl && sp.certPem);

/**
 * Single Logout (core §3.7), HTTP-Redirect binding, signed both ways:
 * - GET /slo?SAMLRequest=... (SP-initiated): checked, the STS session ended, a signed LogoutResponse
 *   sent back to the SP's sloUrl with the same RelayState;
 * - GET /logout, POST /logout (IdP-initiated): the STS sends a signed LogoutRequest to each SP of its
 *   session in turn; each answers at GET /slo?SAMLResponse=..., then "You are signed out".
 * SP-initiated logout ends the STS session without asking the session's other SPs (a real IdP would
 * propagate it first; the dev STS keeps the exchange to the two messages the SP under test sees).
 */
export function registerLogoutRoutes(app: Express, deps: LogoutRouteDeps): void {
  const { entityId, stsName, privateKeyPem, log, sps, sessions, pending, sloUrl, cookieName } = deps;
  const cookieOptions = { httpOnly: true, sameSite: 'lax', path: '/' } as const;
  const sessionIdOf = (req: Request) => cookieValues(req, cookieName())[0];
  const refuse = (res: Response, reason: string, title: string, detail: string, sp?: string) => {
    log.warn({ event: 'sts_slo_refused', reason, sp }, `logout message refused: ${detail}`);
    renderMessage(res.req, res, stsName, 400, title, [detail]);
  };
  /** The origins POST /logout may redirect to (CSP form-action applies to the redirect too). */
  const formAction = () =>
    ["'self'", ...new Set([...sps.values()].filter(canLogOut).map((sp) => new URL(sp.sloUrl).origin))].join(' ');

  /** Removes the browser's cookie once it names no live session any more. */
  const clearStaleCookie = (req: Request, res: Response) => {
    const id = sessionIdOf(req);
    if (id !== undefined && !sessions.get(id)) res.clearCookie(cookieName(), cookieOptions);
  };

  const signedOut = (req: Request, res: Response, partial: boolean) => {
    clearStaleCookie(req, res);
    renderLogoutPage(req, res, stsName, {
      title: 'signedOutTitle',
      lines: partial ? ['signedOut', 'partialLogout'] : ['signedOut'],
    });
  };

  /** Sends the browser to the next SP of the session, or ends the session when none is left. */
  const continueLogout = (req: Request, res: Response, sessionId: string) => {
    const session = sessions.get(sessionId);
    const next = session?.participants.find((p) => canLogOut(sps.get(p.spEntityId)));
    if (!session || !next) {
      sessions.end(sessionId);
      return signedOut(req, res, session?.partial ?? false);
    }
    sessions.removeParticipant(sessionId, next);
    const url = logoutRequestUrl(
      { entityId, privateKeyPem, sps, pending },
      next.spEntityId,
      { nameId: next.nameId, nameIdFormat: next.nameIdFormat, sessionIndex: next.sessionIndex },
      sessionId,
    );
    log.info(
      { event: 'sts_logout_request_sent', sp: next.spEntityId, user: next.nameId },
      'asking the SP to end its session',
    );
    res.set('Cache-Control', 'no-store').redirect(302, url);
  };

  /** Checks common to both messages: a registered SP that does SLO, a valid signature, our Destination. */
  const checkSender = (
    res: Response,
    decoded: DecodedRedirect,
    issuer: string,
    destination: string | null,
  ): (ServiceProvider & { sloUrl: string; certPem: string }) | null => {
    const sp = sps.get(issuer);
    if (!sp) {
      refuse(
        res,
        'unknown_sp',
        'Unknown service provider',
        `The application "${issuer}" is not registered with this STS.`,
        issuer,
      );
      return null;
    }
    if (!canLogOut(sp)) {
      refuse(
        res,
        'no_slo',
        'Single logout not configured',
        `"${issuer}" is registered without a logout URL or signing certificate.`,
        issuer,
      );
      return null;
    }
    if (!decoded.signature) {
      refuse(
        res,
        'unsigned',
        'Unsigned logout message',
        'Logout messages must be signed (SigAlg and Signature).',
        issuer,
      );
      return null;
    }
    if (!verifyRedirectSignature(decoded, sp.certPem)) {
      refuse(
        res,
        'bad_signature',
        'Invalid signature',
        `The signature is not valid (RSA-SHA256 by the certificate registered for "${issuer}").`,
        issuer,
      );
      return null;
    }
    if (destination !== sloUrl()) {
      refuse(
        res,
        'destination',
        'Wrong destination',
        `The message is addressed to "${destination ?? '(none)'}", not to ${sloUrl()}.`,
        issuer,
      );
      return null;
    }
    return sp;
  };

  const handleRequest = (req: Request, res: Response, decoded: DecodedRedirect) => {
    let request: LogoutRequestInfo;
    try {
      request = parseLogoutRequest(decoded.xml);
    } catch (err) {
      if (!(err instanceof LogoutMessageError)) throw err;
      return refuse(res, 'malformed', 'Invalid logout request', err.message);
    }
    const sp = checkSender(res, decoded, request.issuer, request.destination);
    if (!sp) return;
    const now = Date.now();
    if (request.notOnOrAfter && now >= request.notOnOrAfter.getTime()) {
      return refuse(
        res,
        'expired',
        'Expired logout request',
        `The request expired at ${request.notOnOrAfter.toISOString()}.`,
        sp.entityId,
      );
    }
    if (
      now - request.issueInstant.getTime() > MAX_REQUEST_AGE_MS ||
      request.issueInstant.getTime() - now > CLOCK_SKEW_MS
    ) {
      return refuse(
        res,
        'issue_instant',
        'Stale logout request',
        `The request was issued at ${request.issueInstant.toISOString()}.`,
        sp.entityId,
      );
    }
    const current = sessions.get(sessionIdOf(req));
    if (current && current.nameId === request.nameId) sessions.end(current.id);
    sessions.forget(sp.entityId, request.nameId, request.sessionIndexes);
    clearStaleCookie(req, res);
    const response = buildLogoutResponse({ issuer: entityId, destination: sp.sloUrl, inResponseTo: request.id });
    log.info({ event: 'sts_slo', sp: sp.entityId, user: request.nameId }, 'SP-initiated logout');
    res
      .set('Cache-Control', 'no-store')
      .redirect(
        302,
        withQuery(sp.sloUrl, encodeRedirect('SAMLResponse', response.xml, decoded.relayState, privateKeyPem)),
      );
  };

  const handleResponse = (req: Request, res: Response, decoded: DecodedRedirect) => {
    let response;
    try {
      response = parseLogoutResponse(decoded.xml);
    } catch (err) {
      if (!(err instanceof LogoutMessageError)) throw err;
      return refuse(res, 'malformed', 'Invalid logout response', err.message);
    }
    const expected = pending.peek(response.inResponseTo);
    if (!expected) {
      return refuse(
        res,
        'unknown_request',
        'Unexpected logout response',
        `This STS sent no logout request "${response.inResponseTo}" (or it has expired).`,
        response.issuer,
      );
    }
    if (response.issuer !== expected.spEntityId) {
      return refuse(
        res,
        'wrong_issuer',
        'Unexpected logout response',
        `The request was sent to "${expected.spEntityId}", the answer comes from "${response.issuer}".`,
        response.issuer,
      );
    }
    if (!checkSender(res, decoded, response.issuer, response.destination)) return;
    pending.take(response.inResponseTo);
    const success = response.statusCode === STATUS.success;
    if (!success)
      log.warn(
        { event: 'sts_logout_partial', sp: expected.spEntityId, status: response.statusCode },
        'the SP did not confirm the logout',
      );
    else
      log.info(
        { event: 'sts_logout_confirmed', sp: expected.spEntityId, user: expected.nameId },
        'the SP ended its session',
      );
    if (expected.sessionId === null) {
      sessions.forget(
        expected.spEntityId,
        expected.nameId,
        expected.sessionIndex === null ? [] : [expected.sessionIndex],
      );
      return signedOut(req, res, !success);
    }
    const session = sessions.get(expected.sessionId);
    if (session && !success) session.partial = true;
    continueLogout(req, res, expected.sessionId);
  };

  app.get('/slo', (req, res) => {
    let decoded: DecodedRedirect;
    try {
      // The raw query: the signature is over the octets as the sender encoded them.
      decoded = decodeRedirect(req.originalUrl);
    } catch (err) {
      if (!(err instanceof RedirectBindingError)) throw err;
      return refuse(res, 'binding', 'Invalid logout message', err.message);
    }
    if (decoded.kind === 'SAMLRequest') handleRequest(req, res, decoded);
    else handleResponse(req, res, decoded);
  });

  app.get('/logout', (req, res) => {
    const session = sessions.get(sessionIdOf(req));
    renderLogoutPage(req, res, stsName, {
      title: 'logoutTitle',
      lines: session ? [{ text: 'signedInAs', value: session.nameId }, 'logoutExplain'] : ['logoutExplain'],
      form: { formAction: formAction() },
    });
  });

  // CSRF: the session cookie is SameSite=Lax, so a cross-site POST arrives without it and ends nothing.
  app.post('/logout', express.urlencoded({ extended: false, limit: '1kb' }), (req, res) => {
    const session = sessions.get(sessionIdOf(req));
    if (!session) {
      clearStaleCookie(req, res);
      return renderLogoutPage(req, res, stsName, { title: 'notSignedInTitle', lines: ['notSignedIn'] });
    }
    log.info(
      { event: 'sts_logout_started', user: session.nameId, sps: session.participants.map((p) => p.spEntityId) },
      'IdP-initiated logout',
    );
    continueLogout(req, res, session.id);
  });
}
