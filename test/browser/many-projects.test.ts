// Many projects (issue 16, point 7) in Chromium, as nora (40 projects in the week of 30 November 2026,
// seeded in the ERP simulator): the search over "Add a project" and a blank row's project (typing,
// arrows, Enter; the number of matches said politely; axe clean; without JavaScript the plain
// <select>), and favourite rows: starred in one week, the next new week starts with them, starred.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { useOnpremStackAndChromium } from '../../scripts/harness/browser-stack.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
const env = useOnpremStackAndChromium();

/** nora's page of `target`; without JavaScript, after a sign-in with it (the SAML post back needs it). */
async function signedIn(target: string, options: { javaScript?: boolean; width?: number; height?: number } = {}) {
  const viewport = { width: options.width ?? 1366, height: options.height ?? 768 };
  const context = await env.browser.newContext({ locale: 'en-GB', viewport });
  const page = await context.newPage();
  await page.goto(`${env.stack.url}${target}`);
  await page.getByLabel('User name').fill('nora');
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await arriveAt(page, `${env.stack.url}${target}`);
  if (options.javaScript !== false) return page;
  const storageState = await context.storageState();
  await context.close();
  const plain = await env.browser.newContext({ locale: 'en-GB', viewport, javaScriptEnabled: false, storageState });
  const noScript = await plain.newPage();
  await noScript.goto(`${env.stack.url}${target}`);
  return noScript;
}

/** WCAG 2.1 A/AA violations on the page as it is now (axe through the DevTools protocol, CSP untouched). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ html: string }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`);
  });
}

const options = (page: Page, name: string) => page.getByRole('listbox', { name }).getByRole('option');

// Each test has weeks of its own, far enough apart (more than 8 weeks) that a star given in one test
// is not carried into the next test's weeks.

test('the search narrows "Add a project" as one types (accents and case aside), says how many match, and Enter adds', async () => {
  const page = await signedIn('/week/2026-W49');
  const search = page.getByRole('combobox', { name: 'Project to add to the grid' });
  assert.equal(await page.locator('#add-project').isVisible(), false, 'the <select> gives way to the search');
  assert.equal(await page.getByRole('button', { name: 'Add a project' }).isVisible(), false, 'picking adds');
  await search.fill('migr');
  assert.deepEqual(await options(page, 'Project to add to the grid').allTextContents(), ['P-1042 Migration']);
  await page.locator('.add-row [role="status"]').filter({ hasText: '1 project matches' }).waitFor();
  await search.fill('CAFE');
  assert.deepEqual(await options(page, 'Project to add to the grid').allTextContents(), ['P-1101 Café refurbishment']);
  assert.equal(await page.locator('.project-search-option mark').first().textContent(), 'Café');
  await search.fill('zzz');
  await page.locator('.add-row [role="status"]').filter({ hasText: 'No project matches “zzz”' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'axe, with the list open');

  // Keyboard only: type, arrows, Enter.
  await search.fill('');
  await search.pressSequentially('sécu');
  assert.deepEqual(await options(page, 'Project to add to the grid').allTextContents(), [
    'P-1061 Security audit',
    'P-1105 Sécurité incendie',
  ]);
  await page.locator('.add-row [role="status"]').filter({ hasText: '2 projects match' }).waitFor();
  await search.press('ArrowDown');
  assert.equal(
    await search.getAttribute('aria-activedescendant'),
    await page.getByRole('option', { name: 'P-1105 Sécurité incendie' }).getAttribute('id'),
  );
  await search.press('Enter');
  await page.getByText('The row P-1105 was added.').waitFor();
  await page.getByLabel('Hours for P-1105 Sécurité incendie on Monday 30 November').waitFor();
  await page.screenshot({ path: '/tmp/D-search-added.png' });
  await page.context().close();
});

test("a blank row's project is found the same way; its hours typed before are kept", async () => {
  const page = await signedIn('/week/2026-W50');
  await page.getByLabel('Hours for new row 1 (choose its project) on Tuesday 8 December').fill('3');
  const search = page.getByRole('combobox', { name: 'Project for new row 1' });
  await search.click();
  const all = await options(page, 'Project for new row 1').count();
  assert.ok(all >= 30, `${all} choices when nothing is typed`);
  await search.pressSequentially('oeuvres');
  assert.deepEqual(await options(page, 'Project for new row 1').allTextContents(), ['P-1108 Œuvres sociales']);
  await page.screenshot({ path: '/tmp/D-search-blank-1366.png' });
  await search.press('Enter');
  const saved = page.getByLabel('Hours for P-1108 Œuvres sociales on Tuesday 8 December');
  await saved.waitFor();
  assert.equal(await saved.inputValue(), '3');
  await page.context().close();
});

test('on a phone the search list fits the screen', async () => {
  const page = await signedIn('/week/2028-W01', { width: 375, height: 667 });
  const search = page.getByRole('combobox', { name: 'Project to add to the grid' });
  await search.scrollIntoViewIfNeeded();
  await search.pressSequentially('p');
  const box = await page.getByRole('listbox', { name: 'Project to add to the grid' }).boundingBox();
  assert.ok(
    box && box.x >= 0 && box.x + box.width <= 375 && box.y >= 0 && box.y + box.height <= 667,
    JSON.stringify(box),
  );
  await page.screenshot({ path: '/tmp/D-search-375.png' });
  await search.press('Escape');
  // The star is at hand on a phone too: in the row's menu.
  await page.locator('tr[data-project="P-1002"] details.row-menu > summary').click();
  await page.getByRole('button', { name: 'Favourite: P-1002 Training' }).click();
  await page.locator('tr[data-project="P-1002"] .favourite-mark').waitFor();
  await page.screenshot({ path: '/tmp/D-star-375.png' });
  await page.context().close();
});

test('in French and in dark mode, the open list and the star are axe clean', async () => {
  const context = await env.browser.newContext({
    locale: 'fr-FR',
    colorScheme: 'dark',
    viewport: { width: 1366, height: 768 },
  });
  const page = await context.newPage();
  await page.goto(`${env.stack.url}/week/2027-W20`);
  await page.getByLabel(/Nom d/).fill('nora');
  await page.getByLabel('Mot de passe').fill('dev-password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await arriveAt(page, `${env.stack.url}/week/2027-W20`);
  const search = page.getByRole('combobox', { name: 'Projet à ajouter à la grille' });
  await search.click();
  await page
    .locator('.add-row [role="status"]')
    .filter({ hasText: /projets correspondent/ })
    .waitFor();
  assert.deepEqual(await axeViolations(page), [], 'axe, French, dark, the whole list open');
  await page.screenshot({ path: '/tmp/D-search-fr-dark.png' });
  await search.pressSequentially('facade');
  assert.deepEqual(await options(page, 'Projet à ajouter à la grille').allTextContents(), ['P-1110 Façade du siège']);
  await search.press('Escape');
  await page.locator('tr[data-project] details.row-menu > summary').first().click();
  await page
    .getByRole('button', { name: /^Favori\s: / })
    .first()
    .click();
  await page
    .locator('#favourite-note')
    .filter({ hasText: /est un favori/ })
    .waitFor();
  assert.deepEqual(await axeViolations(page), [], 'axe, French, dark, a row menu open with its star pressed');
  await page.screenshot({ path: '/tmp/D-star-fr-dark.png' });
  await context.close();
});

test('without JavaScript the plain <select> adds the project', async () => {
  const page = await signedIn('/week/2026-W52', { javaScript: false });
  assert.equal(await page.getByRole('combobox', { name: 'Project to add to the grid' }).count(), 1);
  await page.getByLabel('Project to add to the grid').selectOption('P-1042');
  await page.getByRole('button', { name: 'Add a project' }).click();
  await page.getByText('The row P-1042 was added.').waitFor();
  await page.context().close();
});

test('a row starred in one week is there, starred and first, when the next new week is opened', async () => {
  const page = await signedIn('/week/2027-W02');
  const star = page.getByRole('button', { name: 'Favourite: P-1010 Network refresh' });
  await page.locator('tr[data-project="P-1010"] details.row-menu > summary').click();
  assert.equal(await star.getAttribute('aria-pressed'), 'false');
  await star.click();
  await page.locator('#favourite-note').filter({ hasText: 'P-1010 Network refresh is a favourite' }).waitFor();
  assert.equal(await star.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('tr[data-project="P-1010"] .favourite-mark').count(), 1, 'a star by the name');
  // The page's version moved with the star: typing saves as usual (no conflict).
  await page.getByLabel('Hours for P-1010 Network refresh on Monday 11 January').fill('2');
  await page.getByLabel('Hours for P-1010 Network refresh on Monday 11 January').press('Tab');
  await page.locator('#save-status').filter({ hasText: /Saved/ }).waitFor();
  await page.screenshot({ path: '/tmp/D-star-1366.png' });

  await page.goto(`${env.stack.url}/week/2027-W03`);
  const first = page.locator('tbody tr[data-project]').first();
  assert.equal(await first.getAttribute('data-project'), 'P-1010', 'the favourite row comes first');
  assert.equal(await first.getAttribute('data-favourite'), 'true');
  await first.locator('details.row-menu > summary').click();
  assert.equal(
    await page.getByRole('button', { name: 'Favourite: P-1010 Network refresh' }).getAttribute('aria-pressed'),
    'true',
  );
  // Out of this week's grid it stays a favourite: first among the projects to add, in its own group.
  await page.getByRole('button', { name: 'Remove the row P-1010 Network refresh' }).click();
  await page.getByText('The row P-1010 was removed.').waitFor();
  const search = page.getByRole('combobox', { name: 'Project to add to the grid' });
  await search.click();
  const favourites = page.getByRole('group', { name: 'Favourites' });
  assert.deepEqual(await favourites.getByRole('option').allTextContents(), ['P-1010 Network refresh']);
  assert.equal(
    await options(page, 'Project to add to the grid').first().textContent(),
    'P-1010 Network refresh',
    'first in the list, and the one Enter picks',
  );
  await page.screenshot({ path: '/tmp/D-search-favourites-1366.png' });
  await page.context().close();
});

// Far from the weeks above, whose stars would carry over to it (8 weeks back at most).
test('without JavaScript the star posts the form, and unstarring works the same way', async () => {
  const page = await signedIn('/week/2028-W30', { javaScript: false });
  await page.locator('tr[data-project="P-1012"] details.row-menu > summary').click();
  await page.getByRole('button', { name: 'Favourite: P-1012 Service desk' }).click();
  await page.getByText('P-1012 is a favourite: your next weeks start with its row.').waitFor();
  const first = page.locator('tbody tr[data-project]').first();
  assert.equal(await first.getAttribute('data-project'), 'P-1012');
  await first.locator('details.row-menu > summary').click();
  const star = page.getByRole('button', { name: 'Favourite: P-1012 Service desk' });
  assert.equal(await star.getAttribute('aria-pressed'), 'true');
  await star.click();
  await page.getByText('P-1012 is no longer a favourite.').waitFor();
  await page.context().close();
});
