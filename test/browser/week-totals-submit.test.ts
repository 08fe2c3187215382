// Issue 16, points 3 and 4 in Chromium: totals computed in the page as one types (before any network
// answer, offline too), each day marked against its expected hours in words, and "Submit week" always
// asking in a dialog with the week's summary, the focus on "Go back", nothing sent to the ERP until
// "Submit week" in the dialog is pressed, and then once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { snapshotPagesOnFailure } from '../../scripts/harness/failure-snapshots.js';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

let stack: AppStack;
let browser: Browser;
snapshotPagesOnFailure(() => browser);

before(async () => {
  [stack, browser] = await Promise.all([
    startAppStack(null, { overrides: { timesheet: { calendar: { confirmSubmit: true } } } }),
    launchChromium(),
  ]);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function signedIn(user: string, target: string, locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${stack.url}${target}`);
  const fr = locale.startsWith('fr');
  await page.getByLabel(fr ? "Nom d'utilisateur" : 'User name').fill(user);
  await page.getByLabel(fr ? 'Mot de passe' : 'Password').fill('dev-password');
  await page.getByRole('button', { name: fr ? 'Se connecter' : 'Sign in' }).click();
  await arriveAt(page, `${stack.url}${target}`);
  return page;
}

/** Text as shown, non-breaking spaces as plain ones. */
const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').trim();

/** Totals and day marks as the page shows them now (read at once: no waiting for anything). */
async function shown(page: Page, date: string, project: string) {
  // No helper functions inside: the test's compiler would wrap them in a helper the page does not have.
  return page.evaluate(
    ([d, p]) => {
      const mark = document.querySelector(`[data-day-state="${d}"]`);
      return {
        row: document.querySelector(`[data-row-total="${p}"]`)?.textContent ?? null,
        day: document.querySelector(`[data-day-total="${d}"]`)?.textContent ?? null,
        week: document.querySelector('[data-week-total]')?.textContent ?? null,
        mark: mark?.textContent ?? null,
        state: ['under', 'over', 'ok', 'empty'].filter((s) => mark?.closest('td')?.classList.contains(s)),
        live: document.getElementById('week-total-live')?.textContent ?? null,
      };
    },
    [date, project],
  );
}

test('totals and day marks follow the typing offline, before any answer; a value that is not hours counts 0; online, the server agrees', async () => {
  const page = await signedIn('frank', '/week/2026-W49');
  const monday = '2026-11-30';
  const start = await shown(page, monday, 'P-1021');
  assert.deepEqual(
    { ...start, live: plain(start.live) },
    {
      row: '0',
      day: '0',
      week: '0',
      mark: '',
      state: ['empty'],
      live: '0 h of 40 h',
    },
  );
  await page.context().setOffline(true);
  const cell = (project: string) => page.getByLabel(new RegExp(`^Hours for ${project} .* on Monday 30 November$`));
  await cell('P-1021').fill('7,5');
  const typed = await shown(page, monday, 'P-1021');
  assert.deepEqual(
    [typed.row, typed.day, typed.week, plain(typed.mark), typed.state],
    ['7.5', '7.5', '7.5', '0.5 h under', ['under']],
  );
  assert.equal(plain(typed.live), '7.5 h of 40 h', 'the action bar too');
  await cell('P-1042').fill('abc');
  assert.equal((await shown(page, monday, 'P-1042')).day, '7.5', 'a value that is not hours counts 0');
  await cell('P-1042').fill('1h');
  const over = await shown(page, monday, 'P-1042');
  assert.deepEqual([over.row, over.day, plain(over.mark), over.state], ['1', '8.5', '0.5 h over', ['over']]);
  await cell('P-1042').fill('30m');
  const ok = await shown(page, monday, 'P-1042');
  assert.deepEqual([ok.day, plain(ok.mark), ok.state], ['8', 'complete', ['ok']]);
  await page
    .locator('#save-status')
    .filter({ hasText: /Offline/ })
    .waitFor();

  await page.context().setOffline(false);
  await page.locator('#save-status').filter({ hasText: 'Saved' }).waitFor();
  const saved = await shown(page, monday, 'P-1042');
  assert.deepEqual([saved.row, saved.day, saved.week, plain(saved.mark)], ['0.5', '8', '8', 'complete']);
  const html = await (await page.request.get(`${stack.url}/week/2026-W49`)).text();
  assert.match(
    html,
    /<td class="total[^"]* ok"><span data-day-total="2026-11-30">8<\/span>/,
    'the server marks it too',
  );
});

test('in French the live totals and marks are written as the server writes them', async () => {
  const page = await signedIn('frank', '/week/2026-W51', 'fr-FR');
  await page.context().setOffline(true);
  await page.getByLabel(/^Heures pour P-1021 .* le lundi 14 décembre$/).fill('6h45');
  const typed = await shown(page, '2026-12-14', 'P-1021');
  assert.deepEqual([typed.row, typed.day, plain(typed.mark)], ['6,75', '6,75', '1,25 h en moins']);
  await page.context().setOffline(false);
});

/** Frank's week 2026-W50: Monday, Wednesday, Thursday 8 h, Friday 7.5 h, Tuesday empty. */
async function shortWeek(): Promise<Page> {
  const page = await signedIn('frank', '/week/2026-W50');
  for (const [day, hours] of [
    ['Monday 7 December', '8'],
    ['Wednesday 9 December', '8'],
    ['Thursday 10 December', '8'],
    ['Friday 11 December', '7,5'],
  ])
    await page.getByLabel(`Hours for P-1042 Migration on ${day}`).fill(hours!);
  return page;
}

async function openDialog(page: Page) {
  await page.locator('button[name="action"][value="submit"]').click();
  const dialog = page.getByRole('dialog', { name: 'Submit the week?' });
  await dialog.waitFor();
  return dialog;
}

test('"Submit week" asks with the summary (short Friday, empty Tuesday), focus on "Go back"; Escape and "Go back" send nothing; confirming submits once', async () => {
  const page = await shortWeek();
  await page.locator('#save-status').filter({ hasText: 'Saved' }).waitFor();
  await stack.erp.resetStats();
  let dialog = await openDialog(page);
  assert.equal(plain(await dialog.locator('#submit-dialog-total').textContent()), '31.5 h of 40 h');
  assert.deepEqual((await dialog.getByRole('listitem').allTextContents()).map(plain), [
    'Tuesday 8 December: empty',
    'Friday 11 December: 0.5 h under',
  ]);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'submit-cancel', 'focus on "Go back"');
  const axe = await violations(page);
  assert.deepEqual(axe, [], 'the open dialog is axe clean');

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  dialog = await openDialog(page);
  await page.keyboard.press('Enter'); // on "Go back"
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(
    await page.evaluate(() => document.activeElement?.getAttribute('value')),
    'submit',
    'back on the Submit button',
  );
  assert.equal(page.url(), `${stack.url}/week/2026-W50`);
  assert.equal((await stack.erp.stats()).calls.SubmitTimesheet, 0, 'nothing went to the ERP');
  assert.equal(await page.getByLabel('Hours for P-1042 Migration on Tuesday 8 December').isEditable(), true);

  dialog = await openDialog(page);
  await dialog.getByRole('button', { name: 'Submit week' }).click();
  await page.getByText(/Receipt number/).waitFor();
  assert.equal((await stack.erp.stats()).calls.SubmitTimesheet, 1, 'submitted once');
});

test('a value that is not hours: the dialog says so and offers only "Go back"; typing after the dialog is in the next summary', async () => {
  const page = await signedIn('erin', '/week/2026-W49');
  await page.getByLabel('Hours for P-1042 Migration on Monday 30 November').fill('8');
  await page.getByLabel('Hours for P-1042 Migration on Tuesday 1 December').fill('7.1');
  const dialog = await openDialog(page);
  assert.deepEqual((await dialog.getByRole('listitem').allTextContents()).map(plain).slice(0, 2), [
    'One value is not hours. Fix it first: the week cannot go to the ERP with it.',
    'Tuesday 1 December: empty',
  ]);
  assert.equal(await dialog.locator('#submit-confirm').isVisible(), false);
  await dialog.getByRole('button', { name: 'Go back' }).click();
  await page.getByLabel('Hours for P-1042 Migration on Tuesday 1 December').fill('7.25');
  await openDialog(page);
  assert.equal(plain(await dialog.locator('#submit-dialog-total').textContent()), '15.25 h of 40 h');
  assert.equal(await dialog.locator('#submit-confirm').isVisible(), true);
});

/** axe (WCAG 2.1 A/AA) on the page as it is, injected through the DevTools protocol as in accessibility.test.ts. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: unknown[] }> } }).axe;
    const found = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return (found.violations as Array<{ id: string; nodes: Array<{ html: string }> }>).map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`,
    );
  });
}
