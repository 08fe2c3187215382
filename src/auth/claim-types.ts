/**
 * Claim type URIs as ADFS sends them (ADFS's claim descriptions). Shared by the service provider
 * (which reads them) and the development STS (which issues them) so both speak the same dialect.
 */
export const CLAIM_TYPES = {
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  windowsAccountName: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsaccountname',
  role: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
  group: 'http://schemas.xmlsoap.org/claims/Group',
  upn: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  /**
   * ADFS has no "display name" claim of its own; this is the URI Entra ID / ADFS rule templates use
   * for the LDAP displayName attribute, so an ADFS claim rule can emit it without a custom URI.
   */
  displayName: 'http://schemas.microsoft.com/identity/claims/displayname',
  givenName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  surname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  /**
   * The person's language. ADFS has no claim type of its own for it: a rule sends the directory's
   * `preferredLanguage` attribute (RFC 2798) under its standard SAML attribute name, this OID.
   */
  preferredLanguage: 'urn:oid:2.16.840.1.113730.3.1.39',
} as const;
