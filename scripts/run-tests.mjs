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
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

const all = walk(join(root, 'test'))
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

function run(list, parallel) {
  if (list.length === 0) return 0;
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    // --test-force-exit: a file whose tests have all finished ends even if a failure left a handle
    // open (a stand-in still listening after another failed to start): such a file once held a CI run
    // for 27 minutes. Its failure is reported all the same.
    [
      '--import',
      'tsx',
      '--test',
      '--test-force-exit',
      '--test-reporter=spec',
      `--test-concurrency=${parallel}`,
      ...passThrough,
      ...list,
    ],
    { cwd: root, stdio: 'inherit', env },
  );
  console.log(
    `# ${list.length} file(s), ${parallel} at a time, on Node ${process.version}: ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return result.status ?? 1;
}

const first = run(together, concurrency);
const second = run(alone, 1);
process.exit(first || second);
