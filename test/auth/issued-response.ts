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
  // One of the ACS's own fixed details, whole: never a parser's message (it may quote the document).
  malformed:
    /^(SAMLResponse is not base64|SAMLResponse is not acceptable XML \(or has a DOCTYPE\)|SAMLResponse is not a samlp:Response|ACS expects exactly one SAMLResponse in a POST body|no assertion in the response)$/,
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

const FINGERPRINT = '[0-9A-F]{2}(?::[0-9A-F]{2}){31}';
const TIME = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
const CLOCKS = `this server's clock read ${TIME}`;

/** The same for a refused single-logout message (logout-message.ts): what each reason's detail must say. */
const LOGOUT_ACTIONABLE: Record<string, RegExp> = {
  'invalid-signature': new RegExp(
    `^logout message signature does not verify with saml\\.idps\\[[\\w-]+\\]\\.certs \\(SHA-256 fingerprints ${FINGERPRINT}(, ${FINGERPRINT})*\\): ` +
      '|^logout message is not signed: the IdP must sign its logout messages',
  ),
  'weak-algorithm':
    /^logout SigAlg \S+: SHA-1 refused \(saml\.idps\[[\w-]+\]\.allowSha1 is false\)|^logout SigAlg .* refused: not an algorithm this SP accepts/,
  expired: new RegExp(
    `^(logout message is too old: the message says it was issued at ${TIME}, ${CLOCKS}: \\d+ s earlier, and a logout message is accepted for \\d+ s plus \\d+ s of accepted skew` +
      `|LogoutRequest NotOnOrAfter has passed: the message says it is valid until ${TIME}, ${CLOCKS}: \\d+ s later, with \\d+ s of accepted skew)`,
  ),
  'not-yet-valid': new RegExp(
    `^logout IssueInstant is in the future: the message says it was issued at ${TIME}, ${CLOCKS}: \\d+ s ahead, with \\d+ s of accepted skew`,
  ),
  'issuer-mismatch':
    /^(LogoutRequest from an issuer that is not an IdP configured for single logout: .*(saml\.idps\[\]\.entityId|sloUrl is null|signingKey)|logout Issuer is not the IdP whose key signed it: the message says ".*", the IdP is ".*")/,
  'destination-mismatch':
    /^logout Destination is not this SLO URL: the message says (".*"|\(none\)), this SP's is "[^"]+\/saml\/slo"/,
  'unknown-in-response-to':
    /^(LogoutResponse while no logout of ours is pending in this browser|LogoutResponse does not answer the logout request we sent: its InResponseTo is ".*", ours ".*")/,
  // The binding's and the message reader's fixed details (redirect-binding.ts, logout-message-reader.ts).
  malformed:
    /^(expected exactly one of SAMLRequest or SAMLResponse|\w+ appears more than once|SigAlg and Signature come together or not at all|SAMLRe(quest|sponse) is not raw DEFLATE \(HTTP-Redirect binding\) or inflates past \d+ bytes|SAMLRe(quest|sponse) is not base64|Signature is not base64|XML with a DOCTYPE is refused|malformed %-escape in the query string|query string too long|not acceptable XML: .*|not a samlp:Logout(Request|Response)|Logout(Request|Response) has no valid ID|Logout(Request|Response) Version is not 2\.0|more than one \w+|\w+ is missing|\w+ is not an xs:dateTime with a time zone|no Issuer|LogoutRequest needs exactly one NameID|NameID is empty|LogoutResponse has no valid InResponseTo|LogoutResponse has no Status\/StatusCode)$/,
};

/** A refused sign-out's logged detail explains itself, as a refused sign-in's does. */
export function assertLogoutExplained(reason: string, detail: string): void {
  const actionable = LOGOUT_ACTIONABLE[reason];
  assert.ok(actionable, `no expectation for the sign-out reason ${reason}`);
  assert.match(detail, actionable, `the ${reason} sign-out refusal explains itself`);
}
