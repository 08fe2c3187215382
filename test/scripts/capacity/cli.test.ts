import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'capacity-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function capacity(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/capacity.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('cli: --preset study-2010 --json exits 0 with the study figures', () => {
  const r = capacity('--preset', 'study-2010', '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.instances_needed, 2);
  assert.equal(doc.requests_per_second_avg, 33.333333); // 480,000 / 14,400
  assert.equal(doc.redirects_per_second, 1.111111); // 16,000 / 14,400
  assert.deepEqual(doc.costs, {
    compute: 2.88, // 2 × 0.24 × 6
    bandwidth: 1.068115, // 16,000 × 70 / 1,048,576
    storage: 0.002508, // 16,000 × 200 / 1,048,576 × 0.15 × 4 h / 730 h = 1.8310546875 / 730
    store_transactions: 0.96, // 960,000 / 10,000 × 0.01
    relay: 0.065589, // 2 × 3.99 × 6 h / 730 h = 47.88 / 730
    access_control: 0.6368, // 0.32 × 1.99
    total: 5.613013, // 2.88 + 1.068115234375 + 0.96 + 0.6368 + (1.8310546875 + 47.88) / 730
  });
  assert.equal(doc.inputs.storageHours, 4);
  assert.equal(doc.inputs.relayHours, 6);
  assert.equal(doc.inputs.hoursPerMonth, 730);
});

test('cli: the table, with a flag overriding the preset', () => {
  const r = capacity('--preset', 'study-2010', '--employees', '10000');
  assert.equal(r.code, 0, r.stderr);
  // 10,000 × 0.8 × 30 / 14,400 = 16.67 rps; access control 8,000 × 2 / 100,000 × 1.99 = $0.3184
  assert.match(r.stdout, /^average requests\/s +16\.67 +10,000 employees/m);
  assert.match(r.stdout, /^access control +\$0\.32 +8,000 entries × 2 ÷ 100,000 × \$1\.99$/m);
  assert.match(r.stdout, /^compute +\$2\.88 /m);
});

test('cli: capacity read from a bench results file in a temp dir', () => {
  const bench = path.join(dir, 'results.json');
  writeFileSync(bench, JSON.stringify({ friday_flow: { onprem_cluster: { rps: 40 } } }));
  // azure-2026: peak 33.33 × 3 = 100 rps; 100 / 40 = 2.5 → 3 instances; compute 3 × 0.3024 × 6 = $5.4432
  const r = capacity('--preset', 'azure-2026', '--bench-results', bench, '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.inputs.instanceCapacityRps, 40);
  assert.match(doc.inputs.instanceCapacitySource, /results\.json friday_flow\.onprem_cluster\.rps$/);
  assert.equal(doc.instances_needed, 3);
  assert.equal(doc.costs.compute, 5.4432);
  const table = capacity('--preset', 'azure-2026', '--bench-results', bench);
  assert.match(
    table.stdout,
    /^instances needed +3 +max\(minimum 2, ceil\(100 ÷ 40 requests\/s per instance\) = 3\); capacity from .*friday_flow\.onprem_cluster\.rps$/m,
  );
});

test('cli: no bench file and no --capacity-rps → exit 2, saying which file and which flag', () => {
  const r = capacity('--preset', 'azure-2026', '--bench-results', path.join(dir, 'missing.json'));
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /per-instance capacity needed and not found: .*missing\.json not found/);
  assert.match(r.stderr, /Pass --capacity-rps N/);
  assert.equal(
    capacity('--preset', 'azure-2026', '--bench-results', path.join(dir, 'missing.json'), '--capacity-rps', '500').code,
    0,
  );
});

test('cli: bad flags → exit 2 listing the valid flags', () => {
  const r = capacity('--preset', 'study-2010', '--employess', '3');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown flag --employess/);
  assert.match(r.stderr, /valid flags: --preset --input --bench-results --json --help --employees --share /);
  const value = capacity('--preset', 'study-2010', '--share', '2');
  assert.equal(value.code, 2);
  assert.match(value.stderr, /shareEntering \(--share\): expected a share between 0 and 1, got 2/);
});

test('cli: unknown preset → exit 2 listing the presets', () => {
  const r = capacity('--preset', 'study-2011');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown preset "study-2011"; presets: azure-2026, study-2010/);
});

test('cli: --input FILE, and --help', () => {
  const file = path.join(dir, 'plan.json');
  writeFileSync(
    file,
    JSON.stringify({
      employees: 100,
      shareEntering: 1,
      requestsPerEntry: 36,
      windowHours: 1,
      peakFactor: 2,
      billedHours: 1,
      instanceCapacityRps: 1,
      instancesMinimum: 0,
      instancePricePerHour: 1,
      kbOutPerEntry: 0,
      kbInPerEntry: 0,
      pricePerGbOut: 0,
      pricePerGbIn: 0,
      sessionKbPerUser: 0,
      storagePricePerGbMonth: 0,
      storeTransactionsPerRequest: 0,
      storePricePer10k: 0,
      relayListeners: 1,
      relayPricePerListenerHour: 1,
      authTransactionsPerEntry: 0,
      authPricePer100k: 0,
    }),
  );
  // 100 × 36 / 3600 = 1 rps; peak 2 → ceil(2 / 1) = 2 instances × $1 × 1 h = $2; relay 1 × 1 h × $1 = $1
  const r = capacity('--input', file, '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.instances_needed, 2);
  assert.equal(doc.costs.compute, 2);
  assert.equal(doc.costs.relay, 1);
  assert.equal(doc.costs.total, 3);
  assert.equal(doc.inputs.instanceCapacitySource, `input ${file}`);
  const help = capacity('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: npm run capacity/);
  assert.match(help.stdout, /presets: azure-2026, study-2010/);
});
