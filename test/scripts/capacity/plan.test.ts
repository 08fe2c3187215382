import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { formatTable, jsonReport } from '../../../scripts/capacity/format.js';
import { checkInputs, inputsFromJson, type CapacityInputs, type RawInputs } from '../../../scripts/capacity/inputs.js';
import { instancesFor, planCapacity } from '../../../scripts/capacity/plan.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function presetRaw(name: string): RawInputs {
  const parsed = inputsFromJson(
    JSON.parse(readFileSync(path.join(ROOT, 'config/capacity', `${name}.json`), 'utf8')),
    name,
  );
  if (!parsed.ok) assert.fail(parsed.problems.join('\n'));
  return parsed.value;
}

function inputs(raw: RawInputs): CapacityInputs {
  const checked = checkInputs(raw);
  if (!checked.ok) assert.fail(checked.problems.join('\n'));
  return checked.value;
}

/** Equal to 1e-9 (the values below are computed by hand, not by the planner). */
function close(actual: number, expected: number, what: string) {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} is not ${expected}`);
}

// The 2010 study, by hand. Storage and relay are prorated as the study does ("au prorata temporis"):
// paid for the hours they are used, of a 730-hour month.
//   entries            = 20,000 × 0.8                                   = 16,000
//   requests           = 16,000 × 30                                    = 480,000
//   average rps        = 480,000 / (4 × 3600) = 480,000 / 14,400        = 33.333… ("an average of 33 requests per second")
//   peak rps           = 33.333… × 1 (the study gives no peak factor)   = 33.333…
//   redirects/s        = 16,000 × 1 / 14,400                            = 1.111…
//   instances          = 2 medium instances (fixed by the study)
//   compute            = 2 × $0.24 × 6 h                                = $2.88
//   bandwidth          = 16,000 × (400 × 0.15 + 100 × 0.10) / 1,048,576 = 1,120,000 / 1,048,576 = $1.068115234375 → $1.07
//   storage            = 16,000 × 200 / 1,048,576 GB × $0.15 × 4 h / 730 h
//                      = 3.0517578125 × 0.15 × 4 / 730 = 1.8310546875 / 730  = $0.00250829… → $0.0025
//   store transactions = 480,000 × 2 / 10,000 × $0.01                   = 96 × 0.01 = $0.96
//   relay              = 2 connections × $3.99 × 6 h / 730 h            = 47.88 / 730 = $0.0655890… → $0.0656
//                        (the study's table shows $0.033: one connection's 23.94 / 730 = $0.0328)
//   access control     = 16,000 × 2 / 100,000 × $1.99                   = 0.32 × 1.99 = $0.6368 → $0.64
//   total              = 2.88 + 1.068115234375 + 0.96 + 0.6368 = 5.544915234375, plus (1.8310546875 + 47.88) / 730
//                      = 5.544915234375 + 49.7110546875 / 730 = $5.61301256… → $5.61
// Before the proration the planner charged whole months: storage $0.457763671875, relay $7.98, total $13.98.
const STUDY = {
  avg: 480_000 / 14_400,
  redirects: 16_000 / 14_400,
  compute: 2.88,
  bandwidth: 1.068115234375,
  storage: 1.8310546875 / 730,
  store_transactions: 0.96,
  relay: 47.88 / 730,
  access_control: 0.6368,
  total: 5.544915234375 + 49.7110546875 / 730,
};

test('study-2010: every figure of the study, against the values computed by hand above', () => {
  const plan = planCapacity(inputs(presetRaw('study-2010')));
  close(plan.entries, 16_000, 'entries');
  close(plan.requests, 480_000, 'requests');
  close(plan.requestsPerSecondAvg, STUDY.avg, 'average rps');
  assert.equal(Math.round(plan.requestsPerSecondAvg), 33);
  close(plan.requestsPerSecondPeak, STUDY.avg, 'peak rps');
  close(plan.redirectsPerSecond, STUDY.redirects, 'redirects/s');
  assert.equal(plan.instancesNeeded, 2);
  close(plan.costs.compute, STUDY.compute, 'compute');
  close(plan.costs.bandwidth, STUDY.bandwidth, 'bandwidth');
  close(plan.costs.storage, STUDY.storage, 'storage');
  close(plan.costs.store_transactions, STUDY.store_transactions, 'store transactions');
  close(plan.costs.relay, STUDY.relay, 'relay');
  close(plan.costs.access_control, STUDY.access_control, 'access control');
  close(plan.costs.total, STUDY.total, 'total');
});

test('study-2010: the printed table shows each line with its amount and formula', () => {
  const text = formatTable(planCapacity(inputs(presetRaw('study-2010'))), 'preset study-2010');
  const lines = [
    /^average requests\/s +33\.33 +20,000 employees × 0\.8 × 30 requests ÷ \(4 h × 3600 s\)$/m,
    /^peak requests\/s +33\.33 +33\.33 × peak factor 1$/m,
    /^redirects\/s on-prem +1\.11 +20,000 × 0\.8 × redirect share 1 ÷ \(4 h × 3600 s\), one redirect per entry$/m,
    /^instances needed +2 +fixed by the input instances = 2 \(peak puts 16\.67 requests\/s on each\)$/m,
    /^compute +\$2\.88 +2 instances × \$0\.24\/h × 6 h$/m,
    /^bandwidth +\$1\.07 +16,000 entries × \(400 KB × \$0\.15 \+ 100 KB × \$0\.10\) ÷ 1,048,576 KB\/GB$/m,
    /^storage +\$0\.0025 +16,000 × 200 KB ÷ 1,048,576 KB\/GB × \$0\.15\/GB-month × 4 h ÷ 730 h\/month$/m,
    /^store transactions +\$0\.96 +480,000 requests × 2 ÷ 10,000 × \$0\.01$/m,
    /^relay +\$0\.0656 +2 connections × \$3\.99\/connection-month × 6 h ÷ 730 h\/month$/m,
    /^access control +\$0\.64 +16,000 entries × 2 ÷ 100,000 × \$1\.99$/m,
    /^total +\$5\.61 /m,
    /1 GB = 1024 × 1024 KB \(binary\)/,
  ];
  for (const line of lines) assert.match(text, line);
  // aligned: every amount column ends at the same position
  const ends = text
    .split('\n')
    .filter((l) => /^(compute|bandwidth|storage|store transactions|relay|access control|total) /.test(l))
    .map((l) => l.indexOf('$') + l.slice(l.indexOf('$')).indexOf(' '));
  assert.equal(new Set(ends).size, 1, `amount columns end at ${ends.join(', ')}`);
});

test('study-2010 with decimal GB: 16,000 × 70 / 1,000,000 = $1.12 bandwidth, 3.2 GB × $0.15 × 4 / 730 storage', () => {
  const plan = planCapacity(inputs({ ...presetRaw('study-2010'), gb: 'decimal' }));
  close(plan.costs.bandwidth, 1.12, 'bandwidth');
  // 16,000 × 200 / 1,000,000 = 3.2 GB; 3.2 × 0.15 = 0.48 a month; × 4 / 730 = 1.92 / 730 = $0.00263
  close(plan.costs.storage, 1.92 / 730, 'storage');
  // 2.88 + 1.12 + 0.96 + 0.6368 = 5.5968, plus (1.92 + 47.88) / 730 = 49.8 / 730 → $5.665
  close(plan.costs.total, 5.5968 + 49.8 / 730, 'total');
});

test('study-2010 --json document: the fields of the issue, costs in dollars per Friday', () => {
  const report = jsonReport(planCapacity(inputs(presetRaw('study-2010'))));
  assert.deepEqual(Object.keys(report), [
    'inputs',
    'requests_per_second_avg',
    'requests_per_second_peak',
    'redirects_per_second',
    'instances_needed',
    'costs',
  ]);
  assert.deepEqual(report.costs, {
    compute: 2.88,
    bandwidth: 1.068115, // 1.068115234375 rounded to 6 decimals
    storage: 0.002508, // 1.8310546875 / 730 = 0.0025082…
    store_transactions: 0.96,
    relay: 0.065589, // 47.88 / 730 = 0.0655890…
    access_control: 0.6368,
    total: 5.613013, // 5.544915234375 + 49.7110546875 / 730 = 5.6130125…
  });
  assert.equal(report.requests_per_second_avg, 33.333333);
  assert.equal(report.redirects_per_second, 1.111111);
  assert.equal(report.inputs.employees, 20_000);
});

test('instances needed = max(minimum, ceil(peak / capacity))', () => {
  assert.equal(instancesFor(100, 500, 2), 2); // ceil(0.2) = 1, minimum 2
  assert.equal(instancesFor(1000, 500, 2), 2); // exactly 2
  assert.equal(instancesFor(1000.1, 500, 2), 3); // ceil(2.0002) = 3
  assert.equal(instancesFor(1000, 500, 5), 5); // the minimum wins
  assert.equal(instancesFor(0, 500, 0), 0); // no load, no minimum
  assert.equal(instancesFor(1, 500, 0), 1);
  assert.throws(() => instancesFor(100, 0, 2), RangeError);
});

test('instances auto: sized from the peak and the capacity, then priced', () => {
  // 16,000 × 30 / 14,400 = 33.33 rps average; × 3 = 100 rps peak; capacity 30 → ceil(3.33) = 4 instances
  const plan = planCapacity(
    inputs({ ...presetRaw('study-2010'), instances: 'auto', peakFactor: 3, instanceCapacityRps: 30 }),
  );
  close(plan.requestsPerSecondPeak, 100, 'peak rps');
  assert.equal(plan.instancesForPeak, 4);
  assert.equal(plan.instancesNeeded, 4);
  close(plan.costs.compute, 4 * 0.24 * 6, 'compute'); // 5.76
  assert.throws(() => planCapacity(inputs({ ...presetRaw('study-2010'), instances: 'auto' })), /instanceCapacityRps/);
});

test('relay priced per listener-hour: listeners × hours × price; hours default to the billed hours', () => {
  const base = presetRaw('study-2010');
  delete base.relayPricePerConnectionMonth;
  delete base.relayHours;
  // 2 listeners × 168 h × $0.0134 = $4.5024
  const week = planCapacity(inputs({ ...base, relayPricePerListenerHour: 0.0134, relayHours: 168 }));
  close(week.costs.relay, 4.5024, 'relay, a week');
  // 2 listeners × 6 billed hours × $0.0134 = $0.1608
  const burst = inputs({ ...base, relayPricePerListenerHour: 0.0134 });
  assert.equal(burst.relayHours, 6);
  close(planCapacity(burst).costs.relay, 0.1608, 'relay, the burst');
  assert.match(formatTable(planCapacity(burst)), /^relay +\$0\.16 +2 listeners × 6 h × \$0\.0134\/listener-hour$/m);
});

test('redirects/s counts the redirected share of the entries only, one redirect each', () => {
  // 16,000 × 0.25 / 14,400 = 0.2777…
  const plan = planCapacity(inputs({ ...presetRaw('study-2010'), redirectShare: 0.25 }));
  close(plan.redirectsPerSecond, 4_000 / 14_400, 'redirects/s');
});

test('azure-2026: every price has a source, and the plan runs with a 500 rps capacity', () => {
  const json = JSON.parse(readFileSync(path.join(ROOT, 'config/capacity/azure-2026.json'), 'utf8'));
  for (const key of [
    'instancePricePerHour',
    'pricePerGbOut',
    'pricePerGbIn',
    'storagePricePerGbMonth',
    'storePricePer10k',
    'relayPricePerListenerHour',
    'authPricePer100k',
  ]) {
    const source = json._sources[key];
    assert.ok(source?.source && source.status, `_sources.${key} has a source and a status`);
    assert.equal(source.value, json[key], `_sources.${key}.value is the preset's value`);
  }
  assert.equal(json.instanceCapacityRps, undefined, 'the capacity comes from the bench, not the preset');
  // (2 vCPU × 0.000034 + 4 GiB × 0.000004) × 3600 = 0.3024 $/h
  close(json.instancePricePerHour, (2 * 0.000034 + 4 * 0.000004) * 3600, 'instance price');
  const plan = planCapacity(inputs({ ...presetRaw('azure-2026'), instanceCapacityRps: 500 }));
  assert.equal(plan.instancesNeeded, 2); // peak 100 rps / 500 → 1, minimum 2
  close(plan.costs.compute, 2 * 0.3024 * 6, 'compute'); // $3.6288
  close(plan.costs.bandwidth, (16_000 * 400 * 0.087) / 1_048_576, 'bandwidth'); // $0.5310
  close(plan.costs.store_transactions, (960_000 / 10_000) * 0.00036, 'store transactions'); // $0.03456
  close(plan.costs.relay, 2 * 168 * 0.0134, 'relay'); // $4.5024
  assert.equal(plan.costs.access_control, 0);
  // storage: a day of the month (Table Storage bills the daily average): 3.0517578125 GB × $0.045 × 24 / 730
  // = 0.137329101562 × 24 / 730 = 3.2958984375 / 730 = $0.004515
  close(plan.costs.storage, 3.2958984375 / 730, 'storage');
  assert.ok(json._notes.hours.includes('storageHours (24') && json._notes.hours.includes('relayHours (168'));
});

test('prorating: storage hours of the month, relay connections for their hours', () => {
  const base = { ...presetRaw('study-2010'), sessionKbPerUser: (1024 * 1024) / 16_000 }; // 16,000 × 65.536 KB = 1 GB
  // 1 GB × $0.15 × 73 h / 730 h = $0.015; 2 × $3.99 × 73 h / 730 h = $0.798
  const tenth = planCapacity(inputs({ ...base, storageHours: 73, relayHours: 73 }));
  close(tenth.costs.storage, 0.015, 'storage, a tenth of the month');
  close(tenth.costs.relay, 0.798, 'relay, a tenth of the month');
  // a whole month: 730 h → $0.15 and $7.98, the figures the planner printed before the proration
  const month = planCapacity(inputs({ ...base, storageHours: 730, relayHours: 730 }));
  close(month.costs.storage, 0.15, 'storage, a month');
  close(month.costs.relay, 7.98, 'relay, a month');
  // a 720-hour month: 1 GB × $0.15 × 72 / 720 = $0.015
  close(planCapacity(inputs({ ...base, storageHours: 72, hoursPerMonth: 720 })).costs.storage, 0.015, '720-h month');
  // defaults: storage for the window (4 h), relay for the billed hours (6 h)
  const defaults = { ...base };
  delete defaults.storageHours;
  delete defaults.relayHours;
  const checked = inputs(defaults);
  assert.equal(checked.storageHours, 4);
  assert.equal(checked.relayHours, 6);
  assert.match(
    formatTable(planCapacity(checked)),
    /^storage +\$0\.0008 +16,000 × 65\.536 KB ÷ 1,048,576 KB\/GB × \$0\.15\/GB-month × 4 h ÷ 730 h\/month$/m,
  ); // 0.6 / 730
});
