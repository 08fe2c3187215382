/**
 * The whole on-prem system in one test process, all on 127.0.0.1 with ports read back: a two-node
 * ERP simulator farm, the development STS, and the real app (createApp over the onprem target's
 * plugins, SQLite session store in a temporary folder).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { createApp, type BuiltApp } from '../../src/app.js';
import { loadRawConfig, deepMerge } from '../../src/config/load-config.js';
import { buildContainer } from '../../src/plugins/plugin-loader.js';
import { createLogger } from '../../src/logging/logger.js';
import { startDevSts, type DevSts } from '../../src/stand-ins/dev-sts/dev-sts.js';
import { startTestErpFarm, type TestErpFarm } from './erp-simulator.js';
import { readForm, TestBrowser, type Page } from './dev-sts.js';

export type Target = 'onprem' | 'cloud';

export interface AppStackOptions {
  target?: Target;
  /** Deep-merged over the configuration the stack builds. */
  overrides?: Record<string, unknown>;
}

export interface AppStack {
  target: Target;
  url: string;
  erp: TestErpFarm;
  sts: DevSts;
  app: BuiltApp;
  /** A new cookie-jar browser signed in as `user` (headless, no JavaScript), on `path`. */
  signIn(user: string, path?: string): Promise<{ browser: TestBrowser; page: Page }>;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startAppStack(t: TestContext | null, options: AppStackOptions = {}): Promise<AppStack> {
  const target = options.target ?? 'onprem';
  const overrides = options.overrides ?? {};
  const dir = await mkdtemp(path.join(os.tmpdir(), 'timesheet-stack-'));
  const erp = await startTestErpFarm();
  const server = createServer();
  const port = await listen(server);
  const url = `http://127.0.0.1:${port}`;
  const sts = await startDevSts({ port: 0, spEntityId: `${url}/saml/metadata`, acsUrl: `${url}/saml/acs` });
  const raw = loadRawConfig({
    target,
    environment: 'test',
    env: {},
    overrides: deepMerge(
      {
        app: { publicUrl: url },
        saml: { idps: [{ id: 'contoso', label: 'CONTOSO', entityId: sts.entityId, ssoUrl: sts.ssoUrl, certs: [sts.certPem] }] },
        pluginSettings: {
          'session-sql': { url: `sqlite:${path.join(dir, 'sessions.db')}` },
          'erp-direct': { endpoints: erp.urls, timeoutMs: 3000 },
        },
      },
      overrides,
    ),
  });
  const app = await createApp(await buildContainer(raw), createLogger('silent'));
  server.on('request', app.app);

  const stack: AppStack = {
    target,
    url,
    erp,
    sts,
    app,
    async signIn(user, target = '/') {
      const browser = new TestBrowser();
      const loginPage = await browser.follow(await browser.get(`${url}${target}`));
      const form = readForm(loginPage.body);
      const answer = await browser.post(new URL(form.action, loginPage.url).toString(), { ...form.fields, username: user, password: 'dev-password' });
      if (!answer.body.includes('SAMLResponse')) throw new Error(`STS refused ${user}: HTTP ${answer.status}`);
      const post = readForm(answer.body);
      const acs = await browser.post(post.action, post.fields);
      const page = await browser.follow(acs);
      return { browser, page };
    },
    async close() {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await app.close();
      await Promise.all([sts.close(), erp.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
  t?.after(() => stack.close());
  return stack;
}
