// A genuine response obtained through a real sign-in (the session then has a pending request), for
// tests that alter it and post it back: the attack suite and the refusal diagnostics.
import type { TestContext } from 'node:test';
import type { Page, TestBrowser } from '../../scripts/harness/dev-sts.js';
import { decodeResponse, encodeResponse } from '../../scripts/harness/saml-signer.js';
import { startHarness, type Harness, type HarnessOptions } from './auth-test-app.js';

export const WEEK = '/week/2026-W47';

export interface Issued {
  h: Harness;
  browser: TestBrowser;
  xml: string;
  relayState: string;
}

export async function issue(
  t: TestContext,
  options: HarnessOptions = {},
  user = 'alice',
  idp?: string,
): Promise<Issued> {
  const h = await startHarness(t, options);
  const browser = h.browser();
  const form = await h.obtainResponse(browser, user, WEEK, idp);
  return {
    h,
    browser,
    xml: decodeResponse(form.fields.SAMLResponse as string),
    relayState: form.fields.RelayState as string,
  };
}

/** Posts `xml` (the altered response) to the ACS with the genuine RelayState. */
export function post(issued: Issued, xml: string): Promise<Page> {
  return issued.h.postToAcs(issued.browser, { SAMLResponse: encodeResponse(xml), RelayState: issued.relayState });
}
