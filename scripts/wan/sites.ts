/**
 * The two sites of the WAN lab. Run from the runner re-executed INSIDE the cloud namespace, so what it
 * starts in process or as a plain child is on the cloud side: the relay emulator (in process, on
 * 0.0.0.0: the cloud namespace's loopback for the app, its veth address for the link service),
 * Azurite, the dev STS and the cloud app (`src/server.ts`, erp-relay pointed at the relay's loopback
 * address). The ERP simulator and the link service are started through `ip netns exec` in the on-prem
 * namespace, where 127.0.0.1 is the on-prem site's own loopback.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { startDevSts, type DevSts } from '../stand-ins/dev-sts/dev-sts.js';
import { startRelayEmulator, type RelayEmulator } from '../stand-ins/relay-emulator/relay-emulator.js';
import { startAzurite } from '../harness/azurite.js';
import { spOf } from '../harness/dev-idps.js';
import { DEV_RULES, HC } from '../harness/relay.js';
import { childEnv, startAppProcess, waitUntil, type AppProcess, type ManagedProcess } from '../harness/processes.js';
import { spawnTsxIn, waitForOutput } from './namespace-process.js';
import { CLOUD_ADDRESS, type WanLink } from './network.js';

/** The namespace is new for each run, so the ERP's usual port is free there. */
const ERP_PORT = 3200;
const LISTEN_KEY_NAME = 'wan-listen';

export interface Sites {
  relay: RelayEmulator;
  /** `http://127.0.0.1:<port>`: the relay as the cloud app (and the runner) reach it. */
  relayLocalUrl: string;
  sts: DevSts;
  app: AppProcess;
  erp: ManagedProcess;
  /** The ERP simulator's SQLite file (namespaces share the file system). */
  erpDb: string;
  link: ManagedProcess;
  close(): Promise<void>;
}

type Stop = () => Promise<unknown>;

/** Starts both sites; on a failure half-way, stops what was started and rethrows. */
export async function startSites(net: WanLink, log: (line: string) => void): Promise<Sites> {
  const stops: Stop[] = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    // In the run's folder, which the runner outside removes whatever happens.
    const dir = await mkdtemp(path.join(net.scratch, 'sites-'));
    const listenKey = randomBytes(32).toString('base64');
    const relay = await startRelayEmulator({
      host: '0.0.0.0',
      port: 0,
      hybridConnections: [
        { name: HC, rules: [DEV_RULES[0]!, { keyName: LISTEN_KEY_NAME, key: listenKey, rights: ['Listen'] }] },
      ],
    });
    stops.push(() => relay.close());
    const relayPort = Number(new URL(relay.url).port);
    const onprem = await startOnprem(net.onpremNs, relay, relayPort, listenKey, dir, stops);
    log(`on-prem site up in ${net.onpremNs}: ERP simulator, link service listening on the relay across the WAN`);
    const relayLocalUrl = `http://127.0.0.1:${relayPort}`;
    const cloud = await startCloud(relayLocalUrl, stops);
    log(`cloud site up in ${net.cloudNs}: relay emulator, Azurite, dev STS, cloud app ${cloud.app.url}`);
    return { relay, relayLocalUrl, ...cloud, ...onprem, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function startOnprem(
  ns: string,
  relay: RelayEmulator,
  relayPort: number,
  listenKey: string,
  dir: string,
  stops: Stop[],
): Promise<Pick<Sites, 'erp' | 'erpDb' | 'link'>> {
  const erpDb = path.join(dir, 'erp.db');
  const erp = spawnTsxIn(
    ns,
    'erp-simulator',
    'scripts/stand-ins/erp-simulator/main.ts',
    ['--port', String(ERP_PORT), '--nodes', '1', '--db', erpDb],
    childEnv({ LOG_LEVEL: 'info' }),
  );
  stops.push(() => erp.stop());
  await waitForOutput(erp, /ERP simulator listening/, 60_000);
  const link = spawnTsxIn(
    ns,
    'link-service',
    'scripts/wan/link-entry.ts',
    [],
    childEnv({
      LINK_RELAY_URL: `http://${CLOUD_ADDRESS}:${relayPort}`,
      LINK_HYBRID_CONNECTION: HC,
      LINK_KEY_NAME: LISTEN_KEY_NAME,
      LINK_KEY: listenKey,
      LINK_ERP_ENDPOINTS: `http://127.0.0.1:${ERP_PORT}`,
      LOG_LEVEL: 'info',
    }),
  );
  stops.push(() => link.stop());
  await waitUntil('the link service to listen on the relay across the WAN', () => relay.listenerCount(HC) === 1, {
    timeoutMs: 60_000,
    abortIf: () => (link.running() ? undefined : `link service exited:\n${link.output().slice(-3000)}`),
  });
  return { erp, erpDb, link };
}

async function startCloud(relayLocalUrl: string, stops: Stop[]): Promise<Pick<Sites, 'sts' | 'app'>> {
  const [azurite, sts] = await Promise.all([startAzurite(), startDevSts({ port: 0 })]);
  stops.push(
    () => sts.close(),
    () => azurite.stop(),
  );
  const app = await startAppProcess({
    name: 'cloud-app',
    target: 'cloud',
    sts,
    env: {
      TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__CONNECTION_STRING: azurite.connectionString,
      TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__RELAY_BASE_URL: relayLocalUrl,
      TIMESHEET_PLUGIN_SETTINGS__CLOUD_ROLE__INSTANCE_NAME: 'wan-cloud',
    },
  });
  stops.push(() => app.proc.stop());
  sts.addServiceProvider(spOf(app.url));
  return { sts, app };
}
