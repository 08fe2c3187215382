// `npm run bench` keeps working: a one-second run of the page benchmarks writes a results file with
// every figure the README and the capacity planner read. Figures are not judged here (shared machine).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { percentile } from '../../scripts/bench/report.js';

test('percentile is the nearest-rank value', () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile([], 99), 0);
});

test(
  'a short page benchmark run writes bench results with the week_page figures and the goals',
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
          'week_page',
          '--duration',
          '1',
          '--connections',
          '4',
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
        week_page: Record<string, number> & { latency_ms: Record<string, { errors: number }> };
        goals: Record<string, { met: boolean }>;
      };
      for (const key of ['bare_express_rps', 'memory_rps', 'sql_rps', 'azure_tables_rps'])
        assert.ok(results.week_page[key]! > 0, key);
      assert.equal(results.week_page.latency_ms.sql!.errors, 0, 'every signed-in page view answered 200');
      if (process.platform === 'linux') {
        const sql = results.week_page.latency_ms.sql as unknown as { app_cpu_ms_per_request: number };
        assert.ok(sql.app_cpu_ms_per_request > 0, 'the app CPU per request is measured');
        assert.ok(results.week_page.ratio_sql_vs_memory_cpu! > 0);
      }
      assert.equal(typeof results.goals.ratio_sql_vs_memory?.met, 'boolean');
      assert.match(run.stdout, /week page, SQL \(SQLite\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
