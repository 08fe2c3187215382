// No container engine runs here: the Dockerfile is checked by reading its instructions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

/** Instructions with continuation lines joined and comments dropped. */
function instructions(): Array<{ op: string; args: string }> {
  const text = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((l) => !/^\s*#/.test(l));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => ({ op: l.split(/\s+/)[0]!.toUpperCase(), args: l.slice(l.split(/\s+/)[0]!.length).trim() }));
}

const all = instructions();
const stages = all.filter((i) => i.op === 'FROM');
const finalStage = all.slice(all.lastIndexOf(stages[stages.length - 1]!));

test('the base image is an argument with a Node 20.19+ default, and the target is an argument', () => {
  const base = all.find((i) => i.op === 'ARG' && i.args.startsWith('BASE_IMAGE='));
  assert.ok(base, 'ARG BASE_IMAGE');
  const m = /node:(\d+)\.(\d+)/.exec(base.args);
  assert.ok(m && (Number(m[1]) > 20 || (Number(m[1]) === 20 && Number(m[2]) >= 19)), base.args);
  assert.ok(all.some((i) => i.op === 'ARG' && /^TARGET=onprem$/.test(i.args)));
  assert.ok(stages.every((s) => s.args.startsWith('${BASE_IMAGE}')));
});

test('it is multi-stage and the final stage installs production dependencies only', () => {
  assert.ok(stages.length >= 2);
  const build = all.find((i) => i.op === 'RUN' && i.args.includes('scripts/build.ts'));
  assert.ok(build && /--target \$\{TARGET\}/.test(build.args) && /npm ci --omit=dev/.test(build.args));
  assert.ok(finalStage.some((i) => i.op === 'COPY' && i.args.startsWith('--from=build')));
  assert.ok(!finalStage.some((i) => i.op === 'RUN' && /npm (ci|install)(?!.*--omit=dev)/.test(i.args)), 'no dev install in the final stage');
});

test('the final stage runs as a non-root user with a health check, a config volume and the packaged server', () => {
  const user = finalStage.find((i) => i.op === 'USER');
  assert.ok(user && user.args !== 'root' && user.args !== '0');
  assert.ok(finalStage.some((i) => i.op === 'HEALTHCHECK' && i.args.includes('/healthz')));
  assert.ok(finalStage.some((i) => i.op === 'VOLUME' && i.args.includes('/app/config/env')));
  assert.ok(finalStage.some((i) => i.op === 'CMD' && i.args.includes('server.js')));
  assert.ok(finalStage.some((i) => i.op === 'ENV' && i.args.includes('TIMESHEET_TARGET=${TARGET}')));
});

test('development configuration and keys stay out of the image', () => {
  const build = all.find((i) => i.op === 'RUN' && i.args.includes('scripts/build.ts'))!;
  assert.match(build.args, /rm -rf config\/env config\/dev/);
  const ignore = readFileSync(path.join(PROJECT_ROOT, '.dockerignore'), 'utf8');
  for (const entry of ['node_modules', 'data', '.git']) assert.ok(ignore.split('\n').includes(entry), entry);
});
