/**
 * Start time of each BUILT package: the packages are made by scripts/build.ts (what `npm run build`
 * runs) and started as their README and the Dockerfile say (`NODE_ENV=production node
 * --enable-source-maps server.js` in the package's folder, settings in TIMESHEET_* variables), with
 * the stand-ins' settings; the time runs from spawn to the first 200 of /readyz, polled every 20 ms.
 * The link service has no HTTP port: its time runs to its "connected to the relay" log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { buildTarget, LINK_SERVICE } from '../build.js';
import { startTargetStandIns, type Target, type TargetStandIns } from '../harness/app-stack.js';
import { origins, waitFor } from '../harness/relay.js';
import { appCommand, freePort } from './bench-server.js';
import { median } from './repeats.js';

export interface StartupFigures {
  /** Fastest start, ms. */
  best: number;
  median: number;
  runs: number[];
  /** What "started" means for this package. */
  until: string;
  /** Apps: ms from spawn to the "port N open" log line (listening, the app still being built), each start. */
  listening_runs?: number[];
}

/** One start: ms to ready, and for an app ms to listening (where the rest of the time goes). */
interface OneStart {
  ready: number;
  listening?: number;
}

/**
 * Inside bench/.build (ignored by git), not dist/: a package someone installed in dist/ with
 * `npm ci` is left alone. There, the packages' npm imports resolve to the repository's node_modules
 * (the same versions the packages pin); no lockfile, as it plays no part in starting.
 */
const PACKAGES_DIR = path.join(PROJECT_ROOT, 'bench', '.build', 'packages');
const POLL_MS = 20;
const START_TIMEOUT_MS = 60_000;

interface Started {
  child: ChildProcess;
  spawnedAt: number;
  output: () => string;
}

function spawnPackage(dir: string, main: string, env: Record<string, string>): Started {
  const spawnedAt = performance.now();
  const { command, args } = appCommand(['--enable-source-maps', main]);
  const child = spawn(command, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, spawnedAt, output: () => output };
}

/** Polls `url` every 20 ms until it answers 200; resolves with the ms since spawn. */
async function untilReady(started: Started, url: string): Promise<number> {
  const answers200 = async () => {
    if (started.child.exitCode !== null)
      throw new Error(`package exited (${started.child.exitCode}):\n${started.output()}`);
    const status = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      async (res) => (await res.arrayBuffer(), res.status),
      () => 0, // not listening yet
    );
    return status === 200;
  };
  await waitFor(answers200, `${url} to answer 200`, START_TIMEOUT_MS, POLL_MS).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}:\n${started.output()}`);
  });
  return performance.now() - started.spawnedAt;
}

/** Resolves with the ms since spawn when the process prints `text` (checked as each chunk of output arrives). */
function untilLogLine(started: Started, text: string): Promise<number> {
  const { child } = started;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`no "${text}" within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    const onData = () => started.output().includes(text) && done();
    const onExit = (code: number | null) => done(new Error(`package exited (${code}):\n${started.output()}`));
    const done = (err?: Error) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(performance.now() - started.spawnedAt);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

/** SIGINT: the app stops at once (SIGTERM would drain first); SIGKILL if it hangs. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function timeStarts(starts: number, until: string, once: () => Promise<OneStart>): Promise<StartupFigures> {
  const all: OneStart[] = [];
  for (let i = 0; i < starts; i++) all.push(await once());
  const runs = all.map((s) => Math.round(s.ready));
  const listening = all.flatMap((s) => (s.listening === undefined ? [] : [Math.round(s.listening)]));
  return {
    best: Math.min(...runs),
    median: median(runs),
    runs,
    until,
    ...(listening.length ? { listening_runs: listening } : {}),
  };
}

/** One start of an app package against the stand-ins; the ms to /readyz 200. */
async function startApp(target: Target, standIns: TargetStandIns): Promise<OneStart> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = spawnPackage(path.join(PACKAGES_DIR, target), 'server.js', {
    // The package's development values (session secret, SP keys): production ones are not at hand here.
    TIMESHEET_ENV: 'development',
    TIMESHEET_APP__PORT: String(port),
    TIMESHEET_APP__PUBLIC_URL: url,
    TIMESHEET_PLUGIN_SETTINGS: JSON.stringify(standIns.pluginSettings),
  });
  try {
    // start-server.ts listens first and logs "port N open", then builds the app (store, ERP client).
    const listening = untilLogLine(started, '"phase":"starting"');
    const ready = await untilReady(started, `${url}/readyz`);
    return { ready, listening: await listening };
  } finally {
    await stop(started.child);
  }
}

/** One start of the link service package against the relay emulator; the ms to its connected log line. */
async function startLink(standIns: TargetStandIns): Promise<OneStart> {
  const started = spawnPackage(path.join(PACKAGES_DIR, LINK_SERVICE), 'link-service.js', {
    LINK_RELAY_URL: standIns.cloud!.relay.url,
    LINK_ERP_ENDPOINTS: origins(standIns.erp.urls).join(','),
  });
  try {
    return { ready: await untilLogLine(started, 'connected to the relay') };
  } finally {
    await stop(started.child);
  }
}

/** Builds the three packages, then starts each `starts` times, one at a time, against its target's stand-ins. */
export async function measureStartups(starts: number): Promise<Record<string, StartupFigures>> {
  for (const target of ['onprem', 'cloud', LINK_SERVICE]) await buildTarget(target, PACKAGES_DIR, false);
  const out: Record<string, StartupFigures> = {};
  for (const target of ['onprem', 'cloud'] as const) {
    const cleanups: Array<() => Promise<unknown>> = [];
    const dir = await mkdtemp(path.join(os.tmpdir(), 'timesheet-startup-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    try {
      const standIns = await startTargetStandIns(target, dir, cleanups);
      out[target] = await timeStarts(starts, '/readyz 200', () => startApp(target, standIns));
      if (target === 'cloud')
        out[LINK_SERVICE] = await timeStarts(starts, 'log "connected to the relay"', () => startLink(standIns));
    } finally {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    }
  }
  return out;
}
