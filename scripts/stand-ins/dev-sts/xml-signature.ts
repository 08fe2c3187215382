import { SignedXml } from 'xml-crypto';
import { childElements, NS, readXml } from './xml-reading.js';

/**
 * Enveloped XML signatures as ADFS makes them: exclusive c14n, RSA-SHA256, SHA-256 digest, the
 * signing certificate in KeyInfo, the Signature right after the signed element's Issuer.
 * SHA-1 exists only so tests can prove the service provider refuses it.
 */
export interface SigningKey {
  privateKey: string;
  certPem: string;
}

export type SignatureStrength = 'sha256' | 'sha1';

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const ALGORITHMS: Record<SignatureStrength, { signature: string; digest: string }> = {
  sha256: {
    signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    digest: 'http://www.w3.org/2001/04/xmlenc#sha256',
  },
  sha1: { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1' },
};

/** Signs the element whose ID attribute is `id`; the Signature goes right after its Issuer child. */
export function signElementById(
  xml: string,
  id: string,
  key: SigningKey,
  strength: SignatureStrength = 'sha256',
): string {
  if (!/^[A-Za-z_][\w.-]*$/.test(id)) throw new Error(`not an XML ID: ${id}`);
  const alg = ALGORITHMS[strength];
  const sig = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.certPem,
    signatureAlgorithm: alg.signature,
    canonicalizationAlgorithm: EXC_C14N,
  });
  sig.addReference({ xpath: `//*[@ID='${id}']`, transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: alg.digest });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `//*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}

export interface ResponseSigning {
  signAssertion: boolean;
  signResponse: boolean;
  strength?: SignatureStrength;
}

/** Signs the Assertion, then the Response (whose digest then covers the signed assertion). */
export function signSamlResponse(xml: string, key: SigningKey, how: ResponseSigning): string {
  const root = readXml(xml).documentElement;
  if (!root) throw new Error('empty document');
  let out = xml;
  if (how.signAssertion) {
    const assertion = childElements(root, NS.assertion, 'Assertion')[0];
    const assertionId = assertion?.getAttribute('ID');
    if (!assertionId) throw new Error('no Assertion with an ID to sign');
    out = signElementById(out, assertionId, key, how.strength);
  }
  if (how.signResponse) {
    const responseId = root.getAttribute('ID');
    if (!responseId) throw new Error('Response has no ID');
    out = signElementById(out, responseId, key, how.strength);
  }
  return out;
}
