import { createSign, createVerify, X509Certificate } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The dev STS's own implementation of the SAML HTTP-Redirect binding (saml-bindings-2.0-os §3.4.4),
 * written apart from the app's src/auth/redirect-binding.ts on purpose: a stand-in that decoded with
 * the app's code could not notice the app's mistakes in it.
 *
 * §3.4.4.1, as this file reads it:
 * - the message is DEFLATEd (RFC 1951, no zlib header), base64-encoded, then URL-encoded into the
 *   `SAMLRequest` or `SAMLResponse` parameter; `RelayState` travels URL-encoded next to it;
 * - a signed message adds `SigAlg` (URL-encoded algorithm URI) and `Signature` (URL-encoded base64);
 * - the signature is over `SAMLRequest=value&RelayState=value&SigAlg=value` (or SAMLResponse), the
 *   parameters in exactly that order, RelayState only when the message has one, and the values as the
 *   URL-encoded octets received on the query string: the receiver must not decode and re-encode them.
 *
 * The STS is stricter than the spec requires, to catch senders that deviate: the binding parameters must
 * appear in the query string in that order too (Signature last), each at most once.
 */

export const SIG_ALG = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  /** Made only so tests can forge it; never accepted. */
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  /** Made only so tests can forge it; never accepted. */
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
} as const;

/** What the STS signs with and accepts: RSA-SHA256 only. */
const ACCEPTED_SIG_ALG = SIG_ALG.rsaSha256;
const NODE_DIGEST: Readonly<Record<string, string>> = {
  [SIG_ALG.rsaSha256]: 'RSA-SHA256',
  [SIG_ALG.rsaSha512]: 'RSA-SHA512',
  [SIG_ALG.rsaSha1]: 'RSA-SHA1',
};

export type RedirectKind = 'SAMLRequest' | 'SAMLResponse';

export interface DecodedRedirect {
  kind: RedirectKind;
  /** The inflated message, not parsed. */
  xml: string;
  relayState: string | null;
  sigAlg: string | null;
  signature: Buffer | null;
  /** The octets the signature is over, taken from the query string as received. */
  signedOctets: string;
}

export class RedirectBindingError extends Error {}

/** Longest query string read (a logout message deflates to well under 2 KiB). */
export const MAX_QUERY_CHARS = 16 * 1024;
/** Largest inflated message: anything bigger is a deflate bomb as far as the STS is concerned. */
export const MAX_INFLATED_BYTES = 32 * 1024;

/** The binding's parameters, in the order §3.4.4.1 puts them. */
const POSITION: Readonly<Record<string, number>> = {
  SAMLRequest: 0,
  SAMLResponse: 0,
  RelayState: 1,
  SigAlg: 2,
  Signature: 3,
};

/** RFC 3986 encoding of a value (what `encodeURIComponent` does: a space is `%20`, never `+`). */
const urlEncode = (value: string): string => encodeURIComponent(value);

/**
 * A redirect query string (no leading `?`) carrying `xml`; signed with the RSA private key
 * `signingKeyPem` unless it is null. `sigAlg` other than RSA-SHA256 exists for forging tests.
 */
export function encodeRedirect(
  kind: RedirectKind,
  xml: string,
  relayState: string | null,
  signingKeyPem: string | null,
  sigAlg: string = ACCEPTED_SIG_ALG,
): string {
  let query = `${kind}=${urlEncode(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`;
  if (relayState !== null) query += `&RelayState=${urlEncode(relayState)}`;
  if (signingKeyPem === null) return query;
  const digest = NODE_DIGEST[sigAlg];
  if (digest === undefined) throw new Error(`the dev STS cannot sign with ${sigAlg}`);
  query += `&SigAlg=${urlEncode(sigAlg)}`;
  const signer = createSign(digest);
  signer.update(query, 'utf8');
  return `${query}&Signature=${urlEncode(signer.sign(signingKeyPem, 'base64'))}`;
}

/** Percent-decoding of a query value; `+` is a space for form-encoded text (RelayState, SigAlg). */
function percentDecode(raw: string, name: string, plusMeansSpace: boolean): string {
  const text = plusMeansSpace ? raw.split('+').join(' ') : raw;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new RedirectBindingError(`${name} has an invalid %-escape`);
  }
}

/** Strict base64 (RFC 4648 alphabet, correct padding); a `+` inside it is a `+`, never a space. */
function fromBase64(text: string, name: string): Buffer {
  if (
    text.length === 0 ||
    text.length % 4 !== 0 ||
    !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(text)
  ) {
    throw new RedirectBindingError(`${name} is not base64`);
  }
  return Buffer.from(text, 'base64');
}

/** The query string of whatever was given: a whole URL, a path with a query, `?query` or the bare query. */
function queryOf(input: string): string {
  const hash = input.indexOf('#');
  const text = hash === -1 ? input : input.slice(0, hash);
  const question = text.indexOf('?');
  if (question !== -1) return text.slice(question + 1);
  // No `?`: a URL or a path without a query has no binding parameters; anything else is the query itself.
  return /^(?:[A-Za-z][A-Za-z0-9+.-]*:|\/)/.test(text) ? '' : text;
}

interface RawParam {
  name: string;
  /** Exactly as it appears in the query string, still URL-encoded. */
  raw: string;
}

/** The binding parameters of the query, in their order, still URL-encoded; other parameters are skipped. */
function bindingParams(query: string): RawParam[] {
  const found: RawParam[] = [];
  if (query === '') return found;
  for (const field of query.split('&')) {
    const eq = field.indexOf('=');
    const name = eq === -1 ? field : field.slice(0, eq);
    if (!(name in POSITION)) continue; // not part of the binding, not signed, not looked at
    if (found.some((p) => p.name === name)) throw new RedirectBindingError(`${name} is given more than once`);
    found.push({ name, raw: eq === -1 ? '' : field.slice(eq + 1) });
  }
  return found;
}

function inflate(bytes: Buffer, kind: RedirectKind): string {
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new RedirectBindingError(`${kind} inflates to more than ${MAX_INFLATED_BYTES} bytes`);
    }
    throw new RedirectBindingError(`${kind} is not raw DEFLATE data (HTTP-Redirect binding)`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    throw new RedirectBindingError(`${kind} is not UTF-8 text`);
  }
}

/**
 * Reads a redirect from the URL or query string exactly as received (use `req.originalUrl`, never the
 * parsed `req.query`). Checks the shape of the binding; does not check the signature.
 */
export function decodeRedirect(urlOrQuery: string): DecodedRedirect {
  const query = queryOf(urlOrQuery);
  if (query.length > MAX_QUERY_CHARS)
    throw new RedirectBindingError(`the query string is longer than ${MAX_QUERY_CHARS} characters`);
  const params = bindingParams(query);
  const messages = params.filter((p) => p.name === 'SAMLRequest' || p.name === 'SAMLResponse');
  if (messages.length !== 1)
    throw new RedirectBindingError('a redirect carries exactly one SAMLRequest or SAMLResponse');
  for (let i = 1; i < params.length; i++) {
    if ((POSITION[(params[i] as RawParam).name] as number) <= (POSITION[(params[i - 1] as RawParam).name] as number)) {
      throw new RedirectBindingError(
        'the binding parameters are not in the order SAMLRequest|SAMLResponse, RelayState, SigAlg, Signature',
      );
    }
  }
  const get = (name: string) => params.find((p) => p.name === name);
  const message = messages[0] as RawParam;
  const kind = message.name as RedirectKind;
  const relay = get('RelayState');
  const sigAlg = get('SigAlg');
  const signature = get('Signature');
  if ((sigAlg === undefined) !== (signature === undefined))
    throw new RedirectBindingError('SigAlg and Signature must both be present or both absent');

  const xml = inflate(fromBase64(percentDecode(message.raw, kind, false), kind), kind);
  if (/<!DOCTYPE/i.test(xml)) throw new RedirectBindingError(`${kind} contains a DOCTYPE`);

  return {
    kind,
    xml,
    relayState: relay === undefined ? null : percentDecode(relay.raw, 'RelayState', true),
    sigAlg: sigAlg === undefined ? null : percentDecode(sigAlg.raw, 'SigAlg', true),
    signature:
      signature === undefined ? null : fromBase64(percentDecode(signature.raw, 'Signature', false), 'Signature'),
    // The signed string is rebuilt from the raw values in the spec's order (they are in that order already).
    signedOctets: [message, relay, sigAlg]
      .filter((p): p is RawParam => p !== undefined)
      .map((p) => `${p.name}=${p.raw}`)
      .join('&'),
  };
}

/**
 * True only when the message is signed with RSA-SHA256 by the RSA key of `certPem` over the octets
 * received. Unsigned, any other SigAlg (SHA-1, SHA-512, unknown), another key: false.
 */
export function verifyRedirectSignature(decoded: DecodedRedirect, certPem: string): boolean {
  if (decoded.signature === null || decoded.sigAlg !== ACCEPTED_SIG_ALG) return false;
  let publicKey;
  try {
    publicKey = new X509Certificate(certPem).publicKey;
  } catch {
    return false;
  }
  if (publicKey.asymmetricKeyType !== 'rsa') return false;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(decoded.signedOctets, 'utf8');
  try {
    return verifier.verify(publicKey, decoded.signature);
  } catch {
    return false;
  }
}
