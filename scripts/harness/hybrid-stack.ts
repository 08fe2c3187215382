/**
 * Both copies of the timesheet in one test process, wired as in production, all on 127.0.0.1 with
 * ports read back: ONE ERP farm and ONE development STS that knows both copies; the on-prem copy
 * (SQLite sessions, SOAP straight to the ERP, other-copy-direct to the cloud copy's address) and the
 * cloud copy (Azurite sessions, the ERP and the on-prem copy through the relay emulator and the
 * on-prem link service). Each copy logs into memory so a test can read what operators would see.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp, type BuiltApp } from '../../src/app.js';
import { deepMerge, loadRawConfig } from '../../src/config/load-config.js';
import { buildContainer } from '../../src/container/plugin-loader.js';
import { startDevSts, type DevSts } from '../stand-ins/dev-sts/dev-sts.js';
import { devIdpEntry, SP_SIGNING, spOf } from './dev-idps.js';
import { stopsInReverse } from './cleanups.js';
import { listen, startTargetStandIns, type Target, type TargetStandIns } from './app-stack.js';
import type { TestErpFarm } from './erp-simulator.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface Copy {
  target: Target;
  url: string;
  app: BuiltApp;
  /** Every line this copy logged at info or above. */
  logs: LogLine[];
}

export interface HybridStack {
  onprem: Copy;
  cloud: Copy;
  erp: TestErpFarm;
  sts: DevSts;
  cloudStandIns: NonNullable<TargetStandIns['cloud']>;
  close(): Promise<void>;
}

export interface HybridStackOptions {
  /** Deep-merged over both copies' configuration (e.g. a burst schedule). */
  overrides?: Record<string, unknown>;
  onpremOverrides?: Record<string, unknown>;
  cloudOverrides?: Record<string, unknown>;
}

const urlOf = async (server: Server) => `http://127.0.0.1:${await listen(server)}`;

function memoryLogger(lines: LogLine[]) {
  return pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
}

export async function startHybridStack(options: HybridStackOptions = {}): Promise<HybridStack> {
  const { stops: cleanups, closeAll } = stopsInReverse();
  try {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'timesheet-hybrid-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    // The addresses first: the STS, the link service and each copy need the others'.
    const servers = { onprem: createServer(), cloud: createServer() };
    const urls = { onprem: await urlOf(servers.onprem), cloud: await urlOf(servers.cloud) };
    for (const server of Object.values(servers)) {
      cleanups.push(
        () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      );
    }
    // The cloud's stand-ins include the ERP farm and a link service that also reaches the on-prem app.
    const cloudStandIns = await startTargetStandIns('cloud', dir, cleanups, { appEndpoints: [urls.onprem] });
    const erp = cloudStandIns.erp;
    const sts = await startDevSts({ port: 0, serviceProviders: [spOf(urls.onprem), spOf(urls.cloud)] });
    cleanups.push(() => sts.close());

    const copies = {} as Record<Target, Copy>;
    for (const target of ['onprem', 'cloud'] as const) {
      const pluginSettings =
        target === 'cloud'
          ? cloudStandIns.pluginSettings
          : {
              'session-sql': { url: `sqlite:${path.join(dir, 'sessions.db')}` },
              'erp-direct': { endpoints: erp.urls }, // the product's timeout, as in app-stack.ts
            };
      const other = target === 'onprem' ? urls.cloud : urls.onprem;
      const raw = loadRawConfig({
        target,
        environment: 'test',
        env: {},
        overrides: deepMerge(
          deepMerge(
            {
              app: { publicUrl: urls[target] },
              saml: { sp: SP_SIGNING, idps: [devIdpEntry('contoso', sts)] },
              burst: { otherUrl: other },
              copies: { followIntervalSeconds: 0.5 },
              pluginSettings,
            },
            options.overrides ?? {},
          ),
          (target === 'onprem' ? options.onpremOverrides : options.cloudOverrides) ?? {},
        ),
      });
      const logs: LogLine[] = [];
      const app = await createApp(await buildContainer(raw), memoryLogger(logs));
      cleanups.push(() => app.close());
      servers[target].on('request', app.app);
      copies[target] = { target, url: urls[target], app, logs };
    }
    return {
      onprem: copies.onprem,
      cloud: copies.cloud,
      erp,
      sts,
      cloudStandIns: cloudStandIns.cloud!,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
