/**
 * `npm run idp:import -- --preset <name>`: what this service provider must expect from the identity
 * providers companies run today, and what their administrators must set on their side.
 *
 * A preset chooses the settings of the `saml.idps[]` entry that the metadata cannot tell (which
 * attributes carry the account name, the display name and the roles; which elements the IdP signs)
 * and prints the IdP-side steps. Each value below is the product's documented default; the sources are
 * in this folder's README.
 */
import { CLAIM_TYPES } from '../../src/auth/claim-types.js';
import type { IdpConfigEntry } from './idp-metadata-import.js';

export const PRESET_NAMES = ['adfs', 'entra', 'simplesamlphp', 'shibboleth', 'keycloak'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface IdpPreset {
  /** The product, as its administrators call it. */
  product: string;
  /** Where the operator finds the IdP's metadata to import. */
  metadata: string;
  /** The entry's claim mapping (attribute names this SP reads). */
  claims: NonNullable<IdpConfigEntry['claims']>;
  /** Which elements the product signs by default, as this SP must then expect them. */
  wantResponseSigned: boolean;
  wantAssertionsSigned: boolean;
  /** What the IdP's administrator must set for this service provider, one step per line. */
  idpSide: string[];
}

/** SAML attribute names of the eduPerson / inetOrgPerson schema (urn:oid, as Shibboleth releases them). */
const OID = {
  uid: 'urn:oid:0.9.2342.19200300.100.1.1',
  displayName: 'urn:oid:2.16.840.1.113730.3.1.241',
  eduPersonEntitlement: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.7',
  preferredLanguage: CLAIM_TYPES.preferredLanguage,
} as const;

const ENTRA_CLAIMS = {
  objectId: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
} as const;

const ROLE_VALUES = 'Employee, Contractor, Manager or Admin';

export const PRESETS: Record<PresetName, IdpPreset> = {
  adfs: {
    product: 'Microsoft AD FS',
    metadata: 'https://<adfs host>/FederationMetadata/2007-06/FederationMetadata.xml',
    claims: {
      name: [CLAIM_TYPES.windowsAccountName, CLAIM_TYPES.name],
      displayName: [CLAIM_TYPES.displayName, CLAIM_TYPES.name],
      roles: [CLAIM_TYPES.role],
      stripDomain: true,
    },
    // AD FS signs only the assertion unless told otherwise (SamlResponseSignature AssertionOnly).
    wantResponseSigned: false,
    wantAssertionsSigned: true,
    idpSide: [
      "Add a relying party trust from this SP's metadata (<public URL>/saml/metadata); secure hash algorithm SHA-256 (the default).",
      'Claim rules: send the LDAP attribute SAM-Account-Name as "Windows account name", display-name as "http://schemas.microsoft.com/identity/claims/displayname", and the timesheet role of each person as "Role" (values ' +
        ROLE_VALUES +
        ', e.g. from group membership with "Send Group Membership as a Claim").',
      'Optional, stronger: sign the whole response too (Set-AdfsRelyingPartyTrust -TargetName <name> -SamlResponseSignature MessageAndAssertion), then set "wantResponseSigned": true.',
      'Single logout: add the SAML Logout endpoint <public URL>/saml/slo (HTTP-Redirect) to the trust.',
    ],
  },
  entra: {
    product: 'Microsoft Entra ID',
    metadata:
      'https://login.microsoftonline.com/<tenant id>/federationmetadata/2007-06/federationmetadata.xml?appid=<application id>',
    claims: {
      name: [CLAIM_TYPES.name],
      displayName: [CLAIM_TYPES.displayName, CLAIM_TYPES.name],
      roles: [CLAIM_TYPES.role, ENTRA_CLAIMS.groups],
      stripDomain: false,
    },
    // Entra ID's default signing option is "Sign SAML assertion".
    wantResponseSigned: false,
    wantAssertionsSigned: true,
    idpSide: [
      "Enterprise application > Single sign-on > SAML: Identifier = this SP's entity ID, Reply URL = <public URL>/saml/acs, Logout URL = <public URL>/saml/slo.",
      'Attributes & Claims: the "name" claim must carry the ERP account (user.onpremisessamaccountname for synchronised accounts; the default user.userprincipalname names people "alice@contoso.example", which the ERP must then know). The object id (' +
        ENTRA_CLAIMS.objectId +
        ') that Entra ID always sends is a GUID the ERP does not know: it is not read.',
      'Roles: define app roles with the values ' +
        ROLE_VALUES +
        ' and assign them (they arrive as "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"). A groups claim sends group object ids, which are no role names: use app roles, or emit groups as sAMAccountName.',
      'Signing: SHA-256 (the default). Optional: "Sign SAML response and assertion", then set "wantResponseSigned": true.',
      'Token encryption (optional, P1/P2 licence): with saml.sp.encryptionKey and encryptionCert configured, upload the SP encryption certificate (in <public URL>/saml/metadata); otherwise leave it off.',
    ],
  },
  simplesamlphp: {
    product: 'SimpleSAMLphp',
    metadata:
      'https://<idp host>/simplesaml/saml2/idp/metadata.php (1.19) or /simplesaml/module.php/saml/idp/metadata (2.x)',
    claims: {
      name: ['uid', OID.uid],
      displayName: ['displayName', OID.displayName, 'cn'],
      roles: ['Role', 'role', 'groups'],
      language: ['preferredLanguage', OID.preferredLanguage],
      stripDomain: false,
    },
    // saml20.sign.response and saml20.sign.assertion are both true by default.
    wantResponseSigned: true,
    wantAssertionsSigned: true,
    idpSide: [
      'Add this SP to metadata/saml20-sp-remote.php from <public URL>/saml/metadata (or the metarefresh module).',
      "In that entry: 'sign.logout' => true (SimpleSAMLphp does not sign logout messages by default, and this SP refuses unsigned ones), 'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'.",
      'Release the attributes uid (the ERP account), displayName and Role (values ' +
        ROLE_VALUES +
        "), e.g. with an authproc filter. 'assertion.encryption' => true only once saml.sp.encryptionKey and encryptionCert are configured (the SP metadata then carries the encryption certificate).",
    ],
  },
  shibboleth: {
    product: 'Shibboleth IdP',
    metadata: 'https://<idp host>/idp/shibboleth',
    claims: {
      name: [OID.uid, 'uid'],
      displayName: [OID.displayName, 'displayName'],
      roles: [OID.eduPersonEntitlement, 'Role', 'role'],
      language: [OID.preferredLanguage],
      stripDomain: false,
    },
    // The SAML2.SSO profile signs the response, not the assertion, and encrypts the assertion by default.
    wantResponseSigned: true,
    wantAssertionsSigned: false,
    idpSide: [
      "Load this SP's metadata (<public URL>/saml/metadata) with a MetadataProvider in metadata-providers.xml.",
      'Shibboleth encrypts assertions by default: configure saml.sp.encryptionKey and encryptionCert before loading the SP metadata (it then publishes the encryption certificate), or add a RelyingPartyOverride for this SP with <bean parent="SAML2.SSO" p:encryptAssertions="false" />. SAML2.Logout signs its messages (the default).',
      'attribute-filter.xml: release uid (the ERP account), displayName and eduPersonEntitlement or a role attribute with the values ' +
        ROLE_VALUES +
        '.',
    ],
  },
  keycloak: {
    product: 'Keycloak',
    metadata: 'https://<keycloak host>/realms/<realm>/protocol/saml/descriptor',
    claims: {
      name: ['username', 'uid'],
      displayName: ['displayName', 'username'],
      roles: ['Role', 'role'],
      stripDomain: false,
    },
    // "Sign documents" is on and "Sign assertions" off by default for a SAML client.
    wantResponseSigned: true,
    wantAssertionsSigned: false,
    idpSide: [
      "Clients > Import client from this SP's metadata (<public URL>/saml/metadata), or create a SAML client with Client ID = this SP's entity ID, Valid redirect URIs = <public URL>/*.",
      'Signature and encryption: "Sign documents" on (the default), algorithm RSA_SHA256; "Encrypt assertions" off, or on with the SP encryption certificate once saml.sp.encryptionKey is configured. "Client signature required" (on by default) needs this SP to sign its requests: configure saml.sp.signingKey and signingCert.',
      'Client scopes > dedicated scope > mappers: "User Property" username as SAML attribute "username"; "Role list" (attribute name Role, "Single Role Attribute" on) with client or realm roles named ' +
        ROLE_VALUES +
        '.',
      'Logout: "Front channel logout" on (the default), Logout Service Redirect Binding URL = <public URL>/saml/slo; this SP takes logout messages over HTTP-Redirect only, so turn "Force POST binding" off if logouts arrive as a POST.',
    ],
  },
};

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The report's lines for a preset: what was chosen, and what the IdP's administrator must do. */
export function describePreset(name: PresetName): string[] {
  const p = PRESETS[name];
  const lines = [
    `PRESET ${name} (${p.product}): claims name ${p.claims.name?.join(', ')}; roles ${p.claims.roles?.join(', ')};`,
    `       wantResponseSigned ${p.wantResponseSigned}, wantAssertionsSigned ${p.wantAssertionsSigned} (what ${p.product} signs by default)`,
    `THE IdP'S ADMINISTRATOR MUST (${p.product}):`,
  ];
  p.idpSide.forEach((step, i) => lines.push(`  ${i + 1}. ${step}`));
  return lines;
}
