/**
 * A refused sign-in says what to change (issue 18, diagnostics): the same refusals as the attack
 * suite, now with a reason an operator can act on. Real sign-ins through the dev STS, responses
 * altered and re-signed as an IdP configured another way would send them.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CLAIM_TYPES } from '../../src/auth/claim-types.js';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import type { Page } from '../../scripts/harness/dev-sts.js';
import { attackerKey, elements, mutate, NS, resign, stripSignatures } from '../../scripts/harness/saml-signer.js';
import type { Harness } from './auth-test-app.js';
import { issue, post } from './issued-response.js';

/** The logged refusal: its reason category (unchanged) and its detail (now actionable). */
function refusal(h: Harness, page: Page): { reason: unknown; detail: string } {
  assert.equal(page.status, 401);
  const last = h.rejections().at(-1);
  return { reason: last?.reason, detail: String(last?.detail) };
}

const withoutAttributes = (xml: string, names: string[]) =>
  mutate(xml, (doc) => {
    for (const a of elements(doc, NS.assertion, 'Attribute'))
      if (names.includes(a.getAttribute('Name') ?? '')) a.parentNode?.removeChild(a);
  });

test('only the Assertion signed while the Response must be: "the Response is not signed" and the setting to change', async (t) => {
  const issued = await issue(t);
  const r = refusal(issued.h, await post(issued, resign(issued.xml, { signResponse: false })));
  assert.equal(r.reason, 'invalid-signature');
  assert.match(r.detail, /the Response is not signed \(only the Assertion is\)/);
  assert.match(r.detail, /saml\.idps\[contoso\]\.wantResponseSigned is true/);
  assert.match(r.detail, /set wantResponseSigned to false for this IdP/);
});

test('only the Response signed while the Assertion must be: "the Assertion is not signed" and the setting to change', async (t) => {
  const issued = await issue(t);
  const r = refusal(issued.h, await post(issued, resign(issued.xml, { signAssertion: false })));
  assert.equal(r.reason, 'invalid-signature');
  assert.match(r.detail, /the Assertion is not signed \(only the Response is\)/);
  assert.match(r.detail, /wantAssertionsSigned to false/);
});

test('nothing signed: the IdP must sign; not mistaken for a setting', async (t) => {
  const issued = await issue(t);
  const r = refusal(issued.h, await post(issued, stripSignatures(issued.xml)));
  assert.equal(r.reason, 'invalid-signature');
  assert.match(r.detail, /neither the Response nor the Assertion is signed/);
});

test("signed where expected but with another key: the configured certificate's fingerprint and what to do", async (t) => {
  const issued = await issue(t);
  const r = refusal(issued.h, await post(issued, resign(issued.xml, { key: attackerKey() })));
  assert.equal(r.reason, 'invalid-signature');
  const trusted = new X509Certificate(readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys/dev-sts.crt')));
  assert.match(r.detail, /the Response and Assertion signatures do not verify/);
  assert.ok(r.detail.includes(trusted.fingerprint256), r.detail);
  assert.match(r.detail, /import its metadata again/);
});

test('an expired assertion: the times it states, this server clock and the accepted skew', async (t) => {
  const issued = await issue(t);
  const ended = new Date(Date.now() - 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const xml = mutate(issued.xml, (doc) => {
    for (const c of elements(doc, NS.assertion, 'Conditions')) c.setAttribute('NotOnOrAfter', ended);
  });
  const before = new Date();
  const r = refusal(issued.h, await post(issued, resign(xml)));
  assert.equal(r.reason, 'expired');
  assert.ok(r.detail.includes(`until ${ended}`), r.detail);
  assert.match(r.detail, /bearer confirmation until \S+Z/);
  const clock = /this server's clock read (\S+),/.exec(r.detail)?.[1];
  assert.ok(clock && new Date(clock) >= before, r.detail);
  assert.match(r.detail, /60 s of accepted skew/);
});

test('no account name claim: the claim types it looked for and the attribute names that came', async (t) => {
  const issued = await issue(t);
  const xml = withoutAttributes(issued.xml, [CLAIM_TYPES.windowsAccountName, CLAIM_TYPES.name]);
  const r = refusal(issued.h, await post(issued, resign(xml)));
  assert.equal(r.reason, 'missing-claim');
  assert.match(r.detail, /the response carries the attributes .*claims\/role/);
  assert.doesNotMatch(r.detail, /alice/i, 'attribute names only, never a value');
});

test('no role claim: 403, and the log names the role claims read and the attributes that came', async (t) => {
  const issued = await issue(t);
  const page = await post(issued, resign(withoutAttributes(issued.xml, [CLAIM_TYPES.role])));
  assert.equal(page.status, 403);
  const line = issued.h.logs.filter((l) => l.event === 'saml_signin_not_allowed').at(-1);
  assert.deepEqual(line?.roles, []);
  assert.deepEqual(line?.roleClaims, [CLAIM_TYPES.role]);
  assert.match(String(line?.msg), /no role in saml\.idps\[contoso\]\.claims\.roles/);
  assert.match(String(line?.msg), /the response carries the attributes .*claims\/name/);
  assert.doesNotMatch(String(line?.msg), /alice/i, 'attribute names only, never a value');
});
