// `npm run build` makes one package per target. Each app package holds only its own plugins' code and
// dependencies; the link service's holds the link service alone. Each installs (npm ci --omit=dev) and
// runs alone, away from the repository.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { buildTarget, LINK_SERVICE, type BuiltPackage } from '../../scripts/build.js';
import { createRelayErpConnector } from '../../plugins/erp-relay/relay-erp-connector.js';
import { settingsSchema as erpRelaySettings } from '../../plugins/erp-relay/settings.js';
import { startTestErpFarm, type TestErpFarm } from '../../scripts/harness/erp-simulator.js';
import { startAzurite, type AzuriteTable } from '../../scripts/harness/azurite.js';
import { origins, startTestLinkService, startTestRelay } from '../../scripts/harness/relay.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'timesheet-build-'));
const built: Record<string, BuiltPackage> = {};
let farm: TestErpFarm;

/** Each package's npm ci --omit=dev, started as soon as it is built: the two installs (and the on-prem one's sqlite3 compile) overlap. */
const installs: Record<string, Promise<void>> = {};

function install(target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'npm',
      ['ci', '--omit=dev', '--no-audit', '--no-fund'],
      { cwd: built[target]!.dir, timeout: 600_000 },
      (err, _stdout, stderr) =>
        err
          ? reject(new Error(`npm ci --omit=dev of the ${target} package failed: ${err.message}\n${stderr}`))
          : resolve(),
    );
  });
}

before(async () => {
  built.onprem = await buildTarget('onprem', out);
  installs.onprem = install('onprem');
  built.cloud = await buildTarget('cloud', out);
  installs.cloud = install('cloud');
  built[LINK_SERVICE] = await buildTarget(LINK_SERVICE, out);
  installs[LINK_SERVICE] = install(LINK_SERVICE);
  // Awaited by the tests that need them; a failure here must not go unhandled meanwhile.
  for (const p of Object.values(installs)) p.catch(() => undefined);
  farm = await startTestErpFarm();
});
after(async () => {
  await farm?.close();
  rmSync(out, { recursive: true, force: true });
});

const CLOUD_ONLY = ['@azure/data-tables', '@azure/identity', 'ws'];
const ONPREM_ONLY = ['sequelize', 'connect-session-sequelize', 'sqlite3', 'pg', 'pg-hstore', 'mariadb'];

/** Every JavaScript file of a package: our code (server.js) and the npm packages' chunks (npm-*.js). */
function allCode(target: string): string {
  const dir = built[target]!.dir;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

function manifest(target: string): { dependencies: Record<string, string> } {
  return JSON.parse(readFileSync(path.join(built[target]!.dir, 'package.json'), 'utf8'));
}

test('the on-prem package lists no cloud dependency and holds no cloud plugin code or configuration', () => {
  const deps = Object.keys(manifest('onprem').dependencies);
  for (const name of CLOUD_ONLY) assert.ok(!deps.includes(name), name);
  for (const name of ['sequelize', 'sqlite3', 'soap', 'express']) assert.ok(deps.includes(name), name);
  const lock = readFileSync(path.join(built.onprem!.dir, 'package-lock.json'), 'utf8');
  assert.doesNotMatch(lock, /"node_modules\/@azure\/data-tables"/);
  const bundle = allCode('onprem');
  for (const marker of [
    '@azure/data-tables',
    'ServiceBusAuthorization',
    'plugins/session-azure-tables',
    'plugins/erp-relay',
    'plugins/cloud-role',
  ]) {
    assert.ok(!bundle.includes(marker), `on-prem bundle contains ${marker}`);
  }
  assert.ok(bundle.includes('plugins/session-sql'));
  assert.equal(existsSync(path.join(built.onprem!.dir, 'config', 'targets', 'cloud.json')), false);
});

test('the cloud package lists no on-prem dependency and holds no on-prem plugin code or configuration', () => {
  const deps = Object.keys(manifest('cloud').dependencies);
  for (const name of ONPREM_ONLY) assert.ok(!deps.includes(name), name);
  assert.ok(deps.includes('@azure/data-tables'));
  const lock = readFileSync(path.join(built.cloud!.dir, 'package-lock.json'), 'utf8');
  assert.doesNotMatch(lock, /"node_modules\/sqlite3"|"node_modules\/sequelize"/);
  const bundle = allCode('cloud');
  for (const marker of [
    'connect-session-sequelize',
    'node_modules/sequelize/',
    'plugins/session-sql',
    'plugins/erp-direct',
  ]) {
    assert.ok(!bundle.includes(marker), `cloud bundle contains ${marker}`);
  }
  assert.equal(existsSync(path.join(built.cloud!.dir, 'config', 'targets', 'onprem.json')), false);
});

test('the stand-ins and the link service are not shipped in either package', () => {
  for (const target of ['onprem', 'cloud']) {
    const bundle = allCode(target);
    for (const marker of ['stand-ins/erp-simulator', 'stand-ins/dev-sts', 'stand-ins/relay-emulator', 'link-service/'])
      assert.ok(!bundle.includes(marker), `${target}: ${marker}`);
    for (const idpKey of ['dev-sts.key', 'fabrikam-idp.key']) {
      assert.equal(
        existsSync(path.join(built[target]!.dir, 'config', 'dev', 'keys', idpKey)),
        false,
        `no IdP private key (${idpKey})`,
      );
    }
  }
});

for (const [target, main] of [
  ['onprem', 'server.js'],
  ['cloud', 'server.js'],
  [LINK_SERVICE, 'link-service.js'],
] as const) {
  test(`${target}: our code in ${main} with its source map, the npm packages in npm-*.js chunks without one`, () => {
    const dir = built[target]!.dir;
    const files = readdirSync(dir);
    const chunks = files.filter((f) => /^npm-[A-Z0-9]+\.js$/.test(f));
    assert.ok(chunks.length > 0, 'npm packages bundled in chunks');
    const chunkCode = chunks.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
    assert.ok(chunkCode.includes('// node_modules/'), 'package code marked with its file');
    assert.doesNotMatch(chunkCode, /sourceMappingURL/);
    assert.deepEqual(
      files.filter((f) => f.endsWith('.map')),
      [`${main}.map`],
    );
    const ours = readFileSync(path.join(dir, main), 'utf8');
    assert.doesNotMatch(ours, /\/\/ node_modules\//, 'no npm package code among ours');
    const map = JSON.parse(readFileSync(path.join(dir, `${main}.map`), 'utf8')) as { sources: string[] };
    assert.deepEqual(
      map.sources.filter((s) => s.includes('node_modules/')),
      [],
    );
    // A frame in our code maps back to its TypeScript file and line, as `node --enable-source-maps` shows it.
    const lines = ours.split('\n');
    const needle = target === LINK_SERVICE ? 'function startLinkService' : 'async function createApp';
    const line = lines.findIndex((l) => l.includes(needle));
    assert.ok(line >= 0, needle);
    const entry = new SourceMap(map as never).findEntry(line, 0) as { originalSource?: string; originalLine?: number };
    const file = target === LINK_SERVICE ? 'src/link-service/' : 'src/app.ts';
    assert.ok(entry.originalSource?.includes(file), `${needle} maps to ${entry.originalSource}`);
  });
}

/** npm ci --omit=dev (started in before), then node server.js; resolves with the port from its start-up log line. */
async function startPackage(
  target: string,
  env: Record<string, string>,
  t: { after: (fn: () => unknown) => void },
): Promise<{ port: number; child: ChildProcess }> {
  const dir = built[target]!.dir;
  await installs[target];
  const child = spawn(process.execPath, ['server.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH, TIMESHEET_ENV: 'development', TIMESHEET_APP__PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${target} package did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /"port":(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${target} package exited (${code}):\n${output}`)));
  });
  return { port, child };
}

/** The port opens before the app is built (readiness 503 "starting" meanwhile): poll until ready. */
async function readyThenStop(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    last = await ready.text();
    if (ready.status === 200) break;
    assert.ok(Date.now() < deadline, `not ready within 60 s: ${last}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, 'a clean shutdown on SIGTERM');
}

test('the on-prem package installs with npm ci --omit=dev and runs alone', { timeout: 900_000 }, async (t) => {
  const { port, child } = await startPackage(
    'onprem',
    { TIMESHEET_PLUGIN_SETTINGS__ERP_DIRECT__ENDPOINTS: JSON.stringify(farm.urls) },
    t,
  );
  await readyThenStop(port, child);
});

test('the cloud package installs with npm ci --omit=dev and runs alone', { timeout: 900_000 }, async (t) => {
  const azurite: AzuriteTable = await startAzurite();
  t.after(() => azurite.stop());
  const relay = await startTestRelay();
  t.after(() => relay.close());
  const link = startTestLinkService(relay, { erpEndpoints: origins(farm.urls) });
  t.after(() => link.close());
  await link.waitUntilConnected(10_000);
  const { port, child } = await startPackage(
    'cloud',
    {
      TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__CONNECTION_STRING: azurite.connectionString,
      TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__RELAY_BASE_URL: relay.url,
    },
    t,
  );
  await readyThenStop(port, child);
});

test('the link service package holds the link service alone: no app, plugin, view or configuration', () => {
  const dir = built[LINK_SERVICE]!.dir;
  assert.deepEqual(Object.keys(manifest(LINK_SERVICE).dependencies), ['pino', 'ws', 'zod']);
  const bundle = allCode(LINK_SERVICE);
  for (const marker of ['src/app', 'plugins/', 'stand-ins/', 'node_modules/express/'])
    assert.ok(!bundle.includes(marker), marker);
  for (const absent of ['server.js', 'views', 'config'])
    assert.equal(existsSync(path.join(dir, absent)), false, absent);
});

test(
  'the link service package installs with npm ci --omit=dev and carries ERP calls through the relay',
  { timeout: 900_000 },
  async (t) => {
    const relay = await startTestRelay();
    t.after(() => relay.close());
    await installs[LINK_SERVICE];
    const child = spawn(process.execPath, ['link-service.js'], {
      cwd: built[LINK_SERVICE]!.dir,
      env: { PATH: process.env.PATH, LINK_RELAY_URL: relay.url, LINK_ERP_ENDPOINTS: origins(farm.urls).join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => child.kill('SIGKILL'));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the link service did not connect:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('connected to the relay; listening')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the link service exited (${code}):\n${output}`)));
    });
    const erp = await createRelayErpConnector(erpRelaySettings.parse({ relayBaseUrl: relay.url, timeoutMs: 5000 }));
    t.after(() => erp.close());
    const week = await erp.getWeekContext('alice', '2026-11-16');
    assert.ok(week.projects.length > 0, 'the ERP answered through the relay and the packaged link service');
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, 'a clean shutdown on SIGTERM');
  },
);
