/**
 * A real third-party identity provider for the tests: SimpleSAMLphp from Debian's package
 * (`apt-get install simplesamlphp php-xml php-mbstring`, which .ci/run does), configured in a
 * temporary folder with a key pair generated for the run, served by `php -S` on 127.0.0.1 and a free
 * port. Its users sign in with exampleauth:UserPass and carry uid, displayName and Role, as a
 * company's SimpleSAMLphp would release them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';
import { waitFor } from './relay.js';

const SSP_WWW = '/usr/share/simplesamlphp/www';

/** Why SimpleSAMLphp cannot run here, or null when it can. */
export function simpleSamlPhpMissing(): string | null {
  const php = spawnSync('php', ['-m'], { encoding: 'utf8' });
  if (php.error || php.status !== 0) return 'no php on this machine (apt-get install php-cli php-xml php-mbstring)';
  if (!/^dom$/im.test(php.stdout)) return 'php has no DOM extension (apt-get install php-xml)';
  if (!existsSync(SSP_WWW)) return `no SimpleSAMLphp in ${SSP_WWW} (apt-get install simplesamlphp)`;
  if (spawnSync('openssl', ['version']).status !== 0) return 'no openssl to make the IdP key';
  return null;
}

export interface SspUser {
  password: string;
  uid: string;
  displayName: string;
  roles: string[];
}

export interface SspOptions {
  /** The service provider it serves (what saml20-sp-remote.php holds). */
  sp: { entityId: string; acsUrl: string; sloUrl: string; certPem: string; encryptionCertPem?: string };
  users: Record<string, SspUser>;
  /** 'sign.logout' for this SP: SimpleSAMLphp's default is false (unsigned logout messages). */
  signLogout: boolean;
  /** saml20.sign.response / saml20.sign.assertion for this SP (both true by default). */
  signResponse?: boolean;
  signAssertion?: boolean;
  /** 'assertion.encryption' for this SP (needs sp.encryptionCertPem). */
  encryptAssertion?: boolean;
}

export interface SimpleSamlPhp {
  base: string;
  metadataUrl: string;
  /** SimpleSAMLphp's own log, for a failing test's message. */
  log(): string;
  close(): Promise<void>;
}

const php = (value: unknown): string => {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(php).join(', ')}]`;
  return `[${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${php(k)} => ${php(v)}`)
    .join(', ')}]`;
};

function writeConfig(dir: string, base: string, options: SspOptions): void {
  for (const sub of ['config', 'metadata', 'cert', 'log', 'tmp']) mkdirSync(path.join(dir, sub), { recursive: true });
  const made = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '30',
    '-subj',
    '/CN=SimpleSAMLphp test IdP',
    '-keyout',
    path.join(dir, 'cert', 'idp.key'),
    '-out',
    path.join(dir, 'cert', 'idp.crt'),
  ]);
  if (made.status !== 0) throw new Error(`openssl: ${made.stderr.toString()}`);
  const config = {
    baseurlpath: `${base}/`,
    certdir: `${dir}/cert/`,
    loggingdir: `${dir}/log/`,
    datadir: `${dir}/tmp/`,
    tempdir: `${dir}/tmp/`,
    metadatadir: `${dir}/metadata/`,
    secretsalt: 'test-only-salt-not-a-secret',
    'auth.adminpassword': 'test-only-admin-password',
    technicalcontact_name: 'Timesheet tests',
    technicalcontact_email: 'tests@example.invalid',
    timezone: 'UTC',
    'logging.handler': 'file',
    'logging.logfile': 'simplesamlphp.log',
    'enable.saml20-idp': true,
    'module.enable': { exampleauth: true, core: true, saml: true, admin: true },
    'session.cookie.secure': false,
    'session.phpsession.savepath': `${dir}/tmp`,
    'store.type': 'phpsession',
    'metadata.sources': [{ type: 'flatfile' }],
  };
  const users = Object.fromEntries(
    Object.entries(options.users).map(([name, u]) => [
      `${name}:${u.password}`,
      { uid: [u.uid], displayName: [u.displayName], Role: u.roles },
    ]),
  );
  const body = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  const sp = options.sp;
  const remote: Record<string, unknown> = {
    AssertionConsumerService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: sp.acsUrl }],
    SingleLogoutService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: sp.sloUrl }],
    keys: [
      { type: 'X509Certificate', signing: true, encryption: false, X509Certificate: body(sp.certPem) },
      ...(sp.encryptionCertPem
        ? [{ type: 'X509Certificate', signing: false, encryption: true, X509Certificate: body(sp.encryptionCertPem) }]
        : []),
    ],
    'sign.logout': options.signLogout,
    'validate.authnrequest': true,
    'saml20.sign.response': options.signResponse ?? true,
    'saml20.sign.assertion': options.signAssertion ?? true,
    'assertion.encryption': options.encryptAssertion ?? false,
  };
  const file = (name: string, text: string) => writeFileSync(path.join(dir, name), `<?php\n${text}\n`);
  file('config/config.php', `$config = ${php(config)};`);
  // exampleauth:UserPass takes its users as keys next to the class name, not in a nested array.
  file(
    'config/authsources.php',
    `$config = ['admin' => ['core:AdminPassword'], 'users' => array_merge(['exampleauth:UserPass'], ${php(users)})];`,
  );
  file(
    'metadata/saml20-idp-hosted.php',
    `$metadata['__DYNAMIC:1__'] = ${php({ host: '__DEFAULT__', privatekey: 'idp.key', certificate: 'idp.crt', auth: 'users' })};`,
  );
  file('metadata/saml20-sp-remote.php', `$metadata[${php(sp.entityId)}] = ${php(remote)};`);
}

export async function startSimpleSamlPhp(options: SspOptions): Promise<SimpleSamlPhp> {
  const missing = simpleSamlPhpMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'simplesamlphp-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  writeConfig(dir, base, options);
  let output = '';
  const child: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', SSP_WWW], {
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: path.join(dir, 'config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const metadataUrl = `${base}/saml2/idp/metadata.php`;
  const log = () => {
    const file = path.join(dir, 'log', 'simplesamlphp.log');
    return `${existsSync(file) ? readFileSync(file, 'utf8').slice(-6000) : ''}\n${output.slice(-2000)}`;
  };
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const answers = async () =>
      fetch(metadataUrl).then(
        (r) => r.ok && r.text().then((t) => t.includes('IDPSSODescriptor')),
        () => false,
      );
    await waitFor(answers, 'SimpleSAMLphp to serve its metadata', 15_000, 50);
  } catch (err) {
    const text = log();
    await close();
    throw new Error(`${(err as Error).message}\n${text}`);
  }
  return { base, metadataUrl, log, close };
}
