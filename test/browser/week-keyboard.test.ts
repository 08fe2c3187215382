// Keyboard speed in the week grid (views/assets/grid-keys.js), in Chromium against the on-prem
// target: arrows, Enter, typing over a cell, Escape back to the saved value, read-only weeks, and
// the shortcut list on the page saying what the keys do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useOnpremStackAndChromium } from '../../scripts/harness/browser-stack.js';

const env = useOnpremStackAndChromium();

// Alice's week 2026-W51: P-1077 ends on Wednesday 16 December, so its row has closed days.
const WEEK = '/week/2026-W51';

async function open(user: string, target: string, locale = 'en-GB'): Promise<Page> {
  const context = await env.browser.newContext({ locale });
  const page = await context.newPage();
  await page.goto(`${env.stack.url}${target}`);
  const fr = locale.startsWith('fr');
  await page.getByLabel(fr ? "Nom d'utilisateur" : 'User name').fill(user);
  await page.getByLabel(fr ? 'Mot de passe' : 'Password').fill('dev-password');
  await page.getByRole('button', { name: fr ? 'Se connecter' : 'Sign in' }).click();
  await page.waitForURL(`${env.stack.url}${target}`);
  return page;
}

/** The grid as rows of hour input ids, null where a day is not bookable (rows are whatever the week shows). */
async function grid(page: Page): Promise<Array<Array<string | null>>> {
  return page
    .locator('#week-form table.grid tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll('td.cell')).map((td) => td.querySelector('input.hours')?.id ?? null),
      ),
    );
}

/** Row index of a project in the grid. */
async function rowOf(page: Page, code: string): Promise<number> {
  const codes = await page
    .locator('#week-form table.grid tbody tr')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-project')));
  const r = codes.indexOf(code);
  assert.ok(r >= 0, `row ${code} in the grid`);
  return r;
}

const cell = (page: Page, id: string | null) => page.locator(`#${id}`);

async function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

/** Presses `key` and checks where the focus landed. */
async function pressLandsOn(page: Page, key: string, id: string | null | undefined): Promise<void> {
  await page.keyboard.press(key);
  assert.equal(await focusedId(page), id, `${key} lands on ${String(id)}`);
}

/** The alice's week with P-1077 added through "Add a project" (once per stack). */
async function withClosedDays(page: Page): Promise<void> {
  if (await page.locator('tr[data-project="P-1077"]').count()) return;
  await page.selectOption('#add-project', 'P-1077');
  await page.locator('button[name="action"][value="add-row"]').click();
  await page.locator('tr[data-project="P-1077"]').waitFor();
}

/** What the server holds for a cell: the value the week page is rendered with. */
async function serverValue(page: Page, id: string): Promise<string> {
  const name = await cell(page, id).getAttribute('name');
  const html = await (await page.request.get(`${env.stack.url}${WEEK}`)).text();
  const escaped = name!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`<input[^>]*\\bname="${escaped}"[^>]*\\bvalue="([^"]*)"`).exec(html);
  assert.ok(m, `cell ${name} on the page`);
  return m[1]!;
}

async function serverHas(page: Page, id: string, value: string): Promise<void> {
  const until = Date.now() + 15_000;
  let now = await serverValue(page, id);
  while (now !== value && Date.now() < until) {
    await page.waitForTimeout(150);
    now = await serverValue(page, id);
  }
  assert.equal(now, value, `server value of ${id}`);
}

test('arrow keys move in all four directions, left/right only from the ends of the text, skipping closed days', async () => {
  const page = await open('alice', WEEK);
  const g = await grid(page);
  await cell(page, g[1]![1]!).focus();
  await pressLandsOn(page, 'ArrowRight', g[1]![2]);
  await pressLandsOn(page, 'ArrowLeft', g[1]![1]);
  await pressLandsOn(page, 'ArrowUp', g[0]![1]);
  await pressLandsOn(page, 'ArrowDown', g[1]![1]);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp'); // first row: stays
  assert.equal(await focusedId(page), g[0]![1]);

  // Inside a value, left/right move the caret first; from its start or end they move to the next day.
  await page.keyboard.type('7,5');
  await pressLandsOn(page, 'ArrowLeft', g[0]![1]);
  assert.equal(await cell(page, g[0]![1]!).evaluate((el: HTMLInputElement) => el.selectionStart), 2);
  await pressLandsOn(page, 'ArrowRight', g[0]![1]);
  await pressLandsOn(page, 'ArrowRight', g[0]![2]);
  await page.keyboard.press('ArrowLeft'); // back: the whole value is selected on arrival, so the next press moves on
  assert.equal(await focusedId(page), g[0]![1]);
  await pressLandsOn(page, 'ArrowLeft', g[0]![0]);
  await page.keyboard.press('ArrowLeft'); // first day: stays
  assert.equal(await focusedId(page), g[0]![0]);

  // Closed days are skipped: P-1077 ends on Wednesday.
  await withClosedDays(page);
  const h = await grid(page);
  const r = await rowOf(page, 'P-1077');
  assert.ok(r > 0 && r + 1 < h.length, 'P-1077 has rows above and below');
  assert.equal(h[r]![3], null, 'P-1077 is closed on Thursday');
  assert.ok(h[r - 1]![3] && h[r + 1]![3]);
  await cell(page, h[r - 1]![3]!).focus();
  await pressLandsOn(page, 'ArrowDown', h[r + 1]![3]);
  await pressLandsOn(page, 'ArrowUp', h[r - 1]![3]);
  await cell(page, h[r]![2]!).focus();
  await page.keyboard.press('ArrowRight'); // nothing bookable after Wednesday on this row: stays
  assert.equal(await focusedId(page), h[r]![2]);
  await page.context().close();
});

test('Enter moves down (Shift+Enter up) and never submits the week', async () => {
  const page = await open('alice', WEEK);
  const g = await grid(page);
  const posts: string[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && !req.url().endsWith('/autosave')) posts.push(req.url());
  });
  await cell(page, g[0]![4]!).focus();
  await page.keyboard.type('3');
  await pressLandsOn(page, 'Enter', g[1]![4]);
  await pressLandsOn(page, 'Enter', g[2]![4]);
  await pressLandsOn(page, 'Shift+Enter', g[1]![4]);
  const last = g.length - 1;
  await cell(page, g[last]![4]!).focus();
  await page.keyboard.press('Enter'); // last row: stays, still no submission
  assert.equal(await focusedId(page), g[last]![4]);
  await serverHas(page, g[0]![4]!, '3');
  assert.deepEqual(posts, []);
  assert.equal(page.url(), `${env.stack.url}${WEEK}`);
  await page.context().close();
});

test('typing replaces the value of the cell reached by keyboard or by mouse', async () => {
  const page = await open('alice', WEEK);
  const g = await grid(page);
  const target = cell(page, g[1]![3]!);
  await target.fill('5');
  await cell(page, g[1]![2]!).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.type('6');
  assert.equal(await target.inputValue(), '6');
  await cell(page, g[0]![3]!).click();
  await target.click();
  await page.keyboard.type('4,25');
  assert.equal(await target.inputValue(), '4,25');
  await serverHas(page, g[1]![3]!, '4,25');
  await page.context().close();
});

test('Escape puts back the saved value, even after autosave sent the typed one, and keeps other cells', async () => {
  const page = await open('alice', WEEK);
  const g = await grid(page);
  const [monId, tueId] = [g[2]![0]!, g[2]![1]!];
  const mon = cell(page, monId);
  const tue = cell(page, tueId);
  await mon.fill('4');
  await mon.press('Tab');
  await serverHas(page, monId, '4');

  // Before autosave: the typed value is simply dropped.
  await mon.focus();
  await page.keyboard.type('9');
  await page.keyboard.press('Escape');
  assert.equal(await mon.inputValue(), '4');

  // After autosave confirmed the typed value: Escape sends the saved one back.
  await mon.focus();
  await page.keyboard.type('8');
  await serverHas(page, monId, '8');
  await page.keyboard.press('Escape');
  assert.equal(await mon.inputValue(), '4');
  await serverHas(page, monId, '4');

  // While the typed value is on its way (its autosave held back), with another cell typed meanwhile:
  // the server ends with the saved value here and keeps the other cell.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = false;
  await page.route('**/autosave', async (route) => {
    if (!held) {
      held = true;
      await gate;
    }
    await route.continue();
  });
  await mon.focus();
  const sent = page.waitForRequest((req) => req.url().endsWith('/autosave'));
  await page.keyboard.type('7');
  assert.deepEqual(
    (await sent).postDataJSON().changes.map((c: { raw: string }) => c.raw),
    ['7'],
  );
  await page.keyboard.press('Escape');
  assert.equal(await mon.inputValue(), '4');
  await tue.fill('2');
  release();
  await serverHas(page, tueId, '2');
  await serverHas(page, monId, '4');
  await page
    .getByRole('status')
    .filter({ hasText: /^Saved$/ })
    .waitFor();
  assert.equal(await tue.inputValue(), '2');
  assert.equal(await mon.inputValue(), '4');
  await page.context().close();
});

test('a read-only week: the keys move between cells and change nothing', async () => {
  const page = await open('alice', '/week/2026-W47'); // booked in the ERP (seed data)
  const g = await grid(page);
  const first = cell(page, g[0]![0]!);
  const before = await first.inputValue();
  assert.equal(await first.getAttribute('readonly'), '');
  await first.focus();
  await page.keyboard.type('1');
  await page.keyboard.press('Escape');
  assert.equal(await first.inputValue(), before);
  await pressLandsOn(page, 'ArrowRight', g[0]![1]);
  await pressLandsOn(page, 'Enter', g[1]![1]);
  await pressLandsOn(page, 'ArrowUp', g[0]![1]);
  const shortcuts = (await page.locator('#grid-shortcuts').textContent()) ?? '';
  assert.match(shortcuts, /read-only: the keys move between cells/);
  assert.doesNotMatch(shortcuts, /Escape/);
  await page.context().close();
});

test('the shortcut list documents exactly the keys of the grid, in English and French', async () => {
  // The keys exercised by the tests above, as the list names them (KeyboardEvent.key values).
  const exercised = ['ArrowLeft ArrowRight', 'ArrowUp ArrowDown', 'Enter', 'Shift+Enter', 'type', 'Escape'];
  const page = await open('alice', WEEK);
  const list = page.locator('#grid-shortcuts');
  // Right next to the grid: the last thing before the week form.
  assert.ok(
    await list.evaluate(
      (el) =>
        el.nextElementSibling?.nextElementSibling?.id === 'week-form' || el.nextElementSibling?.id === 'week-form',
    ),
  );
  await list.locator('summary', { hasText: 'Keyboard shortcuts' }).click();
  assert.deepEqual(
    await list.locator('[data-keys]').evaluateAll((els) => els.map((e) => e.getAttribute('data-keys'))),
    exercised,
  );
  const text = (await list.textContent()) ?? '';
  for (const words of [
    /next day/,
    /previous or next project/,
    /Enter never submits/,
    /Escape/,
    /saved value/,
    /skipped/,
  ])
    assert.match(text, words);
  assert.ok(await list.locator('dt kbd').first().isVisible());
  await page.context().close();

  const fr = await open('zoe', WEEK, 'fr-FR');
  const liste = fr.locator('#grid-shortcuts');
  assert.equal((await liste.locator('summary').textContent())?.trim(), 'Raccourcis clavier');
  assert.equal(await liste.locator('[data-keys]').count(), exercised.length);
  assert.match((await liste.textContent()) ?? '', /Entrée ne soumet jamais la semaine/);
  await fr.context().close();
});
