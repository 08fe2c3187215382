/**
 * `npm run sts`: the development STS on http://127.0.0.1:3100 (DEV_STS_PORT / DEV_STS_HOST to change).
 * It answers the SP that the app's own configuration describes (app.publicUrl, saml.sp.entityId of
 * the current TIMESHEET_ENV / NODE_ENV), so changing the app's URL needs no second edit here.
 */
import { pino } from 'pino';
import { spEndpoints } from '../../auth/auth-settings.js';
import { loadRawConfig } from '../../config/load-config.js';
import { startDevSts } from './dev-sts.js';

const logger = pino({ level: process.env.DEV_STS_LOG_LEVEL ?? 'info' });
const raw = loadRawConfig();
const app = (raw.app ?? {}) as { publicUrl?: unknown };
const saml = (raw.saml ?? {}) as { sp?: { entityId?: unknown } };
const publicUrl = typeof app.publicUrl === 'string' ? app.publicUrl : 'http://localhost:3000';
const sp = spEndpoints(publicUrl, typeof saml.sp?.entityId === 'string' ? saml.sp.entityId : undefined);

const sts = await startDevSts({
  host: process.env.DEV_STS_HOST ?? '127.0.0.1',
  port: Number(process.env.DEV_STS_PORT ?? 3100),
  serviceProviders: [sp],
  logger,
});

console.log(`Development STS (DEVELOPMENT ONLY) at ${sts.url}
  entityID   ${sts.entityId}
  sign-on    ${sts.ssoUrl}
  metadata   ${sts.metadataUrl}
  answers SP ${sp.entityId} -> ${sp.acsUrl}
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
