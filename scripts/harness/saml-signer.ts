/**
 * Forges and mutates SAML responses for the attack tests: decode what the dev STS issued, change it
 * through the DOM, strip its signatures and sign again with the dev STS key (a "valid" signature over
 * evil content, for the checks node-saml does not do) or an attacker's key. The signing itself is the
 * dev STS's own code, so forged and genuine responses differ only in what the test changed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { NS, parseUntrustedXml } from '../../src/auth/safe-xml.js';
import { signSamlResponse, type SignatureStrength, type SigningKey } from '../stand-ins/dev-sts/xml-signature.js';

export { NS };
export type { SigningKey };

/** A development key pair of config/dev/keys (`<name>.key` + `<name>.crt`). */
export function devKeyPair(name: string): SigningKey {
  return {
    privateKey: readFileSync(path.join(PROJECT_ROOT, `config/dev/keys/${name}.key`), 'utf8'),
    certPem: readFileSync(path.join(PROJECT_ROOT, `config/dev/keys/${name}.crt`), 'utf8'),
  };
}

/** The key the app trusts in development and tests (config/dev/keys). */
export function devStsKey(): SigningKey {
  return devKeyPair('dev-sts');
}

/** The partner IdP's key (the `fabrikam` dev STS preset): trusted for fabrikam only, never for contoso. */
export function fabrikamIdpKey(): SigningKey {
  return devKeyPair('fabrikam-idp');
}

/**
 * A fresh RSA key nobody trusts. Its KeyInfo carries the REAL STS certificate: the nastier variant,
 * where a verifier that trusted KeyInfo (instead of its configured certificates) would be fooled.
 */
export function attackerKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certPem: devStsKey().certPem };
}

export const decodeResponse = (samlResponse: string) => Buffer.from(samlResponse, 'base64').toString('utf8');
export const encodeResponse = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

/** Parses, lets `change` edit the DOM, serializes. */
export function mutate(xml: string, change: (doc: Document) => void): string {
  const doc = parseUntrustedXml(xml);
  change(doc);
  return new XMLSerializer().serializeToString(doc);
}

/** Every element with that namespace and local name. */
export function elements(doc: Document, ns: string, localName: string): Element[] {
  return Array.from(doc.getElementsByTagNameNS(ns, localName));
}

/** Replaces the text of every matching element. */
export function setText(
  doc: Document,
  ns: string,
  localName: string,
  value: string,
  filter: (el: Element) => boolean = () => true,
): void {
  const hits = elements(doc, ns, localName).filter(filter);
  if (hits.length === 0) throw new Error(`no ${localName} element to change`);
  for (const el of hits) el.textContent = value;
}

/** Sets an attribute on every matching element. */
export function setAttr(doc: Document, ns: string, localName: string, name: string, value: string): void {
  const hits = elements(doc, ns, localName);
  if (hits.length === 0) throw new Error(`no ${localName} element to change`);
  for (const el of hits) el.setAttribute(name, value);
}

/** The AttributeValues of one claim of the assertion. */
export function claimValueElements(doc: Document, claimType: string): Element[] {
  return elements(doc, NS.assertion, 'Attribute')
    .filter((a) => a.getAttribute('Name') === claimType)
    .flatMap((a) =>
      elements(a.ownerDocument as Document, NS.assertion, 'AttributeValue').filter((v) => v.parentNode === a),
    );
}

/** The assertions that are direct children of the Response (what node-saml considers), in order. */
export function topLevelAssertions(doc: Document): Element[] {
  const root = doc.documentElement;
  if (!root) return [];
  return elements(doc, NS.assertion, 'Assertion').filter((a) => a.parentNode === root);
}

/** The ds:Signature elements that are direct children of `parent` (an enveloped signature sits there). */
export function directSignatures(parent: Element): Element[] {
  return Array.from(parent.childNodes).filter(
    (n): n is Element =>
      n.nodeType === n.ELEMENT_NODE &&
      (n as Element).namespaceURI === NS.dsig &&
      (n as Element).localName === 'Signature',
  );
}

export function stripSignatures(xml: string): string {
  return mutate(xml, (doc) => {
    for (const sig of elements(doc, NS.dsig, 'Signature')) sig.parentNode?.removeChild(sig);
  });
}

export interface Resign {
  key?: SigningKey;
  signAssertion?: boolean;
  signResponse?: boolean;
  strength?: SignatureStrength;
}

/** Strips every signature and signs again (default: dev STS key, both signed, SHA-256). */
export function resign(xml: string, how: Resign = {}): string {
  return signSamlResponse(stripSignatures(xml), how.key ?? devStsKey(), {
    signAssertion: how.signAssertion ?? true,
    signResponse: how.signResponse ?? true,
    strength: how.strength,
  });
}
