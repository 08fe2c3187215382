/**
 * `npm run sts`: the two development IdPs, each its own server in this one process:
 *   contoso   CONTOSO's ADFS stand-in   http://127.0.0.1:3100 (DEV_STS_PORT)
 *   fabrikam  the partner's IdP         http://127.0.0.1:3101 (DEV_FABRIKAM_PORT)
 * DEV_STS_HOST sets the address of both. Both answer the SP of every target (target-sps.ts), as one
 * ADFS serves both copies of the app.
 */
import { pino } from 'pino';
import { startDevSts, type DevSts, type DevStsPresetName } from './dev-sts.js';
import type { ServiceProvider } from './sts-app.js';
import { targetServiceProviders } from './target-sps.js';

const logger = pino({ level: process.env.DEV_STS_LOG_LEVEL ?? 'info' });
const host = process.env.DEV_STS_HOST ?? '127.0.0.1';
const sps = targetServiceProviders();

const IDPS: Array<{ preset: DevStsPresetName; port: number; accounts: string }> = [
  {
    preset: 'contoso',
    port: Number(process.env.DEV_STS_PORT ?? 3100),
    accounts: 'alice (Employee), bob (Employee, Manager), dave (Admin), erin, frank, zoe; eve has no timesheet role',
  },
  {
    preset: 'fabrikam',
    port: Number(process.env.DEV_FABRIKAM_PORT ?? 3101),
    accounts:
      'carol (Contractor), mallory (Contractor + Admin: the app drops Admin), fiona (Contractor, no ERP mapping: the app refuses her)',
  },
];

const banner = (
  sts: DevSts,
  name: string,
  accounts: string,
  answered: ServiceProvider[],
) => `${name} (DEVELOPMENT ONLY) at ${sts.url}
  entityID   ${sts.entityId}
  sign-on    ${sts.ssoUrl}
  logout     ${sts.sloUrl}   (sign out of all applications: ${sts.logoutUrl})
  metadata   ${sts.metadataUrl}
  answers SP ${answered.map((sp) => `${sp.entityId} -> ${sp.acsUrl}${sp.certPem ? `, SLO ${sp.sloUrl}` : ' (no signing certificate: no SLO)'}`).join('\n             ')}
  accounts   ${accounts}
  password   dev-password`;

const started: DevSts[] = [];
const stop = (code: number) => {
  Promise.allSettled(started.map((sts) => sts.close())).then(() => process.exit(code));
};
try {
  for (const idp of IDPS) {
    const sts = await startDevSts({
      preset: idp.preset,
      host,
      port: idp.port,
      serviceProviders: sps,
      logger: logger.child({ idp: idp.preset }),
    });
    started.push(sts);
    const name = idp.preset === 'contoso' ? 'Development STS' : 'Fabrikam development IdP';
    console.log(banner(sts, name, idp.accounts, sps));
  }
} catch (err) {
  // One IdP without the other is a confusing half-started stack: stop the one that started.
  console.error(`development STS did not start: ${(err as Error).message}`);
  stop(1);
}

process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
