/**
 * What the browser showed when a browser test failed: for each page still open, its URL, its title
 * and the start of its visible text go to the test's output, and a screenshot to
 * test-results/failures/. A timeout such as "waiting for getByLabel(...)" says what was missing,
 * not what was there instead; a failure seen once in a CI log must be explainable from that log.
 */
import { afterEach } from 'node:test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

const TEXT_CHARS = 600;

/** Registers an afterEach hook in the calling test file; call it at the file's top level. */
export function snapshotPagesOnFailure(browserOf: () => Browser | undefined): void {
  afterEach(async (t) => {
    // TestContext.passed exists since Node 21.7 but @types/node 24 does not declare it yet.
    if ((t as unknown as { passed?: boolean }).passed !== false) return;
    const browser = browserOf();
    if (!browser?.isConnected()) return;
    const folder = path.join(PROJECT_ROOT, 'test-results', 'failures');
    mkdirSync(folder, { recursive: true });
    const pages = browser.contexts().flatMap((context) => context.pages());
    for (const [index, page] of pages.entries()) {
      const name = `${t.name.replace(/[^\w-]+/g, '-').slice(0, 60)}-${index}.png`;
      const seen = await page
        .evaluate(() => ({ title: document.title, text: document.body?.innerText ?? '' }))
        .catch((err: unknown) => ({ title: '(unreadable)', text: String(err) }));
      await page.screenshot({ path: path.join(folder, name), timeout: 5_000 }).catch(() => undefined);
      const text = seen.text.replace(/\s+/g, ' ').trim().slice(0, TEXT_CHARS);
      console.error(`[failure snapshot] page ${index + 1}/${pages.length}: ${page.url()}
  title: ${seen.title}
  text: ${text}
  screenshot: test-results/failures/${name}`);
    }
  });
}
