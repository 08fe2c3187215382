/**
 * The whole on-prem system in one test process, all on 127.0.0.1 with ports read back: a two-node
 * ERP simulator farm, the development STS, and the real app (createApp over the onprem target's
 * plugins, SQLite session store in a temporary folder).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { createApp, type BuiltApp } from '../../src/app.js';
import { loadRawConfig, deepMerge } from '../../src/config/load-config.js';
import { buildContainer } from '../../src/container/plugin-loader.js';
import { createLogger } from '../../src/logging/logger.js';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../src/start-server.js';
import { FABRIKAM_PRESET, startDevSts, type DevSts } from '../stand-ins/dev-sts/dev-sts.js';
import { devIdpEntry, SP_SIGNING, spOf } from './dev-idps.js';
import { startTestErpFarm, type TestErpFarm } from './erp-simulator.js';
import { completeSignIn, TestBrowser, type Page } from './dev-sts.js';
import { startAzurite, type AzuriteTable } from './azurite.js';
import type { RelayEmulator } from '../stand-ins/relay-emulator/relay-emulator.js';
import type { LinkService, LinkServiceOptions } from '../../src/link-service/link-service.js';
import { origins, startTestLinkService, startTestRelay } from './relay.js';

export type Target = 'onprem' | 'cloud';

export interface AppStackOptions {
  target?: Target;
  /** Deep-merged over the configuration the stack builds. */
  overrides?: Record<string, unknown>;
  /** Also start the fabrikam partner IdP (configured as in config/env/development.json). */
  partner?: boolean;
  /** Entries of other IdPs, made once the app's URL is known (e.g. a SimpleSAMLphp's imported metadata). */
  moreIdps?: (url: string) => Promise<Array<Record<string, unknown>>>;
}

export interface AppStack {
  target: Target;
  url: string;
  erp: TestErpFarm;
  sts: DevSts;
  /** The partner IdP, when started with `partner: true`. */
  fabrikam?: DevSts;
  app: BuiltApp;
  /** The cloud target's stand-ins, to break and mend them in tests. */
  cloud?: { azurite: AzuriteTable; relay: RelayEmulator; link: LinkService };
  /** A new cookie-jar browser signed in as `user` (headless, no JavaScript) at `idp` (default contoso), on `path`. */
  signIn(
    user: string,
    path?: string,
    idp?: 'contoso' | 'fabrikam',
    browser?: TestBrowser,
  ): Promise<{ browser: TestBrowser; page: Page }>;
  /**
   * One more instance of the same app (same configuration, store and ERP), as a second replica behind
   * a balancer would be; stopped with the stack. Not served over HTTP: for what instances do on their own.
   */
  startReplica(): Promise<BuiltApp>;
  close(): Promise<void>;
}

/**
 * Listens on a port the OS picks, on 127.0.0.1; resolves with it. Idle connections are kept as long
 * as the real server keeps them: with Node's 5 s default, a test client that pauses about 5 s between
 * two requests could send on a socket the server was closing and get ECONNRESET.
 */
export function listen(server: Server): Promise<number> {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startAppStack(t: TestContext | null, options: AppStackOptions = {}): Promise<AppStack> {
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const stack = await buildStack(options, cleanups);
    t?.after(() => stack.close());
    return stack;
  } catch (err) {
    // A stack that failed half-way must not leave processes behind to keep the test runner alive.
    for (const cleanup of [...cleanups].reverse()) await cleanup().catch(() => undefined);
    throw err;
  }
}

/** What a target needs around the app: the ERP farm, and for the cloud Azurite, the relay and the link service. */
export interface TargetStandIns {
  erp: TestErpFarm;
  cloud?: { azurite: AzuriteTable; relay: RelayEmulator; link: LinkService };
  /** pluginSettings pointing the target's plugins at them. */
  pluginSettings: Record<string, unknown>;
}

/**
 * Starts the stand-ins of a target in `dir` (removed by the caller); every stop goes into `cleanups`.
 * Shared by the test stacks and the benchmarks (scripts/bench), so both run the same topology.
 */
export async function startTargetStandIns(
  target: Target,
  dir: string,
  cleanups: Array<() => Promise<unknown>>,
  link: Partial<LinkServiceOptions> = {},
): Promise<TargetStandIns> {
  const erp = await startTestErpFarm();
  cleanups.push(() => erp.close());
  if (target === 'cloud') {
    // As in Azure: sessions in Table Storage (Azurite), the ERP behind the relay, reached through
    // an outbound link service that forwards to the ERP farm.
    await mkdir(path.join(dir, 'azurite'));
    // On disk, so an outage test can stop and restart it without losing the sessions.
    // Both start together; each one's stop is registered as soon as it is up, so that when the other
    // fails (Azurite slow to answer on a loaded machine) nothing is left listening to hold the runner.
    const [azurite, relay] = await Promise.all([
      startAzurite({ location: path.join(dir, 'azurite') }).then((a) => (cleanups.push(() => a.stop()), a)),
      startTestRelay().then((r) => (cleanups.push(() => r.close()), r)),
    ]);
    const listener = startTestLinkService(relay, { erpEndpoints: origins(erp.urls), ...link });
    const cloud = { azurite, relay, link: listener };
    // cloud.link, not listener: a test may replace the link service it stopped with a new one.
    cleanups.push(() => cloud.link.close());
    await listener.waitUntilConnected(10_000);
    return {
      erp,
      cloud,
      pluginSettings: {
        'session-azure-tables': { connectionString: azurite.connectionString },
        // The ERP timeouts are the product's (10 s through the relay, 5 s direct): the stand-ins run
        // in the test's own process, which a loaded CI machine starves for seconds at a time; a shorter
        // timeout made the week page say "The ERP cannot be reached" in a browser test (one CI run).
        'erp-relay': { relayBaseUrl: relay.url },
        'other-copy-relay': { relayBaseUrl: relay.url, timeoutMs: 5000 },
        'cloud-role': { instanceName: 'test-replica' },
      },
    };
  }
  return {
    erp,
    pluginSettings: {
      'session-sql': { url: `sqlite:${path.join(dir, 'sessions.db')}` },
      'erp-direct': { endpoints: erp.urls },
    },
  };
}

async function buildStack(options: AppStackOptions, cleanups: Array<() => Promise<unknown>>): Promise<AppStack> {
  const target = options.target ?? 'onprem';
  const overrides = options.overrides ?? {};
  const dir = await mkdtemp(path.join(os.tmpdir(), 'timesheet-stack-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const { erp, cloud, pluginSettings: targetSettings } = await startTargetStandIns(target, dir, cleanups);
  const server = createServer();
  const port = await listen(server);
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  const url = `http://127.0.0.1:${port}`;
  const sts = await startDevSts({ port: 0, serviceProviders: [spOf(url)] });
  cleanups.push(() => sts.close());
  const fabrikam = options.partner
    ? await startDevSts({ ...FABRIKAM_PRESET, port: 0, serviceProviders: [spOf(url)] })
    : undefined;
  if (fabrikam) cleanups.push(() => fabrikam.close());
  const raw = loadRawConfig({
    target,
    environment: 'test',
    env: {},
    overrides: deepMerge(
      {
        app: { publicUrl: url },
        saml: {
          sp: SP_SIGNING,
          idps: [
            devIdpEntry('contoso', sts),
            ...(fabrikam ? [devIdpEntry('fabrikam', fabrikam)] : []),
            ...((await options.moreIdps?.(url)) ?? []),
          ],
        },
        pluginSettings: targetSettings,
      },
      overrides,
    ),
  });
  const app = await createApp(await buildContainer(raw), createLogger('silent'));
  cleanups.push(() => app.close());
  server.on('request', app.app);

  const stack: AppStack = {
    target,
    url,
    erp,
    sts,
    fabrikam,
    app,
    cloud,
    async signIn(user, target = '/', idp = 'contoso', browser = new TestBrowser()) {
      const deepLink = await browser.get(`${url}${target}`);
      // With several organisations the chooser shows; its button for `idp` links to /login?idp=.
      const login = new URL(deepLink.location ?? '/login', url);
      if (fabrikam) login.searchParams.set('idp', idp);
      const loginPage = await browser.follow(fabrikam ? await browser.get(login.toString()) : deepLink);
      return { browser, page: await completeSignIn(browser, loginPage, user) };
    },
    async startReplica() {
      const replica = await createApp(await buildContainer(raw), createLogger('silent'));
      cleanups.push(() => replica.close());
      return replica;
    },
    async close() {
      // Last started, first stopped: the app before the store and the ERP it uses.
      for (const cleanup of [...cleanups].reverse()) await cleanup();
    },
  };
  return stack;
}
