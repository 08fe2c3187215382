import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { flowFromBenchResults, readBenchFlow } from '../../../scripts/capacity/bench-flow.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capacity-flow-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A flow run as npm run bench writes it: 5 timesheets, each 7 single steps and 20 autosaves. */
const run = (cpu: number | null, autosaves = 100) => ({
  rps: 170,
  app_cpu_ms_per_request: cpu,
  timesheets_completed: 5,
  steps_ms: Object.fromEntries([
    ...['deep_link', 'login', 'acs', 'open_week', 'week_page', 'submit', 'receipt'].map((s) => [
      s,
      { count: 5, p50: 1 },
    ]),
    ['autosave', { count: autosaves, p50: 1 }],
  ]),
});

test('the cloud run first: its CPU per request and its requests per timesheet', () => {
  // (7 steps × 5 + 100 autosaves) ÷ 5 timesheets = 135 ÷ 5 = 27 requests per person
  const flow = flowFromBenchResults({ friday_flow: { onprem: run(4.29, 125), cloud: run(5.57) } });
  assert.deepEqual(flow, {
    cpuMs: { value: 5.57, source: 'friday_flow.cloud.app_cpu_ms_per_request' },
    requestsPerPerson: { value: 27, source: 'friday_flow.cloud.steps_ms: 135 requests ÷ 5 timesheets' },
  });
});

test('else the on-prem run; a run without CPU (no /proc) is skipped', () => {
  // on-prem: (35 + 125) ÷ 5 = 32
  const flow = flowFromBenchResults({ friday_flow: { onprem: run(4.29, 125), cloud: run(null) } });
  assert.deepEqual(flow.cpuMs, { value: 4.29, source: 'friday_flow.onprem.app_cpu_ms_per_request' });
  // the cloud run's steps still count: they are the flow the cloud copy serves
  assert.deepEqual(flow.requestsPerPerson, {
    value: 27,
    source: 'friday_flow.cloud.steps_ms: 135 requests ÷ 5 timesheets',
  });
});

test('no CPU figure, a missing file or bad JSON: the problem names the file', () => {
  const noCpu = flowFromBenchResults({ friday_flow: { onprem: { rps: 3 } } });
  assert.equal(noCpu.cpuMs, undefined);
  assert.equal(noCpu.requestsPerPerson, undefined);
  assert.match(
    noCpu.problem!,
    /no friday_flow\.cloud\.app_cpu_ms_per_request nor friday_flow\.onprem\.app_cpu_ms_per_request/,
  );
  const missing = path.join(dir, 'none.json');
  assert.deepEqual(readBenchFlow(missing), { problem: `${missing} not found` });
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, '{ nope');
  assert.match(readBenchFlow(bad).problem!, /bad\.json is not JSON/);
  const empty = path.join(dir, 'empty.json');
  writeFileSync(empty, JSON.stringify({ week_page: {} }));
  assert.match(readBenchFlow(empty).problem!, /empty\.json: it has no friday_flow\.cloud/);
  const good = path.join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ friday_flow: { cloud: run(5.57) } }));
  assert.equal(readBenchFlow(good).cpuMs?.value, 5.57);
  assert.equal(readBenchFlow(good).problem, undefined);
});
