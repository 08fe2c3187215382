/**
 * First set of forged and mutated responses (the full attack suite comes with the partner-IdP work).
 * Each starts a real sign-in so the session has a pending request, then changes what the STS issued.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { CLAIM_TYPES } from '../../src/auth/claim-types.js';
import {
  attackerKey,
  claimValueElements,
  decodeResponse,
  encodeResponse,
  mutate,
  NS,
  resign,
  setAttr,
  setText,
} from '../../scripts/harness/saml-signer.js';
import { readForm } from '../../scripts/harness/dev-sts.js';
import { startHarness } from './auth-test-app.js';
import { assertExplained, issue, post, type Issued } from './issued-response.js';

function assertRejected(issued: Issued, page: { status: number; body: string }, reason: string): void {
  assert.equal(page.status, 401);
  assert.match(page.body, /Sign-in failed/);
  assert.doesNotMatch(page.body, /at .*\.(ts|js):\d+/, 'no stack trace');
  const rejection = issued.h.rejections().at(-1);
  assert.equal(rejection?.reason, reason);
  assertExplained(reason, String(rejection?.detail ?? ''));
  // The page's reference is the one logged.
  assert.ok(page.body.includes(rejection?.correlationId as string));
}

test('a response whose NameID was changed after signing is rejected', async (t) => {
  const issued = await issue(t);
  const forged = mutate(issued.xml, (doc) => setText(doc, NS.assertion, 'NameID', 'dave'));
  assertRejected(issued, await post(issued, forged), 'invalid-signature');
});

test('a response whose role claim was changed after signing is rejected', async (t) => {
  const issued = await issue(t);
  const forged = mutate(issued.xml, (doc) => {
    const [role] = claimValueElements(doc, CLAIM_TYPES.role);
    if (!role) throw new Error('no role claim');
    role.textContent = 'Admin';
  });
  assertRejected(issued, await post(issued, forged), 'invalid-signature');
});

test('a response signed again with an attacker key is rejected', async (t) => {
  const issued = await issue(t);
  const forged = resign(
    mutate(issued.xml, (doc) =>
      setText(doc, NS.assertion, 'AttributeValue', 'dave', (el) => el.textContent === 'alice'),
    ),
    { key: attackerKey() },
  );
  assertRejected(issued, await post(issued, forged), 'invalid-signature');
});

test('a wrong Issuer signed with the right key is rejected by the app', async (t) => {
  const issued = await issue(t);
  const forged = resign(mutate(issued.xml, (doc) => setText(doc, NS.assertion, 'Issuer', 'urn:evil:idp')));
  assertRejected(issued, await post(issued, forged), 'issuer-mismatch');
});

test('a wrong Recipient signed with the right key is rejected by the app', async (t) => {
  const issued = await issue(t);
  const forged = resign(
    mutate(issued.xml, (doc) =>
      setAttr(doc, NS.assertion, 'SubjectConfirmationData', 'Recipient', 'https://other.example/saml/acs'),
    ),
  );
  assertRejected(issued, await post(issued, forged), 'recipient-mismatch');
});

test('a wrong Destination signed with the right key is rejected by the app', async (t) => {
  const issued = await issue(t);
  const forged = resign(
    mutate(issued.xml, (doc) => doc.documentElement?.setAttribute('Destination', 'https://other.example/saml/acs')),
  );
  assertRejected(issued, await post(issued, forged), 'destination-mismatch');
});

test('a response to a request this session never sent is rejected', async (t) => {
  const issued = await issue(t);
  const unknown = '_0123456789abcdef0123456789abcdef01234567';
  const forged = resign(
    mutate(issued.xml, (doc) => {
      doc.documentElement?.setAttribute('InResponseTo', unknown);
      setAttr(doc, NS.assertion, 'SubjectConfirmationData', 'InResponseTo', unknown);
    }),
  );
  assertRejected(issued, await post(issued, forged), 'unknown-in-response-to');
});

test('a response without InResponseTo (unsolicited) is rejected', async (t) => {
  const issued = await issue(t);
  const forged = resign(
    mutate(issued.xml, (doc) => {
      doc.documentElement?.removeAttribute('InResponseTo');
      for (const d of Array.from(doc.getElementsByTagNameNS(NS.assertion, 'SubjectConfirmationData')))
        d.removeAttribute('InResponseTo');
    }),
  );
  assertRejected(issued, await post(issued, forged), 'unsolicited');
});

test('a response posted again after sign-out (replay) is rejected', async (t) => {
  const issued = await issue(t);
  assert.equal((await post(issued, issued.xml)).status, 302);
  await issued.browser.post(`${issued.h.base}/logout`, {});
  assertRejected(issued, await post(issued, issued.xml), 'unknown-in-response-to');
});

test('a response posted again while signed in grants nothing new and just goes on', async (t) => {
  const issued = await issue(t);
  assert.equal((await post(issued, issued.xml)).status, 302);
  const cookie = issued.browser.jar.get(issued.h.base, 'timesheet.sid');
  const again = await post(issued, issued.xml);
  assert.equal(again.status, 302);
  assert.equal(again.location, '/week/2026-W47');
  assert.equal(issued.browser.jar.get(issued.h.base, 'timesheet.sid'), cookie, 'same session, no new sign-in');
  assert.ok(issued.h.logs.some((l) => l.event === 'saml_response_ignored'));
});

test('a response replayed in another browser is rejected', async (t) => {
  const issued = await issue(t);
  const other = { ...issued, browser: issued.h.browser() };
  // The thief's browser has a sign-in of its own pending: the stolen answer is still not for it.
  await issued.h.obtainResponse(other.browser, 'bob');
  assertRejected(other, await post(other, issued.xml), 'unknown-in-response-to');
});

test('a response signed with RSA-SHA1 is rejected', async (t) => {
  const issued = await issue(t);
  const forged = resign(issued.xml, { strength: 'sha1' });
  assertRejected(issued, await post(issued, forged), 'weak-algorithm');
});

test('a response signed with RSA-SHA1 is accepted from an IdP allowed to use it', async (t) => {
  const issued = await issue(t, { idp: { allowSha1: true } });
  const page = await post(issued, resign(issued.xml, { strength: 'sha1' }));
  assert.equal(page.status, 302);
});

test('only the Assertion signed is rejected when the Response signature is wanted', async (t) => {
  const issued = await issue(t);
  const forged = resign(issued.xml, { signResponse: false });
  assertRejected(issued, await post(issued, forged), 'invalid-signature');
});

test('only the Assertion signed is accepted from an IdP configured like default ADFS', async (t) => {
  const issued = await issue(t, { idp: { wantResponseSigned: false } });
  const page = await post(issued, resign(issued.xml, { signResponse: false }));
  assert.equal(page.status, 302);
});

test('only the Response signed is rejected when the Assertion signature is wanted', async (t) => {
  const issued = await issue(t);
  const forged = resign(issued.xml, { signAssertion: false });
  assertRejected(issued, await post(issued, forged), 'invalid-signature');
});

test('a response with a DOCTYPE is rejected before any parsing of entities', async (t) => {
  const issued = await issue(t);
  const forged = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${issued.xml}`;
  assertRejected(issued, await post(issued, forged), 'malformed');
});

test('a RelayState pointing to another site lands on /', async (t) => {
  const issued = await issue(t);
  const page = await post(issued, issued.xml, 'https://evil.example/');
  assert.equal(page.status, 302);
  assert.equal(page.location, '/');
});

test('a protocol-relative RelayState lands on /', async (t) => {
  const issued = await issue(t);
  const page = await post(issued, issued.xml, '//evil.example');
  assert.equal(page.status, 302);
  assert.equal(page.location, '/');
});

test('a RelayState with a backslash after the slash lands on /', async (t) => {
  const issued = await issue(t);
  const page = await post(issued, issued.xml, '/\\evil.example');
  assert.equal(page.status, 302);
  assert.equal(page.location, '/');
});

test('roles an IdP may not grant are dropped from the principal and logged', async (t) => {
  const issued = await issue(t, { idp: { allowedRoles: ['Employee'] } }, 'bob');
  const page = await post(issued, issued.xml);
  assert.equal(page.status, 302);
  const week = JSON.parse((await issued.browser.get(`${issued.h.base}/week/2026-W47`)).body);
  assert.deepEqual(week.user.roles, ['Employee']);
  assert.deepEqual(issued.h.logs.find((l) => l.event === 'saml_roles_dropped')?.roles, ['Manager']);
});

test('rejection logs carry the reason and the IdP but no personal data', async (t) => {
  const issued = await issue(t);
  await post(issued, resign(mutate(issued.xml, (doc) => setText(doc, NS.assertion, 'Issuer', 'urn:evil:idp'))));
  const line = JSON.stringify(issued.h.rejections().at(-1));
  assert.match(line, /"idp":"contoso"/);
  for (const personal of ['alice', 'Alice Martin', 'alice@contoso.example', 'SAMLResponse'])
    assert.ok(!line.includes(personal), personal);
});

test('an error status from the IdP is rejected and its free text is not logged', async (t) => {
  const issued = await issue(t);
  // A signed Response without assertion (an unsigned one is refused earlier, as invalid-signature).
  const forged = resign(
    mutate(issued.xml, (doc) => {
      const root = doc.documentElement;
      for (const a of Array.from(doc.getElementsByTagNameNS(NS.assertion, 'Assertion'))) a.parentNode?.removeChild(a);
      const status = doc.getElementsByTagNameNS(NS.protocol, 'StatusCode')[0];
      status?.setAttribute('Value', 'urn:oasis:names:tc:SAML:2.0:status:Responder');
      const message = doc.createElementNS(NS.protocol, 'samlp:StatusMessage');
      message.textContent = 'Account alice is disabled';
      status?.parentNode?.appendChild(message);
      if (!root) throw new Error('no root');
    }),
    { signAssertion: false },
  );
  assertRejected(issued, await post(issued, forged), 'idp-status');
  assert.ok(!JSON.stringify(issued.h.rejections()).includes('alice'));
});

test("one IdP's response to another IdP's pending request is rejected even when both share a key", async (t) => {
  const h = await startHarness(t, { extraIdps: [{ id: 'fabrikam', entityId: 'urn:fabrikam:dev-idp' }] });
  const victim = h.browser();
  // The session's only pending request went to fabrikam...
  const toFabrikam = readForm(
    (await victim.follow(await victim.get(`${h.base}/login?idp=fabrikam&returnTo=/week/2026-W47`))).body,
  );
  const request = inflateRawSync(Buffer.from(toFabrikam.fields.SAMLRequest as string, 'base64')).toString('utf8');
  const pendingId = /\sID="([^"]+)"/.exec(request)?.[1] as string;
  // ...and the answer comes from contoso (a response it issued elsewhere, re-pointed at that request).
  const fromContoso = decodeResponse(
    (await h.obtainResponse(h.browser(), 'dave', undefined, 'contoso')).fields.SAMLResponse as string,
  );
  const forged = resign(
    mutate(fromContoso, (doc) => {
      doc.documentElement?.setAttribute('InResponseTo', pendingId);
      setAttr(doc, NS.assertion, 'SubjectConfirmationData', 'InResponseTo', pendingId);
    }),
  );
  const page = await h.postToAcs(victim, { SAMLResponse: encodeResponse(forged), RelayState: '/' });
  assert.equal(page.status, 401);
  assert.deepEqual(
    { reason: h.rejections().at(-1)?.reason, idp: h.rejections().at(-1)?.idp },
    { reason: 'issuer-mismatch', idp: 'fabrikam' },
  );
});
