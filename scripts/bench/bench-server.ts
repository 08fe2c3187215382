/** The benchmark server as a child process (the bundled scripts/bench/app-server.ts, measured as shipped) and sign-in for the page runs. */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import type { StoreCounters } from '../../src/ports/storage.js';
import { completeSignIn, TestBrowser } from '../harness/dev-sts.js';
import { freePort } from '../harness/free-port.js';
import { notBundled } from '../build.js';
import { bundle } from '../build/bundle.js';
import type { MemoryLimit } from './memory-limit.js';
export { freePort };

export interface RunningApp {
  url: string;
  /** The app's process (the cluster's primary when there are workers). */
  pid: number | undefined;
  /** Store operations so far (null for the bare app, or when the process cannot tell). */
  counters(): Promise<StoreCounters | null>;
  /** Memory and event-loop delay since the last call (null for the bare app). */
  runtime(): Promise<AppRuntime | null>;
  stop(): Promise<void>;
}

export interface AppRuntime {
  heap_used_mb: number;
  heap_total_mb: number;
  external_mb: number;
  eld_p99_ms: number;
  eld_max_ms: number;
}

const BUILD_DIR = path.join(PROJECT_ROOT, 'bench', '.build');
const SERVER_BUNDLE = path.join(BUILD_DIR, 'app-server.mjs');
let bundling: Promise<void> | undefined;
/** The benchmark server holds every plugin (scripts/bench/app-server.ts's table). */
const ALL_PLUGINS = readdirSync(path.join(PROJECT_ROOT, 'plugins'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/**
 * Bundles scripts/bench/app-server.ts as the packages are bundled (scripts/build.ts's bundle: our
 * code and its npm packages in one ES module, the few loaded by name left out), run by plain node.
 * Measuring under tsx would add its loader and its source-map stack traces (a visible share of the
 * first profiles) to every request.
 */
export function bundleServer(): Promise<void> {
  bundling ??= (async () => {
    mkdirSync(BUILD_DIR, { recursive: true });
    await bundle({
      entry: { file: path.join(PROJECT_ROOT, 'scripts', 'bench', 'app-server.ts') },
      outdir: BUILD_DIR,
      name: 'app-server',
      external: notBundled(ALL_PLUGINS),
      extension: '.mjs',
      root: PROJECT_ROOT,
    });
    // The ERP client reads the WSDL next to its module (import.meta.url): next to the bundle here.
    copyFileSync(path.join(PROJECT_ROOT, 'src', 'erp', 'contoso-erp.wsdl'), path.join(BUILD_DIR, 'contoso-erp.wsdl'));
  })();
  return bundling;
}

let appMemory: MemoryLimit | undefined;

/** From now on the app processes run within `limit` (bench.ts's --memory-limit). */
export function runAppsWithin(limit: MemoryLimit): void {
  appMemory = limit;
}

/** node with `args`, inside the memory limit when one is set. */
export function appCommand(args: string[]): { command: string; args: string[] } {
  return appMemory ? appMemory.wrap(process.execPath, args) : { command: process.execPath, args };
}

/** Starts the bundled benchmark server with `variant` and the raw configuration; resolves once it listens. */
export async function startApp(
  variant: 'app' | 'bare',
  config: Record<string, unknown>,
  port: number,
  options: { profileDir?: string } = {},
): Promise<RunningApp> {
  // --cpu-prof writes a .cpuprofile when the process exits (open it in Chrome DevTools or speedscope).
  const profile = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  await bundleServer();
  const { command, args } = appCommand([...profile, SERVER_BUNDLE, variant]);
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_ENV: 'production', BENCH_CONFIG: JSON.stringify(config), BENCH_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  return new Promise<RunningApp>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench app did not start within 60 s:\n${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`bench app exited (${code}):\n${stderr}`)));
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = /\{"port":(\d+)\}/.exec(out);
      if (!line) return;
      clearTimeout(timer);
      const url = `http://127.0.0.1:${line[1]}`;
      resolve({
        url,
        pid: child.pid,
        async counters() {
          if (variant === 'bare') return null;
          const res = await fetch(`${url}/__bench/counters`).catch(() => null);
          return res?.ok ? ((await res.json()) as StoreCounters) : null;
        },
        async runtime() {
          if (variant === 'bare') return null;
          const res = await fetch(`${url}/__bench/runtime`).catch(() => null);
          return res?.ok ? ((await res.json()) as AppRuntime) : null;
        },
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      });
    });
  });
}

/** Signs `user` in at the dev STS and returns the session cookie header (for page runs). */
export async function signInForCookie(appUrl: string, user: string, path: string): Promise<string> {
  const browser = new TestBrowser();
  const landed = await completeSignIn(browser, await browser.follow(await browser.get(`${appUrl}${path}`)), user);
  if (landed.status !== 200) throw new Error(`sign-in for the benchmark failed: HTTP ${landed.status}`);
  return browser.jar.header(appUrl) ?? '';
}
