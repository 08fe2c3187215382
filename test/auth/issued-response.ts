// A genuine response obtained through a real sign-in (the session then has a pending request), for
// tests that alter it and post it back: the attack suite and the refusal diagnostics.
import assert from 'node:assert/strict';
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

/** Posts `xml` (the altered response) to the ACS with the genuine RelayState, or the one given. */
export function post(issued: Issued, xml: string, relayState = issued.relayState): Promise<Page> {
  return issued.h.postToAcs(issued.browser, { SAMLResponse: encodeResponse(xml), RelayState: relayState });
}

/** What each reason's detail must say (the forged cases: a signature that does not verify, or is missing). */
const ACTIONABLE: Record<string, RegExp> = {
  'invalid-signature':
    /(does|do) not verify with saml\.idps\[\w+\]\.certs \(SHA-256 fingerprints|is not signed \(only the|neither the Response nor the Assertion is signed/,
  expired: /this server's clock read \S+, with \d+ s of accepted skew/,
  'not-yet-valid': /this server's clock read \S+, with \d+ s of accepted skew/,
  'subject-confirmation': /this server's clock read/,
  'missing-claim': /the response carries (the attributes|no attribute)/,
  malformed: /not base64|not acceptable XML|DOCTYPE|not a samlp:Response|exactly one SAMLResponse|assertion|XML|xml/,
  'issuer-mismatch': /Issuer is not the IdP the request was sent to/,
  'destination-mismatch': /Destination is not this ACS URL/,
  'recipient-mismatch': /Recipient is not this ACS URL/,
  'audience-mismatch': /audience/i,
  'unknown-in-response-to': /InResponseTo/,
  unsolicited: /IdP-initiated sign-in is refused/,
  'weak-algorithm': /SHA-1 refused/,
  'idp-status': /SAML provider returned \w+ error|error status/,
  'no-contract': /erpAccounts/,
};

/** A refusal's logged detail explains itself, in the words its reason calls for (refusal-diagnosis.ts). */
export function assertExplained(reason: string, detail: string): void {
  const actionable = ACTIONABLE[reason];
  assert.ok(actionable, `no expectation for the reason ${reason}`);
  assert.match(detail, actionable, `the ${reason} refusal explains itself`);
}
