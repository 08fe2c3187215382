import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { PROJECT_ROOT } from '../../../src/config/load-config.js';
import { Directory } from './directory.js';
import { logoutRequestUrl, type LogoutRequestUrlOptions } from './logout-request-url.js';
import { PendingLogouts } from './pending-logouts.js';
import { DEV_STS_PRESETS, type DevStsPresetName } from './presets.js';
import { createStsApp, type ServiceProvider } from './sts-app.js';
import { StsSessions, type StsSessionRecord } from './sts-sessions.js';
import type { SigningKey } from './xml-signature.js';

export type { LogoutRequestUrlOptions, ServiceProvider, StsSessionRecord };
export {
  CONTOSO_PRESET,
  DEV_STS_PRESETS,
  FABRIKAM_PRESET,
  type DevStsPreset,
  type DevStsPresetName,
} from './presets.js';

export interface DevStsOptions {
  /** Which IdP to play; default `contoso`. Every option below overrides the preset's value. */
  preset?: DevStsPresetName;
  /** Default 127.0.0.1: the STS is for this machine only. */
  host?: string;
  /** Default the preset's (3100 contoso, 3101 fabrikam); 0 picks a free port (tests). */
  port?: number;
  /** Default the preset's (`urn:contoso:dev-sts`): stable whatever the port, like an ADFS identifier. */
  entityId?: string;
  /** Shown on its pages. Default the preset's ("CONTOSO development STS"). */
  name?: string;
  /** Default the preset's (config/dev/directory.json). Relative paths are from the repository root. */
  directoryFile?: string;
  /** Default the preset's (config/dev/keys/dev-sts.key and .crt). */
  keyFile?: string;
  certFile?: string;
  /** The SPs it answers. `spEntityId` + `acsUrl` (+ `sloUrl`, `spCertPem`) is a shorthand for one. */
  serviceProviders?: ServiceProvider[];
  spEntityId?: string;
  acsUrl?: string;
  sloUrl?: string;
  spCertPem?: string;
  /** Validity of an issued assertion, default 300 s. */
  assertionLifetimeSeconds?: number;
  /** Default: silent. */
  logger?: Logger;
}

export interface DevSts {
  /** http://host:port */
  url: string;
  entityId: string;
  /** SingleSignOnService (HTTP-Redirect); the SP's `ssoUrl`. */
  ssoUrl: string;
  /** SingleLogoutService (HTTP-Redirect); the SP's `sloUrl` for this IdP. */
  sloUrl: string;
  /** The "Sign out of all applications" page (IdP-initiated logout). */
  logoutUrl: string;
  metadataUrl: string;
  /** The signing certificate, for the SP's trusted certs. */
  certPem: string;
  /** Registers (or replaces) an SP after start, e.g. once the app's own port is known. */
  addServiceProvider(sp: ServiceProvider): void;
  /**
   * The full signed redirect URL of an IdP-initiated LogoutRequest to that SP's sloUrl, without a
   * browser session (tests). The SP's LogoutResponse to it is accepted at /slo. Options can forge it.
   */
  createLogoutRequestUrl(spEntityId: string, options: LogoutRequestUrlOptions): string;
  /** The sign-ins the STS currently remembers (what single logout would end). */
  sessions(): StsSessionRecord[];
  close(): Promise<void>;
}

const fromRoot = (p: string) => path.resolve(PROJECT_ROOT, p);

/**
 * A SAML 2.0 identity provider for development and tests, standing in for CONTOSO's ADFS or a
 * partner's IdP (`preset`): AuthnRequest by HTTP-Redirect, a sign-in form over the directory file, a
 * Response posted to the SP's ACS with both the Response and the Assertion signed (RSA-SHA256,
 * exclusive c14n), and signed Single Logout by HTTP-Redirect in both directions.
 * No single sign-on: every sign-in shows the form (simple, and what tests want); the session is kept
 * only so that it can be logged out.
 */
export async function startDevSts(options: DevStsOptions = {}): Promise<DevSts> {
  const preset = DEV_STS_PRESETS[options.preset ?? 'contoso'];
  const host = options.host ?? '127.0.0.1';
  const entityId = options.entityId ?? preset.entityId;
  const stsName = options.name ?? preset.name;
  const directory = Directory.fromFile(fromRoot(options.directoryFile ?? preset.directoryFile));
  const key: SigningKey = {
    privateKey: readFileSync(fromRoot(options.keyFile ?? preset.keyFile), 'utf8'),
    certPem: readFileSync(fromRoot(options.certFile ?? preset.certFile), 'utf8'),
  };
  const lifetimeSeconds = options.assertionLifetimeSeconds ?? 300;
  const log = options.logger ?? pino({ level: 'silent' });

  const sps = new Map<string, ServiceProvider>();
  const addServiceProvider = (sp: ServiceProvider) => void sps.set(sp.entityId, { ...sp });
  for (const sp of options.serviceProviders ?? []) addServiceProvider(sp);
  if (options.spEntityId && options.acsUrl) {
    addServiceProvider({
      entityId: options.spEntityId,
      acsUrl: options.acsUrl,
      sloUrl: options.sloUrl,
      certPem: options.spCertPem,
    });
  }
  const sessions = new StsSessions();
  const pending = new PendingLogouts();

  let url = ''; // known once listening; only read while serving requests
  let cookieName = '';
  const app = createStsApp({
    entityId,
    stsName,
    directory,
    key,
    lifetimeSeconds,
    log,
    sps,
    sessions,
    pending,
    ssoUrl: () => `${url}/sso`,
    sloUrl: () => `${url}/slo`,
    cookieName: () => cookieName,
  });

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? preset.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Browsers share cookies across the ports of one host: the port keeps contoso's and fabrikam's apart.
  cookieName = `devsts_${port}`;

  return {
    url,
    entityId,
    ssoUrl: `${url}/sso`,
    sloUrl: `${url}/slo`,
    logoutUrl: `${url}/logout`,
    metadataUrl: `${url}/metadata`,
    certPem: key.certPem,
    addServiceProvider,
    createLogoutRequestUrl: (spEntityId, requestOptions) =>
      logoutRequestUrl({ entityId, privateKeyPem: key.privateKey, sps, pending }, spEntityId, requestOptions),
    sessions: () => sessions.records(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
