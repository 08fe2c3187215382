/**
 * Waiting for the page a navigation lands on (a sign-in, a redirect after a form). The SAML round trip is a chain of posts and redirects, and
 * Chromium now and then reports one navigation of that chain as aborted (net::ERR_ABORTED) when the
 * next one starts; the person still lands on the page. Playwright's waitForURL throws on that abort,
 * which made about one browser run in five fail at sign-in. This waits on through such an abort, and
 * only through that: any other failure, or not arriving at all, still fails the test.
 */
import type { Page } from 'playwright-core';

export async function arriveAt(page: Page, url: Parameters<Page['waitForURL']>[0], timeoutMs = 30_000): Promise<void> {
  try {
    await page.waitForURL(url, { timeout: timeoutMs });
  } catch (err) {
    if (!/net::ERR_ABORTED/.test(String(err))) throw err;
    await page.waitForURL(url, { timeout: timeoutMs });
  }
}
