import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type passport from 'passport';
import type { Logger } from 'pino';
import type { Profile } from '@node-saml/node-saml';
import type { VerifiedCallback } from '@node-saml/passport-saml';
import type { AuthSettings, ResolvedIdp } from './auth-settings.js';
import './express-user.js';
import { correlationIdOf } from './correlation-id.js';
import { safeLocalPath } from './local-path.js';
import { renderNoContractPage, renderNotAllowedPage, renderResubmitPage, renderSignInFailedPage } from './pages.js';
import { Principal } from './principal.js';
import { principalFromProfile } from './principal-from-claims.js';
import {
  checkVerifiedResponse,
  readRawResponse,
  refuseWeakAlgorithms,
  type RawResponseFacts,
} from './response-checks.js';
import type { SamlVerify } from './saml-strategy.js';
import { hasPendingRequests, idpOfPendingRequest, SessionRequestIdCache } from './session-request-id-cache.js';
import './session-state.js';
import type { SamlLogin } from './session-state.js';
import { startSignedInSession } from './signed-in-session.js';
import { attributesSent, explainRefusal } from './refusal-diagnosis.js';
import { decryptionKeyFor } from './decryption-key.js';
import type { Locale } from '../i18n/translator.js';
import { SignInRejection, toRejection, type RejectionReason } from './sign-in-rejection.js';

/** What the ACS handler tells the strategy's verify step about the response being processed. */
export interface AcsContext {
  idp: ResolvedIdp;
  correlationId: string;
  /** Set by the verify step: how to name this sign-in in a later single logout. */
  login?: SamlLogin;
  /** Set by the verify step: the language claim, when the IdP sent one the app speaks. */
  locale?: Locale;
  /** The SP key that opens this response's encrypted assertion (decryption-key.ts). */
  decryptionKey?: string;
}

/** Marks the second, same-site POST of a response (see resubmitPage). */
export const RESUBMIT_FIELD = 'SameSiteRetry';

/**
 * The strategy's verify step, run on the response node-saml has verified (signatures, audience,
 * time window, InResponseTo): the checks node-saml leaves to the app, then the principal.
 */
export function createSamlVerify(
  settings: AuthSettings,
  log: Logger,
  contextOf: (req: Request) => AcsContext | undefined,
): SamlVerify {
  return (req: Request, profile: Profile | null, done: VerifiedCallback): void => {
    const ctx = contextOf(req);
    try {
      if (!ctx) throw new Error('ACS context missing');
      if (!profile) throw new SignInRejection('malformed', 'no assertion in the response');
      checkVerifiedResponse(profile, { idpEntityId: ctx.idp.config.entityId, acsUrl: settings.acsUrl });
      const { principal, droppedRoles, locale } = principalFromProfile(profile, ctx.idp.config);
      if (locale) ctx.locale = locale;
      if (droppedRoles.length) {
        log.warn(
          { event: 'saml_roles_dropped', idp: ctx.idp.id, roles: droppedRoles, correlationId: ctx.correlationId },
          'IdP sent roles it may not grant',
        );
      }
      ctx.login = {
        idp: ctx.idp.id,
        nameId: profile.nameID,
        nameIdFormat: profile.nameIDFormat || null,
        sessionIndex:
          typeof profile.sessionIndex === 'string' && profile.sessionIndex !== '' ? profile.sessionIndex : null,
      };
      done(null, principal as unknown as Record<string, unknown>);
    } catch (err) {
      done(err as Error);
    }
  };
}

export interface AcsDeps {
  settings: AuthSettings;
  authenticator: passport.Authenticator;
  log: Logger;
  /** Where the handler leaves the context for the verify step. */
  acsContext: WeakMap<Request, AcsContext>;
  keepSessionKeys: readonly string[];
  autoSubmitPath: string;
  /** After sign-in: the logout index entry that lets an IdP-initiated logout find this session. */
  indexLogin: (req: Request, login: SamlLogin, sessionExpires: number) => Promise<void>;
}

/**
 * POST /saml/acs. Order matters: cheap structural checks on the unverified document only to find
 * which pending request (and so which IdP) it claims to answer, then node-saml's verification with
 * that IdP's certificates and cache partition, then the app's checks, then sign-in.
 * Every refusal is a 401 "Sign-in failed" page and one log line with the reason category.
 */
export function createAcsHandler(deps: AcsDeps): RequestHandler {
  return (req, res, next) => {
    handleAcsPost(deps, req, res, next).catch(next);
  };
}

/** What a refusal logs: the reason category and a detail (never personal data). */
interface Refusal {
  reason: RejectionReason;
  detail: string;
}

/** The POSTed response and what was read from it before any signature is checked. */
interface AcsPost {
  body: Record<string, unknown>;
  samlResponse: string;
  relayState: string;
  facts: RawResponseFacts;
}

async function handleAcsPost(deps: AcsDeps, req: Request, res: Response, next: NextFunction): Promise<void> {
  const { settings, authenticator, log, acsContext } = deps;
  const correlationId = correlationIdOf(req);
  res.set('Cache-Control', 'no-store');
  const post = readAcsPost(req);
  if ('reason' in post) return rejectSignIn(log, res, post.reason, post.detail, null, correlationId);
  if (resubmitFromThisSite(req, res, post, deps.autoSubmitPath)) return;
  const pending = pendingRequestOf(deps, req, res, post, correlationId);
  if (!pending) return;
  const { idp, inResponseTo } = pending;
  // Whatever happens now, this request id is answered: it can never be used again (replay).
  const consume = () =>
    new SessionRequestIdCache(req.session, idp.id, settings.requestMaxAgeMs).removeAsync(inResponseTo);

  try {
    refuseWeakAlgorithms(post.facts, idp.config.allowSha1);
  } catch (err) {
    await consume();
    const r = toRejection(err);
    return rejectSignIn(log, res, r.reason, r.message, idp.id, correlationId);
  }

  const decryptionKey = decryptionKeyFor(
    post.facts.wrappedKey,
    settings.encryption.map((e) => e.privateKey),
  );
  acsContext.set(req, { idp, correlationId, decryptionKey });
  authenticator.authenticate('saml', { session: false }, (err: unknown, user: Express.User | false | null) => {
    void (async () => {
      await consume();
      if (err || !(user instanceof Principal)) {
        const r = toRejection(err ?? new SignInRejection('invalid-response', 'no principal'));
        const context = {
          idp: idp.config,
          certs: idp.certs,
          spEncryptionCerts: settings.encryption.map((e) => e.cert),
          clockSkewMs: settings.clockSkewMs,
          now: new Date(),
        };
        return rejectSignIn(log, res, r.reason, explainRefusal(r, post.facts, context), idp.id, correlationId);
      }
      await completeSignIn(deps, req, res, user, idp, post, correlationId);
    })().catch(next);
  })(req, res, next);
}

function rejectSignIn(
  log: Logger,
  res: Response,
  reason: RejectionReason,
  detail: string,
  idp: string | null,
  correlationId: string,
): void {
  // Reason and IdP only: never the assertion, the NameID or any claim value (personal data).
  log.warn(
    { event: 'saml_signin_rejected', reason, idp, correlationId, detail: detail.slice(0, 800) },
    'sign-in rejected',
  );
  res.set('Cache-Control', 'no-store');
  // A partner's user without a contract did sign in correctly: tell them what is missing, not "failed".
  if (reason === 'no-contract') return renderNoContractPage(res.status(403), correlationId);
  renderSignInFailedPage(res.status(401), correlationId);
}

function readAcsPost(req: Request): AcsPost | Refusal {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const q = req.query as Record<string, unknown>;
  // A SAMLRequest (or a SAML message in the query) would make passport-saml treat this as single logout.
  if ('SAMLRequest' in q || 'SAMLResponse' in q || typeof body.SAMLResponse !== 'string' || 'SAMLRequest' in body) {
    return { reason: 'malformed', detail: 'ACS expects exactly one SAMLResponse in a POST body' };
  }
  const samlResponse = body.SAMLResponse;
  const relayState = safeLocalPath(body.RelayState);
  try {
    return { body, samlResponse, relayState, facts: readRawResponse(samlResponse) };
  } catch (err) {
    const r = toRejection(err);
    return { reason: r.reason, detail: r.message };
  }
}

/**
 * No sign-in pending in this session: most likely the cross-site POST from the IdP came without
 * the SameSite=Lax session cookie. Post once more from this site, which carries it. The session
 * is left untouched (no Set-Cookie that would replace the real one). True when it answered.
 */
function resubmitFromThisSite(req: Request, res: Response, post: AcsPost, autoSubmitPath: string): boolean {
  if (hasPendingRequests(req.session) || post.body[RESUBMIT_FIELD] === '1') return false;
  const fields: Record<string, string> = { SAMLResponse: post.samlResponse, [RESUBMIT_FIELD]: '1' };
  if (typeof post.body.RelayState === 'string') fields.RelayState = post.body.RelayState;
  renderResubmitPage(res.status(200), req.originalUrl.split('?')[0] ?? '/saml/acs', fields, autoSubmitPath);
  return true;
}

/** The pending request the response answers, and its IdP; null when the response has been answered here. */
function pendingRequestOf(
  { settings, log }: AcsDeps,
  req: Request,
  res: Response,
  post: AcsPost,
  correlationId: string,
): { idp: ResolvedIdp; inResponseTo: string } | null {
  const inResponseTo = post.facts.inResponseTo;
  if (!inResponseTo) {
    rejectSignIn(
      log,
      res,
      'unsolicited',
      'response has no InResponseTo (IdP-initiated sign-in is refused)',
      null,
      correlationId,
    );
    return null;
  }
  const idpId = idpOfPendingRequest(req.session, inResponseTo, settings.requestMaxAgeMs);
  const idp = idpId === null ? undefined : settings.idps.get(idpId);
  if (idp) return { idp, inResponseTo };
  if (req.user instanceof Principal) {
    // Already signed in: a second post of the same answer (Continue pressed while the script
    // submitted). It grants nothing; showing "Sign-in failed" to a signed-in person would mislead.
    log.info(
      { event: 'saml_response_ignored', reason: 'already-signed-in', correlationId },
      'response for no pending request; already signed in',
    );
    res.redirect(302, post.relayState);
    return null;
  }
  rejectSignIn(
    log,
    res,
    'unknown-in-response-to',
    'InResponseTo is not a pending request of this session',
    idpId,
    correlationId,
  );
  return null;
}

/** The verified principal: its roles must allow the timesheet, then the new session and its logout index entry. */
async function completeSignIn(
  deps: AcsDeps,
  req: Request,
  res: Response,
  user: Principal,
  idp: ResolvedIdp,
  { relayState, facts }: AcsPost,
  correlationId: string,
): Promise<void> {
  const { settings, authenticator, log, acsContext } = deps;
  if (!user.roles.some((role) => settings.allowedRoles.includes(role))) {
    // Which role claims were read, and which attributes came: an empty `roles` most often means the
    // IdP sends its roles under another name (Role, groups) than the `claims.roles` of this IdP.
    log.warn(
      {
        event: 'saml_signin_not_allowed',
        idp: idp.id,
        roles: user.roles,
        allowedRoles: settings.allowedRoles,
        roleClaims: idp.config.claims.roles,
        correlationId,
      },
      `no timesheet role: ${user.roles.length ? `roles ${user.roles.join(', ')} are not among ${settings.allowedRoles.join(', ')}` : `no role in saml.idps[${idp.id}].claims.roles (${idp.config.claims.roles.join(', ')}); ${attributesSent(facts)}`}`,
    );
    return renderNotAllowedPage(res.status(403), correlationId);
  }
  const previous = req.session as unknown as Record<string, unknown>;
  const kept = Object.fromEntries(deps.keepSessionKeys.filter((k) => k in previous).map((k) => [k, previous[k]]));
  const { login, locale } = acsContext.get(req) ?? {};
  // The claimed language goes into the new session with the principal, in the same single write.
  const carried = {
    ...kept,
    ...(login ? { samlLogin: login } : {}),
    ...(locale ? { language: { claim: locale } } : {}),
  };
  await startSignedInSession(req, user, carried, authenticator);
  // The index is written before express-session stores the session at the end of this
  // response: an IdP-initiated logout cannot reach us in between, it travels through this
  // same browser, which is waiting for this response.
  if (login)
    await deps.indexLogin(req, login, req.session.cookie.expires?.getTime() ?? Date.now() + settings.sessionMaxAgeMs);
  log.info({ event: 'saml_signin', idp: idp.id, correlationId }, 'signed in');
  res.redirect(302, relayState);
}
