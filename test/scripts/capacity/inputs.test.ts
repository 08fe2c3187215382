import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import {
  checkInputs,
  inputsFromJson,
  mergeInputs,
  parseCliArgs,
  type RawInputs,
} from '../../../scripts/capacity/inputs.js';
import { planCapacity } from '../../../scripts/capacity/plan.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const study = (): RawInputs => {
  const parsed = inputsFromJson(
    JSON.parse(readFileSync(path.join(ROOT, 'config/capacity/study-2010.json'), 'utf8')),
    'study-2010',
  );
  if (!parsed.ok) assert.fail(parsed.problems.join('\n'));
  return parsed.value;
};
const flags = (...argv: string[]) => {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) assert.fail(parsed.problems.join('\n'));
  return parsed.value;
};

test('flags override the preset: --employees 25000 --share=50% over study-2010', () => {
  const cli = flags('--preset', 'study-2010', '--employees', '25000', '--share=50%', '--json');
  assert.equal(cli.preset, 'study-2010');
  assert.equal(cli.json, true);
  const checked = checkInputs(mergeInputs(study(), cli.flags));
  assert.ok(checked.ok);
  assert.equal(checked.value.employees, 25_000);
  assert.equal(checked.value.shareEntering, 0.5);
  assert.equal(checked.value.requestsPerEntry, 30); // untouched preset value
  // 25,000 × 0.5 × 30 / 14,400 = 26.04 rps
  assert.ok(Math.abs(planCapacity(checked.value).requestsPerSecondAvg - 375_000 / 14_400) < 1e-9);
});

test('a relay price flag of the other kind replaces the preset one (no "both" error)', () => {
  const checked = checkInputs(mergeInputs(study(), flags('--relay-price-hour', '0.0134').flags));
  assert.ok(checked.ok, checked.ok ? '' : checked.problems.join('\n'));
  assert.equal(checked.value.relayPricePerConnectionMonth, undefined);
  assert.equal(checked.value.relayPricePerListenerHour, 0.0134);
  assert.equal(checked.value.relayHours, 6); // the preset's hours stay, whatever the price's kind
});

test('--relay-hours and --storage-hours apply to the study preset (per connection-month too)', () => {
  const checked = checkInputs(mergeInputs(study(), flags('--relay-hours', '730', '--storage-hours=24').flags));
  assert.ok(checked.ok, checked.ok ? '' : checked.problems.join('\n'));
  assert.equal(checked.value.relayPricePerConnectionMonth, 3.99);
  assert.equal(checked.value.relayHours, 730);
  assert.equal(checked.value.storageHours, 24);
  // 2 × 3.99 × 730 / 730 = 7.98, a whole month
  assert.ok(Math.abs(planCapacity(checked.value).costs.relay - 7.98) < 1e-9);
  const bad = checkInputs(mergeInputs(study(), flags('--hours-per-month', '0', '--storage-hours', '-1').flags));
  assert.ok(!bad.ok);
  assert.deepEqual(bad.problems, [
    'storageHours (--storage-hours): expected a number ≥ 0, got -1',
    'hoursPerMonth (--hours-per-month): expected a number > 0, got 0',
  ]);
});

test('--instances auto over the study preset sizes from --capacity-rps', () => {
  const checked = checkInputs(mergeInputs(study(), flags('--instances', 'auto', '--capacity-rps', '10').flags));
  assert.ok(checked.ok);
  assert.equal(checked.value.instances, 'auto');
  // 33.33 rps / 10 → ceil(3.33) = 4, above the minimum 2
  assert.equal(planCapacity(checked.value).instancesNeeded, 4);
});

test('bad flags: every unknown flag, missing value and stray word is reported', () => {
  const parsed = parseCliArgs(['--employes', '3', 'stray', '--share', '--json', '--gb']);
  assert.ok(!parsed.ok);
  assert.deepEqual(parsed.problems, [
    'unknown flag --employes',
    'unexpected argument "stray"',
    '--share needs a value',
    '--gb needs a value',
  ]);
  assert.ok(!parseCliArgs(['--preset', 'a', '--input', 'b.json']).ok);
});

test('bad values: all reported at once, each with its input name and flag', () => {
  const raw = mergeInputs(
    study(),
    flags('--employees', 'many', '--share', '1.5', '--window-hours', '0', '--instances', '0', '--gb', 'mebi').flags,
  );
  const checked = checkInputs(raw);
  assert.ok(!checked.ok);
  assert.deepEqual(checked.problems, [
    'employees (--employees): expected a number, got "many"',
    'shareEntering (--share): expected a share between 0 and 1, got 1.5',
    'windowHours (--window-hours): expected a number > 0, got 0',
    'instances (--instances): expected auto or a whole number ≥ 1, got 0',
    'gb (--gb): expected binary or decimal, got "mebi"',
  ]);
});

test('missing inputs and relay prices: named together; both relay prices is an error', () => {
  const none = checkInputs({});
  assert.ok(!none.ok);
  assert.match(none.problems[0]!, /^missing inputs: employees \(--employees\), shareEntering \(--share\),/);
  assert.match(none.problems.join('\n'), /relay: missing price/);
  const both = checkInputs({ ...study(), relayPricePerListenerHour: 0.0134 });
  assert.ok(!both.ok);
  assert.match(both.problems.join('\n'), /not both/);
});

test('a JSON file: keys starting with _ are notes, unknown keys are refused with the valid ones listed', () => {
  const ok = inputsFromJson({ _sources: {}, employees: 10 }, 'f.json');
  assert.deepEqual(ok, { ok: true, value: { employees: 10 } });
  const bad = inputsFromJson({ employes: 10 }, 'f.json');
  assert.ok(!bad.ok);
  assert.match(bad.problems[0]!, /^f\.json: unknown key "employes" \(valid keys: employees, shareEntering,/);
  assert.ok(!inputsFromJson([1, 2], 'f.json').ok);
  const old = inputsFromJson({ storageMonths: 1 }, 'old.json');
  assert.ok(!old.ok);
  assert.match(old.problems[0]!, /^old\.json: storageMonths was replaced by storageHours/);
  assert.deepEqual(inputsFromJson({ simulation: { peakShare: 0.5 } }, 'f.json'), { ok: true, value: {} });
});

test('defaults: storage for the window hours, relay for the billed hours, 730 h a month, redirect share 1, instances auto, minimum 1, binary GB', () => {
  const raw = study();
  const keys = ['storageHours', 'relayHours', 'hoursPerMonth', 'redirectShare', 'instances', 'instancesMinimum', 'gb'];
  for (const key of keys as (keyof RawInputs)[]) delete raw[key];
  const checked = checkInputs(raw);
  assert.ok(checked.ok);
  assert.equal(checked.value.storageHours, 4); // windowHours
  assert.equal(checked.value.relayHours, 6); // billedHours
  assert.equal(checked.value.hoursPerMonth, 730);
  assert.equal(checked.value.redirectShare, 1);
  assert.equal(checked.value.instances, 'auto');
  assert.equal(checked.value.instancesMinimum, 1);
  assert.equal(checked.value.gb, 'binary');
});
