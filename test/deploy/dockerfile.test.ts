// No container engine runs here: the Dockerfile is checked by reading its instructions, and the
// image scripts by `bash -n` (and shellcheck when installed). Building and running the images is
// scripts/deploy/build-images.sh --make-base --try: minutes, so not part of npm test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { reachable } from '../../scripts/harness/imports.js';

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

/** The lowest Node major package.json's engines.node accepts (">=24", "^24.11.0", "24.x"). */
function enginesMajor(): number {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    engines?: { node?: string };
  };
  const m = /(\d+)/.exec(pkg.engines?.node ?? '');
  assert.ok(m, `package.json engines.node: ${pkg.engines?.node}`);
  return Number(m[1]);
}

test('the base image is an argument whose default is Node 24 LTS on Debian bookworm slim, and the target is an argument', () => {
  const base = all.find((i) => i.op === 'ARG' && i.args.startsWith('BASE_IMAGE='));
  assert.ok(base, 'ARG BASE_IMAGE');
  const m = /^BASE_IMAGE=node:(\d+)(?:\.\d+){0,2}-bookworm-slim$/.exec(base.args);
  assert.ok(m, `the official Node image on Debian bookworm slim: ${base.args}`);
  const major = Number(m[1]);
  assert.ok(major >= 24 && major % 2 === 0, `an even (LTS) major, at least 24: ${base.args}`);
  assert.ok(major >= enginesMajor(), `the base's Node ${major} satisfies package.json engines.node`);
  assert.match(
    readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8'),
    new RegExp(`Node ${major} LTS`),
    'the comment says which LTS',
  );
  assert.ok(all.some((i) => i.op === 'ARG' && /^TARGET=onprem$/.test(i.args)));
  assert.ok(stages.every((s) => s.args.startsWith('${BASE_IMAGE}')));
});

test('the build stage declares TARGET after the steps both images share, so the two builds share their cache', () => {
  const buildStage = all.slice(0, all.indexOf(stages[1]!));
  const target = buildStage.findIndex((i) => i.op === 'ARG' && i.args.startsWith('TARGET'));
  const install = buildStage.findIndex((i) => i.op === 'RUN' && /npm ci(?!.*--omit=dev)/.test(i.args));
  const apt = buildStage.findIndex((i) => i.op === 'RUN' && i.args.includes('apt-get install'));
  assert.ok(target > install && install > apt && apt > 0, 'apt-get, then npm ci, then ARG TARGET');
});

test('the build stage copies every file the package build imports (the build runs there)', () => {
  const buildStage = all.slice(0, all.indexOf(stages[1]!));
  const copied = buildStage
    .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
    .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
  const needed = [...reachable(path.join(PROJECT_ROOT, 'scripts/build.ts'))].map((f) => path.relative(PROJECT_ROOT, f));
  assert.ok(needed.length > 1, `scripts/build.ts imports project files: ${needed.join(', ')}`);
  const missing = needed.filter((f) => !copied.some((c) => f === c || f.startsWith(`${c.replace(/\/$/, '')}/`)));
  assert.deepEqual(missing, []);
});

test('it is multi-stage and the final stage installs production dependencies only', () => {
  assert.ok(stages.length >= 2);
  const build = all.find((i) => i.op === 'RUN' && i.args.includes('scripts/build.ts'));
  assert.ok(build && /--target \$\{TARGET\}/.test(build.args) && /npm ci --omit=dev/.test(build.args));
  assert.ok(finalStage.some((i) => i.op === 'COPY' && i.args.startsWith('--from=build')));
  assert.ok(
    !finalStage.some((i) => i.op === 'RUN' && /npm (ci|install)(?!.*--omit=dev)/.test(i.args)),
    'no dev install in the final stage',
  );
});

test('the final stage runs as user node (uid 1000 in the official image) with a health check, a config volume and the packaged server', () => {
  const user = finalStage.find((i) => i.op === 'USER');
  assert.ok(
    user && (user.args === 'node' || user.args === '1000' || user.args === '1000:1000'),
    `USER node: ${user?.args}`,
  );
  assert.ok(finalStage.indexOf(user) > finalStage.findIndex((i) => i.op === 'RUN'), 'USER after the last RUN');
  assert.ok(
    finalStage.some((i) => i.op === 'COPY' && i.args.startsWith('--from=build --chown=node:node')),
    'the app belongs to node',
  );
  const env = finalStage
    .filter((i) => i.op === 'ENV')
    .map((i) => i.args)
    .join(' ');
  assert.match(env, /NODE_ENV=production/);
  const port = /TIMESHEET_APP__PORT=(\d+)/.exec(env)?.[1];
  const health = finalStage.find((i) => i.op === 'HEALTHCHECK');
  assert.ok(health, 'HEALTHCHECK');
  // node is the one program the health check can count on (the slim image has no curl or wget).
  assert.match(health.args, /CMD node -e /);
  assert.ok(
    health.args.includes(`http://127.0.0.1:${port}/healthz`),
    `the health check probes the app's port ${port}: ${health.args}`,
  );
  assert.match(health.args, /--timeout=\d+s/);
  assert.ok(
    finalStage.some((i) => i.op === 'VOLUME' && i.args.includes('/app/config/env') && i.args.includes('/app/data')),
  );
  assert.ok(finalStage.some((i) => i.op === 'EXPOSE' && i.args === port));
  assert.ok(finalStage.some((i) => i.op === 'CMD' && i.args.includes('server.js')));
  assert.ok(finalStage.some((i) => i.op === 'ENV' && i.args.includes('TIMESHEET_TARGET=${TARGET}')));
});

test('development configuration and keys stay out of the image', () => {
  const build = all.find((i) => i.op === 'RUN' && i.args.includes('scripts/build.ts'))!;
  assert.match(build.args, /rm -rf config\/env config\/dev/);
  // The final stage takes the built package only: nothing from the build context.
  for (const copy of finalStage.filter((i) => i.op === 'COPY' || i.op === 'ADD')) {
    assert.ok(/--from=build\b/.test(copy.args) && /\/out\/\$\{TARGET\}\/?\s/.test(copy.args), copy.args);
  }
  const ignore = readFileSync(path.join(PROJECT_ROOT, '.dockerignore'), 'utf8').split('\n');
  for (const entry of ['node_modules', 'data', '.git', 'config/env/production*.json'])
    assert.ok(ignore.includes(entry), entry);
});

const SCRIPTS = ['scripts/deploy/build-images.sh', 'scripts/deploy/try-images.sh'].map((f) =>
  path.join(PROJECT_ROOT, f),
);

test('the image scripts parse (bash -n) and are shellcheck-clean when shellcheck is installed', (t) => {
  for (const script of SCRIPTS) {
    const parsed = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
    assert.equal(parsed.status, 0, `${script}: ${parsed.stderr}`);
  }
  const version = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0)
    return void t.skip('shellcheck is not installed (Debian: apt-get install shellcheck)');
  const checked = spawnSync('shellcheck', SCRIPTS, { encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stdout);
});

test('build-images.sh defaults to the Dockerfile base, and its local base stands in for the same Node 24 image', () => {
  const text = readFileSync(SCRIPTS[0]!, 'utf8');
  assert.match(text, /^LOCAL_BASE="localhost\/node:24-bookworm-slim"$/m);
  assert.match(text, /NODE_VERSION="\$\{TIMESHEET_NODE_VERSION:-24\}"/);
  assert.match(text, /useradd --uid 1000 --gid node/);
  // podman builds keep the HEALTHCHECK (the OCI format has none) and need no daemon.
  assert.match(text, /--isolation=chroot --format docker/);
});
