/**
 * Turns a partner identity provider's SAML 2.0 metadata into a `saml.idps[]` entry (see
 * saml-config-schema.ts), and inserts or replaces that entry in a configuration file's text.
 * Pure: text in, values out (no file system, no clock unless `now` is left out). The CLI around it is
 * scripts/idp-import.ts (`npm run idp:import`).
 *
 * The metadata's own signature is NOT verified: the caller must have the certificate fingerprints
 * confirmed by the partner out of band. That is why `describeImport` prints them.
 */
import { X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { applyEdits, format, modify, type FormattingOptions, type JSONPath } from 'jsonc-parser';
import { z } from 'zod';
import { describePreset, isPresetName, PRESET_NAMES, PRESETS, type PresetName } from './presets.js';
import { CLAIM_TYPES } from '../../src/auth/claim-types.js';
import { childElements, NS, parseUntrustedXml } from '../../src/auth/safe-xml.js';
import { idpConfigSchema } from '../../src/auth/saml-config-schema.js';

export const SAML_BINDINGS = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

/** `partnerForbiddenRoles` default of the schema; a partner IdP may never grant these. */
export const DEFAULT_PARTNER_FORBIDDEN_ROLES: readonly string[] = ['Admin', 'Manager'];
/** Certificates that end sooner than this are reported. */
export const EXPIRY_WARNING_DAYS = 30;

/** The JSON written to `saml.idps[]`: the schema's input shape (defaults left out). */
export type IdpConfigEntry = z.input<typeof idpConfigSchema>;
export type Trust = 'partner' | 'corporate';

export interface IdpImportOptions {
  /** `--id`: lowercase letters, digits and dashes. */
  id: string;
  /** `--label`; default: the metadata's OrganizationDisplayName, else the entityID. */
  label?: string;
  /** `--trust`; default partner. */
  trust?: string;
  /** `--roles` (allowedRoles); default ["Contractor"] for a partner, any role (null) for corporate. */
  roles?: readonly string[];
  /** `--domain` (emailDomains), lowercased. */
  emailDomains?: readonly string[];
  /** `--entity`: which IdP of an EntitiesDescriptor. */
  entityId?: string;
  partnerForbiddenRoles?: readonly string[];
  /** `--preset`: the claim mapping and signing this IdP product uses (presets.ts). */
  preset?: string;
  /** `--claim kind=attribute,...`: claim lists that replace the preset's (or the schema's) for those kinds. */
  claims?: Partial<Record<ClaimKind, string[]>>;
  /** For the validity checks; default: the current time. */
  now?: Date;
}

/** The claim lists an operator may set with --claim. */
export const CLAIM_KINDS = ['name', 'displayName', 'roles', 'language'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

export interface CertificateReport {
  /** Bare base64 body as written to `certs`. */
  base64: string;
  subject: string;
  /** SHA-256 fingerprint, colon-separated hex (as openssl and Windows certificate dialogs show it). */
  fingerprint256: string;
  notBefore: Date;
  notAfter: Date;
  /** Whole days from `now` to notAfter (negative once expired). */
  daysLeft: number;
  expired: boolean;
  expiresSoon: boolean;
  notYetValid: boolean;
  /** The RSA modulus length; null for another key type. */
  rsaBits: number | null;
}

export interface IdpImport {
  entry: IdpConfigEntry;
  /** Keys of `entry` that come from options given explicitly (they win over an existing entry on replace). */
  explicit: ReadonlyArray<keyof IdpConfigEntry>;
  certificates: CertificateReport[];
  /**
   * The IdP's encryption certificates, as written to `encryptionCerts`: KeyDescriptors with
   * use="encryption" and those without `use` (signing and encryption both).
   */
  encryptionCertificates: CertificateReport[];
  /** KeyDescriptors with use="encryption" (never taken as a signing certificate). */
  encryptionOnlyKeys: number;
  /** The metadata names no organisation and no --label was given: the label is the entityID. */
  labelFromEntityId: boolean;
  /** IDPSSODescriptor WantAuthnRequestsSigned="true": the SP must sign (saml.sp.signingKey). */
  wantAuthnRequestsSigned: boolean;
  /** The IdP lists ADFS claim URIs (role or upn) among its Attributes: the schema's ADFS claim defaults fit. */
  adfsClaims: boolean;
  /**
   * Algorithms the metadata declares (SAML metadata algorithm support profile: alg:SigningMethod and
   * alg:DigestMethod in md:Extensions of the entity or its IDPSSODescriptor); empty when it says nothing.
   */
  algorithms: { signing: string[]; digest: string[] };
  /** Bindings of every SingleSignOnService / SingleLogoutService found, for the report. */
  ssoBindings: string[];
  sloBindings: string[];
  /** Things to tell the operator (stderr), not problems. */
  warnings: string[];
  /** The preset applied, if any. */
  preset: PresetName | null;
}

export type ProblemKind = 'usage' | 'metadata';
export type Result<T> = { ok: true; value: T } | { ok: false; kind: ProblemKind; problems: string[] };

/** Told when --trust is left out (the entry is then a partner's), unless an existing entry's trust is kept. */
export const DEFAULT_TRUST_WARNING =
  "trust partner (the default: a contractor's company, principals named <id>:<name>); for the company's own IdP, whose users are employees, import with --trust corporate";

const fail = <T>(kind: ProblemKind, problems: string[]): Result<T> => ({ ok: false, kind, problems });

/** SAML V2.0 Metadata Profile for Algorithm Support. */
const ALG_SUPPORT = 'urn:oasis:names:tc:SAML:metadata:algsupport';

const shortBinding = (uri: string) => uri.replace(/^urn:oasis:names:tc:SAML:2\.0:bindings:/, '');

/** Partner IdPs that are not ADFS-like: the principal is `<id>:<upn>`, the UPN kept whole. */
export const PARTNER_UPN_CLAIMS = { name: [CLAIM_TYPES.upn], stripDomain: false } as const;

function suggestedClaims(trust: Trust, adfsClaims: boolean): IdpConfigEntry['claims'] | undefined {
  return trust === 'partner' && !adfsClaims ? { name: [...PARTNER_UPN_CLAIMS.name], stripDomain: false } : undefined;
}

/* ---------------------------------------------------------------- options */

function checkOptions(options: IdpImportOptions): Result<{ trust: Trust; roles: string[] | null; domains: string[] }> {
  const problems: string[] = [];
  const shape = idpConfigSchema.shape;
  if (!shape.id.safeParse(options.id).success)
    problems.push(`--id "${options.id}": an IdP id is lowercase letters, digits and dashes`);
  if (options.label !== undefined && options.label.trim() === '') problems.push('--label is empty');
  const trust = options.trust ?? 'partner';
  if (trust !== 'partner' && trust !== 'corporate') problems.push(`--trust "${trust}": partner or corporate`);
  let roles: string[] | null = options.roles ? options.roles.map((r) => r.trim()).filter(Boolean) : null;
  if (options.roles && roles?.length === 0) problems.push('--roles is empty');
  if (roles === null && trust === 'partner') roles = ['Contractor'];
  const forbidden = options.partnerForbiddenRoles ?? DEFAULT_PARTNER_FORBIDDEN_ROLES;
  if (trust === 'partner' && roles) {
    const bad = roles.filter((r) => forbidden.includes(r));
    if (bad.length) problems.push(`--roles: a partner IdP may never grant ${bad.join(', ')}`);
  }
  const domains = (options.emailDomains ?? []).map((d) => d.trim().toLowerCase());
  for (const d of domains) {
    if (!shape.emailDomains.safeParse([d]).success)
      problems.push(`--domain "${d}": an e-mail domain is a DNS name such as fabrikam.example`);
  }
  if (new Set(domains).size !== domains.length) problems.push('--domain: the same domain is given twice');
  if (options.preset !== undefined && !isPresetName(options.preset))
    problems.push(`--preset "${options.preset}": one of ${PRESET_NAMES.join(', ')}`);
  if (problems.length) return fail('usage', problems);
  return { ok: true, value: { trust: trust as Trust, roles, domains } };
}

/* ---------------------------------------------------------------- metadata */

const attr = (el: Element, name: string): string | null => {
  const v = el.getAttribute(name);
  return v === null || v === '' ? null : v;
};

function entityDescriptors(root: Element): Element[] {
  if (root.localName === 'EntityDescriptor') return [root];
  return [
    ...childElements(root, NS.metadata, 'EntityDescriptor'),
    ...childElements(root, NS.metadata, 'EntitiesDescriptor').flatMap(entityDescriptors),
  ];
}

function saml2IdpDescriptors(entity: Element): Element[] {
  return childElements(entity, NS.metadata, 'IDPSSODescriptor').filter((d) =>
    (d.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(NS.protocol),
  );
}

function organizationDisplayName(entity: Element): string | null {
  const [org] = childElements(entity, NS.metadata, 'Organization');
  if (!org) return null;
  const names = childElements(org, NS.metadata, 'OrganizationDisplayName')
    .map((el) => ({
      lang: el.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang') ?? el.getAttribute('xml:lang') ?? '',
      text: (el.textContent ?? '').trim(),
    }))
    .filter((n) => n.text);
  return (names.find((n) => n.lang.toLowerCase().startsWith('en')) ?? names[0])?.text ?? null;
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  } catch {
    return false;
  }
}

function checkEndpointUrl(what: string, url: string, problems: string[], warnings: string[]): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push(`${what} Location "${url}" is not an absolute URL`);
    return;
  }
  if (parsed.protocol !== 'https:' && !isLoopbackUrl(url)) warnings.push(`${what} ${url} is not HTTPS`);
}

/** A certificate (its bare base64 body) as the reports show it, judged at `now`. */
export function certificateReport(base64: string, now: Date): CertificateReport {
  const cert = new X509Certificate(Buffer.from(base64, 'base64'));
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
  return {
    base64,
    subject: cert.subject.replace(/\n/g, ', '),
    fingerprint256: cert.fingerprint256,
    notBefore,
    notAfter,
    daysLeft,
    expired: notAfter.getTime() <= now.getTime(),
    expiresSoon: notAfter.getTime() > now.getTime() && daysLeft < EXPIRY_WARNING_DAYS,
    notYetValid: notBefore.getTime() > now.getTime(),
    rsaBits:
      cert.publicKey.asymmetricKeyType === 'rsa' ? (cert.publicKey.asymmetricKeyDetails?.modulusLength ?? null) : null,
  };
}

/** The certificates of one KeyDescriptor, as bare base64 bodies. */
function keyDescriptorBodies(kd: Element): string[] {
  return Array.from(kd.getElementsByTagNameNS(NS.dsig, 'X509Certificate')).map((el) =>
    (el.textContent ?? '').replace(/\s+/g, ''),
  );
}

function readCertificateBody(body: string, now: Date): CertificateReport | null {
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error('not base64');
    return certificateReport(body, now);
  } catch {
    return null;
  }
}

/**
 * The certificates of an IDPSSODescriptor's KeyDescriptors: use="signing" ones are signing
 * certificates, use="encryption" ones encryption certificates, and one without `use` is both (SAML
 * metadata §2.4.1.1). A broken signing certificate is a problem; a broken encryption-only one is a
 * warning (this SP encrypts nothing to the IdP today, so the entry stays usable without it).
 */
function keyCertificates(
  idp: Element,
  now: Date,
  problems: string[],
  warnings: string[],
): { certs: CertificateReport[]; encryption: CertificateReport[]; encryptionOnly: number } {
  const certs: CertificateReport[] = [];
  const encryption: CertificateReport[] = [];
  let encryptionOnly = 0;
  const add = (list: CertificateReport[], report: CertificateReport) => {
    if (!list.some((c) => c.fingerprint256 === report.fingerprint256)) list.push(report);
  };
  childElements(idp, NS.metadata, 'KeyDescriptor').forEach((kd, i) => {
    const use = kd.getAttribute('use');
    const bodies = keyDescriptorBodies(kd);
    if (use === 'encryption') {
      encryptionOnly++;
      if (bodies.length === 0)
        warnings.push(`KeyDescriptor #${i + 1} (encryption) has no ds:X509Certificate: no encryption certificate kept`);
      for (const body of bodies) {
        const report = readCertificateBody(body, now);
        if (report) add(encryption, report);
        else
          warnings.push(
            `KeyDescriptor #${i + 1} (encryption): its X509Certificate is not a valid X.509 certificate: not kept`,
          );
      }
      return;
    }
    if (use && use !== 'signing') {
      problems.push(`KeyDescriptor #${i + 1}: use="${use}" is neither signing nor encryption`);
      return;
    }
    if (bodies.length === 0)
      problems.push(
        `KeyDescriptor #${i + 1} (${use ?? 'no use'}) has no ds:X509Certificate (a bare key cannot be configured)`,
      );
    for (const body of bodies) {
      const report = readCertificateBody(body, now);
      if (!report) {
        problems.push(`KeyDescriptor #${i + 1}: its X509Certificate is not a valid X.509 certificate`);
        continue;
      }
      add(certs, report);
      if (!use) add(encryption, report);
    }
  });
  return { certs, encryption, encryptionOnly };
}

/**
 * Reads one IdP out of SAML 2.0 metadata (an EntityDescriptor, or an EntitiesDescriptor with
 * `options.entityId`) and builds its configuration entry, validated with idpConfigSchema.
 * Problems come back all at once, one line each: `usage` (an option is wrong or missing) or
 * `metadata` (the document cannot give a usable IdP).
 */
export function importIdpMetadata(xml: string, options: IdpImportOptions): Result<IdpImport> {
  const checked = checkOptions(options);
  if (!checked.ok) return checked;
  const { trust, roles, domains } = checked.value;
  const now = options.now ?? new Date();

  const text = xml.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(text)) {
    return fail('metadata', [
      'the metadata contains a DOCTYPE: refused (entity expansion / XXE); SAML metadata never needs one, ask the partner for plain metadata',
    ]);
  }
  let root: Element;
  try {
    const doc = parseUntrustedXml(text);
    root = doc.documentElement as Element;
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0] ?? 'parse error';
    return fail('metadata', [`not well-formed XML: ${reason}`]);
  }
  if (
    root.namespaceURI !== NS.metadata ||
    (root.localName !== 'EntityDescriptor' && root.localName !== 'EntitiesDescriptor')
  ) {
    return fail('metadata', [
      `the root element is ${root.tagName} (${root.namespaceURI ?? 'no namespace'}), not a SAML 2.0 md:EntityDescriptor or md:EntitiesDescriptor`,
    ]);
  }

  const idpEntities = entityDescriptors(root).filter((e) => saml2IdpDescriptors(e).length > 0);
  const listing = () =>
    idpEntities.map(
      (e) => `  ${e.getAttribute('entityID')}${organizationDisplayName(e) ? `  (${organizationDisplayName(e)})` : ''}`,
    );
  if (idpEntities.length === 0) {
    const entity = root.localName === 'EntityDescriptor' ? root : undefined;
    const other = entity && childElements(entity, NS.metadata, 'IDPSSODescriptor').length > 0;
    return fail('metadata', [
      other
        ? 'the IDPSSODescriptor does not list the SAML 2.0 protocol (urn:oasis:names:tc:SAML:2.0:protocol) in protocolSupportEnumeration'
        : "no identity provider here: no md:IDPSSODescriptor for SAML 2.0 (is this a service provider's metadata?)",
    ]);
  }
  let entity: Element;
  if (options.entityId !== undefined) {
    const found = idpEntities.find((e) => e.getAttribute('entityID') === options.entityId);
    if (!found)
      return fail('usage', [
        `--entity "${options.entityId}": no identity provider with that entityID here; the metadata has:`,
        ...listing(),
      ]);
    entity = found;
  } else if (idpEntities.length > 1) {
    return fail('usage', [
      `the metadata describes ${idpEntities.length} identity providers: choose one with --entity <entityID>:`,
      ...listing(),
    ]);
  } else {
    entity = idpEntities[0] as Element;
  }

  const problems: string[] = [];
  const warnings: string[] = [];
  const entityId = attr(entity, 'entityID');
  if (!entityId) problems.push('the EntityDescriptor has no entityID');
  const descriptors = saml2IdpDescriptors(entity);
  if (descriptors.length > 1)
    warnings.push(`${descriptors.length} IDPSSODescriptors for SAML 2.0: the first one is used`);
  const idp = descriptors[0] as Element;

  for (const el of [entity, ...ancestors(entity)]) {
    const validUntil = attr(el, 'validUntil');
    if (validUntil && new Date(validUntil).getTime() < now.getTime()) {
      warnings.push(`the metadata says it is valid until ${validUntil} (past): ask the partner for current metadata`);
    }
  }

  const sso = childElements(idp, NS.metadata, 'SingleSignOnService');
  const ssoBindings = sso.map((s) => s.getAttribute('Binding') ?? '(no Binding)');
  const redirect = sso.find((s) => s.getAttribute('Binding') === SAML_BINDINGS.redirect);
  let ssoUrl = '';
  if (sso.length === 0) problems.push('no SingleSignOnService in the IDPSSODescriptor');
  else if (!redirect) {
    problems.push(
      `no SingleSignOnService with the HTTP-Redirect binding (the only one this service provider sends); found: ${ssoBindings.map(shortBinding).join(', ')}`,
    );
  } else {
    ssoUrl = attr(redirect, 'Location') ?? '';
    if (!ssoUrl) problems.push('the HTTP-Redirect SingleSignOnService has no Location');
    else checkEndpointUrl('SingleSignOnService', ssoUrl, problems, warnings);
  }

  const slo = childElements(idp, NS.metadata, 'SingleLogoutService');
  const sloBindings = slo.map((s) => s.getAttribute('Binding') ?? '(no Binding)');
  const sloRedirect = slo.find((s) => s.getAttribute('Binding') === SAML_BINDINGS.redirect);
  let sloUrl: string | null = null;
  if (sloRedirect) {
    sloUrl = attr(sloRedirect, 'Location');
    if (!sloUrl) problems.push('the HTTP-Redirect SingleLogoutService has no Location');
    else checkEndpointUrl('SingleLogoutService', sloUrl, problems, warnings);
  } else if (slo.length) {
    warnings.push(
      `single logout only over ${sloBindings.map(shortBinding).join(', ')} (not HTTP-Redirect): sign-out will be local only`,
    );
  }

  const { certs, encryption, encryptionOnly } = keyCertificates(idp, now, problems, warnings);
  if (certs.length === 0 && !problems.some((p) => p.startsWith('KeyDescriptor'))) {
    problems.push(
      encryptionOnly
        ? `no signing certificate: the IDPSSODescriptor has only ${encryptionOnly} KeyDescriptor(s) with use="encryption"`
        : 'no signing certificate: the IDPSSODescriptor has no KeyDescriptor',
    );
  }
  for (const c of certs) {
    if (c.expired) warnings.push(`certificate ${c.fingerprint256} EXPIRED on ${isoDate(c.notAfter)}`);
    else if (c.expiresSoon)
      warnings.push(
        `certificate ${c.fingerprint256} expires in ${c.daysLeft} day(s), on ${isoDate(c.notAfter)}: ask the partner for the next one`,
      );
    if (c.notYetValid) warnings.push(`certificate ${c.fingerprint256} is valid only from ${isoDate(c.notBefore)}`);
  }
  const signing = new Set(certs.map((c) => c.fingerprint256));
  for (const c of encryption.filter((e) => !signing.has(e.fingerprint256))) {
    if (c.expired) warnings.push(`encryption certificate ${c.fingerprint256} EXPIRED on ${isoDate(c.notAfter)}`);
    else if (c.expiresSoon)
      warnings.push(
        `encryption certificate ${c.fingerprint256} expires in ${c.daysLeft} day(s), on ${isoDate(c.notAfter)}`,
      );
  }

  const wantAuthnRequestsSigned = idp.getAttribute('WantAuthnRequestsSigned') === 'true';
  const declared = (localName: string) =>
    [entity, idp]
      .flatMap((el) => childElements(el, NS.metadata, 'Extensions'))
      .flatMap((ext) => childElements(ext, ALG_SUPPORT, localName))
      .map((m) => m.getAttribute('Algorithm') ?? '')
      .filter(Boolean);
  const algorithms = { signing: declared('SigningMethod'), digest: declared('DigestMethod') };
  const attributeNames = childElements(idp, NS.assertion, 'Attribute').map((a) => a.getAttribute('Name') ?? '');
  const adfsClaims = attributeNames.includes(CLAIM_TYPES.role) || attributeNames.includes(CLAIM_TYPES.upn);

  if (problems.length) return fail('metadata', problems);

  const entry: IdpConfigEntry = {
    id: options.id,
    label: options.label?.trim() || organizationDisplayName(entity) || (entityId as string),
    trust,
    entityId: entityId as string,
    ssoUrl,
    sloUrl,
    certs: certs.map((c) => c.base64),
  };
  if (encryption.length) entry.encryptionCerts = encryption.map((c) => c.base64);
  if (roles) entry.allowedRoles = roles;
  if (domains.length) entry.emailDomains = domains;
  const preset = options.preset !== undefined && isPresetName(options.preset) ? options.preset : null;
  const claims = preset ? { ...PRESETS[preset].claims } : suggestedClaims(trust, adfsClaims);
  const claimOverrides = Object.entries(options.claims ?? {}).filter(([, list]) => list && list.length);
  if (claims || claimOverrides.length) entry.claims = { ...claims, ...Object.fromEntries(claimOverrides) };
  if (preset) {
    entry.wantResponseSigned = PRESETS[preset].wantResponseSigned;
    entry.wantAssertionsSigned = PRESETS[preset].wantAssertionsSigned;
  }
  if (trust === 'partner') entry.erpAccounts = {};
  if (options.trust === undefined) warnings.push(DEFAULT_TRUST_WARNING);

  const parsed = idpConfigSchema.safeParse(entry);
  if (!parsed.success)
    return fail(
      'metadata',
      parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`),
    );

  const explicit: Array<keyof IdpConfigEntry> = ['id'];
  if (options.label !== undefined) explicit.push('label');
  if (options.trust !== undefined) explicit.push('trust');
  if (options.roles !== undefined) explicit.push('allowedRoles');
  if (options.emailDomains !== undefined && options.emailDomains.length) explicit.push('emailDomains');
  if (preset || claimOverrides.length) explicit.push('claims');
  if (preset) explicit.push('wantResponseSigned', 'wantAssertionsSigned');

  return {
    ok: true,
    value: {
      entry,
      explicit,
      certificates: certs,
      encryptionCertificates: encryption,
      encryptionOnlyKeys: encryptionOnly,
      labelFromEntityId: options.label?.trim() ? false : !organizationDisplayName(entity),
      wantAuthnRequestsSigned,
      algorithms,
      adfsClaims,
      ssoBindings,
      sloBindings,
      warnings,
      preset,
    },
  };
}

function ancestors(el: Element): Element[] {
  const out: Element[] = [];
  for (let p = el.parentNode; p && p.nodeType === p.ELEMENT_NODE; p = p.parentNode) out.push(p as Element);
  return out;
}

export const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** One certificate as the report lists it: subject, fingerprint, validity. */
function certificateLines(c: CertificateReport, n: number): string[] {
  return [
    `  ${n}. ${c.subject}`,
    `     SHA-256 ${c.fingerprint256}`,
    `     valid ${isoDate(c.notBefore)} to ${isoDate(c.notAfter)}${c.expired ? ' (EXPIRED)' : ` (${c.daysLeft} days left)`}`,
  ];
}

/** `name uid, urn:oid:...; roles Role; stripDomain false`: the claim lists of an entry. */
function claimsSummary(claims: NonNullable<IdpConfigEntry['claims']>): string {
  return Object.entries(claims)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join('; ');
}

/**
 * What to tell the operator (stderr): certificates with fingerprints and validity, warnings, reminders.
 * `written` is the entry as it was written (with --into, read back from the file: an existing entry's
 * trust, label and claims may have been kept); by default the imported entry.
 */
export function describeImport(imp: IdpImport, written: IdpConfigEntry = imp.entry): string[] {
  const e = written;
  const trust = e.trust ?? 'corporate';
  const lines = [`IdP ${e.entityId} -> id "${e.id}", label "${e.label}", trust ${trust}`];
  lines.push(`  single sign-on (HTTP-Redirect): ${e.ssoUrl}`);
  lines.push(`  single logout (HTTP-Redirect):  ${e.sloUrl ?? 'none (sign-out stays local)'}`);
  lines.push(
    `signing certificate(s): ${imp.certificates.length}${imp.certificates.length > 1 ? ' (rollover: all are trusted)' : ''}`,
  );
  imp.certificates.forEach((c, i) => lines.push(...certificateLines(c, i + 1)));
  const encryption = imp.encryptionCertificates;
  if (encryption.length) {
    const signing = new Set(imp.certificates.map((c) => c.fingerprint256));
    lines.push(
      `encryption certificate(s): ${encryption.length}, kept as "encryptionCerts" (what this SP would encrypt to the IdP with, e.g. a NameID in a logout request; this SP encrypts nothing to the IdP today)`,
    );
    encryption.forEach((c, i) => {
      if (signing.has(c.fingerprint256))
        lines.push(
          `  ${i + 1}. SHA-256 ${c.fingerprint256} (the signing certificate too: its KeyDescriptor has no use)`,
        );
      else lines.push(...certificateLines(c, i + 1));
    });
  }
  if (e.label === e.entityId && imp.labelFromEntityId && !imp.explicit.includes('label'))
    lines.push(
      `NOTE: the metadata names no organisation (no OrganizationDisplayName): the chooser shows the entityID "${e.entityId}";`,
      `      import again with --label "<name people recognise>" (e.g. the company's name)`,
    );
  // The default-trust warning is about the entry written: a kept corporate entry is not a partner's.
  const warnings = imp.warnings.filter((w) => w !== DEFAULT_TRUST_WARNING || trust === 'partner');
  for (const w of warnings) lines.push(`WARNING: ${w}`);
  if (imp.wantAuthnRequestsSigned) {
    lines.push(
      'WARNING: the IdP wants signed AuthnRequests (WantAuthnRequestsSigned="true"): saml.sp.signingKey and saml.sp.signingCert must be configured',
    );
  }
  if (e.sloUrl)
    lines.push(
      'NOTE: single logout messages are signed: saml.sp.signingKey and saml.sp.signingCert must be configured',
    );
  const keptClaims =
    written !== imp.entry &&
    !imp.explicit.includes('claims') &&
    JSON.stringify(e.claims) !== JSON.stringify(imp.entry.claims);
  if (imp.preset) {
    lines.push(...describePreset(imp.preset));
  } else if (keptClaims && e.claims) {
    lines.push(`NOTE: claims kept from the existing entry: ${claimsSummary(e.claims)}`);
  } else if (imp.explicit.includes('claims') && e.claims) {
    const given = CLAIM_KINDS.filter((k) => e.claims?.[k]).map((k) => `${k} ${e.claims?.[k]?.join(', ')}`);
    lines.push(`NOTE: claims as given: ${given.join('; ')} (the others: the schema's ADFS defaults)`);
  } else if (e.claims) {
    lines.push(
      `NOTE: the IdP lists no ADFS claim URIs: the name claim is the UPN (${CLAIM_TYPES.upn}), kept whole; principals are "${e.id}:<upn>"`,
    );
  } else if (imp.adfsClaims) {
    const principal = trust === 'partner' ? `; principals are "${e.id}:<account>"` : '';
    lines.push(
      `NOTE: ADFS claim URIs: the default claims apply (windowsaccountname without its DOMAIN\\, then name; role)${principal}.`,
    );
    lines.push('      ADFS signs only the assertion by default:');
    lines.push(
      '      have the partner run Set-AdfsRelyingPartyTrust -SamlResponseSignature MessageAndAssertion, or set "wantResponseSigned": false',
    );
  }
  lines.push(
    "REMINDER: the metadata's signature is NOT verified. Compare the SHA-256 fingerprints above with the partner",
  );
  lines.push('          out of band (phone, a known contact) before this entry goes live.');
  if (trust === 'partner') {
    lines.push(
      'REMINDER: fill "erpAccounts" (the contractor mapping table: the partner\'s name claim value -> ERP account,',
    );
    lines.push(
      '          e.g. "carol@fabrikam.example": "carol"); a partner user missing there is refused at sign-in.',
    );
  }
  return lines;
}

/* ---------------------------------------------------------------- configuration file */

type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
type JsonObject = { [k: string]: JsonValue };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * How the file indents and ends its lines (its first indented line; two spaces when there is none),
 * so that what jsonc-parser writes looks like what is already there.
 */
function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  const tabs = indent.startsWith('\t');
  return { insertSpaces: !tabs, tabSize: tabs ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/**
 * Sets the value at `path` (an array index of -1 appends) with jsonc-parser: only that value's text
 * changes, the rest of the file keeps its bytes. The new text is formatted on its own: jsonc-parser's
 * formatting of an edit takes in the whole lines around it, and would reformat a neighbour written on
 * the same line (`"burst": { "otherUrl": null }` before an appended `"saml"`).
 */
function setIn(text: string, path: JSONPath, value: JsonValue, options: FormattingOptions): string {
  const [edit, ...more] = modify(text, path, value, {});
  if (!edit || more.length) return applyEdits(text, modify(text, path, value, { formattingOptions: options }));
  const out = applyEdits(text, [edit]);
  // One character more on each side: the line breaks inside the brackets of a container that was empty.
  const start = Math.max(0, edit.offset - 1);
  return applyEdits(
    out,
    format(out, { offset: start, length: edit.offset + edit.content.length + 1 - start }, options),
  );
}

export interface UpsertOptions {
  /** Name of the file, for messages. */
  fileName?: string;
}

export interface Upsert {
  text: string;
  action: 'inserted' | 'replaced';
  index: number;
  entry: IdpConfigEntry;
  /** What changed, one line each (for stdout). */
  changes: string[];
  /** To tell the operator (stderr): e.g. no SP signing key in this file. */
  notes: string[];
}

const METADATA_KEYS = ['entityId', 'ssoUrl', 'sloUrl', 'certs', 'encryptionCerts'] as const;

/**
 * The entry to write in place of `existing`: what the metadata says (entityId, ssoUrl, sloUrl, certs,
 * encryptionCerts: gone from the entry when the metadata no longer has any) and the options given
 * explicitly replace; everything else of the existing entry is kept (label, trust, claims, erpAccounts,
 * hidden, signature settings...), in its key order. Absent keys of the existing entry stay absent
 * (schema defaults), except what a partner IdP needs: allowedRoles and erpAccounts.
 */
export function mergeIdpEntry(existing: JsonObject, imp: IdpImport): IdpConfigEntry {
  const out: JsonObject = { ...existing };
  const fresh = imp.entry as unknown as JsonObject;
  for (const k of [...METADATA_KEYS, ...imp.explicit]) if (fresh[k] !== undefined) out[k] = fresh[k] as JsonValue;
  if (fresh.encryptionCerts === undefined) delete out.encryptionCerts;
  const trust: Trust = out.trust === 'partner' ? 'partner' : 'corporate';
  if (trust === 'partner') {
    if (out.allowedRoles === undefined || out.allowedRoles === null) out.allowedRoles = ['Contractor'];
    if (out.erpAccounts === undefined) out.erpAccounts = {};
  }
  if (out.claims === undefined) {
    const claims = suggestedClaims(trust, imp.adfsClaims);
    if (claims) out.claims = claims as unknown as JsonValue;
  }
  return out as unknown as IdpConfigEntry;
}

function certLabel(source: JsonValue): string {
  if (typeof source !== 'string') return String(source);
  try {
    const pem = source.includes('-----BEGIN') ? source : Buffer.from(source.replace(/\s+/g, ''), 'base64');
    return `SHA-256 ${new X509Certificate(pem).fingerprint256}`;
  } catch {
    return source; // a file path
  }
}

function show(v: JsonValue | undefined): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s.length > 90 ? `${s.slice(0, 87)}...` : s;
}

/** A value inside an object-valued key (claims.roles, erpAccounts.carol): lists as `a,b`, the rest as JSON. */
function showMember(v: JsonValue | undefined): string {
  if (v === undefined) return '(absent)';
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(',');
  return typeof v === 'string' ? v : show(v);
}

/** The change of one key: an object (claims, erpAccounts) member by member, so that no line hides what changed. */
function keyChange(k: string, before: JsonValue | undefined, after: JsonValue | undefined): string[] {
  const isMap = (v: JsonValue | undefined) => v === undefined || isObject(v);
  const members = (v: JsonValue | undefined) => (isObject(v) ? Object.keys(v).length : 0);
  if (k === 'certs' || k === 'encryptionCerts') {
    const was = ((before ?? []) as JsonValue[]).map(certLabel);
    const now = ((after ?? []) as JsonValue[]).map(certLabel);
    const certLines = [
      ...was.filter((c) => !now.includes(c)).map((c) => `  - ${k}: ${c}`),
      ...now.filter((c) => !was.includes(c)).map((c) => `  + ${k}: ${c}`),
    ];
    return certLines.length ? certLines : [`  ~ ${k}: the same certificates, written differently`];
  }
  if (isMap(before) && isMap(after) && members(before) + members(after) > 0) {
    const b = (before ?? {}) as JsonObject;
    const a = (after ?? {}) as JsonObject;
    const lines: string[] = [];
    for (const m of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (JSON.stringify(b[m]) === JSON.stringify(a[m])) continue;
      if (b[m] === undefined) lines.push(`  + ${k}.${m}: ${showMember(a[m])}`);
      else if (a[m] === undefined) lines.push(`  - ${k}.${m}: ${showMember(b[m])}`);
      else lines.push(`  ~ ${k}.${m}: ${showMember(b[m])} -> ${showMember(a[m])}`);
    }
    return lines;
  }
  if (before === undefined) return [`  + ${k}: ${show(after)}`];
  if (after === undefined) return [`  - ${k}: ${show(before)}`];
  return [`  ~ ${k}: ${show(before)} -> ${show(after)}`];
}

function describeChanges(before: JsonObject | null, after: JsonObject): string[] {
  const lines: string[] = [];
  for (const k of new Set([...Object.keys(before ?? {}), ...Object.keys(after)])) {
    if (before && JSON.stringify(before[k]) === JSON.stringify(after[k])) continue;
    lines.push(...keyChange(k, before?.[k], after[k]));
  }
  if (before && lines.length === 0) lines.push('  (no change)');
  return lines;
}

/**
 * Inserts the imported IdP into `saml.idps` of a configuration file's text, or replaces the entry with
 * the same id or the same entityId (see mergeIdpEntry). Only that entry's text changes; the rest of the
 * file keeps its formatting. Refuses (kind `usage`) a file that is not a JSON object, an id and an
 * entityId that match two different entries, and an e-mail domain another entry of the file claims.
 */
export function upsertIdpInConfigText(text: string, imp: IdpImport, options: UpsertOptions = {}): Result<Upsert> {
  const file = options.fileName ?? 'the configuration file';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail('usage', [`${file} is not valid JSON: ${(err as Error).message}`]);
  }
  if (!isObject(json)) return fail('usage', [`${file} must hold a JSON object`]);
  const saml = json.saml;
  if (saml !== undefined && !isObject(saml)) return fail('usage', [`${file}: "saml" is not an object`]);
  const idps = saml?.idps;
  if (idps !== undefined && !Array.isArray(idps)) return fail('usage', [`${file}: "saml.idps" is not an array`]);
  const list = (idps ?? []) as JsonValue[];

  const byId = list.findIndex((e) => isObject(e) && e.id === imp.entry.id);
  const byEntity = list.findIndex((e) => isObject(e) && e.entityId === imp.entry.entityId);
  if (byId >= 0 && byEntity >= 0 && byId !== byEntity) {
    return fail('usage', [
      `${file}: id "${imp.entry.id}" is saml.idps[${byId}] but entityId ${imp.entry.entityId} is saml.idps[${byEntity}]: fix the file by hand first`,
    ]);
  }
  const index = byId >= 0 ? byId : byEntity;
  const existing = index >= 0 ? (list[index] as JsonValue) : null;
  if (existing !== null && !isObject(existing)) return fail('usage', [`${file}: saml.idps[${index}] is not an object`]);
  const entry = existing ? mergeIdpEntry(existing, imp) : imp.entry;

  const problems: string[] = [];
  const parsed = idpConfigSchema.safeParse(entry);
  if (!parsed.success)
    problems.push(
      ...parsed.error.issues.map(
        (i) => `saml.idps[${index >= 0 ? index : list.length}].${i.path.join('.')}: ${i.message}`,
      ),
    );
  const forbiddenList = Array.isArray(saml?.partnerForbiddenRoles)
    ? (saml.partnerForbiddenRoles as string[])
    : DEFAULT_PARTNER_FORBIDDEN_ROLES;
  if (entry.trust === 'partner') {
    const bad = (entry.allowedRoles ?? []).filter((r) => forbiddenList.includes(r));
    if (bad.length) problems.push(`a partner IdP may never grant ${bad.join(', ')} (allowedRoles)`);
  }
  list.forEach((other, i) => {
    if (i === index || !isObject(other) || !Array.isArray(other.emailDomains)) return;
    for (const d of entry.emailDomains ?? []) {
      if (other.emailDomains.includes(d))
        problems.push(`e-mail domain ${d} is already claimed by saml.idps[${i}] ("${String(other.id)}")`);
    }
  });
  if (problems.length) return fail('usage', problems);

  // Rewrites only the members of the entry whose value changed and appends the new ones, with
  // jsonc-parser: the keys that stay the same keep their text (a hand-formatted erpAccounts table
  // stays as it was), and so does every other byte of the file.
  const fmt = formattingOf(text);
  const value = entry as unknown as JsonValue;
  let out = text;
  if (saml === undefined) out = setIn(text, ['saml'], { idps: [value] }, fmt);
  else if (idps === undefined) out = setIn(text, ['saml', 'idps'], [value], fmt);
  else if (existing === null) out = setIn(text, ['saml', 'idps', -1], value, fmt);
  else {
    const after = entry as unknown as JsonObject;
    for (const k of Object.keys(after)) {
      if (JSON.stringify(existing[k]) !== JSON.stringify(after[k]))
        out = setIn(out, ['saml', 'idps', index, k], after[k] as JsonValue, fmt);
    }
    // A key the metadata no longer gives (encryptionCerts): removed, the rest of the entry untouched.
    for (const k of Object.keys(existing))
      if (!(k in after)) out = applyEdits(out, modify(out, ['saml', 'idps', index, k], undefined, {}));
  }

  const notes: string[] = [];
  const sp = isObject(saml?.sp) ? saml.sp : {};
  if ((imp.wantAuthnRequestsSigned || entry.sloUrl) && sp.signingKey === undefined) {
    notes.push(
      `${file} sets no saml.sp.signingKey: make sure another configuration layer does (this IdP ${imp.wantAuthnRequestsSigned ? 'wants signed AuthnRequests' : 'does single logout'})`,
    );
  }
  if (idps === undefined) {
    notes.push(
      `${file} had no saml.idps: this list now REPLACES the IdPs of the lower configuration layers (arrays are not merged)`,
    );
  }
  const where = `saml.idps[${index >= 0 ? index : list.length}]`;
  const head =
    existing === null
      ? `inserted ${where} (id "${entry.id}") into ${file}`
      : `replaced ${where} (matched by ${byId === index ? `id "${imp.entry.id}"` : `entityId ${imp.entry.entityId}`}) in ${file}`;
  return {
    ok: true,
    value: {
      text: out,
      action: existing === null ? 'inserted' : 'replaced',
      index: index >= 0 ? index : list.length,
      entry,
      changes: [head, ...describeChanges(existing, entry as unknown as JsonObject)],
      notes,
    },
  };
}
