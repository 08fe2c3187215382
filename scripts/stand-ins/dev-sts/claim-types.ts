/**
 * The claim type URIs the STS issues, as ADFS sends them (ADFS's claim descriptions, the WS-Federation
 * identity claims of http://schemas.xmlsoap.org/ws/2005/05/identity/claims/ and Microsoft's own).
 * Duplicated on purpose from the app's src/auth/claim-types.ts: a wrong URI there must make sign-ins
 * with this STS fail, not be issued by it too. test/scripts/stand-ins/dev-sts/independence.test.ts is
 * the one place the two tables are compared (drift shows there).
 */
export const CLAIM_TYPES = {
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  windowsAccountName: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsaccountname',
  role: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
  group: 'http://schemas.xmlsoap.org/claims/Group',
  upn: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  /** No ADFS claim of its own: the URI Entra ID and ADFS rule templates use for LDAP displayName. */
  displayName: 'http://schemas.microsoft.com/identity/claims/displayname',
  givenName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  surname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  /** The directory's preferredLanguage (RFC 2798) under its standard SAML attribute name, this OID. */
  preferredLanguage: 'urn:oid:2.16.840.1.113730.3.1.39',
} as const;
