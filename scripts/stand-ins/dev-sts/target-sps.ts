import { readdirSync } from 'node:fs';
import path from 'node:path';
import { spEndpoints } from '../../../src/auth/auth-settings.js';
import { certificatePem } from '../../../src/auth/pem-sources.js';
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
    const publicUrl = (typeof app.publicUrl === 'string' ? app.publicUrl : 'http://localhost:3000').replace(/\/+$/, '');
    const sp = spEndpoints(publicUrl, typeof saml.sp?.entityId === 'string' ? saml.sp.entityId : undefined);
    const cert = saml.sp?.signingCert;
    // Without a signing certificate the SP cannot sign logout messages: the STS then refuses its SLO.
    return {
      ...sp,
      sloUrl: `${publicUrl}/saml/slo`,
      certPem: typeof cert === 'string' ? certificatePem(cert) : undefined,
    };
  });
}
