import type { Profile } from '@node-saml/node-saml';
import { allElements, childElements, NS, parseUntrustedXml } from './safe-xml.js';
import type { Document, Element } from '@xmldom/xmldom';
import { SignInRejection } from './sign-in-rejection.js';
import type { DiagnosticFacts } from './refusal-diagnosis.js';
import type { WrappedKey } from './decryption-key.js';

/**
 * What is read from a SAMLResponse BEFORE its signature is checked: only to route and pre-filter it,
 * and to explain a refusal (refusal-diagnosis.ts), never to trust it.
 */
export interface RawResponseFacts extends DiagnosticFacts {
  /** The EncryptedKey of an EncryptedAssertion: which SP key to decrypt with (decryption-key.ts). */
  wrappedKey: WrappedKey | null;
  inResponseTo: string | null;
  /** Every signature's SignatureMethod and (Reference) DigestMethod algorithm URI in the document. */
  algorithms: string[];
}

const MAX_RESPONSE_CHARS = 512 * 1024;

export function readRawResponse(samlResponse: string): RawResponseFacts {
  if (samlResponse.length > MAX_RESPONSE_CHARS || !/^[A-Za-z0-9+/=\r\n]+$/.test(samlResponse)) {
    throw new SignInRejection('malformed', 'SAMLResponse is not base64');
  }
  let doc;
  try {
    doc = parseUntrustedXml(Buffer.from(samlResponse, 'base64').toString('utf8'));
  } catch {
    // The parser's message may quote the document (personal data): not logged.
    throw new SignInRejection('malformed', 'SAMLResponse is not acceptable XML (or has a DOCTYPE)');
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== NS.protocol || root.localName !== 'Response') {
    throw new SignInRejection('malformed', 'SAMLResponse is not a samlp:Response');
  }
  // A signature's digests only: an encrypted assertion's RSA-OAEP key transport also names a
  // ds:DigestMethod (SHA-1 is the OAEP mask's digest there, no signature weakness).
  const signatureDigests = allElements(doc, NS.dsig, 'DigestMethod').filter(
    (el) => (el.parentNode as Element | null)?.localName === 'Reference',
  );
  const algorithms = [...allElements(doc, NS.dsig, 'SignatureMethod'), ...signatureDigests].map(
    (el) => el.getAttribute('Algorithm') ?? '',
  );
  return {
    inResponseTo: root.getAttribute('InResponseTo') || null,
    algorithms,
    wrappedKey: wrappedKeyOf(doc),
    ...diagnosticFacts(doc, root),
  };
}

const XENC = 'http://www.w3.org/2001/04/xmlenc#';

function wrappedKeyOf(doc: Document): WrappedKey | null {
  const [key] = allElements(doc, XENC, 'EncryptedKey');
  if (!key) return null;
  const [method] = childElements(key, XENC, 'EncryptionMethod');
  const [digest] = method ? childElements(method, NS.dsig, 'DigestMethod') : [];
  const [cipherData] = childElements(key, XENC, 'CipherData');
  const [cipher] = cipherData ? childElements(cipherData, XENC, 'CipherValue') : [];
  if (!method || !cipher) return null;
  return {
    algorithm: method.getAttribute('Algorithm') ?? '',
    digest: digest?.getAttribute('Algorithm') ?? null,
    cipher: cipher.textContent ?? '',
  };
}

function diagnosticFacts(doc: Document, root: Element): DiagnosticFacts {
  const [assertion] = childElements(root, NS.assertion, 'Assertion');
  const attr = (el: Element | undefined, name: string) => el?.getAttribute(name) || null;
  const [conditions] = assertion ? childElements(assertion, NS.assertion, 'Conditions') : [];
  const [confirmationData] = allElements(doc, NS.assertion, 'SubjectConfirmationData');
  const names = allElements(doc, NS.assertion, 'Attribute').map((a) => a.getAttribute('Name') ?? '');
  return {
    signed: {
      response: childElements(root, NS.dsig, 'Signature').length > 0,
      assertion: assertion !== undefined && childElements(assertion, NS.dsig, 'Signature').length > 0,
    },
    encryptedAssertion: childElements(root, NS.assertion, 'EncryptedAssertion').length > 0,
    validity: {
      notBefore: attr(conditions, 'NotBefore'),
      notOnOrAfter: attr(conditions, 'NotOnOrAfter'),
      confirmationNotOnOrAfter: attr(confirmationData, 'NotOnOrAfter'),
    },
    attributeNames: [...new Set(names.filter(Boolean))],
  };
}

/** node-saml accepts RSA-SHA1 and SHA-1 digests; refused unless the IdP is explicitly allowed them. */
export function refuseWeakAlgorithms(facts: RawResponseFacts, allowSha1: boolean): void {
  if (allowSha1) return;
  const weak = facts.algorithms.filter((a) => /sha1$/i.test(a));
  if (weak.length) throw new SignInRejection('weak-algorithm', `SHA-1 refused: ${[...new Set(weak)].join(', ')}`);
}

export interface ExpectedParties {
  /** entityID of the IdP this session sent the request to. */
  idpEntityId: string;
  /** This SP's AssertionConsumerService URL. */
  acsUrl: string;
}

const textOf = (el: { textContent: string | null } | undefined) => (el?.textContent ?? '').trim();

/**
 * What node-saml 5.1 does not check (saml.md), done on the VERIFIED data it hands over:
 * Issuer of the assertion (and of the Response when present) is the IdP the request went to;
 * Destination of the Response and Recipient of every bearer confirmation are this SP's ACS.
 */
export function checkVerifiedResponse(profile: Profile, expected: ExpectedParties): void {
  const assertionXml = profile.getAssertionXml?.();
  const responseXml = profile.getSamlResponseXml?.();
  if (!assertionXml || !responseXml) throw new SignInRejection('malformed', 'node-saml returned no assertion');
  const assertion = parseUntrustedXml(assertionXml).documentElement;
  const response = parseUntrustedXml(responseXml).documentElement;
  if (!assertion || !response) throw new SignInRejection('malformed', 'empty document');

  const assertionIssuer = childElements(assertion, NS.assertion, 'Issuer');
  if (assertionIssuer.length !== 1 || textOf(assertionIssuer[0]) !== expected.idpEntityId) {
    throw new SignInRejection('issuer-mismatch', 'assertion Issuer is not the IdP the request was sent to');
  }
  const responseIssuer = childElements(response, NS.assertion, 'Issuer');
  if (
    responseIssuer.length > 1 ||
    (responseIssuer.length === 1 && textOf(responseIssuer[0]) !== expected.idpEntityId)
  ) {
    throw new SignInRejection('issuer-mismatch', 'response Issuer is not the IdP the request was sent to');
  }
  if (response.getAttribute('Destination') !== expected.acsUrl) {
    throw new SignInRejection('destination-mismatch', 'response Destination is not this ACS URL');
  }
  const confirmations = childElements(assertion, NS.assertion, 'Subject').flatMap((s) =>
    childElements(s, NS.assertion, 'SubjectConfirmation').flatMap((c) =>
      childElements(c, NS.assertion, 'SubjectConfirmationData'),
    ),
  );
  if (confirmations.length === 0 || confirmations.some((d) => d.getAttribute('Recipient') !== expected.acsUrl)) {
    throw new SignInRejection('recipient-mismatch', 'SubjectConfirmationData Recipient is not this ACS URL');
  }
}
