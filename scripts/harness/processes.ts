/**
 * Real processes for the fault tests: the app (`node --import tsx src/server.ts` with TIMESHEET_*
 * variables), the ERP simulator (scripts/stand-ins/erp-simulator/main.ts) and the link service
 * (src/link-service/main.ts), each a child process that a test can SIGKILL, SIGTERM and start again.
 * Ports come from the OS (bind on 0, read, release; a start that loses the port to someone else is
 * tried again on a new one); readiness is awaited by polling, never by a blind sleep. Every child is
 * killed when the test process exits, whatever happens to the test's after() hooks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import type { ErpStats } from '../stand-ins/erp-simulator/call-stats.js';
import type { ControlPatch } from '../stand-ins/erp-simulator/node-control.js';
import type { DevSts } from '../stand-ins/dev-sts/dev-sts.js';
import type { RelayEmulator } from '../stand-ins/relay-emulator/relay-emulator.js';
import { devIdpEntry, SP_SIGNING } from './dev-idps.js';
import { postControl, readErpStats, resetErpStats } from './erp-simulator.js';
import { HC } from './relay.js';
import { freePort } from './free-port.js';
export { freePort };

const HOST = '127.0.0.1';
const OUTPUT_LIMIT = 64_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process with its output kept (the tail) for diagnostics. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  running(): boolean;
  /** stdout + stderr so far (the last 64 KB). */
  output(): string;
  /** Sends `signal` and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
  /** SIGTERM, then SIGKILL after `graceMs`; waits for the exit. Harmless when already gone. */
  stop(graceMs?: number): Promise<Exit>;
}

const living = new Set<ChildProcess>();
const killLiving = () => {
  for (const child of living) child.kill('SIGKILL');
};
process.once('exit', killLiving);
// A test process stopped by a signal (the runner's timeout, Ctrl-C) takes its children along, then
// dies of the same signal as it would have without this handler.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killLiving();
    process.kill(process.pid, signal);
  });
}

/** The environment of a child: this one's, without the TIMESHEET_* and test-runner variables of the test process. */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      k.startsWith('TIMESHEET_') ||
      k.startsWith('LINK_') ||
      k.startsWith('ERP_') ||
      k === 'NODE_TEST_CONTEXT' ||
      k === 'LOG_LEVEL' ||
      k === 'PORT'
    )
      continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export interface SpawnOptions {
  /** A command that runs node, e.g. `ip netns exec <ns>` (it must exec, not fork, so signals reach node). */
  prefix?: string[];
  /** Output kept for diagnostics, in characters (64 KB). */
  outputLimit?: number;
}

/** Starts `node --import tsx <entry> ...args` from the repository root. */
export function spawnTsx(
  name: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: SpawnOptions = {},
): ManagedProcess {
  const [command, ...argv] = [
    ...(options.prefix ?? []),
    process.execPath,
    '--import',
    'tsx',
    path.join(PROJECT_ROOT, entry),
    ...args,
  ];
  const limit = options.outputLimit ?? OUTPUT_LIMIT;
  const child = spawn(command!, argv, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  living.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-limit);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      living.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (err) => {
      living.delete(child);
      collect(Buffer.from(`\nspawn error: ${err.message}\n`));
      resolve({ code: null, signal: null });
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const proc: ManagedProcess = {
    name,
    pid: child.pid ?? -1,
    child,
    exited,
    running,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (running()) child.kill(signal);
      return exited;
    },
    async stop(graceMs = 10_000) {
      if (!running()) return exited;
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(forced);
      return exit;
    },
  };
  return proc;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Stop waiting at once (with this reason) when it returns a string, e.g. the process exited. */
  abortIf?: () => string | undefined;
}

/** Polls `probe` until it returns something other than undefined/false; fails after `timeoutMs` with `what`. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 20_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const reason = options.abortIf?.();
    if (reason) throw new Error(`gave up waiting for ${what}: ${reason}`);
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    await delay(intervalMs);
  }
}

/** The HTTP status of a GET, or undefined when nothing answers (refused, reset, timeout). */
export async function statusOf(url: string, timeoutMs = 2000): Promise<number | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.body?.cancel();
    return res.status;
  } catch {
    return undefined;
  }
}

const exitedReason = (proc: ManagedProcess) => () =>
  proc.running()
    ? undefined
    : `${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}):\n${proc.output().slice(-3000)}`;

/** An output line saying the port was taken: the start is tried again on another port. */
const PORT_TAKEN = /EADDRINUSE/;

/** Starts a process on a free port until one sticks (another process may grab the port in between). */
async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (err) {
      lastError = err;
      if (!PORT_TAKEN.test(String((err as Error).message))) throw err;
    }
  }
  throw lastError;
}

// ---------------------------------------------------------------- ERP simulator

export interface ErpProcess {
  /** The SOAP endpoint, `http://127.0.0.1:<port>/erp`. */
  readonly url: string;
  readonly port: number;
  readonly dbFile: string;
  readonly statsUrl: string;
  readonly controlUrl: string;
  /** The current process (a new one after restart()). */
  readonly proc: ManagedProcess;
  stats(): Promise<ErpStats>;
  resetStats(): Promise<void>;
  control(patch: ControlPatch): Promise<void>;
  /** Starts it again on the same port and database (after a kill or stop); its /control knobs start from zero. */
  restart(): Promise<void>;
  stop(): Promise<Exit>;
}

/** Runs the ERP simulator (one node) as its own process on a free port, with its SQLite file in `dbFile`. */
export async function startErpProcess(dbFile: string, options: { readyTimeoutMs?: number } = {}): Promise<ErpProcess> {
  const launch = async (port: number): Promise<ManagedProcess> => {
    const proc = spawnTsx(
      'erp-simulator',
      'scripts/stand-ins/erp-simulator/main.ts',
      ['--port', String(port), '--nodes', '1', '--db', dbFile],
      childEnv({ LOG_LEVEL: 'info' }),
    );
    try {
      await waitUntil(
        `the ERP simulator on port ${port}`,
        async () => (await statusOf(`http://${HOST}:${port}/erp?wsdl`)) === 200,
        {
          timeoutMs: options.readyTimeoutMs ?? 30_000,
          abortIf: exitedReason(proc),
        },
      );
    } catch (err) {
      await proc.kill();
      throw err;
    }
    return proc;
  };
  let proc!: ManagedProcess;
  const port = await onFreePort(async (p) => {
    proc = await launch(p);
    return p;
  });
  const origin = `http://${HOST}:${port}`;
  return {
    url: `${origin}/erp`,
    port,
    dbFile,
    statsUrl: `${origin}/stats`,
    controlUrl: `${origin}/control`,
    get proc() {
      return proc;
    },
    stats: () => readErpStats(`${origin}/stats`),
    resetStats: () => resetErpStats(`${origin}/stats`),
    control: async (patch) => void (await postControl(`${origin}/control`, patch)),
    async restart() {
      await proc.kill();
      proc = await launch(port);
    },
    stop: () => proc.stop(),
  };
}

// ---------------------------------------------------------------- link service

/**
 * Runs the on-prem link service as its own process, listening on `relay` (the in-process relay
 * emulator) and forwarding to `erpOrigins` (and the copies' internal API to `appEndpoints`, the
 * on-prem app); resolves once the relay counts one more listener.
 */
export async function startLinkServiceProcess(
  relay: RelayEmulator,
  erpOrigins: string[],
  options: { timeoutMs?: number; appEndpoints?: string[] } = {},
): Promise<ManagedProcess> {
  const before = relay.listenerCount(HC);
  const proc = spawnTsx(
    'link-service',
    'src/link-service/main.ts',
    [],
    childEnv({
      LINK_RELAY_URL: relay.url,
      LINK_HYBRID_CONNECTION: HC,
      LINK_ERP_ENDPOINTS: erpOrigins.join(','),
      LINK_TIMEOUT_MS: String(options.timeoutMs ?? 20_000),
      LINK_APP_ENDPOINTS: options.appEndpoints?.join(','),
      LOG_LEVEL: 'info',
    }),
  );
  try {
    await waitUntil('the link service to listen on the relay', () => relay.listenerCount(HC) > before, {
      timeoutMs: 30_000,
      abortIf: exitedReason(proc),
    });
  } catch (err) {
    await proc.kill();
    throw err;
  }
  return proc;
}

// ---------------------------------------------------------------- the app

/** Fast outbox settings, so a retry after an outage comes within a second. */
export const FAST_OUTBOX_ENV: Record<string, string> = {
  TIMESHEET_OUTBOX__POLL_INTERVAL_SECONDS: '0.2',
  TIMESHEET_OUTBOX__BACKOFF_BASE_SECONDS: '0.2',
  TIMESHEET_OUTBOX__BACKOFF_MAX_SECONDS: '1',
  TIMESHEET_OUTBOX__MAX_ATTEMPTS: '1000',
  TIMESHEET_OUTBOX__WAIT_FOR_RECEIPT_MS: '1000',
};

export interface AppProcessOptions {
  name?: string;
  target: 'onprem' | 'cloud';
  /** The URL the browser uses (SAML ACS, links). Default the instance's own URL. */
  publicUrl?: string;
  /** The port to listen on; default a free one. A given port is not retried elsewhere. */
  port?: number;
  /** The IdP the app trusts (a dev STS started by the test). */
  sts: DevSts;
  /** More TIMESHEET_* variables (plugin settings, outbox...). */
  env: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface AppProcess {
  readonly name: string;
  /** `http://127.0.0.1:<port>`, this instance itself (not the public URL). */
  readonly url: string;
  readonly port: number;
  readonly proc: ManagedProcess;
  /** The app's JSON log lines so far. */
  logLines(): Array<Record<string, unknown>>;
}

/** The TIMESHEET_* variables of one app instance; config/env/test.json gives the session secrets. */
export function appEnv(options: AppProcessOptions & { port: number }): NodeJS.ProcessEnv {
  const url = `http://${HOST}:${options.port}`;
  return childEnv({
    TIMESHEET_ENV: 'test',
    TIMESHEET_TARGET: options.target,
    TIMESHEET_LOG__LEVEL: 'info',
    TIMESHEET_APP__HOST: HOST,
    TIMESHEET_APP__PORT: String(options.port),
    TIMESHEET_APP__PUBLIC_URL: options.publicUrl ?? url,
    TIMESHEET_SAML__IDPS: JSON.stringify([devIdpEntry('contoso', options.sts)]),
    TIMESHEET_SAML__SP: JSON.stringify(SP_SIGNING),
    TIMESHEET_BURST__OTHER_URL: 'null',
    ...FAST_OUTBOX_ENV,
    ...options.env,
  });
}

/** Starts one app instance as `node --import tsx src/server.ts` and waits until it is ready. */
export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const name = options.name ?? `app-${options.target}`;
  const launch = async (port: number): Promise<AppProcess> => {
    const proc = spawnTsx(name, 'src/server.ts', [], appEnv({ ...options, port }));
    const url = `http://${HOST}:${port}`;
    try {
      await waitUntil(`${name} /readyz on ${url}`, async () => (await statusOf(`${url}/readyz`)) === 200, {
        timeoutMs: options.readyTimeoutMs ?? 60_000,
        intervalMs: 100,
        abortIf: exitedReason(proc),
      });
    } catch (err) {
      await proc.kill();
      throw err;
    }
    return {
      name,
      url,
      port,
      proc,
      logLines: () =>
        proc
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .flatMap((l) => {
            try {
              return [JSON.parse(l) as Record<string, unknown>];
            } catch {
              return [];
            }
          }),
    };
  };
  return options.port !== undefined ? launch(options.port) : onFreePort(launch);
}

// ---------------------------------------------------------------- diagnostics

/** Runs a test body; when it fails, the tails of the processes' outputs go to the test's diagnostics. */
export async function withLogsOnFailure<T>(
  t: { diagnostic(message: string): void },
  procs: () => Array<ManagedProcess | undefined>,
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (err) {
    for (const p of procs()) {
      if (!p) continue;
      const tail = p.output().split('\n').slice(-25).join('\n');
      t.diagnostic(
        `--- last output of ${p.name} (pid ${p.pid}, ${p.running() ? 'running' : `exited ${p.child.exitCode ?? p.child.signalCode}`}):\n${tail}`,
      );
    }
    throw err;
  }
}

/** Milliseconds since `start`, for the diagnostics. */
export const since = (start: number): string => `${((Date.now() - start) / 1000).toFixed(1)} s`;
