import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { capacityFromBenchResults, readBenchCapacity } from '../../../scripts/capacity/bench-capacity.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capacity-bench-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

test('bench results: friday_flow.onprem.rps when present', () => {
  const file = write('both.json', { friday_flow: { onprem: { rps: 812.5 }, onprem_cluster: { rps: 1500 } } });
  assert.deepEqual(readBenchCapacity(file), { ok: true, rps: 812.5, field: 'friday_flow.onprem.rps' });
});

test('bench results: else friday_flow.onprem_cluster.rps', () => {
  const file = write('cluster.json', { friday_flow: { onprem_cluster: { rps: 1500, p95_ms: 80 } } });
  assert.deepEqual(readBenchCapacity(file), { ok: true, rps: 1500, field: 'friday_flow.onprem_cluster.rps' });
});

test('bench results: a missing file, bad JSON, no field or a bad value is a problem naming the file', () => {
  const missing = readBenchCapacity(path.join(dir, 'none.json'));
  assert.deepEqual(missing, { ok: false, problem: `${path.join(dir, 'none.json')} not found` });
  const notJson = readBenchCapacity(write('bad.json', '{ nope'));
  assert.ok(!notJson.ok && notJson.problem.includes('is not JSON'));
  const noField = readBenchCapacity(write('empty.json', { friday_flow: { cloud: { rps: 3 } } }));
  assert.ok(
    !noField.ok && noField.problem.endsWith('it has neither friday_flow.onprem.rps nor friday_flow.onprem_cluster.rps'),
  );
  assert.deepEqual(capacityFromBenchResults({ friday_flow: { onprem: { rps: 0 } } }), {
    ok: false,
    problem: 'friday_flow.onprem.rps is 0, not a number of requests/s > 0',
  });
  assert.equal(capacityFromBenchResults(null).ok, false);
});
