import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'capacity-simulate-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const NO_BENCH = path.join(dir, 'missing.json');

function capacity(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/capacity.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('simulate: no bench file and no --cpu-ms → exit 2 naming the file and the flag', () => {
  const r = capacity('--simulate', '--bench-results', NO_BENCH);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /CPU per request needed and not found: .*missing\.json not found/);
  assert.match(r.stderr, /Pass --cpu-ms N \(app CPU ms per request\), or run the benchmark \(npm run bench\) first/);
});

test('simulate --json: the default Friday (preset azure-2026) and its recommendation', () => {
  const r = capacity('--simulate', '--bench-results', NO_BENCH, '--cpu-ms', '5.57', '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.inputs.people, 16_000); // 20,000 × 0.8
  assert.equal(doc.inputs.sources.cpuMsPerRequest, '--cpu-ms');
  assert.match(doc.inputs.sources.requestsPerPerson, /^default 32/);
  assert.equal(doc.price_per_replica_second, 0.000021); // 0.5 × 0.000034 + 1 × 0.000004
  const slots = doc.slots as { start: string; arrivals: number; replicas: number; replicas_first: number }[];
  assert.equal(slots[0]!.start, '13:30'); // the pre-warm
  assert.equal(slots.at(-1)!.start, '18:00'); // the cooldown's slot
  assert.equal(
    slots.reduce((a, s) => a + s.arrivals, 0),
    16_000,
  );
  assert.equal(doc.totals.requests, 512_000); // 16,000 × 32
  // 3 replicas from 13:30 (the first 60 s starting) to 18:05: 3 × (55 × 300 − 60) s = 49,320 s = 13.7 h
  assert.equal(doc.totals.replica_hours, 13.7);
  assert.equal(doc.totals.cost, 1.03572); // 49,320 × $0.000021
  assert.equal(doc.recommendation.prewarm_time, '13:55');
  assert.equal(doc.recommendation.prewarm_replicas, 2);
  assert.equal(doc.recommendation.totals.slots_over_target, 0);
});

test('simulate: CPU per request and requests per person from a bench results file', () => {
  const bench = path.join(dir, 'results.json');
  const steps = { login: { count: 10 }, open_week: { count: 10 }, autosave: { count: 250 } };
  writeFileSync(
    bench,
    JSON.stringify({
      friday_flow: { cloud: { app_cpu_ms_per_request: 6, timesheets_completed: 10, steps_ms: steps } },
    }),
  );
  const r = capacity('--simulate', '--bench-results', bench, '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.inputs.cpuMsPerRequest, 6);
  assert.equal(doc.inputs.requestsPerPerson, 27); // (10 + 10 + 250) ÷ 10
  assert.match(doc.inputs.sources.cpuMsPerRequest, /results\.json friday_flow\.cloud\.app_cpu_ms_per_request$/);
  assert.match(
    doc.inputs.sources.requestsPerPerson,
    /results\.json friday_flow\.cloud\.steps_ms: 270 requests ÷ 10 timesheets$/,
  );
  // a flag wins over the bench
  const flag = JSON.parse(capacity('--simulate', '--bench-results', bench, '--json', '--cpu-ms', '4').stdout);
  assert.equal(flag.inputs.cpuMsPerRequest, 4);
  assert.equal(flag.inputs.sources.cpuMsPerRequest, '--cpu-ms');
});

test('simulate: bad inputs all reported at once, exit 2', () => {
  const r = capacity(
    '--simulate',
    '--bench-results',
    NO_BENCH,
    '--peak-share',
    '2',
    '--prewarm',
    '25:00',
    '--max-replicas',
    '0',
    '--employees',
    'many',
  );
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  for (const problem of [
    /employees \(--employees\): expected a number, got "many"/,
    /peakShare \(--peak-share\): expected a share between 0 and 1, got 2/,
    /prewarmTime \(--prewarm\): expected a time HH:MM, got "25:00"/,
    /maxReplicas \(--max-replicas\): must be ≥ 1, ≥ minReplicas and ≥ prewarmReplicas, got 0/,
    /CPU per request needed and not found: .*missing\.json not found/,
  ])
    assert.match(r.stderr, problem);
  const unknown = capacity('--simulate', '--peak-tme', '16:00', '--cpu-ms');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown flag --peak-tme\n--cpu-ms needs a value/);
  assert.match(unknown.stderr, /valid flags: .* --simulate --svg --window-start --peak-time /);
});

test('simulate: its flags without --simulate, and a preset without prices, exit 2', () => {
  const r = capacity('--preset', 'azure-2026', '--peak-time', '16:00');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--peak-time: for --simulate only/);
  const study = capacity('--simulate', '--preset', 'study-2010', '--cpu-ms', '5');
  assert.equal(study.code, 2);
  assert.match(
    study.stderr,
    /missing simulation inputs: pricePerVcpuSecond \(--price-vcpu-second\), pricePerGibSecond \(--price-gib-second\)/,
  );
  const priced = capacity(
    '--simulate',
    '--preset',
    'study-2010',
    '--cpu-ms',
    '5',
    '--price-vcpu-second',
    '0.00001',
    '--price-gib-second',
    '0',
  );
  assert.equal(priced.code, 0, priced.stderr);
});

test('simulate --input FILE with a simulation block, and --svg FILE', () => {
  const file = path.join(dir, 'small.json');
  // 600 people over 14:00-14:15, all in a triangle 14:00-14:05-14:10: 300, 300, 0
  writeFileSync(
    file,
    JSON.stringify({
      employees: 600,
      shareEntering: 1,
      windowHours: 0.25,
      simulation: {
        peakTime: '14:05',
        peakWidthMinutes: 10,
        peakShare: 1,
        cpuMsPerRequest: 100,
        requestsPerPerson: 3,
        pricePerVcpuSecond: 0.000034,
        pricePerGibSecond: 0.000004,
        prewarmTime: '13:55',
      },
    }),
  );
  const chart = path.join(dir, 'chart.svg');
  const r = capacity('--simulate', '--input', file, '--svg', chart);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^The Friday slot by slot \(input .*small\.json\): window 14:00-14:15/);
  // 300 × 3 ÷ 300 = 3 req/s × 100 ms = 0.3 vCPU on 3 pre-warmed replicas of 0.5: 0.3 ÷ 1.5 = 20 %
  assert.match(r.stdout, /^14:00-14:05 +300 +3\.00 +3 +20\.0 % /m);
  assert.match(r.stdout, /^14:10-14:15 +0 +0\.00 +3 +0\.0 % +- /m);
  assert.match(r.stderr, /chart written to .*chart\.svg/);
  const svg = readFileSync(chart, 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\n$/);
});
