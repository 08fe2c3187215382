/**
 * Waiting for the page a navigation lands on (a sign-in, a redirect after a form). Playwright's
 * waitForURL throws when a navigation of the chain is aborted (net::ERR_ABORTED); this waits on
 * through such an abort, and only through that: any other failure, or not arriving at all, still
 * fails the test. The aborts seen in about one run in five had a cause in the app, found with a
 * sign-in storm (96 parallel browser sign-ins): the ACS's redirect reached the week page before
 * express-session had stored the new session, the week page sent the browser back to /login, and
 * that navigation was aborted, leaving the page on the IdP's "Signing you in". Fixed by
 * storeSessionBeforeRedirect (src/web/session-middleware.ts); the tolerance stays for Chromium's
 * own aborts of a navigation replaced by the next one in a chain of posts and redirects.
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
