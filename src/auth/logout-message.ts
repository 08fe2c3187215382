import type { ResolvedIdp } from './auth-settings.js';
import {
  checkRedirectSignature,
  decodeRedirect,
  RedirectBindingError,
  type DecodedRedirect,
} from './redirect-binding.js';
import {
  LogoutMessageError,
  parseLogoutRequest,
  parseLogoutResponse,
  type LogoutRequestInfo,
  type LogoutResponseInfo,
} from './logout-message-reader.js';
import {
  explainLogoutAlgorithm,
  explainLogoutSignature,
  explainLogoutTime,
  quoted,
  type LogoutClock,
} from './refusal-diagnosis.js';
import { childElements, NS, parseUntrustedXml } from './safe-xml.js';
import { SignInRejection } from './sign-in-rejection.js';

/**
 * Incoming single-logout messages (HTTP-Redirect binding), checked here rather than by node-saml 5.1,
 * which accepts an UNSIGNED redirect LogoutRequest, any hash the platform knows (SHA-1 too), a
 * LogoutResponse without InResponseTo, and never compares Destination. Decoding and the signature
 * over the exact octets received are redirect-binding.ts; here: the policy (signature required, SHA-1
 * only for an IdP allowed it) and the message's Issuer, Destination, time window and fields.
 * Everything read before the signature check is used only to pick which IdP's keys to try.
 */

/** Decodes the raw query string; any binding problem is a 'malformed' refusal. */
export function readRedirectQuery(rawQuery: string): DecodedRedirect {
  try {
    return decodeRedirect(rawQuery);
  } catch (err) {
    if (err instanceof RedirectBindingError) throw new SignInRejection('malformed', err.message);
    throw err;
  }
}

/** Throws unless one of the IdP's certificates signed the message with an accepted algorithm. */
export function requireIdpSignature(message: DecodedRedirect, idp: ResolvedIdp): void {
  const verdict = checkRedirectSignature(message, idp.certs, { allowSha1: idp.config.allowSha1 });
  // The refusal says what the IdP's administrator must change: SimpleSAMLphp, for one, does not sign
  // logout messages unless told to.
  if (verdict === 'unsigned')
    throw new SignInRejection(
      'invalid-signature',
      "logout message is not signed: the IdP must sign its logout messages (SimpleSAMLphp: 'sign.logout' => true; " +
        'Shibboleth signs them over the browser by default); this SP refuses unsigned ones',
    );
  if (verdict === 'weak-algorithm')
    throw new SignInRejection('weak-algorithm', explainLogoutAlgorithm(idp.config, message.sigAlg));
  // Which certificates were tried, by fingerprint: what the operator compares with the IdP's metadata.
  if (verdict !== 'valid')
    throw new SignInRejection('invalid-signature', explainLogoutSignature(idp.config, idp.certs));
}

/** The message's XML, parsed strictly; a structural problem is a 'malformed' refusal. */
export function readLogoutRequest(xml: string): LogoutRequestInfo {
  return asRejection(() => parseLogoutRequest(xml));
}

export function readLogoutResponse(xml: string): LogoutResponseInfo {
  return asRejection(() => parseLogoutResponse(xml));
}

function asRejection<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof LogoutMessageError) throw new SignInRejection('malformed', err.message);
    throw err;
  }
}

/** The Issuer, read before any check: only to choose whose certificates to try. */
export function unverifiedIssuer(xml: string): string | null {
  try {
    const root = parseUntrustedXml(xml).documentElement;
    return root ? (childElements(root, NS.assertion, 'Issuer')[0]?.textContent ?? '').trim() || null : null;
  } catch {
    return null;
  }
}

export interface ExpectedLogout extends LogoutClock {
  idpEntityId: string;
  /** This SP's SingleLogoutService URL. */
  sloUrl: string;
}

/**
 * Issuer, Destination (required: the message is signed, bindings §3.4.5.2) and the time window. Each
 * refusal quotes what the message says next to what was expected (refusal-diagnosis.ts).
 */
export function checkLogoutEnvelope(
  message: { issuer: string; destination: string | null; issueInstant?: Date; notOnOrAfter?: Date | null },
  expected: ExpectedLogout,
): void {
  if (message.issuer !== expected.idpEntityId)
    throw new SignInRejection(
      'issuer-mismatch',
      `logout Issuer is not the IdP whose key signed it: the message says ${quoted(message.issuer)}, the IdP is ${quoted(expected.idpEntityId)}`,
    );
  if (message.destination !== expected.sloUrl)
    throw new SignInRejection(
      'destination-mismatch',
      `logout Destination is not this SLO URL: the message says ${quoted(message.destination)}, this SP's is ` +
        `${quoted(expected.sloUrl)} (the IdP has another URL for this SP: give it the SP metadata again; or app.publicUrl is wrong)`,
    );
  const issued = message.issueInstant;
  if (issued !== undefined && issued.getTime() > expected.now + expected.skewMs)
    throw new SignInRejection('not-yet-valid', explainLogoutTime('issued-in-future', issued, expected));
  if (issued !== undefined && issued.getTime() < expected.now - expected.maxAgeMs - expected.skewMs)
    throw new SignInRejection('expired', explainLogoutTime('too-old', issued, expected));
  const until = message.notOnOrAfter;
  if (until != null && until.getTime() <= expected.now - expected.skewMs)
    throw new SignInRejection('expired', explainLogoutTime('not-on-or-after-passed', until, expected));
}
