// The month page and its exports in Chromium (issue 20): alice's November 2026 holds three weeks
// booked in the ERP (seed data) and a draft typed here; the page shows hours per project and day
// against the expected hours; the CSV and the workbook downloaded from it (read back with exceljs)
// hold the same numbers, in English and in French; a range export covers a year; a range too long
// or upside down gets a clear 400; without the ERP the page says which weeks it cannot tell and the
// export refuses rather than sending a file that looks complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { useOnpremStackAndChromium } from '../../scripts/harness/browser-stack.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

const env = useOnpremStackAndChromium();

const WORDS = {
  en: { userName: 'User name', password: 'Password', signIn: 'Sign in', locale: 'en-GB' },
  fr: { userName: "Nom d'utilisateur", password: 'Mot de passe', signIn: 'Se connecter', locale: 'fr-FR' },
} as const;

async function signedIn(lang: 'en' | 'fr', target: string): Promise<Page> {
  const w = WORDS[lang];
  const context = await env.browser.newContext({ locale: w.locale, viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${env.stack.url}${target}`);
  await page.getByLabel(w.userName).fill('alice');
  await page.getByLabel(w.password).fill('dev-password');
  await page.getByRole('button', { name: w.signIn }).click();
  await arriveAt(page, `${env.stack.url}${target}`);
  return page;
}

/** A number as the page writes it in either language ("52.5", "52,5"). */
const num = (text: string) => Number(text.trim().replace(/\s/g, '').replace(',', '.'));

/** The page's figures: project code -> total, the grand total, and each day's total. */
async function pageFigures(page: Page) {
  const projects = await page
    .locator('#month-grid tbody tr[data-project]')
    .evaluateAll((rows) =>
      rows.map((r) => [r.getAttribute('data-project')!, r.querySelector('td.total')!.textContent!] as const),
    );
  const days = await page
    .locator('#month-grid tfoot tr.day-totals td[data-date]')
    .evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-date')!, c.textContent!] as const));
  return {
    projects: new Map(projects.map(([code, total]) => [code, num(total)])),
    total: num((await page.locator('#month-total').textContent()) ?? ''),
    days: new Map(days.filter(([, t]) => t.trim() !== '').map(([d, t]) => [d, num(t)])),
  };
}

async function download(page: Page, click: () => Promise<unknown>): Promise<{ name: string; body: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: file.suggestedFilename(), body: await readFile((await file.path())!) };
}

/** CSV lines as fields (no field here holds the separator or a line break). */
function csvRows(body: Buffer, separator: string): string[][] {
  const text = body.toString('utf8');
  assert.ok(text.startsWith('\uFEFF'), 'starts with a byte order mark');
  return text
    .slice(1)
    .trimEnd()
    .split('\r\n')
    .map((l) => l.split(separator));
}

function sumBy(rows: Array<[string, number]>): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [k, v] of rows) sums.set(k, Math.round(((sums.get(k) ?? 0) + v) * 100) / 100);
  return sums;
}

test('November: three booked weeks and a draft, per project and day, the same numbers in the CSV and the workbook (English)', async () => {
  const page = await signedIn('en', '/week/2026-W48');
  // A draft typed in the grid: 6 h on P-1042 on Monday 23 November, saved by the page's autosave.
  const cell = page.locator('input[name="h:P-1042|2026-11-23"]');
  await cell.fill('6');
  await cell.press('Tab');
  await page.waitForFunction(() => document.getElementById('save-status')?.getAttribute('data-kind') === 'saved');

  await page.getByRole('link', { name: 'Month' }).click();
  await arriveAt(page, /\/month\/\d{4}-\d{2}$/);
  await page.goto(`${env.stack.url}/month/2026-11`);
  assert.equal(await page.locator('h1').textContent(), 'November 2026');
  const figures = await pageFigures(page);
  // Seed: 4 h P-1042, 3.5 h P-1050, 0.5 h P-1061 each working day of three weeks; plus the draft.
  assert.deepEqual(
    [...figures.projects],
    [
      ['P-1042', 66],
      ['P-1050', 52.5],
      ['P-1061', 7.5],
    ],
  );
  assert.equal(figures.total, 126);
  assert.equal(figures.days.get('2026-11-02'), 8);
  assert.equal(figures.days.get('2026-11-23'), 6);
  assert.equal(figures.days.has('2026-11-24'), false, 'a day without hours shows no total');
  assert.match((await page.locator('#month-summary').textContent()) ?? '', /126\sh of 168\sh · 6 working days under/);
  assert.equal(await page.locator('tfoot td[data-date="2026-11-23"]').getAttribute('class'), 'state-under week-start');
  assert.match((await page.locator('#month-unbooked').textContent()) ?? '', /2026-W48/);
  // The week links above the days.
  assert.equal(await page.locator('.month-weeks a[href="/week/2026-W47"]').count(), 1);

  const csv = await download(page, () => page.locator('#export-month-csv').click());
  assert.equal(csv.name, 'timesheet-2026-11-01-2026-11-30.csv');
  const rows = csvRows(csv.body, ',');
  assert.deepEqual(rows[0], ['Date', 'Project code', 'Project', 'Hours', 'Comment', 'State']);
  assert.deepEqual(sumBy(rows.slice(1).map((r) => [r[1]!, Number(r[3])])), figures.projects);
  assert.deepEqual(sumBy(rows.slice(1).map((r) => [r[0]!, Number(r[3])])), figures.days);
  assert.deepEqual(
    rows.find((r) => r[0] === '2026-11-23'),
    ['2026-11-23', 'P-1042', 'Migration', '6', '', 'draft'],
  );

  const xlsx = await download(page, () => page.locator('#export-month-xlsx').click());
  assert.equal(xlsx.name, 'timesheet-2026-11-01-2026-11-30.xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
  const lines: Array<[string, string, number]> = [];
  book.getWorksheet('Hours')!.eachRow((row, n) => {
    const date = row.getCell(1).value;
    if (n > 1 && date instanceof Date)
      lines.push([date.toISOString().slice(0, 10), String(row.getCell(2).value), Number(row.getCell(4).value)]);
  });
  assert.deepEqual(sumBy(lines.map(([, code, h]) => [code, h])), figures.projects);
  assert.deepEqual(sumBy(lines.map(([date, , h]) => [date, h])), figures.days);
  const summary = book.getWorksheet('Summary')!;
  const perProject = new Map<string, number>();
  let total = NaN;
  summary.eachRow((row) => {
    const first = String(row.getCell(1).value);
    if (first.startsWith('P-')) perProject.set(first, Number(row.getCell(3).value));
    if (first === 'Total') total = (row.getCell(3).value as { result: number }).result;
  });
  assert.deepEqual(perProject, figures.projects);
  assert.equal(total, figures.total);

  // A year through the range form: the January week booked in the seed comes in too.
  await page.locator('.export-range input[name="from"]').fill('2026-01-01');
  await page.locator('.export-range input[name="to"]').fill('2026-12-31');
  await page.locator('.export-range select[name="format"]').selectOption('csv');
  const year = await download(page, () => page.getByRole('button', { name: 'Download' }).click());
  const yearRows = csvRows(year.body, ',').slice(1);
  assert.equal(Math.round(yearRows.reduce((s, r) => s + Number(r[3]), 0) * 100) / 100, 126 + 40);
  assert.ok(yearRows.some((r) => r[0] === '2026-01-12'));

  // A range of 367 days, or upside down: a clear 400, nothing downloaded.
  const tooLong = await page.goto(`${env.stack.url}/export?from=2026-01-01&to=2027-01-02&format=xlsx`);
  assert.equal(tooLong?.status(), 400);
  assert.match((await page.locator('main').textContent()) ?? '', /367 days: an export covers at most 366/);
  const upsideDown = await page.goto(`${env.stack.url}/export?from=2026-12-01&to=2026-11-01&format=csv`);
  assert.equal(upsideDown?.status(), 400);
  assert.match((await page.locator('main').textContent()) ?? '', /starts \(2026-12-01\) after it ends \(2026-11-01\)/);
  const badMonth = await page.goto(`${env.stack.url}/month/2026-13`);
  assert.equal(badMonth?.status(), 404);
  await page.context().close();
});

test('in French: the page, and a CSV with semicolons and decimal commas', async () => {
  const page = await signedIn('fr', '/month/2026-11');
  assert.equal(await page.locator('h1').textContent(), 'novembre 2026');
  const figures = await pageFigures(page);
  assert.equal(figures.projects.get('P-1050'), 52.5);
  assert.equal(await page.locator('#month-grid tbody tr[data-project="P-1050"] td.total').textContent(), '52,5');
  const csv = await download(page, () => page.locator('#export-month-csv').click());
  const rows = csvRows(csv.body, ';');
  assert.deepEqual(rows[0], ['Date', 'Code projet', 'Projet', 'Heures', 'Commentaire', 'État']);
  assert.deepEqual(rows.find((r) => r[0] === '2026-11-02' && r[1] === 'P-1050')?.[3], '3,5');
  assert.deepEqual(sumBy(rows.slice(1).map((r) => [r[1]!, num(r[3]!)])), figures.projects);
  await page.context().close();
});

test('without the ERP: the month says which weeks it cannot tell, the export refuses with a 503', async () => {
  const page = await signedIn('en', '/month/2026-10');
  await env.stack.erp.control({ down: true });
  try {
    await page.goto(`${env.stack.url}/month/2026-10`);
    assert.match((await page.locator('#month-unknown').textContent()) ?? '', /2026-W40/);
    const refused = await page.goto(`${env.stack.url}/export?from=2026-10-01&to=2026-10-31&format=csv`);
    assert.equal(refused?.status(), 503);
    assert.match((await page.locator('main').textContent()) ?? '', /Nothing was exported/);
  } finally {
    await env.stack.erp.resetControl();
  }
  await page.context().close();
});
