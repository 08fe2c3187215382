// WCAG 2.1 A/AA in Chromium with axe-core, in English and in French: the sign-in pages (the
// organisation chooser, the dev STS), the week page (draft and submitted), error pages (404, sign-in
// failed), "My weeks", the month page, the team page. Plus what axe cannot see: visible focus, the save status as a live region that does not
// move the page, the error summary's links, no horizontal scrolling at 320 px and at 200 % zoom.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { snapshotPagesOnFailure } from '../../scripts/harness/failure-snapshots.js';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

let stack: AppStack;
let browser: Browser;
snapshotPagesOnFailure(() => browser);
before(async () => {
  [stack, browser] = await Promise.all([startAppStack(null), launchChromium()]);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** Best-practice rules worth holding to besides the WCAG ones: landmarks and headings. */
const STRUCTURE_RULES = [
  'region',
  'landmark-one-main',
  'landmark-unique',
  'page-has-heading-one',
  'heading-order',
  'skip-link',
];

/**
 * axe on the page as it is now. Injected through the DevTools protocol (page.evaluate), which the
 * page's CSP does not govern, so the CSP stays as strict as in production.
 */
async function violations(page: Page): Promise<AxeResult[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async (rules) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown[] }> } })
      .axe;
    const wcag = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    const structure = await axe.run(document, {
      runOnly: { type: 'rule', values: rules },
      resultTypes: ['violations'],
    });
    return [...wcag.violations, ...structure.violations] as never;
  }, STRUCTURE_RULES);
}

function readable(found: AxeResult[]): string {
  return found
    .map(
      (v) =>
        `- ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`).join('\n')}`,
    )
    .join('\n');
}

async function assertAccessible(page: Page, what: string): Promise<void> {
  const found = await violations(page);
  assert.equal(found.length, 0, `${what} (${page.url()}): ${found.length} axe violation(s)\n${readable(found)}`);
}

/** The page is not wider than the window: nothing needs horizontal scrolling (WCAG 1.4.10). */
async function assertNoHorizontalOverflow(page: Page, what: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${what}: the page is ${scroll} px wide in a ${client} px window`);
}

/** Reflow at 320 px, and at 200 % zoom (a 1280 px window at 200 % lays out like 640 CSS px). */
async function assertReflows(page: Page, what: string): Promise<void> {
  const size = page.viewportSize();
  for (const width of [320, 640]) {
    await page.setViewportSize({ width, height: 800 });
    await assertNoHorizontalOverflow(page, `${what} at ${width} px`);
  }
  if (size) await page.setViewportSize(size);
}

const LANGS = [
  { lang: 'en', locale: 'en-GB', user: 'erin', userName: 'User name', password: 'Password', signIn: 'Sign in' },
  {
    lang: 'fr',
    locale: 'fr-FR',
    user: 'frank',
    userName: "Nom d'utilisateur",
    password: 'Mot de passe',
    signIn: 'Se connecter',
  },
] as const;

async function newContext(locale: string, colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
  return browser.newContext({ locale, viewport: { width: 1280, height: 900 }, colorScheme });
}

for (const l of LANGS) {
  test(`sign-in pages are accessible (${l.lang})`, async () => {
    const context = await newContext(l.locale);
    const page = await context.newPage();
    await page.goto(`${stack.url}/login?choose=1`);
    assert.equal(await page.getAttribute('html', 'lang'), l.lang);
    await assertAccessible(page, `organisation chooser (${l.lang})`);
    await assertReflows(page, `organisation chooser (${l.lang})`);
    // Visible focus: the first Tab lands on the skip link or the first link, with an outline.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused element shows a focus outline');

    await page.goto(`${stack.url}/week/2026-W50`);
    await page.getByLabel(l.userName).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), l.lang);
    await assertAccessible(page, `dev STS sign-in (${l.lang})`);
    await assertReflows(page, `dev STS sign-in (${l.lang})`);
    await context.close();
  });

  test(`error pages are accessible (${l.lang})`, async () => {
    const context = await newContext(l.locale);
    const page = await context.newPage();
    // Sign-in failed: an unreadable SAMLResponse posted to the ACS (as a broken IdP would).
    await page.goto(`${stack.url}/signed-out`);
    await assertAccessible(page, `signed-out page (${l.lang})`);
    await Promise.all([
      page.waitForURL(`${stack.url}/saml/acs`),
      page.evaluate(() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/saml/acs';
        const field = Object.assign(document.createElement('input'), {
          type: 'hidden',
          name: 'SAMLResponse',
          value: 'bm90IGEgcmVzcG9uc2U=',
        });
        form.append(field);
        document.body.append(form);
        form.submit();
      }),
    ]);
    assert.equal(await page.getAttribute('html', 'lang'), l.lang);
    assert.equal(await page.locator('h1').count(), 1);
    await assertAccessible(page, `sign-in failed (${l.lang})`);
    await assertReflows(page, `sign-in failed (${l.lang})`);

    await signIn(page, l, '/no-such-page');
    assert.equal(await page.getAttribute('html', 'lang'), l.lang);
    await assertAccessible(page, `404 (${l.lang})`);
    await assertReflows(page, `404 (${l.lang})`);
    await context.close();
  });

  test(`the week page is accessible, draft and submitted (${l.lang})`, async () => {
    const context = await newContext(l.locale);
    const page = await context.newPage();
    await signIn(page, l, '/week/2026-W51');
    assert.equal(await page.getAttribute('html', 'lang'), l.lang);
    await assertAccessible(page, `draft week (${l.lang})`);

    const status = page.locator('#save-status');
    assert.equal(await status.getAttribute('role'), 'status');
    // Its space is reserved: the buttons beside it do not move when the text appears.
    const buttonBefore = await page.locator('#action-bar button').first().boundingBox();
    const statusBefore = await status.boundingBox();
    const cell = page.locator('input.hours:not([readonly])').first();
    await cell.fill('2');
    await cell.press('Tab');
    await page.waitForFunction(() => (document.getElementById('save-status')?.textContent ?? '').trim().length > 0);
    assert.deepEqual(
      await page.locator('#action-bar button').first().boundingBox(),
      buttonBefore,
      'the buttons did not move',
    );
    assert.equal((await status.boundingBox())?.height, statusBefore?.height, 'the status kept its height');
    // A longer status (offline, changes waiting) does not move them either.
    await context.setOffline(true);
    await cell.fill('3');
    await cell.press('Tab');
    await page.waitForFunction(() => document.getElementById('save-status')?.getAttribute('data-kind') === 'offline');
    assert.deepEqual(
      await page.locator('#action-bar button').first().boundingBox(),
      buttonBefore,
      'the buttons did not move (offline)',
    );
    await context.setOffline(false);
    await page.waitForFunction(
      () => document.getElementById('save-status')?.getAttribute('data-kind') === 'saved',
      null,
      { timeout: 40_000 },
    );
    await assertAccessible(page, `draft week after an autosave (${l.lang})`);

    // At 320 px only the grid scrolls sideways, never the page.
    await page.setViewportSize({ width: 320, height: 800 });
    await assertNoHorizontalOverflow(page, `draft week at 320 px (${l.lang})`);
    await page.setViewportSize({ width: 1280, height: 900 });

    if (l.lang === 'en') {
      // An error is told in words, in a summary whose links lead to the fields.
      await cell.fill('7.1');
      await cell.press('Tab');
      // Its words are the cell's description, shown over the grid while the cell has the cursor (the row never grows).
      await page.locator('.has-error .field-error').first().waitFor({ state: 'attached' });
      assert.ok(
        ((await page.locator('.has-error .field-error').first().textContent()) ?? '').trim().length > 0,
        'the error is written, not only red',
      );
      await page.getByRole('button', { name: 'Save draft' }).click();
      const links = page.locator('#error-summary a');
      await links.first().waitFor();
      for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
        assert.match(href, /^#./);
        assert.equal(await page.locator(`[id="${href.slice(1)}"]`).count(), 1, `${href} names a field`);
      }
      await assertAccessible(page, 'week with an error summary');
    }
    await context.close();

    // alice's week of 16 November is booked in the ERP: read-only, with its receipt.
    const submitted = await newContext(l.locale);
    const readOnly = await submitted.newPage();
    await signIn(readOnly, { ...l, user: 'alice' }, '/week/2026-W47');
    await readOnly.locator('.submitted').waitFor();
    await assertAccessible(readOnly, `submitted week (${l.lang})`);
    await submitted.close();
  });
}

for (const l of LANGS) {
  test(`the week page is accessible in dark mode: draft, its menus and errors, phone day view, submitted (${l.lang})`, async () => {
    const context = await newContext(l.locale, 'dark');
    const page = await context.newPage();
    await signIn(page, { ...l, user: l.lang === 'en' ? 'bob' : 'claire' }, '/week/2026-W50');
    assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true);
    await assertAccessible(page, `draft week, dark (${l.lang})`);
    // What opens over the grid: a row's menu, a comment, a value to fix with its words.
    const cell = page.locator('tr[data-project] input.hours').first();
    await cell.fill('7.1');
    await cell.press('Tab');
    await page.locator('td.has-error').first().waitFor();
    await page.locator('tr[data-project] details.row-menu summary').first().click();
    await page.locator('tr[data-project] details.comment summary').nth(2).click();
    await cell.focus();
    await assertAccessible(page, `draft week with a menu, a comment and an error open, dark (${l.lang})`);
    await page.setViewportSize({ width: 375, height: 667 });
    await page.locator('.day-switcher').waitFor();
    await assertAccessible(page, `phone day view, dark (${l.lang})`);
    await context.close();

    const submitted = await newContext(l.locale, 'dark');
    const readOnly = await submitted.newPage();
    await signIn(readOnly, { ...l, user: 'alice' }, '/week/2026-W47');
    await readOnly.locator('.submitted').waitFor();
    await assertAccessible(readOnly, `submitted week, dark (${l.lang})`);
    await submitted.close();
  });
}

async function signIn(
  page: Page,
  l: { user: string; userName: string; password: string; signIn: string },
  target: string,
): Promise<void> {
  await page.goto(`${stack.url}${target}`);
  await page.getByLabel(l.userName).fill(l.user);
  await page.getByLabel(l.password).fill('dev-password');
  await page.getByRole('button', { name: l.signIn }).click();
  await arriveAt(page, `${stack.url}${target}`);
}

for (const l of LANGS) {
  test(`"My weeks" is accessible, light and dark, and reflows (${l.lang})`, async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const context = await newContext(l.locale, scheme);
      const page = await context.newPage();
      await signIn(page, { ...l, user: 'alice' }, '/weeks');
      await page.locator('#my-weeks tbody tr').first().waitFor();
      assert.equal(await page.locator('#my-weeks tbody tr').count(), 14);
      assert.equal(await page.getAttribute('html', 'lang'), l.lang);
      await assertAccessible(page, `My weeks, ${scheme} (${l.lang})`);
      if (scheme === 'light') await assertReflows(page, `My weeks (${l.lang})`);
      await context.close();
    }
  });

  test(`the month page and the team page are accessible, light and dark, and reflow (${l.lang})`, async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const context = await newContext(l.locale, scheme);
      const page = await context.newPage();
      // alice's November holds three booked weeks (seed data).
      await signIn(page, { ...l, user: 'alice' }, '/month/2026-11');
      await page.locator('#month-grid tbody tr[data-project]').first().waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), l.lang);
      await assertAccessible(page, `month, ${scheme} (${l.lang})`);
      if (scheme === 'light') await assertReflows(page, `month (${l.lang})`);
      await context.close();

      // A manager (bob, frank): the team page, here without e-mail set up.
      const managers = await newContext(l.locale, scheme);
      const team = await managers.newPage();
      await signIn(team, { ...l, user: l.lang === 'en' ? 'bob' : 'frank' }, '/team');
      await team.locator('#team tbody tr').first().waitFor();
      await assertAccessible(team, `team, ${scheme} (${l.lang})`);
      if (scheme === 'light') await assertReflows(team, `team (${l.lang})`);
      await managers.close();
    }
  });
}
