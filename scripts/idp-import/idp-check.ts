/**
 * `npm run idp:check -- <id>`: what an operator must know about one configured identity provider
 * before people cannot sign in: its certificates' end dates, and, given the IdP's current metadata,
 * every difference between what it publishes and what this service provider trusts (entity ID,
 * endpoints, signing certificates: the rollover that is coming, the certificate it dropped; its
 * encryption certificates, kept in `encryptionCerts` though this SP does not use them yet).
 */
import { X509Certificate } from 'node:crypto';
import { certificatePem } from '../../src/auth/pem-sources.js';
import type { IdpConfig } from '../../src/auth/saml-config-schema.js';
import {
  certificateReport,
  isoDate,
  SAML_BINDINGS,
  type CertificateReport,
  type IdpImport,
} from './idp-metadata-import.js';

export interface IdpCheck {
  /** What was checked and found right, for the report. */
  lines: string[];
  /** Soon a problem: a certificate ending within 30 days, an endpoint binding this SP does not use. */
  warnings: string[];
  /** Sign-in or logout fails, or will at the next rollover: exit status 1. */
  problems: string[];
}

/** The configured entry checked alone, then against the IdP's metadata when there is one. */
export function checkIdp(idp: IdpConfig, metadata: IdpImport | null, now = new Date()): IdpCheck {
  const check: IdpCheck = { lines: [], warnings: [], problems: [] };
  const at = `saml.idps[${idp.id}]`;
  check.lines.push(`IdP "${idp.id}" (${idp.entityId}), trust ${idp.trust}`);
  check.lines.push(
    `  signatures expected: ${[idp.wantResponseSigned && 'Response', idp.wantAssertionsSigned && 'Assertion'].filter(Boolean).join(' and ')}; SHA-1 ${idp.allowSha1 ? 'ALLOWED' : 'refused'}`,
  );
  check.lines.push(`  single logout: ${idp.sloUrl ?? 'none (sign-out stays local)'}`);
  const configured = reportsOf(idp.certs, now);
  configured.forEach((cert, i) => {
    if (cert.rsaBits !== null && cert.rsaBits < 2048)
      check.warnings.push(
        `${at}.certs[${i}] is a ${cert.rsaBits}-bit RSA key: below 2048 bits, ask the IdP for a stronger one`,
      );
    check.lines.push(`  ${at}.certs[${i}] SHA-256 ${cert.fingerprint256}, valid until ${isoDate(cert.notAfter)}`);
    if (cert.expired) check.problems.push(`${at}.certs[${i}] EXPIRED on ${isoDate(cert.notAfter)}`);
    else if (cert.expiresSoon)
      check.warnings.push(
        `${at}.certs[${i}] ends in ${cert.daysLeft} day(s), on ${isoDate(cert.notAfter)}: get the IdP's next certificate`,
      );
  });
  if (configured.length > 0 && configured.every((c) => c.expired))
    check.problems.push(`${at}: every trusted certificate has expired: nobody can sign in with this IdP`);
  const encryption = reportsOf(idp.encryptionCerts ?? [], now);
  // This SP encrypts nothing to the IdP today: an encryption certificate that ends breaks nothing
  // (a warning, never a problem), but it says the entry no longer matches the IdP.
  encryption.forEach((cert, i) => {
    const where = `${at}.encryptionCerts[${i}]`;
    check.lines.push(`  ${where} SHA-256 ${cert.fingerprint256}, valid until ${isoDate(cert.notAfter)}`);
    if (cert.rsaBits !== null && cert.rsaBits < 2048)
      check.warnings.push(`${where} is a ${cert.rsaBits}-bit RSA key: below 2048 bits`);
    if (cert.expired)
      check.warnings.push(
        `${where} EXPIRED on ${isoDate(cert.notAfter)} (not used by this SP today; import the IdP's current metadata)`,
      );
    else if (cert.expiresSoon)
      check.warnings.push(
        `${where} ends in ${cert.daysLeft} day(s), on ${isoDate(cert.notAfter)}: import the IdP's metadata again once it has its next one`,
      );
  });
  if (metadata) compareWithMetadata(check, at, idp, configured, metadata);
  if (metadata) compareEncryptionCerts(check, at, idp, encryption, metadata);
  return check;
}

const reportsOf = (sources: readonly string[], now: Date): CertificateReport[] =>
  sources.map((source) => certificateReport(new X509Certificate(certificatePem(source)).raw.toString('base64'), now));

/**
 * Configured certificates against the metadata's, by SHA-256 fingerprint: those the metadata
 * publishes that we do not hold, and those we hold (with their index) that it no longer publishes.
 */
function certificateDifferences<T extends { fingerprint256: string }>(configured: CertificateReport[], published: T[]) {
  const ours = new Set(configured.map((c) => c.fingerprint256));
  const theirs = new Set(published.map((c) => c.fingerprint256));
  return {
    notHeld: published.filter((c) => !ours.has(c.fingerprint256)),
    dropped: configured.flatMap((c, i) => (theirs.has(c.fingerprint256) ? [] : [{ c, i }])),
  };
}

/** The encryption certificates the metadata publishes against `encryptionCerts`: warnings only (unused today). */
function compareEncryptionCerts(
  check: IdpCheck,
  at: string,
  idp: IdpConfig,
  configured: CertificateReport[],
  metadata: IdpImport,
): void {
  const { notHeld, dropped } = certificateDifferences(configured, metadata.encryptionCertificates);
  for (const c of notHeld)
    check.warnings.push(
      `the metadata publishes an encryption certificate ${at}.encryptionCerts does not hold: SHA-256 ${c.fingerprint256}, valid until ${isoDate(c.notAfter)} (keep it: npm run idp:import -- <metadata> --id ${idp.id} --into <file>)`,
    );
  for (const { c, i } of dropped)
    check.warnings.push(
      `${at}.encryptionCerts[${i}] (SHA-256 ${c.fingerprint256}) is no longer in the metadata: import it again`,
    );
}

function compareWithMetadata(
  check: IdpCheck,
  at: string,
  idp: IdpConfig,
  configured: CertificateReport[],
  metadata: IdpImport,
): void {
  const published = metadata.entry;
  check.lines.push(`metadata: ${published.entityId}`);
  const differs = (what: string, ours: string | null, theirs: string | null) => {
    if ((ours ?? null) !== (theirs ?? null))
      check.problems.push(`${at}.${what} is ${ours ?? 'null'}; the metadata says ${theirs ?? 'none'}`);
  };
  differs('entityId', idp.entityId, published.entityId);
  differs('ssoUrl', idp.ssoUrl, published.ssoUrl);
  differs('sloUrl', idp.sloUrl, published.sloUrl ?? null);
  const { notHeld, dropped } = certificateDifferences(configured, metadata.certificates);
  for (const c of notHeld)
    check.problems.push(
      `the metadata publishes a signing certificate ${at}.certs does not trust: SHA-256 ${c.fingerprint256}, valid ${isoDate(c.notBefore)} to ${isoDate(c.notAfter)} (a rollover: add it, npm run idp:import -- <metadata> --id ${idp.id} --into <file>)`,
    );
  for (const { c, i } of dropped)
    check.warnings.push(
      `${at}.certs[${i}] (SHA-256 ${c.fingerprint256}) is no longer in the metadata: remove it once the IdP has switched`,
    );
  const { signing, digest } = metadata.algorithms;
  if (signing.length || digest.length)
    check.lines.push(`  algorithms declared: signing ${signing.join(', ') || '-'}; digest ${digest.join(', ') || '-'}`);
  const sha1Only = (list: string[]) => list.length > 0 && list.every((a) => /sha1$/i.test(a));
  if (!idp.allowSha1 && (sha1Only(signing) || sha1Only(digest)))
    check.problems.push(
      `the metadata declares SHA-1 only and ${at}.allowSha1 is false: every response would be refused; have the IdP sign with RSA-SHA256 (or, if it cannot, set allowSha1 to true)`,
    );
  const redirectOnly = (bindings: string[]) => bindings.filter((b) => b !== SAML_BINDINGS.redirect);
  if (redirectOnly(metadata.ssoBindings).length)
    check.lines.push(
      `  other sign-on bindings published (this SP uses HTTP-Redirect): ${redirectOnly(metadata.ssoBindings).join(', ')}`,
    );
  for (const w of metadata.warnings) check.warnings.push(`metadata: ${w}`);
}
