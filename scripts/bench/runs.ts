/**
 * One run of each closed measure (a page under autocannon, the closed-loop Friday flow), in a fresh
 * environment; scripts/bench.ts repeats them and folds the repeats (repeats.ts).
 */
import { performance } from 'node:perf_hooks';
import type { StoreCounters } from '../../src/ports/storage.js';
import type { Target } from '../harness/app-stack.js';
import { measureCpu } from './cpu-usage.js';
import { ACCOUNTS, environment } from './environment.js';
import { runFridayFlow } from './friday-flow.js';
import { runPageLoad } from './page-load.js';
import { signInForCookie, startApp } from './bench-server.js';
import { percentile, round, stepFigures } from './report.js';
import { sampleRss } from './rss.js';

export interface RunSettings {
  durationMs: number;
  connections: number;
  users: number;
  profileDir?: string;
  /** --logs (environment.ts). */
  logLevel?: 'info' | 'silent';
}

/** Bare Express and one "hello": the ceiling of this machine for one Node process. */
export async function bareHello(s: RunSettings) {
  const app = await startApp('bare', {}, 0);
  try {
    const cpu = measureCpu(app.pid);
    const load = await runPageLoad(`${app.url}/hello`, { connections: s.connections, durationMs: s.durationMs });
    return { ...load, ...cpu(load.requests) };
  } finally {
    await app.stop();
  }
}

/** Requests/s and latency of a signed-in week page view. */
export async function weekPage(target: Target, memoryStore: boolean, s: RunSettings) {
  const env = await environment(target, { memoryStore, profileDir: s.profileDir, logLevel: s.logLevel });
  try {
    const cookie = await signInForCookie(env.url, 'user001', '/week/2026-W47');
    const cpu = measureCpu(env.app.pid);
    const load = await runPageLoad(`${env.url}/week/2026-W47`, {
      cookie,
      connections: s.connections,
      durationMs: s.durationMs,
    });
    return { ...load, ...cpu(load.requests) };
  } finally {
    await env.close();
  }
}

const storeOps = (c: StoreCounters | null, all: boolean) =>
  c ? (all ? c.reads + c.writes : c.sessions.reads + c.sessions.writes) : null;

/** The closed loop: `users` virtual users back to back for the duration (capacity at saturation). */
export async function fridayFlow(target: Target, workers: number, s: RunSettings) {
  const env = await environment(target, { workers, profileDir: s.profileDir, logLevel: s.logLevel });
  try {
    const before = { erp: (await env.erpStats()).totalCalls, store: await env.app.counters() };
    const started = performance.now();
    const cpu = measureCpu(env.app.pid);
    const rss = sampleRss(env.app.pid);
    const flow = await runFridayFlow(env.url, {
      users: s.users,
      deadline: Date.now() + s.durationMs,
      accounts: ACCOUNTS,
      firstWeek: '2027-W01',
    });
    const seconds = (performance.now() - started) / 1000;
    const cpuShare = cpu(flow.requests);
    const rssMb = rss();
    const after = { erp: (await env.erpStats()).totalCalls, store: await env.app.counters() };
    // Counted by the store handle of a single process (null with several workers: each has its own).
    // The session store's operations (the figure), and everything the store did (drafts, outbox).
    const perRequest = (all: boolean) => {
      const a = storeOps(after.store, all);
      const b = storeOps(before.store, all);
      return a === null || b === null || workers > 1 ? null : round((a - b) / flow.requests, 2);
    };
    return {
      workers,
      rps: round(flow.requests / seconds),
      p50_ms: round(percentile(flow.latencies, 50)),
      p99_ms: round(percentile(flow.latencies, 99)),
      errors: flow.errors,
      requests: flow.requests,
      timesheets_completed: flow.timesheets,
      erp_calls_per_timesheet: flow.timesheets ? round((after.erp - before.erp) / flow.timesheets, 2) : null,
      store_ops_per_request: perRequest(false),
      store_ops_per_request_all: perRequest(true),
      ...cpuShare,
      rss_mb: rssMb,
      steps_ms: stepFigures(flow.byStep),
      error_samples: flow.errorSamples,
    };
  } finally {
    await env.close();
  }
}
