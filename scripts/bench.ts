/**
 * `npm run bench`: the benchmarks of the Friday peak, measured in ONE run on this machine.
 * This process is the load generator (autocannon for single-page runs, virtual users for the flow);
 * every app runs in a child process (scripts/bench/app-server.ts) with its stand-ins started here.
 * Writes bench/results.json (or --out) and prints a table. Options: --duration <s> per run (10),
 * --connections <n> for page runs (32), --users <n> virtual users in the flow (32), --out <file>,
 * --only week_page|friday_flow, --profile (CPU profiles of the app processes in bench/profiles/).
 * Goals are reported, never asserted (these machines are shared).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config/load-config.js';
import { runPageLoad } from './bench/page-load.js';
import { measureCpu } from './bench/cpu-usage.js';
import { runFridayFlow } from './bench/friday-flow.js';
import { percentile, printTable } from './bench/report.js';
import { freePort, signInForCookie, startApp, type RunningApp } from './bench/processes.js';
import { startDevSts } from './stand-ins/dev-sts/dev-sts.js';
import { startTargetStandIns, type Target } from './harness/app-stack.js';
import type { StoreCounters } from '../src/ports/storage.js';
import { devIdpEntry, SP_SIGNING, spOf } from './harness/dev-idps.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    users: { type: 'string', default: '32' },
    workers: { type: 'string' },
    out: { type: 'string', default: path.join(PROJECT_ROOT, 'bench', 'results.json') },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
/** --profile: every app process writes a CPU profile into bench/profiles/ when it stops. */
const profileDir = values.profile ? path.join(PROJECT_ROOT, 'bench', 'profiles') : undefined;
const durationMs = Number(values.duration) * 1000;
const connections = Number(values.connections);
const users = Number(values.users);
const cores = os.availableParallelism();
const perCoreWorkers = Number(values.workers ?? cores);
const only = new Set((values.only ?? 'week_page,friday_flow').split(','));

/** The accounts of the ERP seed that fill weeks in the flow (generated users, all with assignments). */
const ACCOUNTS = Array.from({ length: 50 }, (_, i) => `user${String(i + 1).padStart(3, '0')}`);

interface Environment {
  url: string;
  app: RunningApp;
  erpStats: () => Promise<{ totalCalls: number }>;
  close(): Promise<void>;
}

/** The stand-ins of `target`, the dev STS, and the app in a child process wired to them. */
async function environment(
  target: Target,
  options: { memoryStore?: boolean; workers?: number } = {},
): Promise<Environment> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'timesheet-bench-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  try {
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
    const config = {
      target,
      ...(options.memoryStore ? { plugins: ['session-memory', 'erp-direct'] } : {}),
      app: {
        publicUrl: url,
        port,
        workers: options.workers ?? 1,
        writeLimits: { perUserPerMinute: 100_000, perAddressPerMinute: 1_000_000 },
      },
      log: { level: 'silent' },
      saml: { sp: SP_SIGNING, idps: [devIdpEntry('contoso', sts)], rateLimit: { maxRequests: 100_000 } },
      pluginSettings: standIns.pluginSettings,
    };
    const app = await startApp('app', config, port, { profileDir });
    cleanups.push(() => app.stop());
    return {
      url,
      app,
      erpStats: () => standIns.erp.stats(),
      async close() {
        for (const c of cleanups.reverse()) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    throw err;
  }
}

/** Requests/s and latency of a signed-in week page view. */
async function weekPage(target: Target, memoryStore = false) {
  const env = await environment(target, { memoryStore });
  try {
    const cookie = await signInForCookie(env.url, 'user001', '/week/2026-W47');
    const cpu = measureCpu(env.app.pid);
    const load = await runPageLoad(`${env.url}/week/2026-W47`, { cookie, connections, durationMs });
    return { ...load, ...cpu(load.requests) };
  } finally {
    await env.close();
  }
}

async function fridayFlow(target: Target, workers = 1) {
  const env = await environment(target, { workers });
  try {
    const before = { erp: (await env.erpStats()).totalCalls, store: await env.app.counters() };
    const started = Date.now();
    const cpu = measureCpu(env.app.pid);
    const flow = await runFridayFlow(env.url, {
      users,
      deadline: started + durationMs,
      accounts: ACCOUNTS,
      firstWeek: '2027-W01',
    });
    const seconds = (Date.now() - started) / 1000;
    const cpuShare = cpu(flow.requests);
    const after = { erp: (await env.erpStats()).totalCalls, store: await env.app.counters() };
    const ops = (c: StoreCounters | null, all: boolean) =>
      c ? (all ? c.reads + c.writes : c.sessions.reads + c.sessions.writes) : null;
    const diff = (all: boolean) => {
      const a = ops(after.store, all);
      const b = ops(before.store, all);
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
      // Counted by the store handle of a single process (null with several workers: each has its own).
      // The session store's operations (the figure), and everything the store did (drafts, outbox).
      store_ops_per_request: diff(false),
      store_ops_per_request_all: diff(true),
      ...cpuShare,
      steps_ms: Object.fromEntries(
        Object.entries(flow.byStep).map(([step, ms]) => [
          step,
          { count: ms.length, p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)) },
        ]),
      ),
      error_samples: flow.errorSamples,
    };
  } finally {
    await env.close();
  }
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const cpuRatio = (baseline: number | null, other: number | null) =>
  baseline && other ? round(baseline / other, 2) : null;

async function main(): Promise<void> {
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: {
      cpus: cores,
      model: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
    },
    settings: { duration_s: durationMs / 1000, connections, users },
  };
  if (only.has('week_page')) {
    process.stderr.write('week_page: bare Express, MemoryStore, SQL (SQLite), Azure Tables (Azurite)...\n');
    const bareApp = await startApp('bare', {}, 0);
    const bareCpu = measureCpu(bareApp.pid);
    const bare = await runPageLoad(`${bareApp.url}/hello`, { connections, durationMs })
      .then((load) => ({ ...load, ...bareCpu(load.requests) }))
      .finally(() => bareApp.stop());
    const memory = await weekPage('onprem', true);
    const sql = await weekPage('onprem');
    const azure = await weekPage('cloud');
    results.week_page = {
      bare_express_rps: bare.rps,
      memory_rps: memory.rps,
      sql_rps: sql.rps,
      azure_tables_rps: azure.rps,
      ratio_sql_vs_memory: round(sql.rps / memory.rps, 2),
      ratio_azure_tables_vs_memory: round(azure.rps / memory.rps, 2),
      // The same comparison by the app's CPU per page view, which the other processes sharing the
      // machine (load generator, Azurite) disturb less than requests per second.
      ratio_sql_vs_memory_cpu: cpuRatio(memory.app_cpu_ms_per_request, sql.app_cpu_ms_per_request),
      ratio_azure_tables_vs_memory_cpu: cpuRatio(memory.app_cpu_ms_per_request, azure.app_cpu_ms_per_request),
      latency_ms: { bare, memory, sql, azure },
    };
  }
  if (only.has('friday_flow')) {
    process.stderr.write('friday_flow: on-prem (1 worker), on-prem (one per core), cloud...\n');
    const onprem = await fridayFlow('onprem', 1);
    const onpremCluster = perCoreWorkers > 1 ? await fridayFlow('onprem', perCoreWorkers) : null;
    const cloud = await fridayFlow('cloud', 1);
    results.friday_flow = { onprem, onprem_cluster: onpremCluster, cloud };
  }
  results.goals = goals(results);
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  process.stdout.write(`\nwritten to ${path.relative(process.cwd(), values.out!)}\n`);
}

/** The goals, as met / missed with the figure (a report, not an assertion). */
function goals(r: Record<string, unknown>) {
  const wp = r.week_page as { ratio_sql_vs_memory: number } | undefined;
  const flow = (
    r.friday_flow as
      | {
          onprem: {
            rps: number;
            p99_ms: number;
            errors: number;
            erp_calls_per_timesheet: number | null;
            store_ops_per_request: number | null;
          };
        }
      | undefined
  )?.onprem;
  const g: Record<string, { goal: string; value: number | null; met: boolean }> = {};
  if (wp) g.ratio_sql_vs_memory = { goal: '>= 0.8', value: wp.ratio_sql_vs_memory, met: wp.ratio_sql_vs_memory >= 0.8 };
  if (flow) {
    g.onprem_rps = { goal: '>= 500', value: flow.rps, met: flow.rps >= 500 };
    g.onprem_p99_ms = { goal: '<= 200', value: flow.p99_ms, met: flow.p99_ms <= 200 };
    g.onprem_errors = { goal: '0', value: flow.errors, met: flow.errors === 0 };
    g.erp_calls_per_timesheet = {
      goal: '<= 3',
      value: flow.erp_calls_per_timesheet,
      met: (flow.erp_calls_per_timesheet ?? Infinity) <= 3,
    };
    g.store_ops_per_request = {
      goal: '<= 1.1',
      value: flow.store_ops_per_request,
      met: (flow.store_ops_per_request ?? Infinity) <= 1.1,
    };
  }
  return g;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
