import { createVerify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { ResolvedIdp } from './auth-settings.js';
import { childElements, NS, parseUntrustedXml } from './safe-xml.js';
import { SignInRejection } from './sign-in-rejection.js';

/**
 * Incoming single-logout messages, HTTP-Redirect binding (SAML bindings §3.4.4.1), checked here rather
 * than by node-saml 5.1, which accepts an UNSIGNED redirect LogoutRequest, any hash the platform knows
 * (SHA-1 too), a LogoutResponse without InResponseTo, and never compares Destination.
 * Here: the signature is required and verified over the exact octets received; SHA-1 only for an IdP
 * allowed it; Issuer, Destination, time window and (for answers) InResponseTo are the caller's checks
 * below. Everything read before the signature check is used only to pick which IdP's keys to try.
 */
export type LogoutKind = 'SAMLRequest' | 'SAMLResponse';

export interface RawRedirectMessage {
  kind: LogoutKind;
  xml: string;
  relayState: string | null;
  sigAlg: string | null;
  signature: Buffer | null;
  /** `SAMLRequest=...&RelayState=...&SigAlg=...` exactly as received: what the IdP signed. */
  signedOctets: string;
}

const SIG_ALGS: Record<string, { node: string; sha1: boolean }> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { node: 'RSA-SHA256', sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { node: 'RSA-SHA512', sha1: false },
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { node: 'RSA-SHA1', sha1: true },
};

const MAX_QUERY_CHARS = 64 * 1024;
const MAX_XML_BYTES = 256 * 1024;

const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));

/** Splits the raw query string; each SAML parameter may appear once. */
export function readRedirectQuery(rawQuery: string): RawRedirectMessage {
  if (rawQuery.length > MAX_QUERY_CHARS) throw new SignInRejection('malformed', 'logout query too long');
  const raw = new Map<string, string>();
  for (const token of rawQuery.split('&')) {
    if (token === '') continue;
    const eq = token.indexOf('=');
    const name = eq < 0 ? token : token.slice(0, eq);
    if (!['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature'].includes(name)) continue;
    if (raw.has(name)) throw new SignInRejection('malformed', `${name} given twice`);
    raw.set(name, eq < 0 ? '' : token.slice(eq + 1));
  }
  const kinds = (['SAMLRequest', 'SAMLResponse'] as const).filter((k) => raw.has(k));
  if (kinds.length !== 1) throw new SignInRejection('malformed', 'expected exactly one of SAMLRequest / SAMLResponse');
  const kind = kinds[0] as LogoutKind;
  let xml: string;
  let relayState: string | null;
  let sigAlg: string | null;
  let signature: Buffer | null;
  try {
    const deflated = Buffer.from(formDecode(raw.get(kind) as string), 'base64');
    xml = inflateRawSync(deflated, { maxOutputLength: MAX_XML_BYTES }).toString('utf8');
    relayState = raw.has('RelayState') ? formDecode(raw.get('RelayState') as string) : null;
    sigAlg = raw.has('SigAlg') ? formDecode(raw.get('SigAlg') as string) : null;
    signature = raw.has('Signature') ? Buffer.from(formDecode(raw.get('Signature') as string), 'base64') : null;
  } catch {
    throw new SignInRejection('malformed', `${kind} is not DEFLATE + base64 + URL encoding`);
  }
  const part = (name: string) => (raw.has(name) ? [`${name}=${raw.get(name)}`] : []);
  const signedOctets = [...part(kind), ...part('RelayState'), ...part('SigAlg')].join('&');
  return { kind, xml, relayState, sigAlg, signature, signedOctets };
}

/** Throws unless one of the IdP's certificates signed the message with an accepted algorithm. */
export function verifyRedirectSignature(message: RawRedirectMessage, idp: ResolvedIdp): void {
  if (!message.sigAlg || !message.signature || message.signature.length === 0) {
    throw new SignInRejection('invalid-signature', 'logout message is not signed');
  }
  const alg = SIG_ALGS[message.sigAlg];
  if (!alg) throw new SignInRejection('weak-algorithm', 'unsupported SigAlg');
  if (alg.sha1 && !idp.config.allowSha1) throw new SignInRejection('weak-algorithm', 'SHA-1 refused');
  const ok = idp.certs.some((pem) => {
    try {
      return createVerify(alg.node).update(message.signedOctets).verify(pem, message.signature as Buffer);
    } catch {
      return false;
    }
  });
  if (!ok) throw new SignInRejection('invalid-signature', 'logout message signature does not verify with the IdP certificates');
}

export interface LogoutEnvelope {
  id: string;
  issuer: string;
  destination: string | null;
  issueInstant: number;
}

export interface ParsedLogoutRequest extends LogoutEnvelope {
  nameId: string;
  notOnOrAfter: number | null;
  sessionIndexes: string[];
}

export interface ParsedLogoutResponse extends LogoutEnvelope {
  inResponseTo: string | null;
  statusCode: string;
}

const text = (el: { textContent: string | null } | undefined) => (el?.textContent ?? '').trim();

function instant(value: string | null, what: string): number {
  const ms = value ? Date.parse(value) : NaN;
  if (!value || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value) || Number.isNaN(ms)) {
    throw new SignInRejection('malformed', `${what} is not an xs:dateTime in UTC`);
  }
  return ms;
}

function envelope(xml: string, localName: 'LogoutRequest' | 'LogoutResponse') {
  let doc;
  try {
    doc = parseUntrustedXml(xml);
  } catch {
    throw new SignInRejection('malformed', 'logout message is not acceptable XML (or has a DOCTYPE)');
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== NS.protocol || root.localName !== localName) throw new SignInRejection('malformed', `not a samlp:${localName}`);
  const issuers = childElements(root, NS.assertion, 'Issuer');
  const id = root.getAttribute('ID');
  if (!id || issuers.length !== 1 || root.getAttribute('Version') !== '2.0') throw new SignInRejection('malformed', `${localName} needs ID, Version 2.0 and one Issuer`);
  const fields: LogoutEnvelope = {
    id,
    issuer: text(issuers[0]),
    destination: root.getAttribute('Destination'),
    issueInstant: instant(root.getAttribute('IssueInstant'), 'IssueInstant'),
  };
  return { root, fields };
}

/** The Issuer, read before any check: only to choose whose certificates to try. */
export function unverifiedIssuer(xml: string): string | null {
  try {
    const root = parseUntrustedXml(xml).documentElement;
    return root ? text(childElements(root, NS.assertion, 'Issuer')[0]) || null : null;
  } catch {
    return null;
  }
}

export function parseLogoutRequest(xml: string): ParsedLogoutRequest {
  const { root, fields } = envelope(xml, 'LogoutRequest');
  const nameIds = childElements(root, NS.assertion, 'NameID');
  if (nameIds.length !== 1 || !text(nameIds[0])) throw new SignInRejection('malformed', 'LogoutRequest needs exactly one NameID (EncryptedID is not supported)');
  const notOnOrAfter = root.getAttribute('NotOnOrAfter');
  return {
    ...fields,
    // The full text, comments and all, exactly as node-saml reads the NameID at sign-in.
    nameId: text(nameIds[0]),
    notOnOrAfter: notOnOrAfter ? instant(notOnOrAfter, 'NotOnOrAfter') : null,
    sessionIndexes: childElements(root, NS.protocol, 'SessionIndex').map((e) => text(e)).filter(Boolean),
  };
}

export function parseLogoutResponse(xml: string): ParsedLogoutResponse {
  const { root, fields } = envelope(xml, 'LogoutResponse');
  const status = childElements(root, NS.protocol, 'Status')[0];
  const code = status ? childElements(status, NS.protocol, 'StatusCode')[0]?.getAttribute('Value') : null;
  if (!code) throw new SignInRejection('malformed', 'LogoutResponse without StatusCode');
  return { ...fields, inResponseTo: root.getAttribute('InResponseTo') || null, statusCode: code };
}

export interface ExpectedLogout {
  idpEntityId: string;
  /** This SP's SingleLogoutService URL. */
  sloUrl: string;
  now: number;
  skewMs: number;
  /** How old (IssueInstant) a logout message may be. */
  maxAgeMs: number;
}

/** Issuer, Destination (required: the message is signed, bindings §3.4.5.2) and the time window. */
export function checkLogoutEnvelope(message: LogoutEnvelope & { notOnOrAfter?: number | null }, expected: ExpectedLogout): void {
  if (message.issuer !== expected.idpEntityId) throw new SignInRejection('issuer-mismatch', 'logout Issuer is not the IdP whose key signed it');
  if (message.destination !== expected.sloUrl) throw new SignInRejection('destination-mismatch', 'logout Destination is not this SLO URL');
  if (message.issueInstant > expected.now + expected.skewMs) throw new SignInRejection('not-yet-valid', 'logout IssueInstant is in the future');
  if (message.issueInstant < expected.now - expected.maxAgeMs - expected.skewMs) throw new SignInRejection('expired', 'logout message is too old');
  if (message.notOnOrAfter != null && message.notOnOrAfter <= expected.now - expected.skewMs) throw new SignInRejection('expired', 'LogoutRequest NotOnOrAfter has passed');
}
