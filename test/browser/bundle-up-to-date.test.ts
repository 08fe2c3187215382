// The page scripts served from /assets/ (views/assets/week.js, grid-keys.js, submission-status.js,
// ops.js and their maps) are bundles of src/browser/, committed so that every way of running the
// app serves them without a build step. This fails when one differs from a fresh bundle of the
// sources (a source edited without `npm run build:browser`, or a bundle edited by hand).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BROWSER_BUNDLES, BROWSER_OUT_DIR, bundleBrowserScripts } from '../../scripts/build-browser.js';

test('the committed page scripts are a fresh bundle of src/browser/ (else run `npm run build:browser`)', async () => {
  const fresh = await bundleBrowserScripts();
  const names = fresh.map((f) => path.relative(BROWSER_OUT_DIR, f.path)).sort();
  assert.deepEqual(
    names,
    Object.keys(BROWSER_BUNDLES)
      .flatMap((name) => [`${name}.js`, `${name}.js.map`])
      .sort(),
    'one script and one source map per bundle',
  );
  const stale = fresh
    .filter((f) => !existsSync(f.path) || readFileSync(f.path, 'utf8') !== f.text)
    .map((f) => path.relative(BROWSER_OUT_DIR, f.path));
  assert.deepEqual(
    stale,
    [],
    `views/assets/ out of date: ${stale.join(', ')}: run \`npm run build:browser\` and commit the result`,
  );
});

test('the page scripts stay within the CSP: no eval, no Function constructor, no inline code', async () => {
  for (const file of await bundleBrowserScripts()) {
    if (!file.path.endsWith('.js')) continue;
    assert.doesNotMatch(
      file.text,
      /\beval\s*\(|\bnew Function\s*\(|\binnerHTML\b|setTimeout\(\s*['"`]/,
      path.basename(file.path),
    );
  }
});
