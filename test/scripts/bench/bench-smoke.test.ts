// `npm run bench` keeps working: a one-second run of the page benchmarks (two repeats) and a two-second
// open-loop run write a results file with every figure the README and the capacity planner read.
// Figures are not judged here (shared machine); only that they are there, and the arrivals' count.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../../src/config/load-config.js';
import { percentile } from '../../../scripts/bench/report.js';
import type { Spread } from '../../../scripts/bench/repeats.js';

test('percentile is the nearest-rank value', () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile([], 99), 0);
});

test(
  'a short page benchmark run writes bench results with the week_page and autosave figures, the goals and the commit',
  { timeout: 240_000 },
  () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
    try {
      const out = path.join(dir, 'results.json');
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/bench.ts',
          '--only',
          'week_page,autosave',
          '--duration',
          '1',
          '--connections',
          '4',
          '--repeat',
          '2',
          '--out',
          out,
        ],
        {
          cwd: PROJECT_ROOT,
          encoding: 'utf8',
          timeout: 200_000,
        },
      );
      assert.equal(run.status, 0, run.stderr);
      const results = JSON.parse(readFileSync(out, 'utf8')) as {
        machine: { cpus: number };
        settings: { memory_limit_mb: number | null; memory_limit_reason?: string };
        week_page: Record<string, number> & { latency_ms: Record<string, { errors: number }> };
        autosave: Record<
          string,
          { rps: number; errors: number; requests: number; app_cpu_ms_per_request: number | null }
        >;
        goals: Record<string, { met: boolean; value: number | null }>;
        commit: string | null;
      };
      // Autosaves on the three stores: every one a real write that answered 200 (each keeps its version).
      for (const store of ['memory', 'sql', 'azure']) {
        assert.ok(results.autosave[store]!.rps > 0, store);
        assert.ok(results.autosave[store]!.requests > 0, store);
        assert.equal(results.autosave[store]!.errors, 0, `${store}: every autosave answered 200`);
      }
      if (process.platform === 'linux') assert.ok(results.goals.cpu_ms_autosave_sql!.value! > 0);
      for (const goal of ['cpu_ms_week_page_memory', 'cpu_ms_week_page_sql', 'cpu_ms_week_page_azure'])
        assert.equal(typeof results.goals[goal]?.met, 'boolean', goal);
      assert.match(results.commit ?? '', /^[0-9a-f]{7,}/, 'the results name the commit they measured');
      for (const key of ['bare_express_rps', 'memory_rps', 'sql_rps', 'azure_tables_rps'])
        assert.ok(results.week_page[key]! > 0, key);
      assert.equal(results.week_page.latency_ms.sql!.errors, 0, 'every signed-in page view answered 200');
      if (process.platform === 'linux') {
        const sql = results.week_page.latency_ms.sql as unknown as { app_cpu_ms_per_request: number };
        assert.ok(sql.app_cpu_ms_per_request > 0, 'the app CPU per request is measured');
        assert.ok(results.week_page.ratio_sql_vs_memory_cpu! > 0);
      }
      assert.equal(typeof results.goals.ratio_sql_vs_memory?.met, 'boolean');
      // The apps ran with a replica's memory (1024 MiB by default), or the results say why not.
      assert.ok(
        results.settings.memory_limit_mb === 1024 || /cgroup/.test(results.settings.memory_limit_reason ?? ''),
        JSON.stringify(results.settings),
      );
      // Two repeats: the medians at the paths of one run, every run's figure in the spread beside them.
      const sql = results.week_page.latency_ms.sql as unknown as { repeats: number; spread: Record<string, Spread> };
      assert.equal(sql.repeats, 2);
      assert.equal(sql.spread.rps!.runs.length, 2);
      assert.equal(sql.spread.rps!.median, results.week_page.sql_rps);
      assert.match(run.stdout, /week page, SQL \(SQLite\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

/** `npm run bench -- <args>` with tsx, as the script runs; the results file it wrote. */
function runBench(args: string[], out: string): { stdout: string; results: Record<string, unknown> } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', ...args, '--out', out], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 200_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return { stdout: run.stdout, results: JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown> };
}

interface OpenLoopFigures {
  target_rps: number;
  requests_per_person: number;
  people_per_second: number;
  achieved_rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  error_samples: string[];
  people: { scheduled: number; started: number; completed: number; unfinished: number };
  submit_to_receipt_ms: { count: number; p50: number; p99: number };
  steps_ms: Record<string, { count: number; p50: number; p99: number }>;
  rss_mb: { max: number; median: number } | null;
}

test('a short open-loop run starts people on schedule and writes its figures and goals', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-open-loop-'));
  try {
    // 64 req/s is about 2 people a second (32 app requests each): 4 people in 2 s.
    const args = ['--only', 'friday_open_loop', '--rates', '64', '--duration', '2', '--erp-latency', '50'];
    const { stdout, results } = runBench(args, path.join(dir, 'results.json'));
    const open = results.friday_open_loop as { erp_latency_ms: number; rates: Record<string, OpenLoopFigures> };
    assert.equal(open.erp_latency_ms, 50);
    const run = open.rates['64']!;
    assert.ok(run.requests_per_person >= 30, `counted from one person's flow: ${run.requests_per_person}`);
    const expected = run.people_per_second * 2;
    assert.ok(Math.abs(run.people.started - expected) <= 1, `${run.people.started} people started, ${expected} due`);
    assert.equal(run.people.started, run.people.scheduled);
    assert.equal(run.errors, 0, run.error_samples.join('\n'));
    assert.equal(run.people.unfinished, 0);
    assert.equal(run.people.completed, run.people.started);
    for (const key of ['achieved_rps', 'p50_ms', 'p99_ms'] as const) assert.ok(run[key] > 0, key);
    for (const step of ['deep_link', 'login', 'acs', 'open_week', 'autosave', 'week_page', 'submit', 'receipt'])
      assert.ok(run.steps_ms[step]!.p99 > 0, step);
    assert.equal(run.submit_to_receipt_ms.count, run.people.completed, 'every receipt page had its number');
    assert.ok(run.submit_to_receipt_ms.p50 > 0);
    if (process.platform === 'linux') assert.ok(run.rss_mb!.max > 0, 'the app RSS is sampled');
    const goals = results.goals as Record<string, { met: boolean }>;
    for (const goal of ['p99_ms_steps', 'p99_ms_sign_in', 'errors', 'submit_to_receipt_p50_ms'])
      assert.equal(typeof goals[`open_loop_64rps_${goal}`]?.met, 'boolean', goal);
    assert.match(stdout, /open loop, onprem, 64 req\/s/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
