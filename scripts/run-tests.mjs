#!/usr/bin/env node
// Runs the test files under test/ with node's test runner and tsx.
// Node 20's `node --test` has no globs, so the files are listed here explicitly.
// Usage: node scripts/run-tests.mjs [folder-filter ...]   e.g. `unit`, `browser`, `plugins/session-sql`
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('-'));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

const files = walk(join(root, 'test'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((flt) => f.includes(flt)))
  .sort();

if (files.length === 0) {
  console.error(`No test file matches ${filters.join(', ') || 'test/**/*.test.ts'}`);
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...passThrough, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TIMESHEET_ENV: process.env.TIMESHEET_ENV ?? 'test' } },
);
process.exit(result.status ?? 1);
