/**
 * The whole hybrid system for a chaos run, every part that a fault kills in its own process, all on
 * 127.0.0.1 with ports from the OS:
 *   - the ERP farm: two simulator processes (one node each) on one SQLite database;
 *   - the on-prem copy: two app instances on a PostgreSQL server of the run's own, behind a
 *     round-robin balancer (the company URL), the ERP over SOAP;
 *   - the cloud copy: two app instances on Azurite, behind their own balancer, the ERP and the
 *     on-prem copy through the relay emulator and the link service (its own process);
 *   - one development STS that knows both balancers.
 * Both copies follow one burst window from a schedule (the on-prem copy decides, the cloud copy asks
 * it through the relay), so a restarted instance agrees with the others at once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDevSts, type DevSts } from '../stand-ins/dev-sts/dev-sts.js';
import type { RelayEmulator } from '../stand-ins/relay-emulator/relay-emulator.js';
import { startAzurite, type AzuriteTable } from '../harness/azurite.js';
import { spOf } from '../harness/dev-idps.js';
import { startPostgres, type PostgresInstance } from '../harness/postgres-instance.js';
import {
  startAppProcess,
  startErpProcess,
  startLinkServiceProcess,
  waitUntil,
  type AppProcess,
  type ErpProcess,
  type ManagedProcess,
} from '../harness/processes.js';
import { stopsInReverse } from '../harness/cleanups.js';
import { HC, startTestRelay } from '../harness/relay.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../harness/round-robin-proxy.js';

export interface BurstWindow {
  /** HH:MM on UTC's wall clock, today. */
  start: string;
  end: string;
}

export interface CopyFarm {
  proxy: RoundRobinProxy;
  apps: AppProcess[];
  /** SIGKILLs instance `index` and starts it again on the same port; resolves when it is ready. */
  killAndRestart(index: number): Promise<void>;
}

export interface ChaosStack {
  onprem: CopyFarm;
  cloud: CopyFarm;
  erp: ErpProcess[];
  erpDbFile: string;
  postgres: PostgresInstance;
  azurite: AzuriteTable;
  relay(): RelayEmulator;
  /** Closes the relay emulator (every connection dropped), waits `downMs`, opens it on the same port. */
  restartRelay(downMs: number): Promise<void>;
  link(): ManagedProcess;
  /** Starts the link service again (after a kill); resolves when it listens on the relay. */
  startLink(): Promise<void>;
  sts: DevSts;
  processes(): ManagedProcess[];
  close(): Promise<void>;
}

const ISO_DAY = () => ((new Date().getUTCDay() + 6) % 7) + 1;

function farm(proxy: RoundRobinProxy, apps: AppProcess[], restart: (i: number) => Promise<AppProcess>): CopyFarm {
  return {
    proxy,
    apps,
    async killAndRestart(index) {
      await apps[index]!.proc.kill('SIGKILL');
      apps[index] = await restart(index);
      proxy.setUp(index, true); // the balancer's passive check took it out; back in rotation now
    },
  };
}

export async function startChaosStack(window: BurstWindow): Promise<ChaosStack> {
  const { stops: cleanups, closeAll } = stopsInReverse();
  try {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'timesheet-chaos-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const erpDbFile = path.join(dir, 'erp.db');
    const erp = [await startErpProcess(erpDbFile)]; // the first seeds the database, then the second
    erp.push(await startErpProcess(erpDbFile));
    for (const node of erp) cleanups.push(() => node.stop());
    const [postgres, azurite, proxies] = await Promise.all([
      startPostgres(),
      startAzurite({ location: path.join(dir, 'azurite') }),
      Promise.all([startRoundRobinProxy(), startRoundRobinProxy()]),
    ]);
    cleanups.push(
      () => postgres.close(),
      () => azurite.stop(),
    );
    const [onpremProxy, cloudProxy] = proxies;
    for (const p of proxies) cleanups.push(() => p.close());
    let relay = await startTestRelay();
    const relayPort = Number(new URL(relay.url).port);
    cleanups.push(() => relay.close());
    const startLink = () =>
      startLinkServiceProcess(
        relay,
        erp.map((n) => `http://127.0.0.1:${n.port}`),
        { timeoutMs: 10_000, appEndpoints: [onpremProxy.url] },
      );
    let link = await startLink();
    cleanups.push(() => link.stop());
    const sts = await startDevSts({
      port: 0,
      directoryFile: 'config/dev/bench-directory.json',
      serviceProviders: [spOf(onpremProxy.url), spOf(cloudProxy.url)],
    });
    cleanups.push(() => sts.close());

    const common = {
      TIMESHEET_BURST__MODE: 'auto',
      TIMESHEET_BURST__SCHEDULE: JSON.stringify({ days: [ISO_DAY()], ...window, timeZone: 'UTC' }),
      TIMESHEET_COPIES__FOLLOW_INTERVAL_SECONDS: '1',
      TIMESHEET_SAML__RATE_LIMIT__MAX_REQUESTS: '100000',
      TIMESHEET_APP__WRITE_LIMITS: JSON.stringify({ perUserPerMinute: 1000, perAddressPerMinute: 1_000_000 }),
    };
    const onpremEnv = {
      ...common,
      TIMESHEET_BURST__OTHER_URL: cloudProxy.url,
      TIMESHEET_PLUGIN_SETTINGS__SESSION_SQL__URL: postgres.url,
      TIMESHEET_PLUGIN_SETTINGS__ERP_DIRECT__ENDPOINTS: JSON.stringify(erp.map((n) => n.url)),
      TIMESHEET_PLUGIN_SETTINGS__ERP_DIRECT__TIMEOUT_MS: '5000',
    };
    const cloudEnv = (name: string) => ({
      ...common,
      TIMESHEET_BURST__OTHER_URL: onpremProxy.url,
      TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__CONNECTION_STRING: azurite.connectionString,
      TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__RELAY_BASE_URL: relay.url,
      TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__TIMEOUT_MS: '8000',
      TIMESHEET_PLUGIN_SETTINGS__OTHER_COPY_RELAY__RELAY_BASE_URL: relay.url,
      TIMESHEET_PLUGIN_SETTINGS__CLOUD_ROLE__INSTANCE_NAME: name,
    });
    const onpremApp = (i: number, port?: number) =>
      startAppProcess({
        name: `onprem-${i + 1}`,
        target: 'onprem',
        sts,
        publicUrl: onpremProxy.url,
        port,
        env: onpremEnv,
      });
    const cloudApp = (i: number, port?: number) =>
      startAppProcess({
        name: `cloud-${i + 1}`,
        target: 'cloud',
        sts,
        publicUrl: cloudProxy.url,
        port,
        env: cloudEnv(`cloud-${i + 1}`),
      });
    // One after the other: the first creates the tables, the second finds them.
    const onpremApps: AppProcess[] = [];
    const cloudApps: AppProcess[] = [];
    for (const i of [0, 1]) onpremApps.push(await onpremApp(i));
    for (const i of [0, 1]) cloudApps.push(await cloudApp(i));
    cleanups.push(async () => {
      for (const a of [...onpremApps, ...cloudApps]) await a.proc.stop();
    });
    onpremProxy.backends = onpremApps.map((a) => a.url);
    cloudProxy.backends = cloudApps.map((a) => a.url);

    return {
      onprem: farm(onpremProxy, onpremApps, (i) => onpremApp(i, onpremApps[i]!.port)),
      cloud: farm(cloudProxy, cloudApps, (i) => cloudApp(i, cloudApps[i]!.port)),
      erp,
      erpDbFile,
      postgres,
      azurite,
      relay: () => relay,
      async restartRelay(downMs) {
        await relay.close();
        await new Promise((r) => setTimeout(r, downMs));
        relay = await startTestRelay({ port: relayPort });
        // The link service reconnects by its own backoff: back when it listens again.
        await waitUntil('the link service to listen on the restarted relay', () => relay.listenerCount(HC) > 0, {
          timeoutMs: 60_000,
          intervalMs: 100,
        });
      },
      link: () => link,
      async startLink() {
        link = await startLink();
      },
      sts,
      processes: () => [
        ...erp.map((n) => n.proc),
        link,
        ...onpremApps.map((a) => a.proc),
        ...cloudApps.map((a) => a.proc),
      ],
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
