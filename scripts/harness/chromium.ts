/**
 * Chromium for the browser tests, driven by playwright-core (which cannot download a browser here).
 * Which one, in order: CHROMIUM_PATH; Debian's /usr/bin/chromium when installed; else the Chromium
 * that the npm package @sparticuz/chromium carries inside it (unpacked to /tmp on first use), so
 * `npm ci && npm test` needs no browser on the machine. Flags: no sandbox as root, and no background
 * networking, which this closed network refuses.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  /** For the logs: where the browser came from. */
  source: 'CHROMIUM_PATH' | 'debian' | '@sparticuz/chromium';
}

export async function chooseChromium(
  env: NodeJS.ProcessEnv = process.env,
  debianPath = DEBIAN_CHROMIUM,
): Promise<ChromiumChoice> {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`);
    return { executablePath: env.CHROMIUM_PATH, args: FLAGS, source: 'CHROMIUM_PATH' };
  }
  if (existsSync(debianPath)) return { executablePath: debianPath, args: FLAGS, source: 'debian' };
  const packaged = (await import('@sparticuz/chromium')).default;
  // Not its own flags: they are made for AWS Lambda (--single-process closes the browser with the
  // first context a test closes; --disable-web-security would void the CSP and cookie tests).
  return { executablePath: await packaged.executablePath(), args: FLAGS, source: '@sparticuz/chromium' };
}

export async function launchChromium(): Promise<Browser> {
  const choice = await chooseChromium();
  return chromium.launch({ executablePath: choice.executablePath, headless: true, args: choice.args });
}
