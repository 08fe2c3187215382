/**
 * One measured environment: the target's stand-ins (startTargetStandIns, the same topology as the
 * tests), the dev STS, and the app in a child process wired to them. A fresh one per run and per
 * repeat: a new database, so a flow can use the same weeks again, and no warm caches carried over.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDevSts } from '../stand-ins/dev-sts/dev-sts.js';
import { startTargetStandIns, type Target } from '../harness/app-stack.js';
import type { ControlPatch } from '../stand-ins/erp-simulator/node-control.js';
import { devIdpEntry, SP_SIGNING, spOf } from '../harness/dev-idps.js';
import { stopsInReverse } from '../harness/cleanups.js';
import { freePort, startApp, type RunningApp } from './bench-server.js';

/** The accounts of the ERP seed that fill weeks in the flow (generated users, all with assignments). */
export const ACCOUNTS = Array.from({ length: 50 }, (_, i) => `user${String(i + 1).padStart(3, '0')}`);

export interface Environment {
  url: string;
  app: RunningApp;
  erpStats: () => Promise<{ totalCalls: number }>;
  /** The ERP farm's runtime knobs (POST /control on every node), e.g. its answer latency. */
  erpControl: (patch: ControlPatch) => Promise<void>;
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  memoryStore?: boolean;
  workers?: number;
  /** --profile: the app writes a CPU profile here when it stops. */
  profileDir?: string;
  /** --logs: 'info' logs every request as shipped (into /dev/null); 'silent' measures without. */
  logLevel?: 'info' | 'silent';
}

/** The app's configuration: limits lifted so that virtual users are not refused; the log as asked (info by default, as shipped). */
function appConfig(target: Target, url: string, port: number, options: EnvironmentOptions, extra: object) {
  return {
    target,
    ...(options.memoryStore ? { plugins: ['session-memory', 'erp-direct'] } : {}),
    app: {
      publicUrl: url,
      port,
      workers: options.workers ?? 1,
      writeLimits: { perUserPerMinute: 100_000, perAddressPerMinute: 1_000_000 },
    },
    log: { level: options.logLevel ?? 'info' },
    ...extra,
  };
}

export async function environment(target: Target, options: EnvironmentOptions = {}): Promise<Environment> {
  const { stops: cleanups, closeAll } = stopsInReverse();
  try {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'timesheet-bench-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const standIns = await startTargetStandIns(target, dir, cleanups);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // The generated ERP users, with a cheap password hash: the STS shares this machine with the app.
    const sts = await startDevSts({
      port: 0,
      directoryFile: 'config/dev/bench-directory.json',
      serviceProviders: [spOf(url)],
    });
    cleanups.push(() => sts.close());
    const config = appConfig(target, url, port, options, {
      saml: { sp: SP_SIGNING, idps: [devIdpEntry('contoso', sts)], rateLimit: { maxRequests: 100_000 } },
      pluginSettings: standIns.pluginSettings,
    });
    const app = await startApp('app', config, port, { profileDir: options.profileDir });
    cleanups.push(() => app.stop());
    return {
      url,
      app,
      erpStats: () => standIns.erp.stats(),
      erpControl: (patch) => standIns.erp.control(patch),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
