import { DOMParser, onWarningStopParsing, type Document, type Element } from '@xmldom/xmldom';

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
} as const;

/**
 * Parses XML that came from outside. Stops on any parser warning (malformed input is never
 * "repaired" into something else) and refuses a DOCTYPE outright: SAML has no use for one and it is
 * the door to XXE and entity expansion.
 */
export function parseUntrustedXml(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new Error('XML with a DOCTYPE is refused');
  const doc = new DOMParser({ onError: onWarningStopParsing }).parseFromString(xml, 'text/xml');
  if (doc.doctype || !doc.documentElement) throw new Error('not a single XML document');
  return doc;
}

/** Direct children of `parent` with that namespace and local name (never descendants: no wrapping tricks). */
export function childElements(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === n.ELEMENT_NODE) {
      const el = n as Element;
      if (el.namespaceURI === ns && el.localName === localName) out.push(el);
    }
  }
  return out;
}

/** Every element in the document with that namespace and local name. */
export function allElements(doc: Document, ns: string, localName: string): Element[] {
  return Array.from(doc.getElementsByTagNameNS(ns, localName));
}
