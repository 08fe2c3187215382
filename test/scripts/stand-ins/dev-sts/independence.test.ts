import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CLAIM_TYPES as APP_CLAIM_TYPES } from '../../../../src/auth/claim-types.js';
import { spEndpoints } from '../../../../src/auth/auth-settings.js';
import { PROJECT_ROOT } from '../../../../src/config/load-config.js';
import { CLAIM_TYPES } from '../../../../scripts/stand-ins/dev-sts/claim-types.js';
import { spEndpointsOf } from '../../../../scripts/stand-ins/dev-sts/target-sps.js';
import { childElements, NS, readXml } from '../../../../scripts/stand-ins/dev-sts/xml-reading.js';

// The dev STS keeps its own SAML handling so that it and the app test each other (issue 15 item 6).
const STS_DIR = path.join(PROJECT_ROOT, 'scripts/stand-ins/dev-sts');

/** Every module a file imports, re-exports or loads dynamically, as written. */
function specifiers(source: string): string[] {
  const found = [
    ...source.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1] as string);
}

test("the dev STS imports nothing from the app's src/auth/", () => {
  const files = readdirSync(STS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => /\.[cm]?[jt]s$/.test(f));
  assert.ok(files.includes('sts-app.ts') && files.includes('xml-reading.ts'), 'the STS sources are found');
  const offending: string[] = [];
  for (const file of files) {
    for (const spec of specifiers(readFileSync(path.join(STS_DIR, file), 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = path.relative(PROJECT_ROOT, path.resolve(STS_DIR, path.dirname(file), spec));
      if (target.split(path.sep).join('/').startsWith('src/auth/')) offending.push(`${file} -> ${spec}`);
    }
  }
  assert.deepEqual(offending, []);
  assert.deepEqual(specifiers(`import { x } from '../../../src/auth/a.js';\nexport * from "./b.js";`), [
    '../../../src/auth/a.js',
    './b.js',
  ]);
});

test("the STS's claim URIs and the app's agree (the one place both tables are compared)", () => {
  assert.deepEqual({ ...CLAIM_TYPES }, { ...APP_CLAIM_TYPES });
});

test("the STS derives an SP's endpoints from its public URL as the app publishes them", () => {
  for (const [url, entityId] of [
    ['http://localhost:3000/', undefined],
    ['https://timesheet.contoso.example', 'urn:x'],
  ]) {
    assert.deepEqual(spEndpointsOf(url as string, entityId), spEndpoints(url as string, entityId));
  }
});

test("the STS's XML reading refuses a DOCTYPE and malformed XML, and reads direct children only", () => {
  assert.throws(() => readXml('<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>'), /DOCTYPE/);
  assert.throws(() => readXml('<r><a></r>'));
  const root = readXml(
    `<p:R xmlns:p="${NS.protocol}" xmlns:s="${NS.assertion}"><s:Issuer>i</s:Issuer><x><s:Issuer>deep</s:Issuer></x></p:R>`,
  ).documentElement!;
  assert.deepEqual(
    childElements(root, NS.assertion, 'Issuer').map((e) => e.textContent),
    ['i'],
  );
});
