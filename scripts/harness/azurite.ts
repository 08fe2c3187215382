/**
 * Azurite's Table service (Microsoft's storage emulator, an npm devDependency) as a child process
 * for tests: on a free port, in memory unless a folder is given, telemetry off, readiness awaited
 * by polling the endpoint until it answers (never a fixed sleep).
 *
 *   const azurite = await startAzurite();
 *   after(() => azurite.stop());
 *
 * Azurite accepts `--tablePort 0` but then prints ":0" and nowhere the real port, so the port is
 * taken from the OS first (bind on 0, read, release) and handed to Azurite; if another process
 * grabs it in between, Azurite exits at once and the start is tried again on a new port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from './free-port.js';

/** Microsoft's documented key of the emulator's development account; not a secret. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const HOST = '127.0.0.1';
const START_ATTEMPTS = 3;
const POLL_EVERY_MS = 25;

export interface AzuriteOptions {
  /** Keep the data in this folder (survives stop/restart); default: in memory (lost on stop). */
  location?: string;
  /** How long start-up may take before the start fails. */
  readyTimeoutMs?: number;
}

export interface AzuriteTable {
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  readonly endpoint: string;
  /** An explicit connection string for the development account on this port. */
  readonly connectionString: string;
  /** How long the last (re)start took until the endpoint answered. */
  readonly startupMs: number;
  /** Stops the process and waits for it to exit (graceful, then forced). Harmless when stopped. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop()); in-memory data is gone. */
  restart(): Promise<void>;
}

function azuriteTableMain(): string {
  // The package's own entry (what node_modules/.bin/azurite-table points to), run with this
  // node: no shell in between, so the pid is Azurite's and a signal reaches it.
  const pkg = createRequire(import.meta.url).resolve('azurite/package.json');
  return path.join(path.dirname(pkg), 'dist', 'src', 'table', 'main.js');
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns Azurite on `port` and resolves once its endpoint answers HTTP (any status). */
async function launch(port: number, options: AzuriteOptions): Promise<{ child: ChildProcess; startupMs: number }> {
  const started = Date.now();
  const args = [
    azuriteTableMain(),
    '--tableHost',
    HOST,
    '--tablePort',
    String(port),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--silent',
  ];
  // Azurite refuses --location together with --inMemoryPersistence.
  args.push(...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']));
  if (options.location) mkdirSync(options.location, { recursive: true });
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.location ?? process.cwd(),
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  // A test process that dies without its after() hooks must not leave Azurite behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  const deadline = started + (options.readyTimeoutMs ?? 30_000);
  const url = `http://${HOST}:${port}/${AZURITE_ACCOUNT}/Tables`;
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`Azurite could not be started: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Azurite exited during start-up (code ${child.exitCode ?? child.signalCode}): ${output.trim()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      // Any HTTP answer (403 without credentials) means the service is up.
      return { child, startupMs: Date.now() - started };
    } catch {
      await delay(POLL_EVERY_MS);
    }
  }
  child.kill('SIGKILL');
  await exited(child);
  throw new Error(`Azurite did not answer on ${url} within ${options.readyTimeoutMs ?? 30_000} ms: ${output.trim()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // SIGINT: Azurite closes its server and saves its database (when it has a folder), then exits
  // (in tens of milliseconds here). SIGKILL only if it hangs.
  child.kill('SIGINT');
  const forced = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited(child);
  clearTimeout(forced);
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteTable> {
  let launched: { child: ChildProcess; startupMs: number } | undefined;
  let port = 0;
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS && !launched; attempt += 1) {
    port = await freePort();
    try {
      launched = await launch(port, options);
    } catch (err) {
      lastError = err;
    }
  }
  if (!launched) throw lastError;
  let { child, startupMs } = launched;
  const endpoint = `http://${HOST}:${port}/${AZURITE_ACCOUNT}`;
  return {
    host: HOST,
    port,
    endpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};TableEndpoint=${endpoint};`,
    get startupMs() {
      return startupMs;
    },
    stop: () => stopChild(child),
    async restart() {
      await stopChild(child);
      ({ child, startupMs } = await launch(port, options));
    },
  };
}
