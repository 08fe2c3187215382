/**
 * `npm run bench`: the benchmarks of the Friday peak, measured in ONE run on this machine.
 * This process is the load generator (autocannon for single-page runs, virtual users and arriving
 * people for the flow); every app runs in a child process (scripts/bench/app-server.ts) with its
 * stand-ins started here. Writes bench/results.json (or --out) and prints a table. Options:
 * --duration <s> per run (10), --connections <n> for page runs (32), --users <n> virtual users in the
 * closed-loop flow (32), --workers <n>, --repeat <n> (3 for page and closed-loop runs, 1 for the open
 * loop), --rates <req/s,...> for the open loop (33,333), --arrivals poisson|even, --seed <n>,
 * --erp-latency <ms> (50), --open-workers <n> (1), --drain <s> (30), --starts <n> (3), --out <file>,
 * --only week_page,autosave,friday_flow,friday_open_loop,startup,page_costs, --profile (CPU profiles in bench/profiles/),
 * --logs info|silent (info: every request logged as shipped, into /dev/null), --memory-limit <MiB>
 * (1024, a deployed replica's memory; 0 for none: see bench/memory-limit.ts).
 * Goals are reported, never asserted (these machines are shared).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config/load-config.js';
import { goals } from './bench/goals.js';
import { openLoop, type OpenLoopSettings } from './bench/open-loop-run.js';
import type { ArrivalShape } from './bench/open-loop.js';
import { mergeRepeats } from './bench/repeats.js';
import { printTable, round } from './bench/report.js';
import { bareHello, fridayFlow, weekPage, type RunSettings } from './bench/runs.js';
import { measureStartups } from './bench/startup.js';
import { pageCosts } from './bench/page-costs.js';
import { autosaveLoad } from './bench/autosave-load.js';
import { openMemoryLimit } from './bench/memory-limit.js';
import { runAppsWithin } from './bench/bench-server.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    users: { type: 'string', default: '32' },
    workers: { type: 'string' },
    repeat: { type: 'string' },
    rates: { type: 'string', default: '33,333' },
    arrivals: { type: 'string', default: 'poisson' },
    seed: { type: 'string', default: '1' },
    'erp-latency': { type: 'string', default: '50' },
    drain: { type: 'string', default: '30' },
    starts: { type: 'string', default: '3' },
    out: { type: 'string', default: path.join(PROJECT_ROOT, 'bench', 'results.json') },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    logs: { type: 'string', default: 'info' },
    'memory-limit': { type: 'string', default: '1024' },
    'open-workers': { type: 'string', default: '1' },
  },
});
const cores = os.availableParallelism();
const perCoreWorkers = Number(values.workers ?? cores);
const only = new Set((values.only ?? 'week_page,autosave,friday_flow,friday_open_loop,startup,page_costs').split(','));
const settings: RunSettings = {
  durationMs: Number(values.duration) * 1000,
  connections: Number(values.connections),
  users: Number(values.users),
  // --profile: every app process writes a CPU profile into bench/profiles/ when it stops.
  profileDir: values.profile ? path.join(PROJECT_ROOT, 'bench', 'profiles') : undefined,
  // The app logs every request as shipped (into /dev/null); --logs silent measures without.
  logLevel: values.logs === 'silent' ? 'silent' : 'info',
};
/** Repeats: the page and closed-loop runs are short and noisy (3); an open-loop run is long and paced (1). */
const repeats = { closed: Number(values.repeat ?? 3), open: Number(values.repeat ?? 1) };
const rates = values.rates.split(',').map(Number);
if (!['poisson', 'even'].includes(values.arrivals)) throw new Error('--arrivals is poisson or even');
if (!['info', 'silent'].includes(values.logs)) throw new Error('--logs is info (as shipped) or silent');
const openSettings: OpenLoopSettings = {
  target: 'onprem',
  durationMs: settings.durationMs,
  drainMs: Number(values.drain) * 1000,
  erpLatencyMs: Number(values['erp-latency']),
  arrivals: values.arrivals as ArrivalShape,
  seed: Number(values.seed),
  workers: Number(values['open-workers']),
  profileDir: settings.profileDir,
  logLevel: settings.logLevel,
};

/** Key figures whose every run is kept next to the median (repeats.ts). */
const KEY_FIGURES = ['rps', 'app_cpu_ms_per_request', 'p50_ms', 'p99_ms', 'rss_mb.max'];
const OPEN_KEY_FIGURES = ['achieved_rps', 'p50_ms', 'p99_ms', 'submit_to_receipt_ms.p50', 'app_cpu_ms_per_request'];

/**
 * Runs `measures` `n` times in rounds (each measure once per round, in turn), so that a disturbance of
 * the shared machine falls on every measure alike rather than on all the repeats of one; then folds
 * each measure's runs.
 */
async function inRounds<R extends object>(
  n: number,
  measures: Record<string, () => Promise<R>>,
  keyFigures: string[],
): Promise<Record<string, ReturnType<typeof mergeRepeats<R>>>> {
  const runs: Record<string, R[]> = Object.fromEntries(Object.keys(measures).map((k) => [k, []]));
  for (let round = 0; round < n; round++)
    for (const [k, measure] of Object.entries(measures)) runs[k]!.push(await measure());
  return Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, mergeRepeats(r, keyFigures)]));
}

const cpuRatio = (baseline: number | null, other: number | null) =>
  baseline && other ? round(baseline / other, 2) : null;

async function weekPages() {
  process.stderr.write(`week_page: bare Express, MemoryStore, SQL, Azure Tables; ${repeats.closed} round(s)...\n`);
  const runs = await inRounds(
    repeats.closed,
    {
      bare: () => bareHello(settings),
      memory: () => weekPage('onprem', true, settings),
      sql: () => weekPage('onprem', false, settings),
      azure: () => weekPage('cloud', false, settings),
    },
    KEY_FIGURES,
  );
  const [bare, memory, sql, azure] = [runs.bare!, runs.memory!, runs.sql!, runs.azure!];
  return {
    bare_express_rps: bare.rps,
    memory_rps: memory.rps,
    sql_rps: sql.rps,
    azure_tables_rps: azure.rps,
    // Ratios of the medians.
    ratio_sql_vs_memory: round(sql.rps / memory.rps, 2),
    ratio_azure_tables_vs_memory: round(azure.rps / memory.rps, 2),
    // The same comparison by the app's CPU per page view, which the other processes sharing the
    // machine (load generator, Azurite) disturb less than requests per second.
    ratio_sql_vs_memory_cpu: cpuRatio(memory.app_cpu_ms_per_request, sql.app_cpu_ms_per_request),
    ratio_azure_tables_vs_memory_cpu: cpuRatio(memory.app_cpu_ms_per_request, azure.app_cpu_ms_per_request),
    latency_ms: { bare, memory, sql, azure },
  };
}

async function autosaves() {
  process.stderr.write(`autosave: MemoryStore, SQL, Azure Tables; ${repeats.closed} round(s)...\n`);
  const runs = await inRounds(
    repeats.closed,
    {
      memory: () => autosaveLoad('onprem', true, settings),
      sql: () => autosaveLoad('onprem', false, settings),
      azure: () => autosaveLoad('cloud', false, settings),
    },
    KEY_FIGURES,
  );
  return { memory: runs.memory!, sql: runs.sql!, azure: runs.azure! };
}

async function fridayFlows() {
  process.stderr.write(`friday_flow: on-prem (1 worker, one per core), cloud; ${repeats.closed} round(s)...\n`);
  const measures: Record<string, () => ReturnType<typeof fridayFlow>> = {
    onprem: () => fridayFlow('onprem', 1, settings),
    ...(perCoreWorkers > 1 ? { onprem_cluster: () => fridayFlow('onprem', perCoreWorkers, settings) } : {}),
    cloud: () => fridayFlow('cloud', 1, settings),
  };
  const flows = await inRounds(repeats.closed, measures, KEY_FIGURES);
  return { onprem: flows.onprem, onprem_cluster: flows.onprem_cluster ?? null, cloud: flows.cloud };
}

async function openLoops() {
  process.stderr.write(
    `friday_open_loop: ${rates.join(', ')} req/s, on-prem with ${openSettings.workers} worker(s), ERP ${openSettings.erpLatencyMs} ms...\n`,
  );
  const measures = Object.fromEntries(rates.map((rps) => [String(rps), () => openLoop(rps, openSettings)]));
  return {
    target: openSettings.target,
    workers: openSettings.workers,
    erp_latency_ms: openSettings.erpLatencyMs,
    arrivals: openSettings.arrivals,
    seed: openSettings.seed,
    duration_s: settings.durationMs / 1000,
    drain_s: openSettings.drainMs / 1000,
    rates: await inRounds(repeats.open, measures, OPEN_KEY_FIGURES),
  };
}

function gitCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} with uncommitted changes` : head;
  } catch {
    return null; // not a git checkout (a copied folder): the date says when
  }
}

async function main(): Promise<void> {
  const memoryLimit = openMemoryLimit(Number(values['memory-limit']));
  runAppsWithin(memoryLimit);
  if (memoryLimit.reason) process.stderr.write(`app processes without a memory limit: ${memoryLimit.reason}\n`);
  try {
    await measureAll(memoryLimit.mb, memoryLimit.reason);
  } finally {
    memoryLimit.close();
  }
}

async function measureAll(memoryLimitMb: number | null, noLimitReason?: string): Promise<void> {
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    // What was measured: a figure belongs to a commit (and says so when the tree had changes).
    commit: gitCommit(),
    machine: {
      cpus: cores,
      model: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
    },
    settings: {
      duration_s: settings.durationMs / 1000,
      connections: settings.connections,
      users: settings.users,
      repeat: repeats,
      logs: settings.logLevel,
      // The app processes' memory, as a deployed replica has (null: none, and why).
      memory_limit_mb: memoryLimitMb,
      ...(noLimitReason ? { memory_limit_reason: noLimitReason } : {}),
    },
  };
  if (only.has('week_page')) results.week_page = await weekPages();
  if (only.has('autosave')) results.autosave = await autosaves();
  if (only.has('friday_flow')) results.friday_flow = await fridayFlows();
  if (only.has('friday_open_loop')) results.friday_open_loop = await openLoops();
  if (only.has('page_costs')) {
    process.stderr.write('page_costs: ERP calls and store operations per page beyond the week, on-prem and cloud...\n');
    results.page_costs = { onprem: await pageCosts('onprem'), cloud: await pageCosts('cloud') };
  }
  if (only.has('startup')) {
    process.stderr.write(`startup: building the packages, ${values.starts} starts of each...\n`);
    results.startup_ms = await measureStartups(Number(values.starts));
  }
  results.goals = goals(results);
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  process.stdout.write(`\nwritten to ${path.relative(process.cwd(), values.out!)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
