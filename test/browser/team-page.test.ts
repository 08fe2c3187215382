// The team page (issue 20) in Chromium: bob, a manager, sees each member of his team (from the ERP's
// GetTeamWeek) with the state of this week (booked, draft, nothing) and their hours; "Remind" e-mails
// one person and "Remind everyone missing" the rest, received over real SMTP by the mail catcher, in
// each person's language, once a day per person; an Employee and a Contractor get 403; the page has no
// field to change anyone's hours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { snapshotPagesOnFailure } from '../../scripts/harness/failure-snapshots.js';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { arriveAt } from '../../scripts/harness/arrival.js';
import { catcherMailConfig, startTestMailCatcher, type MailCatcher } from '../../scripts/harness/mail-catcher.js';
import { submitWeekForm, typeCell, csrfOf, waitForReceipt } from '../../scripts/harness/week-page.js';
import { todayIn, weekOf } from '../../src/timesheet/iso-week.js';

let stack: AppStack;
let browser: Browser;
let catcher: MailCatcher;
snapshotPagesOnFailure(() => browser);
before(async () => {
  catcher = await startTestMailCatcher();
  [stack, browser] = await Promise.all([
    startAppStack(null, { partner: true, overrides: { mail: catcherMailConfig(catcher) } }),
    launchChromium(),
  ]);
});
after(async () => {
  await browser?.close();
  await stack?.close();
  await catcher?.close();
});

const thisWeek = () => weekOf(todayIn(stack.app.config.timesheet.timeZone));

async function managerPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${stack.url}/team`);
  // Two organisations: the chooser first.
  await page.getByRole('link', { name: /CONTOSO/ }).click();
  await page.getByLabel('User name').fill('bob');
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await arriveAt(page, `${stack.url}/team`);
  return page;
}

async function states(page: Page): Promise<Record<string, string>> {
  const rows = await page
    .locator('#team tbody tr[data-account]')
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-account')!, tr.getAttribute('data-state')!]));
  return Object.fromEntries(rows);
}

test('a manager sees the week of each member and reminds one, then everyone missing, over SMTP', async () => {
  const week = thisWeek();
  // erin starts a draft; alice books her week (the ERP answers at once).
  const erin = (await stack.signIn('erin', `/week/${week.id}`)).browser;
  await typeCell(stack.url, erin, week.id, `P-1042|${week.monday}`, '6');
  const alice = (await stack.signIn('alice', `/week/${week.id}`)).browser;
  await typeCell(stack.url, alice, week.id, `P-1042|${week.monday}`, '8');
  await submitWeekForm(stack.url, alice, week.id);
  await waitForReceipt(stack.url, alice, week.id);

  const page = await managerPage();
  assert.equal(await page.locator('h1').count(), 1);
  assert.deepEqual(await states(page), {
    alice: 'booked',
    carol: 'nothing',
    claire: 'nothing',
    erin: 'draft',
    zoe: 'nothing',
  });
  assert.match((await page.locator('tr[data-account="erin"]').textContent()) ?? '', /6\sh of \d+\sh/);
  assert.match((await page.locator('tr[data-account="alice"]').textContent()) ?? '', /8\sh of \d+\sh/);
  assert.equal(
    await page.locator('#team input:not([type="hidden"]), #team textarea, #team select').count(),
    0,
    'no field for anyone',
  );
  assert.equal(await page.locator('tr[data-account="alice"] button').count(), 0, 'a booked week needs no reminder');

  await page.getByRole('button', { name: 'Remind Erin Moreau by e-mail' }).click();
  await arriveAt(page, /\/team\?week=.*reminded=1/);
  assert.match((await page.locator('#remind-outcome').textContent()) ?? '', /Reminders sent: 1\./);
  const [toErin] = await catcher.waitForMessages(1, 10_000);
  assert.deepEqual(toErin!.envelope.to, ['erin@contoso.example']);
  assert.match(toErin!.subject, new RegExp(`week ${week.week}`, 'i'));
  assert.ok(toErin!.text.includes(`http://localhost:3000/week/${week.id}`), 'the link to her week');
  assert.match(toErin!.text, /Bob Dupont/, 'says who asked');
  assert.match((await page.locator('tr[data-account="erin"]').textContent()) ?? '', /Reminded/);
  assert.equal(await page.locator('tr[data-account="erin"] button').count(), 0, 'once a day');

  await page.getByRole('button', { name: 'Remind everyone missing (3)' }).click();
  await arriveAt(page, /\/team\?week=.*reminded=1/);
  assert.match((await page.locator('#remind-outcome').textContent()) ?? '', /Reminders sent: 3\./);
  const all = await catcher.waitForMessages(4, 10_000);
  assert.deepEqual(all.map((m) => m.envelope.to[0]).sort(), [
    'carol@fabrikam.example',
    'claire@contoso.example',
    'erin@contoso.example',
    'zoe@contoso.example',
  ]);
  const toClaire = all.find((m) => m.envelope.to[0] === 'claire@contoso.example')!;
  assert.match(toClaire.subject, /semaine/i, 'in her language');
  assert.equal(toClaire.headers['content-language'], 'fr');

  // A second click the same day sends nothing more.
  const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
  const again = await page.request.post(`${stack.url}/team/remind`, {
    form: { _csrf: csrf!, week: week.id, account: 'zoe' },
    maxRedirects: 0,
  });
  assert.equal(again.status(), 303);
  assert.match(again.headers().location ?? '', /sent=0&already=1/);
  // Someone not in the team is refused, not reminded.
  const stranger = await page.request.post(`${stack.url}/team/remind`, {
    form: { _csrf: csrf!, week: week.id, account: 'nora' },
    maxRedirects: 0,
  });
  assert.equal(stranger.status(), 400);
  assert.equal(catcher.messages().length, 4);
  await page.context().close();
});

test('an Employee and a Contractor get 403, on the page and on Remind', async () => {
  const { browser: employee, page } = await stack.signIn('alice', '/team');
  assert.equal(page.status, 403);
  assert.match(page.body, /The team page is for managers/);
  const week = await employee.get(`${stack.url}/week/${thisWeek().id}`);
  const remind = await employee.post(`${stack.url}/team/remind`, {
    _csrf: csrfOf(week),
    week: thisWeek().id,
    all: '1',
  });
  assert.equal(remind.status, 403);
  const { page: contractor } = await stack.signIn('carol', '/team', 'fabrikam');
  assert.equal(contractor.status, 403);
  // No link to the team page for them either.
  assert.doesNotMatch(week.body, /href="\/team"/);
});
