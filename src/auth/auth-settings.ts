import { X509Certificate } from 'node:crypto';
import type { AppConfig } from '../config/app-config-schema.js';
import { certificatePem, privateKeyPem } from './pem-sources.js';
import type { IdpConfig } from './saml-config-schema.js';

export interface ResolvedIdp {
  id: string;
  config: IdpConfig;
  /** Trusted signing certificates as PEM (files read once, at start). */
  certs: string[];
}

/** Everything the SAML wiring needs, derived once from the validated configuration. */
export interface AuthSettings {
  spEntityId: string;
  acsUrl: string;
  /** SingleLogoutService (HTTP-Redirect) of this SP. */
  sloUrl: string;
  clockSkewMs: number;
  requestMaxAgeMs: number;
  signing?: { privateKey: string; cert: string };
  /**
   * Decrypt EncryptedAssertion, the current pair first (then the previous one during a key change);
   * their certificates are in the SP metadata (use="encryption"). Empty: no decryption.
   */
  encryption: Array<{ privateKey: string; cert: string }>;
  /** In configuration order; the first is the default for `/login` without `?idp=`. */
  idps: Map<string, ResolvedIdp>;
  defaultIdp: ResolvedIdp;
  allowedRoles: readonly string[];
  sessionCookieName: string;
  /** Sign the small cookies of the sign-in (pending single logout, remembered organisation). */
  cookieSecrets: readonly string[];
  /** How long a session lives at most (app.sessionMaxAgeMinutes): the logout index keeps entries that long when the cookie has no expiry. */
  sessionMaxAgeMs: number;
  /** Requests per client address and window on /login, /saml/acs and /saml/slo. */
  rateLimit: { windowMs: number; max: number };
  /** IdP ids (configuration order) offered on the organisation chooser. */
  chooserIdps: ResolvedIdp[];
  /** e-mail domain -> IdP, for home-realm discovery. */
  idpByEmailDomain: Map<string, ResolvedIdp>;
}

/**
 * This SP's entityID and ACS URL. The entityID defaults to the metadata URL (a common convention,
 * and what ADFS relying-party trusts created from metadata show). Shared with the dev STS launcher so
 * both sides agree without repeating the rule.
 */
export function spEndpoints(
  publicUrl: string,
  entityId?: string,
): { entityId: string; acsUrl: string; sloUrl: string } {
  const base = publicUrl.replace(/\/+$/, '');
  return { entityId: entityId ?? `${base}/saml/metadata`, acsUrl: `${base}/saml/acs`, sloUrl: `${base}/saml/slo` };
}

export function resolveAuthSettings(config: AppConfig): AuthSettings {
  const saml = config.saml;
  const sp = spEndpoints(config.app.publicUrl, saml.sp.entityId);
  const idps = new Map<string, ResolvedIdp>(
    saml.idps.map((idp) => [idp.id, { id: idp.id, config: idp, certs: idp.certs.map(certificatePem) }]),
  );
  const defaultIdp = idps.values().next().value as ResolvedIdp;
  return {
    spEntityId: sp.entityId,
    acsUrl: sp.acsUrl,
    sloUrl: sp.sloUrl,
    clockSkewMs: saml.clockSkewSeconds * 1000,
    requestMaxAgeMs: saml.requestMaxAgeMinutes * 60_000,
    signing:
      saml.sp.signingKey && saml.sp.signingCert
        ? { privateKey: privateKeyPem(saml.sp.signingKey), cert: certificatePem(saml.sp.signingCert) }
        : undefined,
    encryption: [
      [saml.sp.encryptionKey, saml.sp.encryptionCert],
      [saml.sp.previousEncryptionKey, saml.sp.previousEncryptionCert],
    ].flatMap(([key, cert]) => (key && cert ? [{ privateKey: privateKeyPem(key), cert: certificatePem(cert) }] : [])),
    idps,
    defaultIdp,
    allowedRoles: config.timesheet.allowedRoles,
    sessionCookieName: config.app.sessionCookieName,
    cookieSecrets: config.app.sessionSecrets,
    sessionMaxAgeMs: config.app.sessionMaxAgeMinutes * 60_000,
    rateLimit: { windowMs: saml.rateLimit.windowSeconds * 1000, max: saml.rateLimit.maxRequests },
    chooserIdps: [...idps.values()].filter((i) => !i.config.hidden),
    idpByEmailDomain: new Map([...idps.values()].flatMap((i) => i.config.emailDomains.map((d) => [d, i] as const))),
  };
}

/** Certificates that expire soon are the classic cause of a Monday-morning sign-in outage: say so at start. */
export function certificateWarnings(settings: AuthSettings, now = new Date(), withinDays = 30): string[] {
  const warnings: string[] = [];
  for (const idp of settings.idps.values()) {
    idp.certs.forEach((pem, i) => {
      const validTo = new Date(new X509Certificate(pem).validTo);
      const days = Math.floor((validTo.getTime() - now.getTime()) / 86_400_000);
      if (days < withinDays)
        warnings.push(
          `saml.idps[${idp.id}].certs[${i}] ${days < 0 ? 'expired' : `expires in ${days} days`} (${validTo.toISOString()})`,
        );
    });
  }
  return warnings;
}
