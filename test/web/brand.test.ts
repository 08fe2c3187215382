// The company's name and colours come from the configuration: validated (hex only, readable
// contrast), served as /assets/brand.css (cached, versioned in the link), and the favicon is served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appConfigSchema } from '../../src/config/app-config-schema.js';
import { contrastRatio } from '../../src/config/colour-contrast.js';
import { brandLight, brandStylesheet, DARK_BACKGROUNDS } from '../../src/web/brand.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { TestBrowser } from '../../scripts/harness/dev-sts.js';

const brandOf = (brand: unknown) => appConfigSchema.shape.app.shape.brand.safeParse(brand);

test('brand colours: defaults, hex only, and readable contrast', () => {
  const defaults = brandOf(undefined);
  assert.ok(defaults.success);
  assert.deepEqual(defaults.data, { company: 'CONTOSO', primaryColor: '#0b4f8a', accentColor: '#ffbf47' });
  assert.ok(brandOf({ company: 'Fabrikam', primaryColor: '#123', accentColor: '#FFD700' }).success);
  for (const bad of ['red', '#12345', '#0b4f8a;}body{display:none', 'url(x)'])
    assert.equal(brandOf({ primaryColor: bad }).success, false, bad);
  const pale = brandOf({ primaryColor: '#88bbee' });
  assert.equal(pale.success, false);
  assert.match(pale.error!.issues[0]!.message, /contrast/);
  assert.equal(brandOf({ accentColor: '#333333' }).success, false);
  assert.ok(Math.abs(contrastRatio('#000', '#fff') - 21) < 0.01);
});

test('dark mode: the brand colour is lightened until it reads on every dark background (4.5:1), any brand', () => {
  for (const primary of ['#0b4f8a', '#5a2d82', '#000000', '#7a0000', '#123', '#1d6b2f', '#00524c']) {
    const light = brandLight(primary);
    for (const bg of DARK_BACKGROUNDS)
      assert.ok(contrastRatio(light, bg) >= 4.5, `${light} (from ${primary}) on ${bg}: ${contrastRatio(light, bg)}`);
    assert.match(
      brandStylesheet({ company: 'X', primaryColor: primary, accentColor: '#ffbf47' }).css,
      new RegExp(`--brand-light: ${light};`),
    );
  }
  // The stylesheet's own defaults are what the configuration's defaults give.
  const css = readFileSync(path.join(PROJECT_ROOT, 'views', 'assets', 'app.css'), 'utf8');
  assert.match(css, new RegExp(`--brand-light: ${brandLight('#0b4f8a')};`));
  for (const bg of DARK_BACKGROUNDS) assert.match(css, new RegExp(`: ${bg};`), `${bg} is a background of dark mode`);
});

let stack: AppStack;
before(async () => {
  stack = await startAppStack(null, {
    overrides: { app: { brand: { company: 'Northwind', primaryColor: '#5a2d82' } } },
  });
});
after(async () => {
  await stack?.close();
});

test('pages link the brand stylesheet and the favicon, and show the company', async () => {
  const page = await new TestBrowser().get(`${stack.url}/login?choose=1`);
  const href = /<link rel="stylesheet" href="(\/assets\/brand\.css\?v=\w+)">/.exec(page.body)?.[1];
  assert.ok(href, 'the sign-in page links the brand stylesheet');
  assert.match(page.body, /<link rel="icon" href="\/assets\/favicon\.svg"/);
  assert.match(page.body, /<span class="company">Northwind<\/span>/);
  const css = await fetch(`${stack.url}${href}`);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type') ?? '', /text\/css/);
  assert.match(css.headers.get('cache-control') ?? '', /max-age=\d+/);
  assert.match(await css.text(), /--brand: #5a2d82;/);
  const again = await fetch(`${stack.url}${href}`, { headers: { 'if-none-match': css.headers.get('etag') ?? '' } });
  assert.equal(again.status, 304);
  const icon = await fetch(`${stack.url}/assets/favicon.svg`);
  assert.equal(icon.status, 200);
  assert.match(icon.headers.get('content-type') ?? '', /svg/);
  const ico = await fetch(`${stack.url}/favicon.ico`, { redirect: 'manual' });
  assert.equal(ico.headers.get('location'), '/assets/favicon.svg');
});

test('the signed-in pages carry the same brand', async () => {
  const { page } = await stack.signIn('erin', '/week/2026-W50');
  assert.match(page.body, /<link rel="stylesheet" href="\/assets\/brand\.css\?v=\w+">/);
  assert.match(page.body, /<title>[^<]*Northwind<\/title>/);
});
