// Keyboard speed in the week grid (views/assets/grid-keys.js), in Chromium against the on-prem
// target: arrows, Enter, typing over a cell, Escape back to the saved value, read-only weeks, and
// the shortcut list on the page saying what the keys do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useOnpremStackAndChromium } from '../../scripts/harness/browser-stack.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

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
  await arriveAt(page, `${env.stack.url}${target}`);
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

test('arrow keys move in all four directions, left/right right after typing too (F2 edits in place), skipping closed days', async () => {
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

  // Right after typing, left/right go on to the next day (issue 16: they used to move the caret).
  await page.keyboard.type('7,5');
  await pressLandsOn(page, 'ArrowRight', g[0]![2]);
  await page.keyboard.type('6');
  await pressLandsOn(page, 'ArrowLeft', g[0]![1]);
  // F2 edits in place, as in a spreadsheet: left/right move the caret, and leave from the ends of the text.
  await page.keyboard.press('F2');
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
  await page.keyboard.press('ArrowRight'); // nothing bookable after Wednesday on this row: its menu
  assert.ok(
    await page
      .locator('tr[data-project="P-1077"] details.row-menu > summary')
      .evaluate((el) => el === document.activeElement),
  );
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
    .filter({ hasText: /^Saved/ }) // "Saved at 10:32" since issue 16
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
  // Alt+C opens a comment to read; the fills change nothing (the browser keeps its keys).
  const commented = await page.locator('td.cell:has(details.comment) input.hours').first().getAttribute('id');
  await cell(page, commented).focus();
  await page.keyboard.press('Alt+c');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA');
  await pressLandsOn(page, 'Escape', commented);
  const row = await Promise.all(g[0]!.map((id) => cell(page, id!).inputValue()));
  await cell(page, g[0]![5]!).focus();
  await page.keyboard.press('Control+d');
  assert.deepEqual(await Promise.all(g[0]!.map((id) => cell(page, id!).inputValue())), row);
  // A submitted week shows no shortcut list (issue 16: nothing editable-looking; it used to say "read-only").
  assert.equal(await page.locator('#grid-shortcuts').count(), 0);
  await page.context().close();
});

test('Tab goes from cell to cell: comment toggles and row menus are out of the way, yet reachable', async () => {
  const page = await open('alice', WEEK);
  const g = await grid(page);
  await cell(page, g[0]![0]!).focus();
  for (let day = 1; day < g[0]!.length; day++) await pressLandsOn(page, 'Tab', g[0]![day]);
  await pressLandsOn(page, 'Tab', g[1]![0]); // Sunday of row 0 to Monday of row 1
  await pressLandsOn(page, 'Shift+Tab', g[0]![g[0]!.length - 1]);
  // → past the last day reaches the row's menu; Enter opens it, Escape closes it, ← goes back.
  await page.keyboard.press('ArrowRight');
  const summary = page.locator('tbody tr').first().locator('details.row-menu > summary');
  assert.ok(await summary.evaluate((el) => el === document.activeElement), 'on the row menu');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('tbody tr').first().locator('details.row-menu').getAttribute('open'), '');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('tbody tr').first().locator('details.row-menu').getAttribute('open'), null);
  await pressLandsOn(page, 'ArrowLeft', g[0]![g[0]!.length - 1]);
  // The script takes them out: without JavaScript (the page as served) they stay in the Tab sequence.
  assert.equal(await page.locator('details.comment > summary').first().getAttribute('tabindex'), '-1');
  const html = await (await page.request.get(`${env.stack.url}${WEEK}`)).text();
  assert.match(html, /<details class="comment"/);
  assert.match(html, /<details class="row-menu"/);
  assert.doesNotMatch(html, /<summary[^>]*tabindex/);
  await page.context().close();
});

test('Alt+C opens the comment of the cell and Alt+C or Escape goes back to its hours; the comment is saved', async () => {
  const page = await open('alice', WEEK);
  const g = await grid(page);
  const id = g[1]![5]!;
  await cell(page, id).focus();
  await page.keyboard.press('Alt+c');
  const area = page.locator(`td.cell:has(#${id}) textarea`);
  assert.ok(await area.evaluate((el) => el === document.activeElement), 'in the comment');
  await page.keyboard.type('Release night');
  await pressLandsOn(page, 'Alt+c', id);
  assert.equal(await page.locator(`td.cell:has(#${id}) details.comment`).getAttribute('open'), null);
  await page.keyboard.press('Alt+c');
  assert.equal(await area.inputValue(), 'Release night');
  await pressLandsOn(page, 'Escape', id);
  await pressLandsOn(page, 'ArrowLeft', g[1]![4]); // still the grid's keys
  const name = await area.getAttribute('name');
  const until = Date.now() + 15_000;
  let html = '';
  while (!html.includes('Release night') && Date.now() < until) {
    await page.waitForTimeout(150);
    html = await (await page.request.get(`${env.stack.url}${WEEK}`)).text();
  }
  assert.match(html, new RegExp(`name="${name}"[^>]*>Release night<`));
  await page.context().close();
});

test('the cursor starts in the first working day without hours; an error summary or a #fragment wins', async () => {
  const week = '/week/2026-W50';
  const page = await open('erin', week);
  const g = await grid(page);
  assert.equal(await focusedId(page), g[0]![0], 'an empty week: Monday of the first project');
  await cell(page, g[0]![0]!).fill('8');
  await cell(page, g[1]![1]!).fill('4'); // Tuesday has hours in one project: not the place to start
  await page.getByRole('status').filter({ hasText: /Saved/ }).waitFor();
  await page.reload();
  const h = await grid(page);
  assert.equal(await focusedId(page), h[0]![2], 'Wednesday: the first working day without hours');
  await page.goto(`${env.stack.url}${week}#week-grid`);
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true, 'the fragment wins');
  // A bad value saved with the whole form: the page comes back with its error summary, focused.
  await page.goto(`${env.stack.url}${week}`);
  await cell(page, h[0]![3]!).fill('abc');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.locator('#error-summary').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
  await page.context().close();
});

/** What each documented key does, checked from a cell of row 1, Tuesday (g[1][1]). */
type KeyCheck = (page: Page, g: Array<Array<string | null>>, key: string) => Promise<void>;

const moves =
  (to: (g: Array<Array<string | null>>) => string | null | undefined): KeyCheck =>
  async (page, g, key) => {
    await cell(page, g[1]![1]!).focus();
    await pressLandsOn(page, key, to(g));
  };

/** A fill by `key` writes `filled` cells, Ctrl+Z takes them back (the week as it was for the next checks). */
const fills =
  (filled: (g: Array<Array<string | null>>) => string[]): KeyCheck =>
  async (page, g, key) => {
    const ids = filled(g);
    await cell(page, g[1]![1]!).focus();
    await page.keyboard.type('2');
    await page.keyboard.press(key);
    for (const id of ids) assert.equal(await cell(page, id).inputValue(), '2', `${key} fills ${id}`);
    await page.keyboard.press(key.startsWith('Meta') ? 'Meta+z' : 'Control+z');
    for (const id of ids) assert.equal(await cell(page, id).inputValue(), '', `undone in ${id}`);
    await page.keyboard.press('Escape'); // and the typed 2 back to what was saved
  };

const KEY_CHECKS: Record<string, KeyCheck> = {
  Tab: moves((g) => g[1]![2]),
  'Shift+Tab': moves((g) => g[1]![0]),
  ArrowLeft: moves((g) => g[1]![0]),
  ArrowRight: moves((g) => g[1]![2]),
  ArrowUp: moves((g) => g[0]![1]),
  ArrowDown: moves((g) => g[2]![1]),
  Enter: moves((g) => g[2]![1]),
  'Shift+Enter': moves((g) => g[0]![1]),
  'Alt+c': async (page, g, key) => {
    await cell(page, g[1]![1]!).focus();
    await page.keyboard.press(key);
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA', 'in the comment');
    await pressLandsOn(page, key, g[1]![1]);
  },
  type: async (page, g) => {
    await cell(page, g[1]![1]!).focus();
    await page.keyboard.type('1');
    assert.equal(await cell(page, g[1]![1]!).inputValue(), '1');
    await page.keyboard.press('Escape');
  },
  F2: async (page, g, key) => {
    await cell(page, g[1]![1]!).focus();
    await page.keyboard.type('12');
    await page.keyboard.press(key);
    await pressLandsOn(page, 'ArrowLeft', g[1]![1]);
    await page.keyboard.press('Escape');
  },
  Escape: async (page, g, key) => {
    const input = cell(page, g[1]![1]!);
    const before = await input.inputValue();
    await input.focus();
    await page.keyboard.type('9');
    await page.keyboard.press(key);
    assert.equal(await input.inputValue(), before);
  },
  'Control+r': fills((g) => [g[1]![2]!, g[1]![3]!, g[1]![4]!]),
  'Meta+r': fills((g) => [g[1]![2]!, g[1]![3]!, g[1]![4]!]),
  'Control+d': fills((g) => [g[2]![1]!]),
  'Meta+d': fills((g) => [g[2]![1]!]),
  'Control+Shift+R': fills((g) => [g[1]![0]!, g[1]![2]!, g[1]![3]!, g[1]![4]!]),
  'Meta+Shift+R': fills((g) => [g[1]![0]!, g[1]![2]!, g[1]![3]!, g[1]![4]!]),
  'Control+z': undoes,
  'Meta+z': undoes,
  'Control+Enter': submits,
  'Meta+Enter': submits,
};

/** Right after a fill (Ctrl+R here), the key takes the filled cells back. */
async function undoes(page: Page, g: Array<Array<string | null>>, key: string): Promise<void> {
  await cell(page, g[1]![1]!).focus();
  await page.keyboard.type('2');
  await page.keyboard.press('Control+r');
  assert.equal(await cell(page, g[1]![4]!).inputValue(), '2');
  await page.keyboard.press(key);
  assert.equal(await cell(page, g[1]![4]!).inputValue(), '');
  await page.keyboard.press('Escape');
}

/** The same path as "Submit week": the form's submit event with that button as submitter (stopped here). */
async function submits(page: Page, g: Array<Array<string | null>>, key: string): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { submitters?: string[] };
    if (w.submitters) return;
    w.submitters = [];
    // Last of the form's submit listeners: records the button and keeps the week from the ERP (the
    // autosave may post it again once its save landed). week-fill.test.ts goes through the confirmation.
    document.getElementById('week-form')!.addEventListener('submit', (event) => {
      w.submitters!.push((event.submitter as HTMLButtonElement | null)?.value ?? '');
      event.preventDefault();
    });
  });
  await page.evaluate(() => ((window as unknown as { submitters: string[] }).submitters.length = 0));
  await cell(page, g[1]![1]!).focus();
  await page.keyboard.press(key);
  await page.waitForFunction(() => (window as unknown as { submitters: string[] }).submitters.length > 0);
  assert.deepEqual(
    [...new Set(await page.evaluate(() => (window as unknown as { submitters: string[] }).submitters))],
    ['submit'],
  );
}

/** Keys the list leaves out: the grid must leave them to the browser. */
const NOT_GRID_KEYS = [
  'Control+b',
  'Control+e',
  'Control+Shift+D',
  'Control+Alt+r',
  'Alt+r',
  'Alt+d',
  'Alt+Shift+C',
  'F3',
  'Control+y',
  'PageDown',
  'Insert',
];

test('the shortcut list documents exactly the keys of the grid: each does what it says, others are left alone', async () => {
  const page = await open('frank', '/week/2026-W50'); // three projects, nothing typed yet
  const list = page.locator('#grid-shortcuts');
  // Right next to the grid: the last thing before the week form (scripts aside).
  assert.ok(
    await list.evaluate((el) => {
      let next = el.nextElementSibling;
      while (next && (next.tagName === 'SCRIPT' || next.tagName === 'LINK')) next = next.nextElementSibling;
      return next?.id === 'week-form';
    }),
  );
  await list.locator('summary', { hasText: 'Keyboard shortcuts' }).click();
  const documented = (
    await list.locator('[data-keys]').evaluateAll((els) => els.map((e) => e.getAttribute('data-keys') ?? ''))
  ).flatMap((keys) => keys.split(' '));
  assert.deepEqual([...documented].sort(), Object.keys(KEY_CHECKS).sort(), 'each documented key has its check');
  const g = await grid(page);
  for (const key of documented) await KEY_CHECKS[key]!(page, g, key);

  await page.evaluate(() => {
    const w = window as unknown as { handled: string[] };
    w.handled = [];
    // After the grid's own listener (on the form): what it took from the browser.
    window.addEventListener('keydown', (event) => {
      if (event.defaultPrevented) w.handled.push(event.key);
    });
  });
  await cell(page, g[1]![1]!).focus();
  for (const key of NOT_GRID_KEYS) {
    await page.keyboard.press(key);
    assert.equal(await focusedId(page), g[1]![1], `${key} stays in the cell`);
  }
  assert.deepEqual(await page.evaluate(() => (window as unknown as { handled: string[] }).handled), []);

  const text = (await list.textContent()) ?? '';
  for (const words of [
    /next day/,
    /previous or next project/,
    /Enter never submits/,
    /Escape/,
    /saved value/,
    /skipped/,
    /Fill right/,
    /never replace hours already typed/,
    /comment/,
    /confirmation comes first/,
    /⌘ instead of Ctrl/,
  ])
    assert.match(text, words);
  assert.ok(await list.locator('dt kbd').first().isVisible());
  await page.context().close();

  const fr = await open('zoe', WEEK, 'fr-FR');
  const liste = fr.locator('#grid-shortcuts');
  assert.equal((await liste.locator('summary').textContent())?.trim(), 'Raccourcis clavier');
  assert.deepEqual(
    (
      await liste.locator('[data-keys]').evaluateAll((els) => els.map((e) => e.getAttribute('data-keys') ?? ''))
    ).flatMap((keys) => keys.split(' ')),
    documented,
  );
  const texte = (await liste.textContent()) ?? '';
  assert.match(texte, /Entrée ne soumet jamais la semaine/);
  assert.match(texte, /Ctrl \+ Maj \+ R/);
  await fr.context().close();
});
