// The week grid on a phone (views/assets/grid-phone.css, src/browser/layout/), in Chromium against
// the on-prem target: at 320 and 375 px (and 640 px, a 1280 px screen at 200 % zoom) one day at a
// time with a day switcher naming each day's total (issue 16; one card per project without
// JavaScript), nothing wider than the screen, every hour input of the day reachable with the
// keyboard and named with project and day, typing still autosaves, and filling a day fits in 1.5
// screens at 375x667.
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

before(() => mkdirSync(shots, { recursive: true }));

async function open(width: number, target: string, mobile = true, user = 'alice', height = 720): Promise<Page> {
  const context = await env.browser.newContext({
    locale: 'en-GB',
    viewport: { width, height },
    isMobile: mobile,
    hasTouch: mobile,
  });
  const page = await context.newPage();
  await page.goto(`${env.stack.url}${target}`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await arriveAt(page, `${env.stack.url}${target}`);
  return page;
}

async function noHorizontalOverflow(page: Page, when: string): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.scrollingElement!.scrollWidth,
    inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${when}: page ${scroll} px wide in a ${inner} px window`);
}

/** What the server holds for an input: the value the week page is rendered with. */
async function serverValue(page: Page, target: string, name: string): Promise<string | undefined> {
  const html = await (await page.request.get(`${env.stack.url}${target}`)).text();
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`<input[^>]*\\bname="${escaped}"[^>]*\\bvalue="([^"]*)"`).exec(html)?.[1];
}

/** Hour inputs met while tabbing from the first one to the end of the form. */
async function tabThrough(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.locator('#week-form input.hours:visible').first().focus();
  for (let i = 0; i < 400; i++) {
    const now = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        id: el?.id ?? '',
        hours: !!el?.matches('input.hours'),
        inForm: !!el?.closest('#week-form'),
        outline: el ? getComputedStyle(el).outlineStyle : '',
      };
    });
    if (!now.inForm) break;
    if (now.hours) {
      seen.push(now.id);
      assert.equal(now.outline, 'solid', `focus is visible on ${now.id}`);
    }
    await page.keyboard.press('Tab');
  }
  return seen;
}

interface ShownInput {
  id: string;
  name: string;
  left: number;
  right: number;
  width: number;
}

/** The hour inputs on screen, with their accessible names and where they are. */
async function shownInputs(page: Page): Promise<ShownInput[]> {
  return page.locator('#week-form input.hours:visible').evaluateAll((els) =>
    els.map((el) => {
      const input = el as HTMLInputElement;
      const box = input.getBoundingClientRect();
      return {
        id: input.id,
        name: input.labels?.[0]?.textContent?.trim() ?? '',
        left: box.left,
        right: box.right,
        width: box.width,
      };
    }),
  );
}

for (const [width, week] of [
  [320, '2026-W50'],
  [375, '2026-W51'],
] as const) {
  test(`at ${width} px: one day at a time, every project of it, a day switcher with totals, no horizontal scrolling, autosave`, async () => {
    const target = `/week/${week}`;
    const page = await open(width, target);
    assert.equal(
      await page.locator('#week-form table.grid').evaluate((el) => getComputedStyle(el).display),
      'block',
      'stacked, not a table',
    );
    await noHorizontalOverflow(page, 'the week');
    const days = page.locator('.day-switcher button');
    assert.equal(await days.count(), 7, 'a button per day');
    const projects = await page.locator('#week-form tbody tr').count();
    for (const day of [0, 3]) {
      await days.nth(day).click();
      assert.equal(await days.nth(day).getAttribute('aria-pressed'), 'true');
      const dayName = (await page.locator('thead th[data-date]').nth(day).getAttribute('abbr')) ?? '';
      const inputs = await shownInputs(page);
      assert.equal(inputs.length, projects, `every project of ${dayName} has its input on screen`);
      for (const i of inputs) {
        assert.match(i.name, /^Hours for .+ on (Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d+ [A-Z][a-z]+$/);
        assert.ok(i.name.endsWith(` on ${dayName}`), `${i.id} is a cell of ${dayName}: ${i.name}`);
        assert.ok(i.width > 40 && i.left >= 0 && i.right <= width, `${i.id} within the screen (${i.left}-${i.right})`);
      }
      assert.deepEqual(
        await tabThrough(page),
        inputs.map((i) => i.id),
        'Tab reaches every hour input of the day, in order',
      );
    }

    // Opening a comment and the shortcut list keeps the page within the screen.
    await page.locator('#week-form details.comment summary:visible').first().click();
    await page.locator('#grid-shortcuts summary').click();
    await noHorizontalOverflow(page, 'with a comment and the shortcuts open');

    const first = page.locator('#week-form tr[data-project] input.hours:visible').first();
    const name = (await first.getAttribute('name'))!;
    await first.tap();
    await page.keyboard.type('6,5');
    await first.blur();
    await page
      .getByRole('status')
      .filter({ hasText: /^Saved at \d\d:\d\d$/ })
      .waitFor();
    assert.equal(await serverValue(page, target, name), '6,5');
    assert.match((await days.nth(3).textContent()) ?? '', /6\.5 h/, "the switcher shows the day's new total");
    await noHorizontalOverflow(page, 'after saving');
    await page.screenshot({ path: path.join(shots, `week-phone-${width}.png`), fullPage: true });
    await page.context().close();
  });
}

test('at 375x667 filling one day fits in 1.5 screens, the header takes one line, the bar stays on screen', async () => {
  // The week: frank, 2026-W49, three projects; before the day view the page was 4.7 screens at 375 px.
  const page = await open(375, '/week/2026-W49', true, 'frank', 667);
  const header = await page.locator('.site-header').boundingBox();
  assert.ok(header && header.height <= 48, `the header is one line (${header?.height} px)`);
  const monday = page.locator('#week-form tr[data-project] input.hours:visible');
  assert.equal(await monday.count(), 3);
  for (let i = 0; i < 3; i++) await monday.nth(i).fill('2,5');
  await monday.nth(2).press('Tab');
  await page.locator('#save-status[data-kind="saved"]').waitFor();
  const { height, screen } = await page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    screen: window.innerHeight,
  }));
  assert.ok(
    height / screen <= 1.5,
    `the page is ${height} px: ${(height / screen).toFixed(2)} screens of ${screen} px`,
  );
  const bar = await page.locator('#action-bar').boundingBox();
  assert.ok(bar && bar.y >= 0 && bar.y + bar.height <= screen, 'the action bar is on screen');
  assert.match((await page.locator('.day-switcher button[aria-pressed="true"]').textContent()) ?? '', /7\.5 h/);
  await page.screenshot({ path: path.join(shots, 'week-phone-day-375.png'), fullPage: true });
  await page.context().close();
});

test('without JavaScript a phone gets one card per project, each line naming its day', async () => {
  // Signed in with JavaScript (the SAML post goes by script), then the same session without it.
  const signedIn = await open(375, '/week/2026-W52');
  const storageState = await signedIn.context().storageState();
  await signedIn.context().close();
  const context = await env.browser.newContext({
    locale: 'en-GB',
    viewport: { width: 375, height: 667 },
    isMobile: true,
    javaScriptEnabled: false,
    storageState,
  });
  const page = await context.newPage();
  await page.goto(`${env.stack.url}/week/2026-W52`);
  assert.equal(await page.locator('.day-switcher').count(), 0);
  const inputs = await shownInputs(page);
  assert.equal(inputs.length, await page.locator('#week-form input.hours').count(), 'every day of every project');
  const label = page.locator('#week-form td.cell > label').first();
  assert.ok(await label.isVisible(), "each input's own label (project and day) is on screen");
  await noHorizontalOverflow(page, 'the cards');
  await context.close();
});

test('at 640 px (a 1280 px screen at 200 % zoom) the grid is stacked too and nothing scrolls sideways', async () => {
  const page = await open(640, '/week/2026-W52', false);
  assert.equal(await page.locator('#week-form table.grid').evaluate((el) => getComputedStyle(el).display), 'block');
  await noHorizontalOverflow(page, 'the week at 640 px');
  await page.context().close();
});

test('at desktop width the grid stays a table', async () => {
  const page = await open(1280, '/week/2026-W52', false);
  assert.equal(await page.locator('#week-form table.grid').evaluate((el) => getComputedStyle(el).display), 'table');
  assert.equal(
    await page
      .locator('#week-form td.cell')
      .first()
      .evaluate((el) => getComputedStyle(el, '::before').content),
    'none',
  );
  await page.context().close();
});
