/**
 * A minimal app around createAuth (express-session MemoryStore, a protected week page) plus the dev
 * STS, all on 127.0.0.1 with ports read back. Used by the SAML round-trip and hardening tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import express from 'express';
import session from 'express-session';
import { pino } from 'pino';
import { createAuth, type Auth } from '../../src/auth/index.js';
import { storeSessionBeforeRedirect } from '../../src/web/session-middleware.js';
import type { IdpConfig } from '../../src/auth/saml-config-schema.js';
import { appConfigSchema, type AppConfig } from '../../src/config/app-config-schema.js';
import { CLAIM_TYPES } from '../../src/auth/claim-types.js';
import { loadRawConfig } from '../../src/config/load-config.js';
import { FABRIKAM_PRESET, type DevSts, type DevStsOptions } from '../../scripts/stand-ins/dev-sts/dev-sts.js';
import { readForm, startTestDevSts, TestBrowser, type HtmlForm, type Page } from '../../scripts/harness/dev-sts.js';
import { SP_SIGNING, spOf } from '../../scripts/harness/dev-idps.js';

export interface LogEntry {
  event?: string;
  reason?: string;
  idp?: string | null;
  correlationId?: string;
  [key: string]: unknown;
}

export interface ExtraIdp {
  id: string;
  entityId?: string;
  /** Options of its dev STS (e.g. FABRIKAM_PRESET: own directory and key). */
  sts?: DevStsOptions;
  /** Overrides of its configuration entry (trust, allowedRoles, erpAccounts, claims...). */
  config?: Partial<IdpConfig>;
}

export interface HarnessOptions {
  /** Overrides of the dev STS IdP entry (e.g. wantResponseSigned: false). */
  idp?: Partial<IdpConfig>;
  /** Number of app instances sharing one session store (all answer the same public URL). */
  instances?: number;
  /** More IdPs, each a dev STS of its own, after `contoso`. */
  extraIdps?: ExtraIdp[];
  /** saml.* overrides (e.g. rateLimit). */
  saml?: Record<string, unknown>;
  /** The SP has the development encryption pair (saml.sp.encryptionKey / encryptionCert). */
  spEncryption?: boolean;
  /** saml.sp.previousEncryptionKey / previousEncryptionCert (files), during a change of key. */
  spPreviousEncryption?: { previousEncryptionKey: string; previousEncryptionCert: string };
  /** The `contoso` STS encrypts its assertions for this certificate (PEM). */
  stsEncryptsFor?: string;
  /** Entries of other IdPs (not dev STSes), made once the app's base URL is known (e.g. a SimpleSAMLphp's import). */
  moreIdps?: (base: string) => Promise<Array<Record<string, unknown>>>;
}

/** The SP's development encryption pair (config/dev/keys/README.md). */
export const SP_ENCRYPTION = {
  encryptionKey: 'config/dev/keys/sp-dev-encryption.key',
  encryptionCert: 'config/dev/keys/sp-dev-encryption.crt',
};

/** The partner IdP of the development setup, as config/env/development.json describes it. */
export const FABRIKAM: ExtraIdp = {
  id: 'fabrikam',
  sts: FABRIKAM_PRESET,
  config: {
    label: 'Fabrikam',
    trust: 'partner',
    emailDomains: ['fabrikam.example'],
    claims: {
      name: [CLAIM_TYPES.upn],
      displayName: [CLAIM_TYPES.displayName, CLAIM_TYPES.name],
      roles: [CLAIM_TYPES.role],
      language: [CLAIM_TYPES.preferredLanguage],
      stripDomain: false,
    },
    allowedRoles: ['Contractor'],
    erpAccounts: { 'carol@fabrikam.example': 'carol', 'mallory@fabrikam.example': 'mallory' },
  },
};

export interface Harness {
  /** The public URL (instance 0). */
  base: string;
  /** Base URL of each instance. */
  instances: string[];
  sts: DevSts;
  /** Every STS by IdP id (`contoso` is `sts`). */
  stses: Record<string, DevSts>;
  auth: Auth;
  config: AppConfig;
  logs: LogEntry[];
  browser(): TestBrowser;
  /** The session store all instances share. */
  store: session.MemoryStore;
  /** Deep link -> /login (-> this IdP when given, for a chooser of several) -> STS form. Returns the STS login page. */
  startSignIn(browser: TestBrowser, path?: string, idp?: string): Promise<Page>;
  /** Posts the STS form with these credentials; returns the STS answer (the auto-post page on success). */
  submitCredentials(browser: TestBrowser, loginPage: Page, user: string, password: string): Promise<Page>;
  /** The SAMLResponse/RelayState form the STS issued for `user`, after starting from `path`. */
  obtainResponse(browser: TestBrowser, user?: string, path?: string, idp?: string): Promise<HtmlForm>;
  /** Posts fields to the ACS (of `instance`), following the same-site re-post page once if the app asks for it. */
  postToAcs(browser: TestBrowser, fields: Record<string, string>, instance?: number): Promise<Page>;
  /** Full sign-in; returns the ACS answer. */
  signIn(browser: TestBrowser, user?: string, path?: string, idp?: string): Promise<Page>;
  rejections(): LogEntry[];
  logoutRejections(): LogEntry[];
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startHarness(t: TestContext, options: HarnessOptions = {}): Promise<Harness> {
  const count = options.instances ?? 1;
  // The app's ports are needed before the STS can register it, and the STS before the app's config.
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(servers.map(listen));
  t.after(() =>
    Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((r) => {
            s.close(() => r());
            s.closeAllConnections();
          }),
      ),
    ),
  );
  const instances = ports.map((p) => `http://127.0.0.1:${p}`);
  const base = instances[0] as string;

  // The SP signs (development pair): AuthnRequests, logout messages and its metadata.
  const sp = spOf(base);
  const sts = await startTestDevSts(t, {
    serviceProviders: [options.stsEncryptsFor ? { ...sp, encryptionCertPem: options.stsEncryptsFor } : sp],
  });
  const stses: Record<string, DevSts> = { contoso: sts };
  const idps: Array<Record<string, unknown>> = [
    {
      id: 'contoso',
      label: 'CONTOSO',
      entityId: sts.entityId,
      ssoUrl: sts.ssoUrl,
      sloUrl: sts.sloUrl,
      certs: [sts.certPem],
      emailDomains: ['contoso.example'],
      ...options.idp,
    },
  ];
  for (const extra of options.extraIdps ?? []) {
    // port 0 after the preset: test files run in parallel, a preset's fixed port would collide.
    const other = await startTestDevSts(t, {
      ...extra.sts,
      port: 0,
      ...(extra.entityId ? { entityId: extra.entityId } : {}),
      serviceProviders: [sp],
    });
    stses[extra.id] = other;
    idps.push({
      id: extra.id,
      label: extra.id,
      entityId: other.entityId,
      ssoUrl: other.ssoUrl,
      sloUrl: other.sloUrl,
      certs: [other.certPem],
      ...extra.config,
    });
  }
  idps.push(...((await options.moreIdps?.(base)) ?? []));
  const raw = loadRawConfig({
    environment: 'test',
    env: {},
    overrides: {
      app: { publicUrl: base },
      saml: {
        sp: { ...SP_SIGNING, ...(options.spEncryption ? SP_ENCRYPTION : {}), ...options.spPreviousEncryption },
        idps,
        ...options.saml,
      },
    },
  });
  const config = appConfigSchema.parse(raw);

  const logs: LogEntry[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogEntry) });
  const auth = createAuth(config, logger);
  const store = new session.MemoryStore();

  for (const server of servers) {
    const app = express();
    app.use(
      session({
        store,
        secret: config.app.sessionSecrets,
        name: config.app.sessionCookieName,
        resave: false,
        saveUninitialized: false,
        cookie: { httpOnly: true, sameSite: 'lax' },
      }),
    );
    app.use(storeSessionBeforeRedirect());
    app.use(auth.bodyParsers);
    app.use(express.urlencoded({ extended: false }));
    app.use(...auth.initialize);
    app.use(auth.router);
    app.get('/', auth.requireUser, (_req, res) => void res.type('text').send('home'));
    app.get('/week/:week', auth.requireUser, (req, res) => {
      const user = req.user!;
      res.json({
        week: req.params.week,
        user: user.toJSON(),
        isEmployee: user.isInRole('Employee'),
        isAdmin: user.isInRole('Admin'),
      });
    });
    app.post('/week/:week/autosave', auth.requireUser, (_req, res) => void res.json({ saved: true }));
    app.get('/admin', auth.requireRole('Admin'), (_req, res) => void res.type('text').send('admin'));
    server.on('request', app);
  }

  const harness: Harness = {
    base,
    instances,
    sts,
    stses,
    auth,
    config,
    logs,
    store,
    browser: () => new TestBrowser(),
    async startSignIn(browser, path = '/week/2026-W47', idp) {
      const deepLink = await browser.get(`${base}${path}`);
      if (idp === undefined) return browser.follow(deepLink);
      // What the organisation chooser's button for that IdP links to.
      const login = new URL(deepLink.location ?? '/login', base);
      login.searchParams.set('idp', idp);
      return browser.follow(await browser.get(login.toString()));
    },
    async submitCredentials(browser, loginPage, user, password) {
      const form = readForm(loginPage.body);
      return browser.post(new URL(form.action, loginPage.url).toString(), { ...form.fields, username: user, password });
    },
    async obtainResponse(browser, user = 'alice', path = '/week/2026-W47', idp) {
      const loginPage = await harness.startSignIn(browser, path, idp);
      const answer = await harness.submitCredentials(browser, loginPage, user, 'dev-password');
      if (answer.status !== 200 || !answer.body.includes('SAMLResponse'))
        throw new Error(`STS did not issue a response: ${answer.status}`);
      return readForm(answer.body);
    },
    async postToAcs(browser, fields, instance = 0) {
      const acs = `${instances[instance]}/saml/acs`;
      const first = await browser.post(acs, fields);
      if (first.status === 200 && first.body.includes('SameSiteRetry')) {
        const again = readForm(first.body);
        return browser.post(new URL(again.action, acs).toString(), again.fields);
      }
      return first;
    },
    async signIn(browser, user = 'alice', path = '/week/2026-W47', idp) {
      const form = await harness.obtainResponse(browser, user, path, idp);
      return harness.postToAcs(browser, form.fields);
    },
    rejections: () => logs.filter((l) => l.event === 'saml_signin_rejected'),
    logoutRejections: () => logs.filter((l) => l.event === 'saml_logout_rejected'),
  };
  return harness;
}
