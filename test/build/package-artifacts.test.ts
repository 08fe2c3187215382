// `npm run package` (scripts/package.ts), run as the pipelines run it, into a temporary folder: each
// target gives a versioned tarball holding that package alone, and a CycloneDX SBOM listing exactly
// the packages of that package's lockfile. One run builds the two app targets and the link service
// (about 15 s, most of it `npm install --package-lock-only` for the three lockfiles).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

const TARGETS = ['onprem', 'cloud'] as const;
type Target = (typeof TARGETS)[number];
const other = (t: Target): Target => (t === 'onprem' ? 'cloud' : 'onprem');
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
const plugins = (t: Target) =>
  readJson<{ plugins: string[] }>(path.join(PROJECT_ROOT, 'config', 'targets', `${t}.json`)).plugins;

const out = mkdtempSync(path.join(os.tmpdir(), 'timesheet-package-'));
const script = path.join(PROJECT_ROOT, 'scripts', 'package.ts');
const run = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
let printed = '';
let version = '';

before(() => {
  printed = run('--out', out);
  // The version the run used, as it printed it (the tree may change meanwhile: it is shared).
  version = /^packaged onprem (\S+)$/m.exec(printed)?.[1] ?? '';
});
after(() => rmSync(out, { recursive: true, force: true }));

const tarball = (t: Target) => path.join(out, `timesheet-${t}-${version}.tgz`);
const sbomFile = (t: Target) => path.join(out, `timesheet-${t}-${version}.cdx.json`);
const listing = (t: Target) =>
  execFileSync('tar', ['-tzf', tarball(t)], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
const member = (t: Target, file: string) =>
  execFileSync('tar', ['-xzOf', tarball(t), `${t}/${file}`], { encoding: 'utf8', maxBuffer: 256 * 1024 ** 2 });

interface Bom {
  bomFormat: string;
  specVersion: string;
  metadata: { component: { name: string; version: string; purl?: string } };
  components: Array<{ name: string; version: string; scope?: string }>;
}

test("the version is package.json's, with the git commit when there is one; --print-version prints it", () => {
  const base = readJson<{ version: string }>(path.join(PROJECT_ROOT, 'package.json')).version;
  const shape = new RegExp(`^${base.replace(/\./g, '\\.')}(\\+[0-9a-f]{7,}(\\.dirty)?)?$`);
  assert.match(version, shape);
  assert.match(run('--print-version').trim(), shape);
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['-C', PROJECT_ROOT, 'rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // not a git checkout: the plain version
  }
  if (commit) assert.ok(version.startsWith(`${base}+${commit}`), `${version} names commit ${commit}`);
});

test('it prints what it made: paths, sizes, component counts', () => {
  for (const t of TARGETS) {
    for (const file of [tarball(t), sbomFile(t)]) {
      assert.ok(existsSync(file), file);
      assert.ok(statSync(file).size > 0, file);
      assert.ok(printed.includes(path.basename(file)), `${path.basename(file)} in:\n${printed}`);
    }
    assert.match(
      printed,
      new RegExp(
        `packaged ${t} .*\\n.*\\.tgz\\s+[\\d.]+ [kM]B \\(\\d+ files\\)\\n.*\\.cdx\\.json\\s+[\\d.]+ [kM]B \\(CycloneDX 1\\.\\d+, \\d+ components\\)`,
      ),
    );
  }
});

for (const t of TARGETS) {
  test(`the ${t} tarball holds the ${t} package, stamped with the version, and nothing of ${other(t)}`, () => {
    const files = listing(t);
    assert.ok(
      files.every((f) => f === `${t}/` || f.startsWith(`${t}/`)),
      'everything under one folder named after the target',
    );
    for (const f of [
      'server.js',
      'package.json',
      'package-lock.json',
      'README.md',
      'contoso-erp.wsdl',
      'config/default.json',
      `config/targets/${t}.json`,
      'config/env/development.json',
    ]) {
      assert.ok(files.includes(`${t}/${f}`), `${t}/${f}`);
    }
    assert.ok(
      files.some((f) => f.startsWith(`${t}/views/`)),
      'views',
    );
    assert.ok(
      files.some((f) => /\/npm-[A-Z0-9]+\.js$/.test(f)),
      'the npm packages bundled',
    );
    assert.ok(!files.some((f) => f.includes('node_modules/')), 'no node_modules');
    assert.ok(!files.includes(`${t}/config/targets/${other(t)}.json`), `no ${other(t)} target`);
    for (const key of ['dev-sts.key', 'fabrikam-idp.key'])
      assert.ok(!files.some((f) => f.endsWith(key)), `no IdP private key ${key}`);

    const bundle = member(t, 'server.js');
    for (const p of plugins(t)) assert.ok(bundle.includes(`plugins/${p}/`), `${t} bundle holds its plugin ${p}`);
    for (const p of plugins(other(t)).filter((p) => !plugins(t).includes(p)))
      assert.ok(!bundle.includes(`plugins/${p}/`), `${t} bundle holds ${other(t)}'s plugin ${p}`);

    const pkg = JSON.parse(member(t, 'package.json')) as { name: string; version: string };
    const lock = JSON.parse(member(t, 'package-lock.json')) as {
      version: string;
      packages: Record<string, { version?: string }>;
    };
    assert.equal(pkg.name, `contoso-timesheet-${t}`);
    assert.equal(pkg.version, version);
    assert.equal(lock.version, version);
    assert.equal(lock.packages['']?.version, version);
  });

  test(`the ${t} SBOM is CycloneDX JSON naming the package and version, with exactly its lockfile's packages`, () => {
    const bom = readJson<Bom>(sbomFile(t));
    assert.equal(bom.bomFormat, 'CycloneDX');
    assert.match(bom.specVersion, /^1\.\d+$/);
    assert.equal(bom.metadata.component.name, `contoso-timesheet-${t}`);
    assert.equal(bom.metadata.component.version, version);
    assert.ok(bom.metadata.component.purl?.startsWith(`pkg:npm/contoso-timesheet-${t}@`), bom.metadata.component.purl);

    const express = readJson<{ version: string }>(
      path.join(PROJECT_ROOT, 'node_modules', 'express', 'package.json'),
    ).version;
    assert.ok(
      bom.components.some((c) => c.name === 'express' && c.version === express),
      `express@${express}`,
    );
    const onlyCloud = ['@azure/data-tables', '@azure/identity'];
    const onlyOnprem = ['sequelize', 'sqlite3', 'connect-session-sequelize'];
    const names = new Set(bom.components.map((c) => c.name));
    for (const n of t === 'onprem' ? onlyOnprem : onlyCloud) assert.ok(names.has(n), `${t} SBOM lists ${n}`);
    for (const n of t === 'onprem' ? onlyCloud : onlyOnprem) assert.ok(!names.has(n), `${t} SBOM does not list ${n}`);

    // The same set as the package's lockfile (a package installed at two paths is one component).
    const lock = JSON.parse(member(t, 'package-lock.json')) as { packages: Record<string, { version?: string }> };
    const locked = new Set(
      Object.entries(lock.packages)
        .filter(([k]) => k !== '')
        .map(([k, v]) => `${k.replace(/^.*node_modules\//, '')}@${v.version}`),
    );
    const listed = new Set(bom.components.map((c) => `${c.name}@${c.version}`));
    assert.deepEqual(
      [...listed].filter((c) => !locked.has(c)),
      [],
      'components that the lockfile does not hold',
    );
    assert.deepEqual(
      [...locked].filter((c) => !listed.has(c)),
      [],
      'lockfile packages the SBOM leaves out',
    );
  });
}

test('the link service gets its own tarball and SBOM, stamped with the same version', () => {
  const link = 'link-service';
  const file = path.join(out, `timesheet-${link}-${version}.tgz`);
  const files = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of ['link-service.js', 'package.json', 'package-lock.json', 'README.md'])
    assert.ok(files.includes(`${link}/${f}`), `${link}/${f}`);
  assert.ok(!files.some((f) => f.includes('/views/') || f.includes('/config/')), 'no app files');
  const pkg = JSON.parse(execFileSync('tar', ['-xzOf', file, `${link}/package.json`], { encoding: 'utf8' })) as {
    name: string;
    version: string;
  };
  assert.deepEqual(pkg.name, 'contoso-timesheet-link-service');
  assert.equal(pkg.version, version);
  const bom = readJson<Bom>(path.join(out, `timesheet-${link}-${version}.cdx.json`));
  assert.equal(bom.metadata.component.name, 'contoso-timesheet-link-service');
  const names = bom.components.map((c) => c.name);
  assert.ok(names.includes('ws') && names.includes('pino'), names.join(', '));
  assert.ok(!names.includes('express'), 'no app dependency');
});
