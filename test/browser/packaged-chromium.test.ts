// A machine without a browser still runs the browser tests: the Chromium inside @sparticuz/chromium
// is chosen when neither CHROMIUM_PATH nor Debian's chromium is there, and it renders a page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { chooseChromium } from '../../scripts/harness/chromium.js';

test("without CHROMIUM_PATH and without Debian's chromium, the packaged Chromium is launched and renders a page", async () => {
  const choice = await chooseChromium({}, '/nonexistent/chromium');
  assert.equal(choice.source, '@sparticuz/chromium');
  const browser = await chromium.launch({ executablePath: choice.executablePath, headless: true, args: choice.args });
  try {
    const page = await browser.newPage();
    await page.setContent('<main><h1>Week 2026-W51</h1><label>Hours <input value="7,5"></label></main>');
    assert.equal(await page.getByRole('heading').textContent(), 'Week 2026-W51');
    assert.equal(await page.getByLabel('Hours').inputValue(), '7,5');
  } finally {
    await browser.close();
  }
});

test('CHROMIUM_PATH wins, and a wrong one is refused with its path', async () => {
  await assert.rejects(
    chooseChromium({ CHROMIUM_PATH: '/nonexistent/chrome' }),
    /CHROMIUM_PATH=\/nonexistent\/chrome does not exist/,
  );
  const debian = await chooseChromium({}, process.execPath);
  assert.deepEqual([debian.source, debian.executablePath], ['debian', process.execPath]);
});
