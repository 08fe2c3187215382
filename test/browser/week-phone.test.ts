// The week grid on a phone (views/assets/grid-phone.css), in Chromium against the on-prem target:
// at 320 and 375 px (and 640 px, a 1280 px screen at 200 % zoom) one card per project, nothing
// wider than the screen, every hour input reachable with the keyboard and named with project and
// day, and typing still autosaves.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { useOnpremStackAndChromium } from '../../scripts/harness/browser-stack.js';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

const env = useOnpremStackAndChromium();
const shots = path.join(PROJECT_ROOT, 'test-results');

before(() => mkdirSync(shots, { recursive: true }));

async function open(width: number, target: string, mobile = true): Promise<Page> {
  const context = await env.browser.newContext({
    locale: 'en-GB',
    viewport: { width, height: 720 },
    isMobile: mobile,
    hasTouch: mobile,
  });
  const page = await context.newPage();
  await page.goto(`${env.stack.url}${target}`);
  await page.getByLabel('User name').fill('alice');
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${env.stack.url}${target}`);
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
  await page.locator('#week-form input.hours').first().focus();
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

for (const [width, week] of [
  [320, '2026-W50'],
  [375, '2026-W51'],
] as const) {
  test(`at ${width} px: project cards, no horizontal scrolling, every hour input labelled and reachable, autosave`, async () => {
    const target = `/week/${week}`;
    const page = await open(width, target);
    assert.equal(
      await page.locator('#week-form table.grid').evaluate((el) => getComputedStyle(el).display),
      'block',
      'stacked, not a table',
    );
    await noHorizontalOverflow(page, 'the week');

    const inputs = await page.locator('#week-form input.hours').evaluateAll((els) =>
      els.map((el) => {
        const input = el as HTMLInputElement;
        const box = input.getBoundingClientRect();
        const td = input.closest('td')!;
        return {
          id: input.id,
          name: input.labels?.[0]?.textContent?.trim() ?? '',
          caption: td.dataset.caption ?? '',
          captionShown: getComputedStyle(td, '::before').content,
          left: box.left,
          right: box.right,
          width: box.width,
        };
      }),
    );
    assert.ok(inputs.length >= 7, 'the grid has hour inputs');
    for (const i of inputs) {
      assert.match(
        i.name,
        /^Hours for .+ on (Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d+ [A-Z][a-z]+$/,
        `${i.id} is named with project and day`,
      );
      const day = i.name.slice(i.name.lastIndexOf(' on ') + 4);
      assert.ok(i.caption.startsWith(day), `${i.id} shows its day "${i.caption}", as its name says it`);
      assert.notEqual(i.captionShown, 'none', `${i.id}'s day is on screen`);
      assert.ok(i.width > 40 && i.left >= 0 && i.right <= width, `${i.id} within the screen (${i.left}-${i.right})`);
    }
    assert.deepEqual(
      await tabThrough(page),
      inputs.map((i) => i.id),
      'Tab reaches every hour input, in order',
    );

    // Opening a comment and the shortcut list keeps the page within the screen.
    await page.locator('#week-form details.comment summary').first().click();
    await page.locator('#grid-shortcuts summary').click();
    await noHorizontalOverflow(page, 'with a comment and the shortcuts open');

    const first = page.locator('#week-form tr[data-project] input.hours').first();
    const name = (await first.getAttribute('name'))!;
    await first.tap();
    await page.keyboard.type('6,5');
    await first.blur();
    await page
      .getByRole('status')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    assert.equal(await serverValue(page, target, name), '6,5');
    await noHorizontalOverflow(page, 'after saving');
    await page.screenshot({ path: path.join(shots, `week-phone-${width}.png`), fullPage: true });
    await page.context().close();
  });
}

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
