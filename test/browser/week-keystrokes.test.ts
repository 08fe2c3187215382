// Keystrokes to fill the issue 16 week (frank, 2026-W49: 3 projects x Monday-Friday, 7.5 h in each
// cell) with real key presses in Chromium at 1366x768, counted from the page load (a click is no
// keystroke, and none is used): the usual Tab route (with and without the weekend on screen), the best
// arrow route, and the fill routes (Ctrl+R, Ctrl+D, Ctrl+Shift+R copies the day's split). Each route
// ends with the 15 values saved on the server; the counts are printed for the notes.
//
// Before issue 16 (the same test on the previous main): Tab route 91 (8 Tabs to the first cell, then
// the comment toggles and "Remove" in the way: 46 Tabs), arrow route 67 (8 Tabs + 14 arrows); no fills.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useOnpremStackAndChromium } from '../../scripts/harness/browser-stack.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

const env = useOnpremStackAndChromium();

const WEEK = '/week/2026-W49';
const HOURS = '7.5';
const DAYS = 5; // Monday-Friday: the working days

/** Counts what a person presses: one per key or chord (Ctrl+R is one), one per typed character. */
class Keys {
  count = 0;
  constructor(private readonly page: Page) {}
  async press(key: string): Promise<void> {
    this.count += 1;
    await this.page.keyboard.press(key);
  }
  async type(text: string): Promise<void> {
    this.count += text.length;
    await this.page.keyboard.type(text);
  }
  focused(): Promise<string> {
    return this.page.evaluate(() => document.activeElement?.id ?? '');
  }
  /** Presses `key` until the focus is on `id` (at most `limit` times). */
  async reach(id: string, key: string, limit = 40): Promise<void> {
    for (let i = 0; i < limit && (await this.focused()) !== id; i++) await this.press(key);
    assert.equal(await this.focused(), id, `${key} reaches ${id}`);
  }
}

async function open(): Promise<Page> {
  const context = await env.browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${env.stack.url}${WEEK}`);
  await page.getByLabel('User name').fill('frank');
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await arriveAt(page, `${env.stack.url}${WEEK}`);
  return page;
}

/** Input ids of the working days, as rows (projects) of Monday..Friday. */
async function workingCells(page: Page): Promise<string[][]> {
  const rows = await page
    .locator('#week-form table.grid tbody tr[data-project]')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td.cell input.hours')).map((input) => input.id)),
    );
  assert.equal(rows.length, 3, 'frank has three projects in 2026-W49');
  return rows.map((r) => r.slice(0, DAYS));
}

/** The hours the server holds for these inputs: the values the week page is rendered with. */
async function saved(page: Page, ids: string[]): Promise<string[]> {
  const names = await Promise.all(ids.map((id) => page.locator(`#${id}`).getAttribute('name')));
  const html = await (await page.request.get(`${env.stack.url}${WEEK}`)).text();
  return names.map((name) => {
    const escaped = name!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`<input[^>]*\\bname="${escaped}"[^>]*\\bvalue="([^"]*)"`).exec(html)?.[1] ?? '?';
  });
}

async function serverHolds(page: Page, ids: string[], value: string): Promise<void> {
  const until = Date.now() + 15_000;
  let now = await saved(page, ids);
  while (now.some((v) => v !== value) && Date.now() < until) {
    await page.waitForTimeout(200);
    now = await saved(page, ids);
  }
  assert.deepEqual(
    now,
    ids.map(() => value),
    'saved on the server',
  );
}

/** Empties the week (as typed edits, through the autosave) and reloads it, so each route starts afresh. */
async function emptyWeek(page: Page): Promise<void> {
  const ids = (await workingCells(page)).flat();
  await page.evaluate((list) => {
    for (const id of list) {
      const input = document.getElementById(id) as HTMLInputElement;
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }, ids);
  await serverHolds(page, ids, '');
}

/** The "Hide non-working days" setting, as the person leaves it; the page is reloaded either way. */
async function setNonWorkingHidden(page: Page, hide: boolean): Promise<void> {
  const toggle = page.locator('#toggle-nonworking');
  if ((await toggle.getAttribute('aria-pressed')) !== String(hide)) {
    const stored = page.waitForResponse((r) => r.url().endsWith('/view'));
    await toggle.click();
    await stored;
  }
  await page.reload();
}

/** Runs a route on the empty week from a fresh load; returns the keystrokes it took. */
async function measure(
  name: string,
  route: (keys: Keys, cells: string[][]) => Promise<void>,
  hideNonWorking = false,
): Promise<number> {
  const page = await open();
  try {
    await emptyWeek(page);
    await setNonWorkingHidden(page, hideNonWorking);
    const cells = await workingCells(page);
    const keys = new Keys(page);
    await route(keys, cells);
    await serverHolds(page, cells.flat(), HOURS);
    console.log(`# keystrokes, ${name}: ${keys.count}`);
    return keys.count;
  } finally {
    await page.context().close();
  }
}

test('the Tab route: Tab from cell to cell, typing each value', async () => {
  const count = await measure('Tab route', async (keys, cells) => {
    for (const id of cells.flat()) {
      await keys.reach(id, 'Tab');
      await keys.type(HOURS);
    }
  });
  // 45 typed + 4 Tabs along each row + 3 from Friday to the next Monday (Saturday, Sunday): no comment
  // toggle or row menu in between, and the focus starts in the first cell.
  assert.equal(count, 15 * HOURS.length + 3 * 4 + 2 * 3);
});

test('the Tab route with non-working days hidden (the "Hide non-working days" button): Friday to Monday is one Tab', async () => {
  const count = await measure(
    'Tab route, non-working days hidden',
    async (keys, cells) => {
      for (const id of cells.flat()) {
        await keys.reach(id, 'Tab');
        await keys.type(HOURS);
      }
    },
    true,
  );
  assert.equal(count, 15 * HOURS.length + 14);
});

test('the Tab route with Ctrl+R: each project types Monday, Ctrl+R fills its week, Tab on to the next project', async () => {
  const count = await measure('Tab route with Ctrl+R', async (keys, cells) => {
    for (const row of cells) {
      await keys.reach(row[0]!, 'Tab');
      await keys.type(HOURS);
      await keys.press('Control+r');
    }
  });
  assert.equal(count, 3 * (HOURS.length + 1) + 2 * 7);
});

test('the arrow route: down and up the days (a snake by columns), typing each value', async () => {
  const count = await measure('arrow route', async (keys, cells) => {
    const first = cells[0]![0]!;
    await keys.reach(first, 'Tab'); // none once the page focuses the first empty cell
    for (let day = 0; day < DAYS; day++) {
      const rows = day % 2 ? [2, 1, 0] : [0, 1, 2];
      for (const [i, row] of rows.entries()) {
        const id = cells[row]![day]!;
        await keys.reach(id, i === 0 ? 'ArrowRight' : day % 2 ? 'ArrowUp' : 'ArrowDown', 1);
        await keys.type(HOURS);
      }
    }
  });
  assert.equal(count, 15 * HOURS.length + 14);
});

test('the row fill route: each project types Monday, Ctrl+R fills its week, Down to the next project', async () => {
  const count = await measure('row fill route', async (keys, cells) => {
    for (const [r, row] of cells.entries()) {
      await keys.reach(row[0]!, r === 0 ? 'Tab' : 'ArrowDown', r === 0 ? 40 : 1);
      await keys.type(HOURS);
      await keys.press('Control+r');
    }
  });
  assert.equal(count, 3 * (HOURS.length + 1) + 2);
});

test("the best route: Monday's first project, Ctrl+D fills Monday down, Ctrl+Shift+R copies Monday's split to the week", async () => {
  const count = await measure('best route', async (keys, cells) => {
    await keys.reach(cells[0]![0]!, 'Tab');
    await keys.type(HOURS);
    await keys.press('Control+d');
    await keys.press('Control+Shift+R');
  });
  assert.equal(count, HOURS.length + 2);
});
