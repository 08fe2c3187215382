// The test runner (scripts/run-tests.mjs) as CI depends on it: every test that ran is counted, and a
// failure is named again at the end of the log, where a CI page that shows the tail can see it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

/** Runs scripts/run-tests.mjs on a folder of generated test files; its exit code and output. */
function runRunner(testDir: string): Promise<{ code: number | null; output: string }> {
  // Without NODE_TEST_CONTEXT, which tells a node:test process that it is a test file (it would skip running files).
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(process.execPath, ['scripts/run-tests.mjs'], {
    cwd: PROJECT_ROOT,
    env: { ...env, RUN_TESTS_DIR: testDir, TEST_CONCURRENCY: '4' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

/** `files` files of `tests` synchronous tests with long names: many result frames end at once. */
function writeFiles(dir: string, files: number, tests: number, failing?: { file: number; test: number }): void {
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < files; f++) {
    const lines = ["import { test } from 'node:test';"];
    for (let t = 0; t < tests; t++) {
      const body = failing?.file === f && failing.test === t ? "throw new Error('broken on purpose')" : '';
      lines.push(`test('file ${f} test ${t} ${'x'.repeat(400)}', () => { ${body} });`);
    }
    writeFileSync(path.join(dir, `generated-${f}.test.ts`), lines.join('\n'));
  }
}

test('every test of files that end together is counted (8 files of 200 tests, 4 at a time)', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'run-tests-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFiles(dir, 8, 200);
  const { code, output } = await runRunner(dir);
  assert.equal(code, 0, output.slice(-2000));
  // Without the runner's preload, Node 24 loses a few dozen of these 1,600 on most runs (nodejs/node#64833).
  assert.match(output, /^# both runs: 1600 tests, 1600 passed, 0 failed, 0 cancelled, 0 skipped$/m);
});

test('a failure is named again, with its error, in the last lines of the output', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'run-tests-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFiles(dir, 2, 20, { file: 1, test: 3 });
  const { code, output } = await runRunner(dir);
  assert.equal(code, 1);
  const tail = output.slice(output.lastIndexOf('# The failures of this run, repeated at its end:'));
  assert.match(tail, /✖ file 1 test 3 x+/);
  assert.match(tail, /broken on purpose/);
  assert.doesNotMatch(tail, /file 0 test/);
  assert.match(output, /^# both runs: 40 tests, 39 passed, 1 failed, 0 cancelled, 0 skipped$/m);
});
