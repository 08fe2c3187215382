import { randomBytes } from 'node:crypto';
import { DOMImplementation, XMLSerializer, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import type { AuthSettings } from './auth-settings.js';
import { NS } from './safe-xml.js';

/** Data and key encryption algorithms offered in the SP metadata, strongest first. */
const ENCRYPTION_METHODS = [
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
];
const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const BINDING_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const VALIDITY_DAYS = 30;

const certBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

/**
 * This SP's metadata for the STS administrators (one document per target: its URLs differ). Written
 * here rather than with node-saml's generator, which announces single logout with the HTTP-POST
 * binding while this SP speaks HTTP-Redirect for it. Signed (enveloped, exc-c14n, RSA-SHA256) when
 * the SP has a key, with a validUntil so a copy lying around does not stay trusted forever.
 */
export function spMetadataXml(settings: AuthSettings, now = new Date()): string {
  const doc = new DOMImplementation().createDocument(NS.metadata, 'md:EntityDescriptor', null);
  const root = doc.documentElement as Element;
  const id = `_${randomBytes(16).toString('hex')}`;
  root.setAttribute('ID', id);
  root.setAttribute('entityID', settings.spEntityId);
  root.setAttribute(
    'validUntil',
    new Date(now.getTime() + VALIDITY_DAYS * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  );
  const el = (
    parent: Element,
    ns: string,
    name: string,
    attrs: Record<string, string> = {},
    text?: string,
  ): Element => {
    const e = doc.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.appendChild(doc.createTextNode(text));
    parent.appendChild(e);
    return e;
  };
  const sp = el(root, NS.metadata, 'md:SPSSODescriptor', {
    protocolSupportEnumeration: 'urn:oasis:names:tc:SAML:2.0:protocol',
    AuthnRequestsSigned: String(settings.signing !== undefined),
    WantAssertionsSigned: 'true',
  });
  const keyDescriptor = (use: 'signing' | 'encryption', cert: string) => {
    const key = el(sp, NS.metadata, 'md:KeyDescriptor', { use });
    const info = el(key, NS.dsig, 'ds:KeyInfo');
    el(el(info, NS.dsig, 'ds:X509Data'), NS.dsig, 'ds:X509Certificate', {}, certBody(cert));
    return key;
  };
  if (settings.signing) keyDescriptor('signing', settings.signing.cert);
  // What the IdP may encrypt with (node-saml decrypts these through xml-encryption), AES-GCM first;
  // the current certificate first, then the previous one during a key change.
  for (const { cert } of settings.encryption) {
    const key = keyDescriptor('encryption', cert);
    for (const algorithm of ENCRYPTION_METHODS) el(key, NS.metadata, 'md:EncryptionMethod', { Algorithm: algorithm });
  }
  // Logout messages must be signed, so only a signing SP offers single logout (after the keys: schema order).
  if (settings.signing)
    el(sp, NS.metadata, 'md:SingleLogoutService', { Binding: BINDING_REDIRECT, Location: settings.sloUrl });
  el(sp, NS.metadata, 'md:AssertionConsumerService', {
    Binding: BINDING_POST,
    Location: settings.acsUrl,
    index: '0',
    isDefault: 'true',
  });
  const xml = new XMLSerializer().serializeToString(doc);
  if (!settings.signing) return xml;

  const sig = new SignedXml({
    privateKey: settings.signing.privateKey,
    publicCert: settings.signing.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: EXC_C14N,
  });
  sig.addReference({
    xpath: `//*[@ID='${id}']`,
    transforms: [ENVELOPED, EXC_C14N],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  // The Signature is the first child of EntityDescriptor (metadata schema order).
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `//*[@ID='${id}']`, action: 'prepend' } });
  return sig.getSignedXml();
}
