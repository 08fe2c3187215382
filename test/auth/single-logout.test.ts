/**
 * SAML single logout, HTTP-Redirect binding, against the dev STS: SP-initiated (POST /logout) and
 * IdP-initiated (the STS's "sign out of all applications", or a LogoutRequest reaching any instance
 * without the browser's cookie), and the forged logout messages the SP must refuse.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import {
  buildLogoutResponse,
  decodeRedirect,
  encodeRedirect,
  SIG_ALG,
} from '../../scripts/stand-ins/dev-sts/logout-messages.js';
import type { TestBrowser } from '../../scripts/harness/dev-sts.js';
import { FABRIKAM, startHarness, type Harness, type HarnessOptions } from './auth-test-app.js';
import { assertLogoutExplained } from './issued-response.js';

const DEEP_LINK = '/week/2026-W47';
const query = (url: string) => url.slice(url.indexOf('?') + 1);

interface SignedIn {
  h: Harness;
  browser: TestBrowser;
  /** The SessionIndex the STS issued for this sign-in. */
  sessionIndex: string;
}

async function signedIn(t: TestContext, user = 'alice', options: HarnessOptions = {}): Promise<SignedIn> {
  const h = await startHarness(t, options);
  const browser = h.browser();
  assert.equal((await h.signIn(browser, user, DEEP_LINK, 'contoso')).status, 302);
  const record = h.sts.sessions().find((s) => s.nameId === user);
  assert.ok(record, 'the STS remembers the sign-in');
  return { h, browser, sessionIndex: record.sessionIndex };
}

async function isSignedIn(h: Harness, browser: TestBrowser, instance = 0): Promise<boolean> {
  const page = await browser.get(`${h.instances[instance]}${DEEP_LINK}`);
  return page.status === 200;
}

const spEntityId = (h: Harness) => `${h.base}/saml/metadata`;

test('SP-initiated: sign-out ends the session here, sends a signed LogoutRequest naming the sign-in, and the IdP answer shows "Signed out"', async (t) => {
  const { h, browser, sessionIndex } = await signedIn(t);
  const oldCookie = browser.jar.header(h.base) as string;
  const out = await browser.post(`${h.base}/logout`, {});
  assert.equal(out.status, 303);
  assert.ok(out.location?.startsWith(`${h.sts.sloUrl}?`), 'to the IdP single-logout endpoint');
  const request = decodeRedirect(query(out.location as string));
  assert.equal(request.kind, 'SAMLRequest');
  assert.equal(request.sigAlg, SIG_ALG.rsaSha256);
  assert.match(request.xml, /<saml:NameID[^>]*>alice<\/saml:NameID>/);
  assert.ok(request.xml.includes(`>${sessionIndex}</`), 'the SessionIndex of this sign-in');
  // Signed out here before the IdP answers: the old cookie no longer opens a session.
  assert.equal(
    (await browser.request(`${h.base}${DEEP_LINK}`, { cookies: false, headers: { cookie: oldCookie } })).status,
    302,
  );

  const atIdp = await browser.get(out.location as string);
  assert.equal(atIdp.status, 302, 'the STS accepted the signed request');
  assert.ok(atIdp.location?.startsWith(`${h.base}/saml/slo?SAMLResponse=`));
  const back = await browser.get(atIdp.location as string);
  assert.equal(back.status, 200);
  assert.match(back.body, /<h1>Signed out<\/h1>/);
  assert.doesNotMatch(back.body, /could not confirm/);
  assert.equal(h.sts.sessions().length, 0, 'the STS session ended too');
  assert.ok(h.logs.some((l) => l.event === 'saml_logout_completed' && l.success === true));
});

test('IdP-initiated from the STS: "sign out of all applications" ends the app session and the STS shows it done', async (t) => {
  const { h, browser } = await signedIn(t);
  const stsLogout = await browser.post(h.sts.logoutUrl, {});
  assert.equal(stsLogout.status, 302);
  assert.ok(stsLogout.location?.startsWith(`${h.base}/saml/slo?SAMLRequest=`));
  const atSp = await browser.get(stsLogout.location as string);
  assert.equal(atSp.status, 302, 'the SP answers with a LogoutResponse');
  const answer = decodeRedirect(query(atSp.location as string));
  assert.equal(answer.kind, 'SAMLResponse');
  assert.match(answer.xml, /status:Success/);
  const done = await browser.get(atSp.location as string);
  assert.equal(done.status, 200);
  assert.equal(await isSignedIn(h, browser), false);
  // One sign-in ended, found both by the index and by the browser's cookie: counted once.
  assert.equal(h.logs.find((l) => l.event === 'saml_idp_logout')?.sessionsEnded, 1);
});

test('IdP-initiated without the browser cookie, at another instance: every session of that person ends', async (t) => {
  const h = await startHarness(t, { instances: 2 });
  const laptop = h.browser();
  const phone = h.browser();
  await h.signIn(laptop, 'alice', DEEP_LINK, 'contoso');
  await h.signIn(phone, 'alice', DEEP_LINK, 'contoso');
  const bob = h.browser();
  await h.signIn(bob, 'bob', DEEP_LINK, 'contoso');
  assert.equal(await isSignedIn(h, laptop, 1), true);

  const url = new URL(h.sts.createLogoutRequestUrl(spEntityId(h), { nameId: 'alice' }));
  // Delivered to instance 1 by a client carrying no cookie of the app (a back-channel, a blocked iframe).
  const delivered = await h.browser().get(`${h.instances[1]}${url.pathname}${url.search}`);
  assert.equal(delivered.status, 302);
  assert.match(decodeRedirect(query(delivered.location as string)).xml, /status:Success/);
  assert.equal(await isSignedIn(h, laptop, 0), false);
  assert.equal(await isSignedIn(h, phone, 0), false);
  assert.equal(await isSignedIn(h, bob, 0), true, "someone else's session is untouched");
  assert.equal(h.logs.find((l) => l.event === 'saml_idp_logout')?.sessionsEnded, 2);
});

test('a LogoutRequest with a SessionIndex ends only that sign-in of the person', async (t) => {
  const h = await startHarness(t);
  const first = h.browser();
  await h.signIn(first, 'alice', DEEP_LINK, 'contoso');
  const firstIndex = h.sts.sessions().find((s) => s.nameId === 'alice')?.sessionIndex as string;
  const second = h.browser();
  await h.signIn(second, 'alice', DEEP_LINK, 'contoso');
  const delivered = await h
    .browser()
    .get(h.sts.createLogoutRequestUrl(spEntityId(h), { nameId: 'alice', sessionIndex: firstIndex }));
  assert.equal(delivered.status, 302);
  assert.equal(await isSignedIn(h, first), false);
  assert.equal(await isSignedIn(h, second), true);
});

/** SHA-256 fingerprint of a certificate of config/dev/keys, as the refusals name the ones they tried. */
const fingerprintOf = (file: string) =>
  new X509Certificate(readFileSync(new URL(`../../config/dev/keys/${file}`, import.meta.url))).fingerprint256;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An instant as the STS writes it (whole seconds) and as the refusal quotes it back. */
const seconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString();

/**
 * Delivers a forged LogoutRequest in the signed-in browser; asserts refusal with `reason`, a logged
 * detail that explains it (what the operator acts on: the certificates tried, both clocks, the values
 * expected; `explained`, when given, the exact words of this case) and that the session survived.
 */
async function assertLogoutRefused(s: SignedIn, url: string, reason: string, explained?: RegExp): Promise<string> {
  const page = await s.browser.get(url);
  assert.equal(page.status, 400);
  assert.match(page.body, /Sign-out message refused/);
  assert.doesNotMatch(page.body, /at .*\.(ts|js):\d+/);
  const rejection = s.h.logoutRejections().at(-1);
  assert.equal(rejection?.reason, reason);
  const detail = String(rejection?.detail ?? '');
  assertLogoutExplained(reason, detail);
  if (explained) assert.match(detail, explained);
  assert.ok(page.body.includes(rejection?.correlationId as string));
  assert.ok(!JSON.stringify(rejection).includes('alice'), 'no personal data logged');
  assert.equal(await isSignedIn(s.h, s.browser), true, 'still signed in');
  return detail;
}

/** The refusal of a signature that does not verify names the corporate STS's certificate, the one tried. */
const triedTheStsCertificate = () =>
  new RegExp(
    `^logout message signature does not verify with saml\\.idps\\[contoso\\]\\.certs \\(SHA-256 fingerprints ${fingerprintOf('dev-sts.crt')}\\)`,
  );

test('an unsigned LogoutRequest is refused (node-saml alone would accept it)', async (t) => {
  const s = await signedIn(t);
  await assertLogoutRefused(
    s,
    s.h.sts.createLogoutRequestUrl(spEntityId(s.h), { nameId: 'alice', signingKeyPem: null }),
    'invalid-signature',
    /^logout message is not signed: the IdP must sign its logout messages \(SimpleSAMLphp: 'sign\.logout' => true/,
  );
});

test('a LogoutRequest signed with an attacker key is refused', async (t) => {
  const s = await signedIn(t);
  const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  await assertLogoutRefused(
    s,
    s.h.sts.createLogoutRequestUrl(spEntityId(s.h), { nameId: 'alice', signingKeyPem: attacker }),
    'invalid-signature',
    triedTheStsCertificate(),
  );
});

test('a LogoutRequest signed with RSA-SHA1 is refused', async (t) => {
  const s = await signedIn(t);
  await assertLogoutRefused(
    s,
    s.h.sts.createLogoutRequestUrl(spEntityId(s.h), { nameId: 'alice', sigAlg: SIG_ALG.rsaSha1 }),
    'weak-algorithm',
    new RegExp(
      `^logout SigAlg ${escape(SIG_ALG.rsaSha1)}: SHA-1 refused \\(saml\\.idps\\[contoso\\]\\.allowSha1 is false\\): have the IdP sign its logout messages with RSA-SHA256`,
    ),
  );
});

test('a LogoutRequest from an issuer that is not a configured IdP is refused', async (t) => {
  const s = await signedIn(t);
  await assertLogoutRefused(
    s,
    s.h.sts.createLogoutRequestUrl(spEntityId(s.h), { nameId: 'alice', issuer: 'urn:evil:idp' }),
    'issuer-mismatch',
    /: the message says Issuer "urn:evil:idp", which is no saml\.idps\[\]\.entityId \(IdPs doing single logout: contoso\)$/,
  );
});

test("a partner IdP cannot sign a LogoutRequest in the corporate STS's name", async (t) => {
  const s = await signedIn(t, 'alice', { extraIdps: [FABRIKAM] });
  const fabrikamKey = readFileSync(new URL('../../config/dev/keys/fabrikam-idp.key', import.meta.url), 'utf8');
  const url = s.h.stses.fabrikam?.createLogoutRequestUrl(spEntityId(s.h), {
    nameId: 'alice',
    issuer: s.h.sts.entityId,
    signingKeyPem: fabrikamKey,
  }) as string;
  await assertLogoutRefused(s, url, 'invalid-signature', triedTheStsCertificate());
});

test("a partner IdP's genuine LogoutRequest naming an employee does not end the employee's session", async (t) => {
  const s = await signedIn(t, 'alice', { extraIdps: [FABRIKAM] });
  const page = await s.browser.get(
    s.h.stses.fabrikam?.createLogoutRequestUrl(spEntityId(s.h), { nameId: 'alice' }) as string,
  );
  assert.equal(page.status, 302, 'answered: fabrikam has no session called alice here');
  assert.equal(await isSignedIn(s.h, s.browser), true);
});

test('a LogoutRequest for another user leaves the session of the browser that carries it', async (t) => {
  const s = await signedIn(t);
  const page = await s.browser.get(s.h.sts.createLogoutRequestUrl(spEntityId(s.h), { nameId: 'bob' }));
  assert.equal(page.status, 302);
  assert.equal(await isSignedIn(s.h, s.browser), true);
});

test('an expired LogoutRequest is refused', async (t) => {
  const s = await signedIn(t);
  const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
  const url = s.h.sts.createLogoutRequestUrl(spEntityId(s.h), {
    nameId: 'alice',
    issueInstant: tenMinutesAgo,
    notOnOrAfter: new Date(Date.now() - 5 * 60_000),
  });
  const detail = await assertLogoutRefused(
    s,
    url,
    'expired',
    new RegExp(
      `^logout message is too old: the message says it was issued at ${escape(seconds(tenMinutesAgo))}, this server's clock read \\S+: (59\\d|60\\d) s earlier, and a logout message is accepted for 300 s plus 60 s of accepted skew \\(saml\\.clockSkewSeconds\\)`,
    ),
  );
  // Our clock, as read, is the moment of the check: within the test's own time.
  const ours = Date.parse(/this server's clock read (\S+):/.exec(detail)?.[1] ?? '');
  assert.ok(Math.abs(ours - Date.now()) < 60_000, detail);
});

test('a LogoutRequest issued in the future is refused with both clocks and the skew', async (t) => {
  const s = await signedIn(t);
  const inTenMinutes = new Date(Date.now() + 10 * 60_000);
  const url = s.h.sts.createLogoutRequestUrl(spEntityId(s.h), { nameId: 'alice', issueInstant: inTenMinutes });
  await assertLogoutRefused(
    s,
    url,
    'not-yet-valid',
    new RegExp(
      `^logout IssueInstant is in the future: the message says it was issued at ${escape(seconds(inTenMinutes))}, this server's clock read \\S+: (59\\d|600) s ahead, with 60 s of accepted skew \\(saml\\.clockSkewSeconds\\)\\. If the times are minutes apart, one of the two clocks is wrong \\(check NTP on both sides\\)$`,
    ),
  );
});

test('a LogoutRequest past its NotOnOrAfter is refused with both times and the skew', async (t) => {
  const s = await signedIn(t);
  const twoMinutesAgo = new Date(Date.now() - 2 * 60_000);
  const url = s.h.sts.createLogoutRequestUrl(spEntityId(s.h), { nameId: 'alice', notOnOrAfter: twoMinutesAgo });
  await assertLogoutRefused(
    s,
    url,
    'expired',
    new RegExp(
      `^LogoutRequest NotOnOrAfter has passed: the message says it is valid until ${escape(seconds(twoMinutesAgo))}, this server's clock read \\S+: 1[2-3]\\d s later, with 60 s of accepted skew`,
    ),
  );
});

test('a signed LogoutRequest without a NameID is refused as malformed, with the precise reason', async (t) => {
  const s = await signedIn(t);
  const stsKey = readFileSync(new URL('../../config/dev/keys/dev-sts.key', import.meta.url), 'utf8');
  const xml =
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
    ` ID="_no-name-id" Version="2.0" IssueInstant="${seconds(new Date()).replace('.000Z', 'Z')}" Destination="${s.h.base}/saml/slo">` +
    `<saml:Issuer>${s.h.sts.entityId}</saml:Issuer></samlp:LogoutRequest>`;
  await assertLogoutRefused(
    s,
    `${s.h.base}/saml/slo?${encodeRedirect('SAMLRequest', xml, null, stsKey)}`,
    'malformed',
    /^LogoutRequest needs exactly one NameID$/,
  );
});

test('a SAMLRequest that is not raw DEFLATE is refused as malformed, with the precise reason', async (t) => {
  const s = await signedIn(t);
  await assertLogoutRefused(
    s,
    `${s.h.base}/saml/slo?SAMLRequest=${encodeURIComponent(Buffer.from('<samlp:LogoutRequest/>').toString('base64'))}`,
    'malformed',
    /^SAMLRequest is not raw DEFLATE \(HTTP-Redirect binding\) or inflates past 65536 bytes$/,
  );
});

test('a LogoutRequest meant for another SP (Destination) is refused', async (t) => {
  const s = await signedIn(t);
  await assertLogoutRefused(
    s,
    s.h.sts.createLogoutRequestUrl(spEntityId(s.h), { nameId: 'alice', destination: 'https://other.example/saml/slo' }),
    'destination-mismatch',
    new RegExp(
      `^logout Destination is not this SLO URL: the message says "https://other\\.example/saml/slo", this SP's is "${escape(s.h.base)}/saml/slo"`,
    ),
  );
});

test('a tampered LogoutRequest (NameID changed after signing) is refused', async (t) => {
  const s = await signedIn(t);
  const genuine = s.h.sts.createLogoutRequestUrl(spEntityId(s.h), { nameId: 'bob' });
  const other = s.h.sts.createLogoutRequestUrl(spEntityId(s.h), { nameId: 'alice' });
  // bob's signature on alice's request.
  const forged = `${other.split('&Signature=')[0]}&Signature=${genuine.split('&Signature=')[1]}`;
  await assertLogoutRefused(s, forged, 'invalid-signature', triedTheStsCertificate());
});

test('a LogoutResponse nobody asked for is refused, and so is one answering another request', async (t) => {
  const s = await signedIn(t);
  const stsKey = readFileSync(new URL('../../config/dev/keys/dev-sts.key', import.meta.url), 'utf8');
  const answer = (inResponseTo: string) =>
    `${s.h.base}/saml/slo?${encodeRedirect('SAMLResponse', buildLogoutResponse({ issuer: s.h.sts.entityId, destination: `${s.h.base}/saml/slo`, inResponseTo }).xml, null, stsKey)}`;
  const unsolicited = await s.browser.get(answer('_never-sent'));
  assert.equal(unsolicited.status, 400);
  assert.equal(s.h.logoutRejections().at(-1)?.reason, 'unknown-in-response-to');
  assertLogoutExplained('unknown-in-response-to', String(s.h.logoutRejections().at(-1)?.detail));

  // Now a logout of ours is pending; a signed answer to some other request id is still refused.
  const out = await s.browser.post(`${s.h.base}/logout`, {});
  const sentId = /\sID="([^"]+)"/.exec(decodeRedirect(query(out.location as string)).xml)?.[1] as string;
  const wrong = await s.browser.get(answer(`${sentId}x`));
  assert.equal(s.h.logoutRejections().at(-1)?.reason, 'unknown-in-response-to');
  assert.equal(
    s.h.logoutRejections().at(-1)?.detail,
    `LogoutResponse does not answer the logout request we sent: its InResponseTo is "${sentId}x", ours "${sentId}"`,
  );
  // Refused, so not a confirmation; but this browser IS signed out here: it says so, with the warning.
  assert.equal(wrong.status, 200);
  assert.match(wrong.body, /Signed out/);
  assert.match(wrong.body, /could not confirm/);
  assert.equal(await isSignedIn(s.h, s.browser), false);
  const right = await s.browser.get(answer(sentId));
  assert.equal(right.status, 200);
  assert.match(right.body, /Signed out/);
  assert.doesNotMatch(right.body, /could not confirm/, 'the genuine answer, after, still confirms');
});

test("an unsigned answer to our logout (SimpleSAMLphp's default): signed out here, not confirmed, and the log says what the IdP must change", async (t) => {
  const s = await signedIn(t);
  const out = await s.browser.post(`${s.h.base}/logout`, {});
  const sentId = /\sID="([^"]+)"/.exec(decodeRedirect(query(out.location as string)).xml)?.[1] as string;
  const unsigned = buildLogoutResponse({
    issuer: s.h.sts.entityId,
    destination: `${s.h.base}/saml/slo`,
    inResponseTo: sentId,
  }).xml;
  const page = await s.browser.get(`${s.h.base}/saml/slo?${encodeRedirect('SAMLResponse', unsigned, null, null)}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /<h1>Signed out<\/h1>/);
  assert.match(page.body, /could not confirm/);
  assert.doesNotMatch(page.body, /Sign-out message refused/);
  assert.equal(await isSignedIn(s.h, s.browser), false);
  const refusal = s.h.logoutRejections().at(-1);
  assert.equal(refusal?.reason, 'invalid-signature');
  assert.match(
    String(refusal?.detail),
    /the IdP must sign its logout messages \(SimpleSAMLphp: 'sign\.logout' => true/,
  );
  assertLogoutExplained('invalid-signature', String(refusal?.detail));
});
