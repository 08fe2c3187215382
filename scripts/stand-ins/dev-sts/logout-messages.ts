import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { instant, NAMEID_UNSPECIFIED, newSamlId } from './saml-response.js';

/**
 * Builders for the two Single Logout messages (SAML 2.0 core §3.7). Pure functions with every field
 * overridable, so tests can forge exactly the message they want to see refused. Values go through the
 * DOM as text nodes and attributes (never string concatenation), so nothing a caller passes can turn
 * into markup. The HTTP-Redirect encoding and its signature are in http-redirect.ts (the STS's own, not the app's).
 */

const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
} as const;

export const STATUS = {
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
} as const;

export interface LogoutRequestInput {
  /** Default: a fresh random ID. */
  id?: string;
  issuer: string;
  /** The URL the message is sent to (required in a signed message, bindings §3.4.5.2). */
  destination: string;
  nameId: string;
  /** Default the unspecified format, the one the dev STS puts in its assertions. */
  nameIdFormat?: string;
  sessionIndex?: string;
  /** Default now. */
  issueInstant?: Date;
  /** Absent by default; the STS sets it to now + 5 min on the requests it sends. */
  notOnOrAfter?: Date;
}

export interface LogoutResponseInput {
  id?: string;
  issuer: string;
  destination: string;
  /** The ID of the LogoutRequest this answers. */
  inResponseTo: string;
  /** Top-level StatusCode; default Success. */
  statusCode?: string;
  issueInstant?: Date;
}

function newDocument(rootName: 'samlp:LogoutRequest' | 'samlp:LogoutResponse') {
  const doc: Document = new DOMImplementation().createDocument(NS.protocol, rootName, null);
  const root = doc.documentElement as Element;
  root.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:saml', NS.assertion);
  const child = (
    parent: Element,
    ns: string,
    qname: string,
    attrs: Record<string, string> = {},
    text?: string,
  ): Element => {
    const e = doc.createElementNS(ns, qname);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.appendChild(doc.createTextNode(text));
    parent.appendChild(e);
    return e;
  };
  return { doc, root, child };
}

/** An unsigned samlp:LogoutRequest (Issuer, NameID, optional SessionIndex, in schema order). */
export function buildLogoutRequest(input: LogoutRequestInput): { xml: string; id: string } {
  const id = input.id ?? newSamlId();
  const { doc, root, child } = newDocument('samlp:LogoutRequest');
  root.setAttribute('ID', id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', instant(input.issueInstant ?? new Date()));
  root.setAttribute('Destination', input.destination);
  if (input.notOnOrAfter) root.setAttribute('NotOnOrAfter', instant(input.notOnOrAfter));
  child(root, NS.assertion, 'saml:Issuer', {}, input.issuer);
  child(root, NS.assertion, 'saml:NameID', { Format: input.nameIdFormat ?? NAMEID_UNSPECIFIED }, input.nameId);
  if (input.sessionIndex !== undefined) child(root, NS.protocol, 'samlp:SessionIndex', {}, input.sessionIndex);
  return { xml: new XMLSerializer().serializeToString(doc), id };
}

/** An unsigned samlp:LogoutResponse answering `inResponseTo`. */
export function buildLogoutResponse(input: LogoutResponseInput): { xml: string; id: string } {
  const id = input.id ?? newSamlId();
  const { doc, root, child } = newDocument('samlp:LogoutResponse');
  root.setAttribute('ID', id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', instant(input.issueInstant ?? new Date()));
  root.setAttribute('Destination', input.destination);
  root.setAttribute('InResponseTo', input.inResponseTo);
  child(root, NS.assertion, 'saml:Issuer', {}, input.issuer);
  child(child(root, NS.protocol, 'samlp:Status'), NS.protocol, 'samlp:StatusCode', {
    Value: input.statusCode ?? STATUS.success,
  });
  return { xml: new XMLSerializer().serializeToString(doc), id };
}

// The STS's own binding (http-redirect.ts, independent of src/auth/redirect-binding.ts); re-exported so
// one import gives tests everything they forge with.
export {
  decodeRedirect,
  encodeRedirect,
  RedirectBindingError,
  SIG_ALG,
  verifyRedirectSignature,
  type DecodedRedirect,
} from './http-redirect.js';
