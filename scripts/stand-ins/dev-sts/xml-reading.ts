import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';

/**
 * The dev STS's own XML reading, on xmldom directly and written apart from the app's
 * src/auth/safe-xml.ts on purpose: a mistake in the app's parser must show up as a failed exchange
 * with the STS, not be shared by both sides. Namespaces as SAML 2.0 core §1.2 and metadata §2.1
 * (and XML-DSig) define them.
 */
export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

const ELEMENT_NODE = 1;

/**
 * Parses one XML document as an IdP would: a DOCTYPE is refused (SAML never needs one: XXE, entity
 * expansion), and so is anything the parser would otherwise repair or skip over.
 */
export function readXml(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new Error('a DOCTYPE is not allowed in a SAML message');
  const doc = new DOMParser({
    onError: (level: string, message: string) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
  if (doc.doctype || !doc.documentElement) throw new Error('not a single XML document');
  return doc;
}

/** The direct element children of `parent` with that namespace and local name (never deeper ones). */
export function childElements(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node: Node | null = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== ELEMENT_NODE) continue;
    const el = node as Element;
    if (el.namespaceURI === ns && el.localName === localName) out.push(el);
  }
  return out;
}
