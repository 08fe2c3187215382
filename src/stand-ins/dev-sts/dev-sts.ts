import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { PROJECT_ROOT } from '../../config/load-config.js';
import { Directory } from './directory.js';
import { createStsApp, type ServiceProvider } from './sts-app.js';
import type { SigningKey } from './xml-signature.js';

export type { ServiceProvider };

export interface DevStsOptions {
  /** Default 127.0.0.1: the STS is for this machine only. */
  host?: string;
  /** Default 3100; 0 picks a free port (tests). */
  port?: number;
  /** Default `urn:contoso:dev-sts`: stable whatever the port, like an ADFS identifier. */
  entityId?: string;
  /** Shown on its pages. Default "CONTOSO development STS". */
  name?: string;
  /** Default config/dev/directory.json. Relative paths are from the repository root. */
  directoryFile?: string;
  /** Default config/dev/keys/dev-sts.key and .crt. */
  keyFile?: string;
  certFile?: string;
  /** The SPs it answers. `spEntityId` + `acsUrl` is a shorthand for one. */
  serviceProviders?: ServiceProvider[];
  spEntityId?: string;
  acsUrl?: string;
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
  metadataUrl: string;
  /** The signing certificate, for the SP's trusted certs. */
  certPem: string;
  /** Registers (or replaces) an SP after start, e.g. once the app's own port is known. */
  addServiceProvider(sp: ServiceProvider): void;
  close(): Promise<void>;
}

const fromRoot = (p: string) => path.resolve(PROJECT_ROOT, p);

/**
 * A SAML 2.0 identity provider for development and tests, standing in for CONTOSO's ADFS:
 * AuthnRequest by HTTP-Redirect, a sign-in form over the directory file, and a Response posted to the
 * SP's ACS with both the Response and the Assertion signed (RSA-SHA256, exclusive c14n).
 * No single sign-on session: every sign-in shows the form (simple, and what tests want).
 */
export async function startDevSts(options: DevStsOptions = {}): Promise<DevSts> {
  const host = options.host ?? '127.0.0.1';
  const entityId = options.entityId ?? 'urn:contoso:dev-sts';
  const stsName = options.name ?? 'CONTOSO development STS';
  const directory = Directory.fromFile(fromRoot(options.directoryFile ?? 'config/dev/directory.json'));
  const key: SigningKey = {
    privateKey: readFileSync(fromRoot(options.keyFile ?? 'config/dev/keys/dev-sts.key'), 'utf8'),
    certPem: readFileSync(fromRoot(options.certFile ?? 'config/dev/keys/dev-sts.crt'), 'utf8'),
  };
  const lifetimeSeconds = options.assertionLifetimeSeconds ?? 300;
  const log = options.logger ?? pino({ level: 'silent' });

  const sps = new Map<string, ServiceProvider>();
  const addServiceProvider = (sp: ServiceProvider) => void sps.set(sp.entityId, { ...sp });
  for (const sp of options.serviceProviders ?? []) addServiceProvider(sp);
  if (options.spEntityId && options.acsUrl) addServiceProvider({ entityId: options.spEntityId, acsUrl: options.acsUrl });

  let url = ''; // known once listening; only read while serving requests
  const app = createStsApp({ entityId, stsName, directory, key, lifetimeSeconds, log, sps, ssoUrl: () => `${url}/sso` });

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3100, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    entityId,
    ssoUrl: `${url}/sso`,
    metadataUrl: `${url}/metadata`,
    certPem: key.certPem,
    addServiceProvider,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
