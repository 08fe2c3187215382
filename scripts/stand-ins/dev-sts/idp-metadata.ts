import { DOMImplementation, XMLSerializer, type Element } from '@xmldom/xmldom';
import { NS } from './xml-reading.js';

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** The STS's SAML metadata (unsigned): entityID, signing certificate, SLO and SSO endpoints, claims offered. */
export function idpMetadataXml(
  entityId: string,
  ssoUrl: string,
  certPem: string,
  claimTypes: readonly string[],
  sloUrl?: string,
): string {
  const doc = new DOMImplementation().createDocument(NS.metadata, 'md:EntityDescriptor', null);
  const root = doc.documentElement as Element;
  root.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:ds', NS.dsig);
  root.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:saml', NS.assertion);
  root.setAttribute('entityID', entityId);
  const el = (ns: string, qname: string, attrs: Record<string, string> = {}, text?: string) => {
    const e = doc.createElementNS(ns, qname);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.appendChild(doc.createTextNode(text));
    return e;
  };
  const idp = root.appendChild(
    el(NS.metadata, 'md:IDPSSODescriptor', {
      protocolSupportEnumeration: NS.protocol,
      WantAuthnRequestsSigned: 'false',
    }),
  );
  const keyInfo = idp
    .appendChild(el(NS.metadata, 'md:KeyDescriptor', { use: 'signing' }))
    .appendChild(el(NS.dsig, 'ds:KeyInfo'));
  const certBody = certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  keyInfo.appendChild(el(NS.dsig, 'ds:X509Data')).appendChild(el(NS.dsig, 'ds:X509Certificate', {}, certBody));
  // Schema order: KeyDescriptor, SingleLogoutService, NameIDFormat, SingleSignOnService.
  if (sloUrl !== undefined)
    idp.appendChild(el(NS.metadata, 'md:SingleLogoutService', { Binding: REDIRECT, Location: sloUrl }));
  idp.appendChild(el(NS.metadata, 'md:NameIDFormat', {}, 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'));
  idp.appendChild(el(NS.metadata, 'md:SingleSignOnService', { Binding: REDIRECT, Location: ssoUrl }));
  for (const type of claimTypes) {
    idp.appendChild(
      el(NS.assertion, 'saml:Attribute', { Name: type, NameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri' }),
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}`;
}
