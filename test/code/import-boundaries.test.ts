// The shape of the code, checked like behaviour: what the shipped server reaches, and what it must not.
// Imports are read from the sources with the TypeScript parser (./import-graph.ts): every relative
// specifier of `import ... from`, `import type`, side-effect `import './x.js'`, `export ... from` and
// `import('./x.js')` with a literal specifier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { cyclesOf, edgesOf, edgesOfText, graphOf, reachable, walk, type ImportEdge } from './import-graph.js';

const rel = (f: string) => path.relative(PROJECT_ROOT, f).split(path.sep).join('/');
const at = (f: string) => path.join(PROJECT_ROOT, f);

const server = at('src/server.ts');
const linkService = at('src/link-service/main.ts');
const pluginIndexes = walk(at('plugins')).filter((f) => /^plugins\/[^/]+\/index\.ts$/.test(rel(f)));
/** Everything the two packages ship, browser code included: the cycle checks start from every one of these files. */
const shipped = [...walk(at('src')), ...walk(at('plugins'))];

test('the server reaches no stand-in, script, test, browser code or plugin: plugins come in by name, through the container', () => {
  for (const entry of [server, linkService]) {
    const bad = [...reachable(entry)].map(rel).filter((f) => /^(scripts|test|src\/browser|plugins)\//.test(f));
    assert.deepEqual(bad, [], rel(entry));
  }
});

/** Imports from runtime code of tests, scripts or a plugin (tools and development stand-ins live in scripts/). */
function runtimeViolations(files: string[]): string[] {
  return files.flatMap((file) =>
    edgesOf(file)
      .filter((e) => /^(test|scripts|plugins)\//.test(rel(e.to)))
      .map((e) => `${rel(file)} -> ${rel(e.to)}`),
  );
}

test('runtime code (src/ outside the browser code) never imports tests, scripts, the stand-ins (scripts/stand-ins) or a plugin', () => {
  const runtime = walk(at('src')).filter((f) => !/^src\/browser\//.test(rel(f)));
  assert.deepEqual(runtimeViolations(runtime), []);
});

test('a plugin imports the shared code and its own folder, never another plugin', () => {
  const offenders: string[] = [];
  for (const file of walk(at('plugins'))) {
    const own = rel(file).split('/')[1];
    for (const { to } of edgesOf(file)) {
      const t = rel(to);
      if (t.startsWith('plugins/') && t.split('/')[1] !== own) offenders.push(`${rel(file)} -> ${t}`);
      if (/^(test|scripts)\//.test(t)) offenders.push(`${rel(file)} -> ${t}`);
    }
  }
  assert.deepEqual(offenders, []);
});

/**
 * Plugins only through ports. A file in plugins/<name>/ may import (type-only imports included):
 *   - its own folder plugins/<name>/**;
 *   - src/ports/** (the interfaces and tokens it implements and binds);
 *   - one of the files below: the shared, plugin-facing code, which two plugins of one port would
 *     otherwise each keep a copy of (see plugins/README.md, "Why it is built this way").
 * Anything else (src/web, src/app, src/auth, src/timesheet, another file of src/session, a
 * plugin's neighbour, config/, scripts/, test/) fails. Widening the list is a design decision:
 * add the file with its reason, and the test below keeps every entry in use.
 */
const PLUGIN_FACING: Record<string, string> = {
  // The plugin contract with the container.
  'src/container/plugin-loader.ts': 'pluginSettings(ctx, name): the validated pluginSettings.<name> of a plugin',
  'src/config/app-config-schema.ts': 'APP_CONFIG and AppConfig: the app settings a plugin derives defaults from',
  'src/config/load-config.ts': 'PROJECT_ROOT: where session-sql resolves a relative SQLite path',
  // Storage machinery both storage plugins (session-sql, session-azure-tables) share.
  'src/session/sweeper.ts': 'Sweeper and closeOnce: the expired-row sweeper of every store',
  'src/session/draft-save-rule.ts': 'the compare-and-set rule of DraftStore.save(), written once',
  'src/session/settle.ts': 'settle(): both calling styles of an express-session store method',
  'src/session/stored-expiry.ts': "how a session store's touch() knows the stored expiry is stale",
  'src/submission/outbox-transitions.ts': 'the outbox state machine every SubmissionOutbox store applies',
  'src/resilience/backoff.ts': 'the one backoff of the project (the Azure store retrying a storage call)',
  // The SOAP client both ERP connectors (erp-direct, erp-relay) share: the plugin is the transport.
  'src/erp/soap-erp-client.ts': 'createSoapErpClient: the SOAP ERP client both connectors wrap',
  'src/erp/soap-http-transport.ts': "ResponseClassifier: how erp-relay reads the relay's own answers",
  'src/erp/endpoint-rotation.ts': 'FailoverLogger: the logger the SOAP client takes',
  // The Azure Relay sender code both relay plugins (erp-relay, other-copy-relay) share.
  'src/relay/protocol.ts': 'SERVICE_BUS_AUTHORIZATION: the header a relay sender sets',
  'src/relay/relay-sender-settings.ts': 'the sender settings, SAS tokens and refusals of both relay senders',
  'src/relay/relay-urls.ts': 'relaySendUrl: the address of a hybrid connection',
};

/** The imports of plugin files that break "plugins only through ports". */
function pluginViolations(edges: ImportEdge[]): string[] {
  return edges
    .filter(({ from, to }) => {
      const own = `plugins/${rel(from).split('/')[1]}/`;
      const t = rel(to);
      return !t.startsWith(own) && !t.startsWith('src/ports/') && !Object.hasOwn(PLUGIN_FACING, t);
    })
    .map(({ from, to }) => `${rel(from)} -> ${rel(to)}`);
}

test('plugins only through ports: a plugin imports its own folder, src/ports and the named plugin-facing files, nothing else', () => {
  const edges = walk(at('plugins')).flatMap(edgesOf);
  assert.ok(edges.length > 100, `${edges.length} imports read from plugins/`);
  assert.deepEqual(pluginViolations(edges), []);
});

test('every plugin-facing file on the list exists and some plugin imports it (the list stays short)', () => {
  const used = new Set(walk(at('plugins')).flatMap((f) => edgesOf(f).map((e) => rel(e.to))));
  assert.deepEqual(
    Object.keys(PLUGIN_FACING).filter((f) => !used.has(f) || !shipped.includes(at(f))),
    [],
  );
});

// Cycles over every file of src/ and plugins/ (so every entry point: src/server.ts,
// src/link-service/main.ts, each plugins/<name>/index.ts, and src/browser/). Two checks, both must
// find none: value imports (what runs: a cycle there is a load-order hazard, a binding read before
// its module ran), and all imports, `import type` included (a cycle only in types still ties two
// modules together; reported on its own so that the message says it is only types).
test('no import cycle among src/ and plugins/: value imports', () => {
  const graph = graphOf(shipped);
  assert.ok(graph.size > 200, `${graph.size} files scanned`);
  for (const entry of [server, linkService, ...pluginIndexes]) assert.ok(graph.has(entry), rel(entry));
  assert.equal(pluginIndexes.length, 7);
  assert.deepEqual(
    cyclesOf(graph, (e) => !e.typeOnly, rel),
    [],
  );
});

test('no import cycle among src/ and plugins/: type-only imports counted too', () => {
  assert.deepEqual(
    cyclesOf(graphOf(shipped), () => true, rel),
    [],
  );
});

test('the checks can fail: a file importing a stand-in and a test helper is reported', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const probe = path.join(dir, 'probe.ts');
  const to = (f: string) => path.relative(dir, at(f)).replace(/\.ts$/, '.js');
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

test('the reader sees every kind of import, and not a specifier in a comment or a string', () => {
  const file = at('src/probe/probe.ts');
  const edges = edgesOfText(
    file,
    [
      `import a from './a.js';`,
      `import type { B } from './b.js';`,
      `import { type C, type D } from './c.js';`,
      `import { type E, e } from './e.js';`,
      `import './side-effect.js';`,
      `export { f } from './f.js';`,
      `export * from './g.js';`,
      `export type { H } from './h.js';`,
      `const i = await import('./i.js');`,
      `type J = typeof import('./j.js');`,
      `// import { k } from './k.js';`,
      `const l = "import './l.js'";`,
      `import m from 'm-package';`,
    ].join('\n'),
  );
  assert.deepEqual(
    edges.map((e) => `${rel(e.to)} ${e.kind}${e.typeOnly ? ' type' : ''}`),
    [
      'src/probe/a.ts import',
      'src/probe/b.ts import type',
      'src/probe/c.ts import type',
      'src/probe/e.ts import',
      'src/probe/side-effect.ts side-effect',
      'src/probe/f.ts export-from',
      'src/probe/g.ts export-from',
      'src/probe/h.ts export-from type',
      'src/probe/i.ts dynamic',
      'src/probe/j.ts type-query type',
    ],
  );
});

test('the checks can fail: a plugin reaching past the ports, and a cycle of values or of types, are reported', () => {
  const plugin = at('plugins/erp-direct/probe.ts');
  const edges = edgesOfText(
    plugin,
    [
      `import { ERP_CONNECTOR } from '../../src/ports/erp-connector.js';`,
      `import { pluginSettings } from '../../src/container/plugin-loader.js';`,
      `import { own } from './index.js';`,
      `import type { WeekRoutesDeps } from '../../src/web/week-routes.js';`,
      `import '../../src/app/services.js';`,
      `export { x } from '../erp-relay/settings.js';`,
      `const y = await import('../../src/session/session-store.js');`,
    ].join('\n'),
  );
  assert.deepEqual(pluginViolations(edges), [
    'plugins/erp-direct/probe.ts -> src/web/week-routes.ts',
    'plugins/erp-direct/probe.ts -> src/app/services.ts',
    'plugins/erp-direct/probe.ts -> plugins/erp-relay/settings.ts',
    'plugins/erp-direct/probe.ts -> src/session/session-store.ts',
  ]);

  const a = at('src/probe/a.ts');
  const b = at('src/probe/b.ts');
  const c = at('src/probe/c.ts');
  const graph = new Map<string, ImportEdge[]>([
    [a, edgesOfText(a, `import { b } from './b.js';`)],
    [b, edgesOfText(b, `export * from './a.js';\nimport type { C } from './c.js';`)],
    [c, edgesOfText(c, `import './b.js';`)],
  ]);
  assert.deepEqual(
    cyclesOf(graph, (e) => !e.typeOnly, rel),
    ['src/probe/a.ts -> src/probe/b.ts -> src/probe/a.ts'],
  );
  assert.deepEqual(
    cyclesOf(graph, () => true, rel),
    ['src/probe/a.ts -> src/probe/b.ts -> src/probe/a.ts', 'src/probe/b.ts -> src/probe/c.ts -> src/probe/b.ts'],
  );
});
