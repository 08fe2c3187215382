import { randomBytes } from 'node:crypto';
import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { NS } from './xml-reading.js';

export interface Claim {
  type: string;
  /** One AttributeValue each (ADFS sends one per role). */
  values: string[];
}

export interface ResponseInput {
  idpEntityId: string;
  spEntityId: string;
  acsUrl: string;
  inResponseTo: string;
  nameId: string;
  claims: Claim[];
  now?: Date;
  /** How long the assertion may be presented (Conditions and SubjectConfirmationData NotOnOrAfter). */
  lifetimeSeconds?: number;
}

export interface BuiltResponse {
  xml: string;
  responseId: string;
  assertionId: string;
  sessionIndex: string;
}

const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
/** The NameID format of the dev STS's assertions; its session records and logout messages use it too. */
export const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const ATTRNAME_URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const PASSWORD_PROTECTED = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';

export const newSamlId = () => `_${randomBytes(20).toString('hex')}`;
/** SAML wants xs:dateTime in UTC; milliseconds dropped as ADFS does. */
export const instant = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Builds an unsigned samlp:Response with one saml:Assertion. Every value (claims, NameID, URLs) goes
 * through the DOM as a text node or attribute, so the serializer escapes it: `<`, `&`, `"` in a
 * display name can never turn into markup.
 */
export function buildSamlResponse(input: ResponseInput): BuiltResponse {
  const now = input.now ?? new Date();
  const until = new Date(now.getTime() + (input.lifetimeSeconds ?? 300) * 1000);
  const responseId = newSamlId();
  const assertionId = newSamlId();
  const sessionIndex = newSamlId();

  const doc: Document = new DOMImplementation().createDocument(NS.protocol, 'samlp:Response', null);
  const el = (ns: string, qname: string, attrs: Record<string, string> = {}, text?: string): Element => {
    const e = doc.createElementNS(ns, qname);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.appendChild(doc.createTextNode(text));
    return e;
  };
  const add = (parent: Element, child: Element): Element => {
    parent.appendChild(child);
    return child;
  };

  const response = doc.documentElement as Element;
  response.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:saml', NS.assertion);
  for (const [k, v] of Object.entries({
    ID: responseId,
    Version: '2.0',
    IssueInstant: instant(now),
    Destination: input.acsUrl,
    InResponseTo: input.inResponseTo,
  })) {
    response.setAttribute(k, v);
  }
  add(response, el(NS.assertion, 'saml:Issuer', {}, input.idpEntityId));
  add(add(response, el(NS.protocol, 'samlp:Status')), el(NS.protocol, 'samlp:StatusCode', { Value: STATUS_SUCCESS }));

  const assertion = add(
    response,
    el(NS.assertion, 'saml:Assertion', { ID: assertionId, Version: '2.0', IssueInstant: instant(now) }),
  );
  add(assertion, el(NS.assertion, 'saml:Issuer', {}, input.idpEntityId));

  const subject = add(assertion, el(NS.assertion, 'saml:Subject'));
  add(subject, el(NS.assertion, 'saml:NameID', { Format: NAMEID_UNSPECIFIED }, input.nameId));
  const confirmation = add(subject, el(NS.assertion, 'saml:SubjectConfirmation', { Method: BEARER }));
  add(
    confirmation,
    el(NS.assertion, 'saml:SubjectConfirmationData', {
      InResponseTo: input.inResponseTo,
      NotOnOrAfter: instant(until),
      Recipient: input.acsUrl,
    }),
  );

  const conditions = add(
    assertion,
    el(NS.assertion, 'saml:Conditions', { NotBefore: instant(now), NotOnOrAfter: instant(until) }),
  );
  add(
    add(conditions, el(NS.assertion, 'saml:AudienceRestriction')),
    el(NS.assertion, 'saml:Audience', {}, input.spEntityId),
  );

  const statement = add(assertion, el(NS.assertion, 'saml:AttributeStatement'));
  for (const claim of input.claims) {
    if (claim.values.length === 0) continue;
    const attribute = add(
      statement,
      el(NS.assertion, 'saml:Attribute', { Name: claim.type, NameFormat: ATTRNAME_URI }),
    );
    for (const value of claim.values) add(attribute, el(NS.assertion, 'saml:AttributeValue', {}, value));
  }

  const authn = add(
    assertion,
    el(NS.assertion, 'saml:AuthnStatement', { AuthnInstant: instant(now), SessionIndex: sessionIndex }),
  );
  add(
    add(authn, el(NS.assertion, 'saml:AuthnContext')),
    el(NS.assertion, 'saml:AuthnContextClassRef', {}, PASSWORD_PROTECTED),
  );

  return { xml: new XMLSerializer().serializeToString(doc), responseId, assertionId, sessionIndex };
}
