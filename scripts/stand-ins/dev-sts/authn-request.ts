import { inflateRawSync } from 'node:zlib';
import { childElements, NS, readXml } from './xml-reading.js';

/** The parts of an SP's AuthnRequest the STS acts on. */
export interface AuthnRequestInfo {
  id: string;
  issuer: string;
  /** AssertionConsumerServiceURL when the SP gave one; else the registered ACS is used. */
  acsUrl: string | null;
}

export class AuthnRequestError extends Error {}

const HTTP_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/**
 * Decodes an AuthnRequest sent with the HTTP-Redirect binding: base64 of raw DEFLATE. Inflation is
 * capped (a small deflated request must not expand into megabytes) and the XML parsed strictly.
 */
export function decodeRedirectAuthnRequest(samlRequest: unknown): AuthnRequestInfo {
  if (typeof samlRequest !== 'string' || samlRequest.length === 0 || samlRequest.length > 16_384) {
    throw new AuthnRequestError('SAMLRequest is missing or too long');
  }
  let xml: string;
  try {
    xml = inflateRawSync(Buffer.from(samlRequest, 'base64'), { maxOutputLength: 64 * 1024 }).toString('utf8');
  } catch {
    throw new AuthnRequestError('SAMLRequest is not deflated base64 (HTTP-Redirect binding)');
  }
  let root;
  try {
    root = readXml(xml).documentElement;
  } catch (err) {
    throw new AuthnRequestError(`SAMLRequest is not acceptable XML: ${(err as Error).message}`);
  }
  if (!root || root.namespaceURI !== NS.protocol || root.localName !== 'AuthnRequest') {
    throw new AuthnRequestError('SAMLRequest is not a samlp:AuthnRequest');
  }
  const id = root.getAttribute('ID');
  if (!id || !/^[A-Za-z_][\w.-]*$/.test(id)) throw new AuthnRequestError('AuthnRequest has no valid ID');
  if (root.getAttribute('Version') !== '2.0') throw new AuthnRequestError('AuthnRequest Version is not 2.0');
  const binding = root.getAttribute('ProtocolBinding');
  if (binding && binding !== HTTP_POST) throw new AuthnRequestError('only the HTTP-POST response binding is supported');
  const issuer = (childElements(root, NS.assertion, 'Issuer')[0]?.textContent ?? '').trim();
  if (!issuer) throw new AuthnRequestError('AuthnRequest has no Issuer');
  return { id, issuer, acsUrl: root.getAttribute('AssertionConsumerServiceURL') || null };
}
