import type { Element } from '@xmldom/xmldom';
import { childElements, NS, parseUntrustedXml } from './safe-xml.js';

/**
 * Reads a LogoutRequest / LogoutResponse (used by the SP and by the dev STS). Strict parsing (no DOCTYPE, no repaired
 * markup), direct children only (no element smuggled deeper counts), and only the fields the STS acts
 * on. Reading is not trusting: the caller checks the signature, the Destination and the times.
 */

export class LogoutMessageError extends Error {}

export interface LogoutRequestInfo {
  id: string;
  issuer: string;
  destination: string | null;
  issueInstant: Date;
  notOnOrAfter: Date | null;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndexes: string[];
}

export interface LogoutResponseInfo {
  id: string;
  issuer: string;
  destination: string | null;
  inResponseTo: string;
  /** Top-level StatusCode Value. */
  statusCode: string;
}

const XML_ID = /^[A-Za-z_][\w.-]*$/;

function rootOf(xml: string, localName: string): Element {
  let root;
  try {
    root = parseUntrustedXml(xml).documentElement;
  } catch (err) {
    throw new LogoutMessageError(`not acceptable XML: ${(err as Error).message}`);
  }
  if (!root || root.namespaceURI !== NS.protocol || root.localName !== localName)
    throw new LogoutMessageError(`not a samlp:${localName}`);
  if (!XML_ID.test(root.getAttribute('ID') ?? '')) throw new LogoutMessageError(`${localName} has no valid ID`);
  if (root.getAttribute('Version') !== '2.0') throw new LogoutMessageError(`${localName} Version is not 2.0`);
  return root;
}

function textOf(parent: Element, ns: string, localName: string): string | null {
  const found = childElements(parent, ns, localName);
  if (found.length > 1) throw new LogoutMessageError(`more than one ${localName}`);
  const text = found[0]?.textContent?.trim();
  return text ? text : null;
}

function dateAttr(el: Element, name: string, required: boolean): Date | null {
  const value = el.getAttribute(name);
  if (!value) {
    if (required) throw new LogoutMessageError(`${name} is missing`);
    return null;
  }
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new LogoutMessageError(`${name} is not an xs:dateTime with a time zone`);
  return new Date(ms);
}

function issuerOf(root: Element): string {
  const issuer = textOf(root, NS.assertion, 'Issuer');
  if (!issuer) throw new LogoutMessageError('no Issuer');
  return issuer;
}

export function parseLogoutRequest(xml: string): LogoutRequestInfo {
  const root = rootOf(xml, 'LogoutRequest');
  const nameIds = childElements(root, NS.assertion, 'NameID');
  // An EncryptedID or BaseID would need keys or semantics neither side has.
  if (nameIds.length !== 1) throw new LogoutMessageError('LogoutRequest needs exactly one NameID');
  const nameId = (nameIds[0] as Element).textContent?.trim();
  if (!nameId) throw new LogoutMessageError('NameID is empty');
  return {
    id: root.getAttribute('ID') as string,
    issuer: issuerOf(root),
    destination: root.getAttribute('Destination') || null,
    issueInstant: dateAttr(root, 'IssueInstant', true) as Date,
    notOnOrAfter: dateAttr(root, 'NotOnOrAfter', false),
    nameId,
    nameIdFormat: (nameIds[0] as Element).getAttribute('Format') || null,
    sessionIndexes: childElements(root, NS.protocol, 'SessionIndex').map((e) => (e.textContent ?? '').trim()),
  };
}

export function parseLogoutResponse(xml: string): LogoutResponseInfo {
  const root = rootOf(xml, 'LogoutResponse');
  const inResponseTo = root.getAttribute('InResponseTo');
  if (!inResponseTo || !XML_ID.test(inResponseTo))
    throw new LogoutMessageError('LogoutResponse has no valid InResponseTo');
  const status = childElements(root, NS.protocol, 'Status')[0];
  const statusCode = status ? childElements(status, NS.protocol, 'StatusCode')[0]?.getAttribute('Value') : null;
  if (!statusCode) throw new LogoutMessageError('LogoutResponse has no Status/StatusCode');
  return {
    id: root.getAttribute('ID') as string,
    issuer: issuerOf(root),
    destination: root.getAttribute('Destination') || null,
    inResponseTo,
    statusCode,
  };
}
