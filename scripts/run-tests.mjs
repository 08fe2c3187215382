#!/usr/bin/env node
// Runs the test files under test/ with node's test runner and tsx, on Node 24 (the `node` npm
// package that npm scripts put first on PATH; run directly on an older Node, this hands over to it).
//
//   node scripts/run-tests.mjs [subset | path filter ...] [--list] [--runner-flags]
//
// Subsets (each file belongs to exactly one, decided from what it imports, so a new file is filed
// by what it does, not by a list to keep up to date):
//   unit         no server, socket, child process, store or browser: pure logic and fakes
//   integration  real stand-ins in this process (app stack, ERP simulator, STS, Azurite, relay, SQL)
//   browser      Chromium (test/browser/)
//   faults       real processes killed, restarted and cut off (test/faults/)
// Anything else selects the files whose path contains it (e.g. `plugins/session-sql`).
//
// Most files wait on sockets and child processes, not on the CPU, so they run several at a time
// (TEST_CONCURRENCY, default 4). Files that measure time or drive load (load generators, the
// benchmark smoke run, the fault suite, the two-worker cluster whose primary waits at most 5 s for
// its workers) run afterwards, one at a time, so that their measurements are not disturbed by the others. The package builds are heavy but measure nothing: they run with
// the rest, where their npm ci overlaps with files that wait.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;

const bundledNode = join(root, 'node_modules', '.bin', 'node');
if (Number(process.versions.node.split('.')[0]) < 24 && existsSync(bundledNode)) {
  const again = spawnSync(bundledNode, [new URL(import.meta.url).pathname, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(again.status ?? 1);
}

const SUBSETS = ['unit', 'integration', 'browser', 'faults'];
/** What makes a file more than a unit test: a server, a socket, a process, a store, a browser. */
const NOT_UNIT = [
  /harness\/(app-stack|hybrid-stack|browser-stack|chromium|azurite|erp-simulator|relay|dev-sts|dev-idps|week-page|free-port|saml-signer|mail-catcher|processes|round-robin-proxy|week-http)\.js/,
  /node:(http|https|net|child_process)/,
  /scripts\/bench\/(environment|soak-run|runs|open-loop-run)\.js|azure-test-setup|sql-test-setup|\.contract\.js|stand-ins\/|link-service\/link-service\.js|autocannon|startAppStack|startDevSts|\bspawn\(/,
];
/** Measure time or drive load: alone, after the others. */
const ALONE = [
  /^test\/faults\//,
  /load-sampler\.test/,
  /burst-hybrid\.test/,
  /bench-smoke\.test/,
  /soak\.test/,
  /cluster-metrics\.test/,
];

function subsetOf(file, source) {
  if (file.startsWith('test/browser/')) return 'browser';
  if (file.startsWith('test/faults/')) return 'faults';
  return NOT_UNIT.some((re) => re.test(source)) ? 'integration' : 'unit';
}

/** A test file's text with that of the test modules it imports from its own folder (shared scenarios). */
function sourceOf(file, depth = 0) {
  const text = readFileSync(join(root, file), 'utf8');
  if (depth > 2) return text;
  const local = [...text.matchAll(/from '\.\/([\w.-]+)\.js'/g)]
    .map((m) => join(file, '..', `${m[1]}.ts`))
    .filter((f) => existsSync(join(root, f)));
  return [text, ...local.map((f) => sourceOf(f, depth + 1))].join('\n');
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

const args = process.argv.slice(2);
const listOnly = args.includes('--list');
const filters = args.filter((a) => !a.startsWith('-'));
const passThrough = args.filter((a) => a.startsWith('-') && a !== '--list');

// RUN_TESTS_DIR: another folder of test files, for the runner's own test (test/scripts/run-tests.test.ts).
const all = walk(process.env.RUN_TESTS_DIR ?? join(root, 'test'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => relative(root, f))
  .sort();
const files = all.filter((f) => {
  if (filters.length === 0) return true;
  const subset = subsetOf(f, sourceOf(f));
  return filters.some((flt) => (SUBSETS.includes(flt) ? subset === flt : f.includes(flt)));
});

if (files.length === 0) {
  console.error(
    `No test file matches ${filters.join(', ') || 'test/**/*.test.ts'} (subsets: ${SUBSETS.join(', ')}, or part of a path)`,
  );
  process.exit(1);
}

if (listOnly) {
  for (const f of files)
    console.log(`${subsetOf(f, sourceOf(f)).padEnd(12)} ${ALONE.some((re) => re.test(f)) ? 'alone ' : '      '} ${f}`);
  process.exit(0);
}

const concurrency = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? 4));
const alone = files.filter((f) => ALONE.some((re) => re.test(f)));
const together = files.filter((f) => !alone.includes(f));
const env = { ...process.env, TIMESHEET_ENV: process.env.TIMESHEET_ENV ?? 'test' };

/**
 * What a CI log must show at its end: the spec reporter lists the failures at the end of each of the
 * two runs, and the first run's list ends up hundreds of lines above the end of the log (a CI page
 * that shows the tail showed "failing tests: 1" and nothing of why). So the lists of both runs, and
 * what the browser showed when a browser test failed (scripts/harness/failure-snapshots.ts), are
 * printed again as the very last lines.
 */
const FAILURES_HEADING = /^\u2716 failing tests:/;
const SNAPSHOT_LINES = 4; // "[failure snapshot] page ...", its title, text and screenshot

function recapOf(output) {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => FAILURES_HEADING.test(line));
  const failures = start >= 0 ? lines.slice(start) : [];
  const snapshots = lines.flatMap((line, i) =>
    line.includes('[failure snapshot]') ? lines.slice(i, i + SNAPSHOT_LINES) : [],
  );
  return { failures, snapshots };
}

/**
 * Runs the files with node's test runner. Its report goes to this process's stdout as it is (the
 * terminal, or CI's log file: a pipe here would be cut short at the runner's forced exit, as the
 * files' reports were, see scripts/run-tests-preload.mjs) and, for the recap, to a file as well.
 */
function run(list, parallel, name) {
  if (list.length === 0) return { status: 0, output: '', summary: Object.fromEntries(COUNTS.map((n) => [n, 0])) };
  const started = Date.now();
  const reportFile = join(reportDir, `${name}.txt`);
  // --test-force-exit: a file whose tests have all finished ends even if a failure left a handle
  // open (a stand-in still listening after another failed to start): such a file once held a CI run
  // for 27 minutes. Its failure is reported all the same. The preload keeps that exit from cutting
  // off the results still on their way to this runner (see the file).
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './scripts/run-tests-preload.mjs',
      '--test',
      '--test-force-exit',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=spec',
      `--test-reporter-destination=${reportFile}`,
      `--test-concurrency=${parallel}`,
      ...passThrough,
      ...list,
    ],
    { cwd: root, stdio: 'inherit', env },
  );
  console.log(
    `# ${list.length} file(s), ${parallel} at a time, on Node ${process.version}: ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  const output = existsSync(reportFile) ? readFileSync(reportFile, 'utf8').replace(/\x1b\[[0-9;]*m/g, '') : '';
  const summary = summaryOf(output);
  if (!summary) console.log(`# the ${name} run's report has no summary: results were lost; this run fails`);
  return { status: result.status ?? 1, output, summary };
}

const COUNTS = ['tests', 'pass', 'fail', 'cancelled', 'skipped'];

/**
 * The counts of a report's summary, its last part ("ℹ tests 1674" ... "ℹ duration_ms ..."); null
 * without it: the report was cut, and its counts are not to be trusted.
 */
function summaryOf(output) {
  if (!/^\u2139 duration_ms /m.test(output)) return null;
  const counts = COUNTS.map((name) => output.match(new RegExp(`^\u2139 ${name} (\\d+)$`, 'm'))?.[1]);
  if (counts.some((n) => n === undefined)) return null;
  return Object.fromEntries(COUNTS.map((name, i) => [name, Number(counts[i])]));
}

const reportDir = mkdtempSync(join(tmpdir(), 'run-tests-'));
const runs = [run(together, concurrency, 'together'), run(alone, 1, 'alone')];
rmSync(reportDir, { recursive: true, force: true });
const recaps = runs.map((r) => recapOf(r.output));
// The two runs' counts added up, for the reader of the log's last lines.
const counted = (name) => runs.reduce((sum, r) => sum + (r.summary?.[name] ?? 0), 0);
console.log(
  `# both runs: ${counted('tests')} tests, ${counted('pass')} passed, ${counted('fail')} failed, ${counted('cancelled')} cancelled, ${counted('skipped')} skipped`,
);
const cut = runs.some((r) => !r.summary);
if (runs.some((r) => r.status !== 0) || cut) {
  console.log('\n# The failures of this run, repeated at its end:');
  for (const { failures, snapshots } of recaps) {
    if (failures.length) console.log(failures.join('\n').trimEnd());
    if (snapshots.length) console.log(`\n# What the browser showed:\n${snapshots.join('\n')}`);
  }
}
if (counted('tests') === 0) console.log('# no test was reported: the runner or its setup is broken');
const failed = runs.find((r) => r.status !== 0)?.status;
process.exit(failed ?? (counted('tests') === 0 || cut ? 1 : 0));
