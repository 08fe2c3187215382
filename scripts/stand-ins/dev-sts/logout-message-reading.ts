import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';

/**
 * The dev STS's own reading of the two Single Logout messages (SAML 2.0 core §3.7.1 LogoutRequest,
 * §3.7.2 LogoutResponse = StatusResponseType §3.2.2), written apart from the app's
 * src/auth/logout-message-reader.ts so the stand-in does not share the parser it is meant to test.
 * Plain DOM walking (no XPath): only the root's direct children count, so an element hidden deeper
 * (in an Extensions, a wrapper) is never read as the real one. Reading is not trusting: the routes
 * check the signature, the Destination and the times.
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
  /** The top-level StatusCode's Value. */
  statusCode: string;
}

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const ELEMENT_NODE = 1;
/** xs:ID is an NCName. */
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** xs:dateTime with a time zone (SAML core §1.3.3 wants UTC; an offset is read correctly too). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function parse(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new LogoutMessageError('a DOCTYPE is not allowed in a SAML message');
  let doc: Document;
  try {
    doc = new DOMParser({
      // Anything the parser would otherwise repair or skip over is a refusal.
      onError: (level: string, message: string) => {
        throw new LogoutMessageError(`XML ${level}: ${message}`);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (err) {
    throw err instanceof LogoutMessageError
      ? err
      : new LogoutMessageError(`not well-formed XML: ${(err as Error).message}`);
  }
  if (!doc.documentElement) throw new LogoutMessageError('no document element');
  return doc;
}

/** The root's direct element children, in order. */
function children(parent: Element): Element[] {
  const out: Element[] = [];
  for (let node: Node | null = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) out.push(node as Element);
  }
  return out;
}

const named = (parent: Element, ns: string, localName: string) =>
  children(parent).filter((e) => e.namespaceURI === ns && e.localName === localName);

function single(parent: Element, ns: string, localName: string, required: boolean): Element | null {
  const found = named(parent, ns, localName);
  if (found.length > 1) throw new LogoutMessageError(`${localName} appears more than once`);
  if (found.length === 0 && required) throw new LogoutMessageError(`${localName} is missing`);
  return found[0] ?? null;
}

const text = (el: Element) => (el.textContent ?? '').trim();

function time(el: Element, attribute: string, required: boolean): Date | null {
  const value = el.getAttribute(attribute);
  if (value === null || value === '') {
    if (required) throw new LogoutMessageError(`${attribute} is missing`);
    return null;
  }
  if (!DATE_TIME.test(value)) throw new LogoutMessageError(`${attribute} is not an xs:dateTime with a time zone`);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new LogoutMessageError(`${attribute} is not a valid date`);
  return date;
}

/** The common head of both messages (RequestAbstractType / StatusResponseType): root, ID, Version, Issuer. */
function head(xml: string, localName: 'LogoutRequest' | 'LogoutResponse') {
  const root = parse(xml).documentElement as Element;
  if (root.namespaceURI !== SAMLP || root.localName !== localName)
    throw new LogoutMessageError(`the message is not a samlp:${localName}`);
  const id = root.getAttribute('ID') ?? '';
  if (!NCNAME.test(id)) throw new LogoutMessageError(`${localName} ID is missing or not an xs:ID`);
  if (root.getAttribute('Version') !== '2.0') throw new LogoutMessageError(`${localName} Version must be 2.0`);
  const issuerEl = single(root, SAML, 'Issuer', true) as Element;
  const issuer = text(issuerEl);
  if (issuer === '') throw new LogoutMessageError('Issuer is empty');
  return { root, id, issuer, destination: root.getAttribute('Destination') || null };
}

export function parseLogoutRequest(xml: string): LogoutRequestInfo {
  const { root, id, issuer, destination } = head(xml, 'LogoutRequest');
  // Exactly one identifier; BaseID or EncryptedID the STS cannot act on.
  if (named(root, SAML, 'BaseID').length > 0 || named(root, SAML, 'EncryptedID').length > 0) {
    throw new LogoutMessageError('only a plain NameID is supported (no BaseID, no EncryptedID)');
  }
  const nameIdEl = single(root, SAML, 'NameID', true) as Element;
  const nameId = text(nameIdEl);
  if (nameId === '') throw new LogoutMessageError('NameID is empty');
  return {
    id,
    issuer,
    destination,
    issueInstant: time(root, 'IssueInstant', true) as Date,
    notOnOrAfter: time(root, 'NotOnOrAfter', false),
    nameId,
    nameIdFormat: nameIdEl.getAttribute('Format') || null,
    sessionIndexes: named(root, SAMLP, 'SessionIndex').map(text),
  };
}

export function parseLogoutResponse(xml: string): LogoutResponseInfo {
  const { root, id, issuer, destination } = head(xml, 'LogoutResponse');
  const inResponseTo = root.getAttribute('InResponseTo') ?? '';
  if (!NCNAME.test(inResponseTo))
    throw new LogoutMessageError('LogoutResponse InResponseTo is missing or not an xs:ID');
  const status = single(root, SAMLP, 'Status', true) as Element;
  const statusCode = (single(status, SAMLP, 'StatusCode', true) as Element).getAttribute('Value');
  if (!statusCode) throw new LogoutMessageError('StatusCode has no Value');
  return { id, issuer, destination, inResponseTo, statusCode };
}
