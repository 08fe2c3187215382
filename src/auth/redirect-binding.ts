import { sign, verify, X509Certificate } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The SAML HTTP-Redirect binding (bindings §3.4.4.1) for logout messages: the XML is raw-DEFLATEd,
 * base64-encoded and URL-encoded into one query parameter; a signature, when there is one, covers the
 * exact octets `SAMLRequest=<v>&RelayState=<v>&SigAlg=<v>` (SAMLResponse for a response; RelayState
 * only when present) with the values as they appear in the URL. Verification therefore works on the
 * query string as it was received, never on a re-encoding: two encoders may escape the same value
 * differently, and re-encoding would make the check prove something other than what was signed.
 */

export const SIG_ALG = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  /** Refused unless the peer is explicitly allowed it (and by the dev STS always). */
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
} as const;

const HASH_OF: Record<string, 'sha256' | 'sha512' | 'sha1'> = {
  [SIG_ALG.rsaSha256]: 'sha256',
  [SIG_ALG.rsaSha512]: 'sha512',
  [SIG_ALG.rsaSha1]: 'sha1',
};

export type RedirectKind = 'SAMLRequest' | 'SAMLResponse';

export interface DecodedRedirect {
  kind: RedirectKind;
  xml: string;
  relayState: string | null;
  sigAlg: string | null;
  /** The signature bytes; null for an unsigned message. */
  signature: Buffer | null;
  /** What a signature covers, exactly as received. */
  signedOctets: string;
}

export class RedirectBindingError extends Error {}

const BINDING_PARAMS = new Set(['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature']);
const MAX_QUERY = 32 * 1024;
const MAX_XML = 64 * 1024;

/**
 * The query string for a redirect (without `?`): signed with `signingKeyPem` (an RSA private key)
 * when one is given, unsigned when it is null. `relayState` null leaves RelayState out.
 */
export function encodeRedirect(
  kind: RedirectKind,
  xml: string,
  relayState: string | null,
  signingKeyPem: string | null,
  sigAlg: string = SIG_ALG.rsaSha256,
): string {
  const parts = [`${kind}=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`];
  if (relayState !== null) parts.push(`RelayState=${encodeURIComponent(relayState)}`);
  if (signingKeyPem === null) return parts.join('&');
  const hash = HASH_OF[sigAlg];
  if (!hash) throw new Error(`unsupported SigAlg ${sigAlg}`);
  parts.push(`SigAlg=${encodeURIComponent(sigAlg)}`);
  const signature = sign(hash, Buffer.from(parts.join('&'), 'utf8'), signingKeyPem);
  return `${parts.join('&')}&Signature=${encodeURIComponent(signature.toString('base64'))}`;
}

/** `%xx` decoding; `+` means a space only in form-style values (RelayState, SigAlg), never inside base64. */
function unescape(value: string, plusIsSpace: boolean): string {
  try {
    return decodeURIComponent(plusIsSpace ? value.replace(/\+/g, ' ') : value);
  } catch {
    throw new RedirectBindingError('malformed %-escape in the query string');
  }
}

function base64Bytes(value: string, what: string): Buffer {
  const compact = value.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new RedirectBindingError(`${what} is not base64`);
  return Buffer.from(compact, 'base64');
}

/** The query of a URL (absolute, or a path) or the query string itself, with or without its `?`. */
function queryPart(input: string): string {
  const withoutFragment = input.replace(/#.*$/s, '');
  if (/^([a-z][a-z0-9+.-]*:\/\/|\/)/i.test(withoutFragment)) {
    const q = withoutFragment.indexOf('?');
    return q === -1 ? '' : withoutFragment.slice(q + 1);
  }
  return withoutFragment.startsWith('?') ? withoutFragment.slice(1) : withoutFragment;
}

/**
 * Decodes a received redirect from its raw query string (or the whole URL). Refuses a repeated
 * binding parameter (which copy would the signature be about?), both or neither of SAMLRequest /
 * SAMLResponse, SigAlg without Signature or the reverse, an inflation bomb and a DOCTYPE. The XML
 * is returned unparsed; the signature is not checked here (see verifyRedirectSignature).
 */
export function decodeRedirect(rawQueryString: string): DecodedRedirect {
  const query = queryPart(rawQueryString);
  if (query.length > MAX_QUERY) throw new RedirectBindingError('query string too long');
  const raw = new Map<string, string>();
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    // Other parameters (a cache buster, a tenant hint) are not part of the binding and not signed.
    if (!BINDING_PARAMS.has(name)) continue;
    if (raw.has(name)) throw new RedirectBindingError(`${name} appears more than once`);
    raw.set(name, eq === -1 ? '' : pair.slice(eq + 1));
  }
  if (raw.has('SAMLRequest') === raw.has('SAMLResponse'))
    throw new RedirectBindingError('expected exactly one of SAMLRequest or SAMLResponse');
  const kind: RedirectKind = raw.has('SAMLRequest') ? 'SAMLRequest' : 'SAMLResponse';
  if (raw.has('SigAlg') !== raw.has('Signature'))
    throw new RedirectBindingError('SigAlg and Signature come together or not at all');

  let xml: string;
  try {
    xml = inflateRawSync(base64Bytes(unescape(raw.get(kind) as string, false), kind), {
      maxOutputLength: MAX_XML,
    }).toString('utf8');
  } catch (err) {
    if (err instanceof RedirectBindingError) throw err;
    throw new RedirectBindingError(
      `${kind} is not raw DEFLATE (HTTP-Redirect binding) or inflates past ${MAX_XML} bytes`,
    );
  }
  if (/<!DOCTYPE/i.test(xml)) throw new RedirectBindingError('XML with a DOCTYPE is refused');

  const relayState = raw.has('RelayState') ? unescape(raw.get('RelayState') as string, true) : null;
  const sigAlg = raw.has('SigAlg') ? unescape(raw.get('SigAlg') as string, true) : null;
  const signature = raw.has('Signature')
    ? base64Bytes(unescape(raw.get('Signature') as string, false), 'Signature')
    : null;
  const signedOctets = [kind, 'RelayState', 'SigAlg']
    .filter((name) => raw.has(name))
    .map((name) => `${name}=${raw.get(name)}`)
    .join('&');
  return { kind, xml, relayState, sigAlg, signature, signedOctets };
}

export type SignatureVerdict = 'valid' | 'unsigned' | 'weak-algorithm' | 'invalid';

/**
 * Checks the signature of a decoded redirect against the trusted certificates (several during a
 * rollover), over the octets as received. RSA-SHA256 and RSA-SHA512; RSA-SHA1 only with `allowSha1`.
 */
export function checkRedirectSignature(
  decoded: DecodedRedirect,
  certPems: string | readonly string[],
  options: { allowSha1?: boolean } = {},
): SignatureVerdict {
  if (!decoded.signature || !decoded.sigAlg) return 'unsigned';
  const hash = HASH_OF[decoded.sigAlg];
  if (!hash || (hash === 'sha1' && !options.allowSha1)) return 'weak-algorithm';
  const octets = Buffer.from(decoded.signedOctets, 'utf8');
  const ok = (typeof certPems === 'string' ? [certPems] : certPems).some((pem) => {
    try {
      const publicKey = new X509Certificate(pem).publicKey;
      return publicKey.asymmetricKeyType === 'rsa' && verify(hash, octets, publicKey, decoded.signature as Buffer);
    } catch {
      return false;
    }
  });
  return ok ? 'valid' : 'invalid';
}

/** True only for a signature by the key of `certPem` with an accepted algorithm (never SHA-1). */
export function verifyRedirectSignature(decoded: DecodedRedirect, certPem: string): boolean {
  return checkRedirectSignature(decoded, certPem) === 'valid';
}
