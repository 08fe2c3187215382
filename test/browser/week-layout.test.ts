// The week page's layout and look (issue 16), in Chromium against the on-prem target: the action bar
// stays on screen at 1366x768 while typing, a cell's error moves nothing, rows of about 40 px with
// numbers on one right edge, row actions in a small menu, the title with dates first (both
// languages), the submitted week as a receipt with "Next week", and dark mode from the system.
// The phone's day view has its own file (week-phone.test.ts). Pictures go to test-results/.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { useOnpremStackAndChromium } from '../../scripts/harness/browser-stack.js';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

const env = useOnpremStackAndChromium();
const shots = path.join(PROJECT_ROOT, 'test-results');
const LAPTOP = { width: 1366, height: 768 };

before(() => mkdirSync(shots, { recursive: true }));

interface OpenOptions {
  locale?: string;
  colorScheme?: 'light' | 'dark';
}

async function open(user: string, target: string, options: OpenOptions = {}): Promise<Page> {
  const french = options.locale === 'fr-FR';
  const context = await env.browser.newContext({
    locale: options.locale ?? 'en-GB',
    viewport: LAPTOP,
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  await page.goto(`${env.stack.url}${target}`);
  await page.getByLabel(french ? "Nom d'utilisateur" : 'User name').fill(user);
  await page.getByLabel(french ? 'Mot de passe' : 'Password').fill('dev-password');
  await page.getByRole('button', { name: french ? 'Se connecter' : 'Sign in' }).click();
  await arriveAt(page, `${env.stack.url}${target}`);
  return page;
}

type Box = { x: number; y: number; width: number; height: number };

async function box(page: Page, selector: string): Promise<Box> {
  const found = await page.locator(selector).first().boundingBox();
  assert.ok(found, `${selector} is on the page`);
  return found;
}

function inViewport(b: Box, what: string): void {
  assert.ok(
    b.y >= 0 && b.y + b.height <= LAPTOP.height && b.x >= 0 && b.x + b.width <= LAPTOP.width,
    `${what} within the 1366x768 window: ${JSON.stringify(b)}`,
  );
}

test('at 1366x768 the action bar (save status with its time, week total, Submit week) stays on screen while typing in the last row', async () => {
  // nora may book 40 projects: her first week starts with five rows and three blank ones, taller than the window.
  const page = await open('nora', '/week/2026-W49');
  const docHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(docHeight > LAPTOP.height, `the page is taller than the window (${docHeight} px)`);
  const last = page.locator('tr[data-project]').last().locator('input.hours').nth(4);
  await last.click();
  await page.keyboard.type('7.5');
  await page.keyboard.press('Tab');
  await page.locator('#save-status[data-kind="saved"]').waitFor();
  assert.match((await page.locator('#save-status').textContent()) ?? '', /^Saved at \d\d:\d\d$/);
  inViewport(await box(page, '#action-bar'), 'the action bar');
  inViewport(await box(page, '#action-bar button[name=action][value=submit]'), 'Submit week');
  inViewport(await box(page, '#save-status'), 'the save status');
  assert.match((await page.locator('#week-total-live').textContent()) ?? '', /^7\.5\sh of 40\sh$/);
  const bar = await box(page, '#action-bar');
  await page.screenshot({ path: path.join(shots, 'week-layout-bar-1366.png') });
  // Scrolled to the top, the bar is still at the bottom of the window.
  await page.evaluate(() => window.scrollTo(0, 0));
  const top = await box(page, '#action-bar');
  inViewport(top, 'the action bar, page scrolled to the top');
  assert.ok(Math.abs(top.y + top.height - LAPTOP.height) < 2, `stuck to the bottom (${bar.y} / ${top.y})`);
  await page.context().close();
});

test('a cell error moves nothing: the rows keep their place and height, the bar counts the values to fix', async () => {
  const page = await open('frank', '/week/2026-W50');
  const firstRow = page.locator('#week-grid tbody tr').first();
  const before = { row: (await firstRow.boundingBox())!, bar: await box(page, '#action-bar') };
  const cell = page.locator('tr[data-project] input.hours').nth(1);
  await cell.fill('7.1');
  await cell.press('Tab');
  await page.locator('td.has-error').first().waitFor();
  await page.locator('#save-status[data-kind="saved"]').waitFor();
  const after = { row: (await firstRow.boundingBox())!, bar: await box(page, '#action-bar') };
  assert.equal(after.row.y, before.row.y, 'the first row has not moved');
  assert.equal(after.row.height, before.row.height, 'the row with the error kept its height');
  assert.equal(after.bar.y, before.bar.y, 'the bar has not moved');
  assert.match((await page.locator('#save-status').textContent()) ?? '', /^Saved at \d\d:\d\d; 1 value to fix$/);
  const count = page.locator('#error-count');
  assert.equal(await count.textContent(), 'Go to the value to fix');
  // The words of the error: in the cell's description, shown over the grid when the cell has the cursor.
  const error = page.locator('td.has-error .field-error');
  assert.equal(await error.isVisible(), false, 'not in the way while the cursor is elsewhere');
  await count.click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), await cell.getAttribute('id'));
  await error.waitFor({ state: 'visible' });
  assert.match((await error.textContent()) ?? '', /quarter hours/);
  assert.equal((await firstRow.boundingBox())!.y, before.row.y, 'the open error did not move the row');
  await page.screenshot({ path: path.join(shots, 'week-layout-error-1366.png') });
  await cell.fill('7.25');
  await cell.press('Tab');
  await count.waitFor({ state: 'hidden' });
  await page.context().close();
});

test('compact rows (about 40 px), hours and totals on one right edge, row actions in a small menu', async () => {
  const page = await open('frank', '/week/2026-W51');
  const rows = await page
    .locator('#week-grid tbody tr[data-project]')
    .evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
  for (const h of rows) assert.ok(h >= 36 && h <= 44, `a row is ${h} px high`);
  const edges = await page.evaluate(() => ({
    head: document.querySelector('thead th[data-date] span')!.getBoundingClientRect().right,
    input: document.querySelector('tbody input.hours')!.getBoundingClientRect().right,
    total: document.querySelector('[data-day-total]')!.getBoundingClientRect().right,
    align: getComputedStyle(document.querySelector('tbody input.hours')!).textAlign,
  }));
  assert.equal(edges.align, 'right');
  assert.ok(Math.abs(edges.head - edges.input) <= 2, `day name and hours end together (${edges.head}, ${edges.input})`);
  assert.ok(
    Math.abs(edges.total - edges.input) <= 2,
    `hours and day total end together (${edges.total}, ${edges.input})`,
  );

  const menu = page.locator('tr[data-project]').first().locator('details.row-menu');
  const remove = menu.getByRole('button', { name: /^Remove the row / });
  assert.equal(await remove.isVisible(), false, 'Remove waits in the menu');
  await menu.locator('summary').click();
  await remove.waitFor({ state: 'visible' });
  const row = (await page.locator('tr[data-project]').first().boundingBox())!;
  assert.ok(row.height <= 44, 'the open menu floats over the grid');
  await page.screenshot({ path: path.join(shots, 'week-layout-menu-1366.png') });
  // One help line under the grid, no fieldset.
  assert.equal(await page.locator('#week-form .help:visible').count(), 1);
  assert.equal(await page.locator('#week-form fieldset').count(), 0);
  await page.context().close();
});

test('the title gives the dates first, the week number second, in English and in French', async () => {
  const en = await open('frank', '/week/2026-W49');
  assert.equal((await en.locator('h1').innerText()).replace(/\s+/g, ' '), '30 Nov – 6 Dec 2026 Week 49');
  assert.match(await en.title(), /^30 Nov\s–\s6 Dec 2026 · Week 49 · /);
  await en.context().close();
  const fr = await open('frank', '/week/2026-W53', { locale: 'fr-FR' });
  assert.equal(await fr.getAttribute('html', 'lang'), 'fr');
  assert.equal((await fr.locator('h1').innerText()).replace(/\s+/g, ' '), '28 déc. 2026 – 3 janv. 2027 Semaine 53');
  await fr.context().close();
});

test('a submitted week reads as a receipt: "Next week", no shortcut list, no input help, no empty comment toggles', async () => {
  const page = await open('alice', '/week/2026-W47');
  const panel = page.locator('section.submitted');
  assert.match((await panel.textContent()) ?? '', /booked in the ERP/);
  const next = panel.getByRole('link', { name: 'Go to next week' });
  assert.equal(await next.getAttribute('href'), '/week/2026-W48');
  assert.equal(await page.locator('#grid-shortcuts').count(), 0, 'no shortcut list');
  assert.equal(await page.locator('#input-help').count(), 0, 'no input help');
  assert.equal(await page.locator('#action-bar').count(), 0, 'no action bar');
  const toggles = await page
    .locator('details.comment')
    .evaluateAll((ds) => ds.map((d) => (d.querySelector('textarea') as HTMLTextAreaElement).value));
  assert.ok(toggles.length > 0, 'the comments the week has are there');
  assert.ok(
    toggles.every((c) => c.length > 0),
    'no toggle for a comment that is empty',
  );
  const border = await page
    .locator('input.hours')
    .first()
    .evaluate((el) => getComputedStyle(el).borderTopColor);
  assert.equal(border, 'rgba(0, 0, 0, 0)', 'the hours read as text, not as fields');
  await page.screenshot({ path: path.join(shots, 'week-layout-submitted-1366.png'), fullPage: true });
  await next.click();
  await arriveAt(page, `${env.stack.url}/week/2026-W48`);
  await page.context().close();
});

test('dark mode follows the system; the brand colour is lightened for text on the dark surfaces', async () => {
  const page = await open('frank', '/week/2026-W52', { colorScheme: 'dark' });
  const colours = await page.evaluate(() => ({
    background: getComputedStyle(document.documentElement).backgroundColor,
    link: getComputedStyle(document.querySelector('.week-nav a')!).color,
    header: getComputedStyle(document.querySelector('.site-header')!).backgroundColor,
  }));
  assert.equal(colours.background, 'rgb(18, 20, 23)', 'a dark page');
  assert.equal(colours.header, 'rgb(11, 79, 138)', 'the header keeps the brand colour');
  assert.equal(colours.link, 'rgb(121, 158, 191)', 'links take the lightened brand colour');
  await page.screenshot({ path: path.join(shots, 'week-layout-dark-1366.png') });
  await page.context().close();
});
