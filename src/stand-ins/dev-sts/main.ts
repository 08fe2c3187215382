/**
 * `npm run sts`: the development STS on http://127.0.0.1:3100 (DEV_STS_PORT / DEV_STS_HOST to change).
 * It answers the SP of every target (on-prem and cloud) as the app's own configuration describes
 * them (app.publicUrl, saml.sp.entityId of the current TIMESHEET_ENV / NODE_ENV), so changing an
 * app's URL needs no second edit here, and one STS serves both copies as CONTOSO's ADFS does.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { spEndpoints } from '../../auth/auth-settings.js';
import { loadRawConfig, PROJECT_ROOT } from '../../config/load-config.js';
import { startDevSts, type ServiceProvider } from './dev-sts.js';

const logger = pino({ level: process.env.DEV_STS_LOG_LEVEL ?? 'info' });
const targets = readdirSync(path.join(PROJECT_ROOT, 'config', 'targets'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));
const sps: ServiceProvider[] = targets.map((target) => {
  const raw = loadRawConfig({ target });
  const app = (raw.app ?? {}) as { publicUrl?: unknown };
  const saml = (raw.saml ?? {}) as { sp?: { entityId?: unknown } };
  const publicUrl = typeof app.publicUrl === 'string' ? app.publicUrl : 'http://localhost:3000';
  return spEndpoints(publicUrl, typeof saml.sp?.entityId === 'string' ? saml.sp.entityId : undefined);
});

const sts = await startDevSts({
  host: process.env.DEV_STS_HOST ?? '127.0.0.1',
  port: Number(process.env.DEV_STS_PORT ?? 3100),
  serviceProviders: sps,
  logger,
});

console.log(`Development STS (DEVELOPMENT ONLY) at ${sts.url}
  entityID   ${sts.entityId}
  sign-on    ${sts.ssoUrl}
  metadata   ${sts.metadataUrl}
  answers SP ${sps.map((sp) => `${sp.entityId} -> ${sp.acsUrl}`).join('\n             ')}
  accounts   alice (Employee), bob (Employee, Manager), carol (Contractor), dave (Admin), erin, frank, zoe; eve has no timesheet role
  password   dev-password`);

const stop = () => {
  sts.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
