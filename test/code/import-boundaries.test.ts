// The shape of the code, checked like behaviour: what the shipped server reaches, and what it must not.
// Static imports are read from the sources (relative specifiers, `import ... from` and `export ... from`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { importsOf, reachable } from '../../scripts/harness/imports.js';

const rel = (f: string) => path.relative(PROJECT_ROOT, f).split(path.sep).join('/');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = path.join(dir, n);
    return statSync(f).isDirectory() ? walk(f) : f.endsWith('.ts') ? [f] : [];
  });
}

const server = path.join(PROJECT_ROOT, 'src/server.ts');

test('the server reaches no stand-in, script, test, browser code or plugin: plugins come in by name, through the container', () => {
  const bad = [...reachable(server)].map(rel).filter((f) => /^(scripts|test|src\/browser|plugins)\//.test(f));
  assert.deepEqual(bad, []);
});

/** Imports from runtime code of tests or scripts (tools and development stand-ins live in scripts/). */
function runtimeViolations(files: string[]): string[] {
  const offenders: string[] = [];
  for (const file of files) {
    for (const target of importsOf(file))
      if (/^(test|scripts)\//.test(rel(target))) offenders.push(`${rel(file)} -> ${rel(target)}`);
  }
  return offenders;
}

test('runtime code (src/ outside the browser code) never imports tests, scripts or the stand-ins (scripts/stand-ins)', () => {
  const runtime = walk(path.join(PROJECT_ROOT, 'src')).filter((f) => !/^src\/browser\//.test(rel(f)));
  assert.deepEqual(runtimeViolations(runtime), []);
});

test('a plugin imports the shared code and its own folder, never another plugin', () => {
  const offenders: string[] = [];
  for (const file of walk(path.join(PROJECT_ROOT, 'plugins'))) {
    const own = rel(file).split('/')[1];
    for (const target of importsOf(file)) {
      const t = rel(target);
      if (t.startsWith('plugins/') && t.split('/')[1] !== own) offenders.push(`${rel(file)} -> ${t}`);
      if (/^(test|scripts)\//.test(t)) offenders.push(`${rel(file)} -> ${t}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('no import cycle among the files the server reaches (value imports)', () => {
  const files = [...reachable(server)];
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (f: string, trail: string[]): void => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(f)), f].map(rel).join(' -> '));
      return;
    }
    state.set(f, 'visiting');
    for (const t of importsOf(f, { types: false })) visit(t, [...trail, f]);
    state.set(f, 'done');
  };
  for (const f of files) visit(f, []);
  assert.deepEqual(cycles, []);
});

test('the checks can fail: a file importing a stand-in and a test helper is reported', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const probe = path.join(dir, 'probe.ts');
  const to = (f: string) => path.relative(dir, path.join(PROJECT_ROOT, f)).replace(/\.ts$/, '.js');
  writeFileSync(
    probe,
    `import { startDevSts } from '${to('scripts/stand-ins/dev-sts/dev-sts.ts')}';\nimport type { AppStack } from '${to('scripts/harness/app-stack.ts')}';\n`,
  );
  assert.deepEqual(runtimeViolations([probe]), [
    `${rel(probe)} -> scripts/stand-ins/dev-sts/dev-sts.ts`,
    `${rel(probe)} -> scripts/harness/app-stack.ts`,
  ]);
  assert.ok([...reachable(server)].map(rel).includes('src/copies/followed-burst.ts'), 'reachability follows imports');
});
