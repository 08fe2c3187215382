/** One test file's on-prem app stack and Chromium, started before its tests and closed after them. */
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { startAppStack, type AppStack } from './app-stack.js';
import { launchChromium } from './chromium.js';
import { snapshotPagesOnFailure } from './failure-snapshots.js';

export interface BrowserStack {
  readonly stack: AppStack;
  readonly browser: Browser;
}

/** Registers the file's before/after hooks; read `stack` and `browser` inside tests (set once started). */
export function useOnpremStackAndChromium(): BrowserStack {
  let stack: AppStack | undefined;
  let browser: Browser | undefined;
  snapshotPagesOnFailure(() => browser);
  before(async () => {
    [stack, browser] = await Promise.all([startAppStack(null, { target: 'onprem' }), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
  });
  return {
    get stack() {
      if (!stack) throw new Error('the app stack is not started yet (read it inside a test)');
      return stack;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not started yet (read it inside a test)');
      return browser;
    },
  };
}
