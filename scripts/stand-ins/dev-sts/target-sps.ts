import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadRawConfig, PROJECT_ROOT } from '../../../src/config/load-config.js';
import type { ServiceProvider } from './sts-app.js';

/**
 * The SP of every target (on-prem and cloud) as the app's own configuration describes it for the
 * current TIMESHEET_ENV / NODE_ENV: entityID, ACS, single-logout URL and signing certificate. Reading
 * the app's configuration means changing an app's URL or key needs no second edit here.
 */
export function targetServiceProviders(): ServiceProvider[] {
  const targets = readdirSync(path.join(PROJECT_ROOT, 'config', 'targets'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length));
  return targets.map((target) => {
    const raw = loadRawConfig({ target });
    const app = (raw.app ?? {}) as { publicUrl?: unknown };
    const saml = (raw.saml ?? {}) as { sp?: { entityId?: unknown; signingCert?: unknown } };
    const publicUrl = typeof app.publicUrl === 'string' ? app.publicUrl : 'http://localhost:3000';
    const cert = saml.sp?.signingCert;
    // Without a signing certificate the SP cannot sign logout messages: the STS then refuses its SLO.
    return {
      ...spEndpointsOf(publicUrl, typeof saml.sp?.entityId === 'string' ? saml.sp.entityId : undefined),
      certPem: typeof cert === 'string' ? certificateFrom(cert) : undefined,
    };
  });
}

/**
 * Where the app serves SAML under its public URL (its routes /saml/acs, /saml/slo, /saml/metadata),
 * written here rather than taken from the app's src/auth/auth-settings.ts so that the STS registers
 * the SP as an IdP administrator would, from the SP's published addresses, not from the SP's code.
 */
export function spEndpointsOf(
  publicUrl: string,
  entityId?: string,
): { entityId: string; acsUrl: string; sloUrl: string } {
  const base = publicUrl.replace(/\/+$/, '');
  return { entityId: entityId ?? `${base}/saml/metadata`, acsUrl: `${base}/saml/acs`, sloUrl: `${base}/saml/slo` };
}

/** A certificate given as the configuration allows: PEM text, the bare base64 body, or a file path from the repository root. */
function certificateFrom(source: string): string {
  let text = source;
  if (!source.includes('-----BEGIN')) {
    text = /^[A-Za-z0-9+/=\s]{200,}$/.test(source)
      ? `-----BEGIN CERTIFICATE-----\n${source.replace(/\s+/g, '')}\n-----END CERTIFICATE-----\n`
      : readFileSync(path.resolve(PROJECT_ROOT, source), 'utf8');
  }
  return new X509Certificate(text).toString();
}
