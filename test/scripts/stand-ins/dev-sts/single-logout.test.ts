import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { parseLogoutRequest, parseLogoutResponse } from '../../../../src/auth/logout-message-reader.js';
import {
  decodeRedirect,
  SIG_ALG,
  STATUS,
  verifyRedirectSignature,
} from '../../../../scripts/stand-ins/dev-sts/logout-messages.js';
import { TestBrowser, type Page } from '../../../../scripts/harness/dev-sts.js';
import { signIn, spLogoutRequestUrl, spLogoutResponseUrl, startSts, testSp } from './sts-fixtures.js';

const SP = testSp(9);
const OTHER_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string;

/** The redirect a page answered with, decoded, with its signature checked against `certPem`. */
function redirected(page: Page, to: string, certPem: string) {
  assert.equal(page.status, 302, page.body.slice(0, 300));
  assert.ok(page.location?.startsWith(`${to}?`), `${page.location} starts with ${to}?`);
  const decoded = decodeRedirect(page.location as string);
  assert.equal(decoded.sigAlg, SIG_ALG.rsaSha256);
  assert.equal(verifyRedirectSignature(decoded, certPem), true, 'signed by the STS');
  return decoded;
}

const cookieCleared = (page: Page, name: string) =>
  page.headers.getSetCookie().some((c) => c.startsWith(`${name}=;`) && /Expires=Thu, 01 Jan 1970/.test(c));

test('SP-initiated: a signed LogoutRequest gets a 302 to the SP with a signed LogoutResponse and the same RelayState', async (t) => {
  const { sts } = await startSts(t);
  const request = spLogoutRequestUrl(sts, SP, { sessionIndex: '_s1' }, '/signed-out?lang=fr');
  const page = await new TestBrowser().get(request.url);
  const decoded = redirected(page, SP.sloUrl, sts.certPem);
  assert.equal(decoded.kind, 'SAMLResponse');
  assert.equal(decoded.relayState, '/signed-out?lang=fr');
  const response = parseLogoutResponse(decoded.xml);
  assert.equal(response.inResponseTo, request.id);
  assert.equal(response.statusCode, STATUS.success);
  assert.equal(response.issuer, sts.entityId);
  assert.equal(response.destination, SP.sloUrl);
});

test('SP-initiated logout ends the STS session of that sign-in and clears the STS cookie', async (t) => {
  const { sts } = await startSts(t);
  const browser = new TestBrowser();
  const { sessionIndex } = await signIn(sts, browser, SP, 'alice');
  const cookie = `devsts_${new URL(sts.url).port}`;
  assert.ok(browser.jar.get(sts.url, cookie), 'the sign-in set the STS cookie');
  assert.deepEqual(
    sts.sessions().map((s) => [s.nameId, s.sessionIndex, s.spEntityId]),
    [['alice', sessionIndex, SP.entityId]],
  );
  const page = await browser.get(spLogoutRequestUrl(sts, SP, { nameId: 'alice', sessionIndex }).url);
  assert.equal(page.status, 302);
  assert.ok(cookieCleared(page, cookie));
  assert.equal(browser.jar.get(sts.url, cookie), undefined);
  assert.deepEqual(sts.sessions(), []);
});

test('SP-initiated logout without the browser cookie still forgets the sign-in named by its SessionIndex', async (t) => {
  const { sts } = await startSts(t);
  const { sessionIndex } = await signIn(sts, new TestBrowser(), SP, 'alice');
  await signIn(sts, new TestBrowser(), SP, 'bob');
  const page = await new TestBrowser().get(spLogoutRequestUrl(sts, SP, { nameId: 'alice', sessionIndex }).url);
  assert.equal(page.status, 302);
  assert.deepEqual(
    sts.sessions().map((s) => s.nameId),
    ['bob'],
  );
});

test('unsigned, badly signed, tampered, expired, misaddressed or unknown-SP logout requests get a 400 page, logged', async (t) => {
  const { sts, logs } = await startSts(t, {}, [SP, { ...testSp(10), certPem: undefined }]);
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  const cases: Array<[string, string, RegExp]> = [
    ['unsigned', spLogoutRequestUrl(sts, SP, {}, '/x', null).url, /Unsigned logout message/],
    ['bad_signature', spLogoutRequestUrl(sts, SP, {}, '/x', OTHER_KEY).url, /Invalid signature/],
    [
      'bad_signature',
      spLogoutRequestUrl(sts, SP, {}, '/x').url.replace('RelayState=%2Fx', 'RelayState=%2Fevil'),
      /Invalid signature/,
    ],
    ['expired', spLogoutRequestUrl(sts, SP, { notOnOrAfter: minutesAgo(1) }).url, /Expired logout request/],
    ['issue_instant', spLogoutRequestUrl(sts, SP, { issueInstant: minutesAgo(30) }).url, /Stale logout request/],
    ['destination', spLogoutRequestUrl(sts, SP, { destination: 'http://127.0.0.1:1/slo' }).url, /Wrong destination/],
    ['unknown_sp', spLogoutRequestUrl(sts, { ...SP, entityId: 'urn:nobody' }).url, /Unknown service provider/],
    ['no_slo', spLogoutRequestUrl(sts, testSp(10)).url, /Single logout not configured/],
    ['binding', `${sts.sloUrl}?SAMLRequest=%%%`, /Invalid logout message/],
  ];
  for (const [reason, url, title] of cases) {
    const page = await new TestBrowser().get(url);
    assert.equal(page.status, 400, reason);
    assert.match(page.body, title, reason);
    assert.equal(page.location, null);
    assert.ok(
      logs.some((l) => l.event === 'sts_slo_refused' && l.reason === reason),
      `logged ${reason}`,
    );
  }
});

test('IdP-initiated: POST /logout sends a signed LogoutRequest for that sign-in; the SP\'s answer shows "You are signed out"', async (t) => {
  const { sts } = await startSts(t);
  const browser = new TestBrowser();
  const { sessionIndex } = await signIn(sts, browser, SP, 'alice');
  const cookie = `devsts_${new URL(sts.url).port}`;

  const form = await browser.get(sts.logoutUrl);
  assert.equal(form.status, 200);
  assert.match(form.body, /<h1>Sign out of all applications<\/h1>/);
  assert.match(form.body, /Signed in here as alice/);
  assert.match(form.body, /<form method="post" action="\/logout">/);

  const before = Date.now();
  const sent = await browser.post(sts.logoutUrl, {});
  const decoded = redirected(sent, SP.sloUrl, sts.certPem);
  assert.equal(decoded.kind, 'SAMLRequest');
  const request = parseLogoutRequest(decoded.xml);
  assert.equal(request.nameId, 'alice');
  assert.equal(request.nameIdFormat, 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified');
  assert.deepEqual(request.sessionIndexes, [sessionIndex]);
  assert.equal(request.issuer, sts.entityId);
  assert.equal(request.destination, SP.sloUrl);
  const lifetime = (request.notOnOrAfter?.getTime() ?? 0) - before;
  assert.ok(lifetime > 4 * 60_000 && lifetime <= 5 * 60_000 + 1000, `NotOnOrAfter in 5 minutes (${lifetime} ms)`);

  const done = await browser.get(spLogoutResponseUrl(sts, SP, { inResponseTo: request.id }));
  assert.equal(done.status, 200);
  assert.match(done.body, /<h1>You are signed out<\/h1>/);
  assert.ok(cookieCleared(done, cookie));
  assert.deepEqual(sts.sessions(), []);

  const again = await browser.post(sts.logoutUrl, {});
  assert.equal(again.status, 200);
  assert.match(again.body, /You are not signed in here/);
});

test('IdP-initiated logout asks each application of the session in turn', async (t) => {
  const other = testSp(11);
  const { sts } = await startSts(t, {}, [SP, other]);
  const browser = new TestBrowser();
  await signIn(sts, browser, SP, 'alice');
  await signIn(sts, browser, other, 'alice');
  assert.equal(sts.sessions().length, 2);

  const first = parseLogoutRequest(redirected(await browser.post(sts.logoutUrl, {}), SP.sloUrl, sts.certPem).xml);
  const second = parseLogoutRequest(
    redirected(await browser.get(spLogoutResponseUrl(sts, SP, { inResponseTo: first.id })), other.sloUrl, sts.certPem)
      .xml,
  );
  assert.equal(second.nameId, 'alice');
  const done = await browser.get(spLogoutResponseUrl(sts, other, { inResponseTo: second.id }));
  assert.match(done.body, /You are signed out/);
  assert.deepEqual(sts.sessions(), []);
});

test('POST /logout without the STS cookie says "you are not signed in here" and sends nothing', async (t) => {
  const { sts } = await startSts(t);
  await signIn(sts, new TestBrowser(), SP, 'alice');
  const page = await new TestBrowser().post(sts.logoutUrl, {});
  assert.equal(page.status, 200);
  assert.equal(page.location, null);
  assert.match(page.body, /<h1>You are not signed in here<\/h1>/);
  assert.equal(sts.sessions().length, 1, 'the other browser stays signed in');
});

test('a LogoutResponse to no request, a replayed one, or one signed by another key gets a 400 page', async (t) => {
  const { sts, logs } = await startSts(t);
  const unknown = await new TestBrowser().get(spLogoutResponseUrl(sts, SP, { inResponseTo: '_never_sent' }));
  assert.equal(unknown.status, 400);
  assert.match(unknown.body, /Unexpected logout response/);
  assert.ok(logs.some((l) => l.event === 'sts_slo_refused' && l.reason === 'unknown_request'));

  const request = parseLogoutRequest(decodeRedirect(sts.createLogoutRequestUrl(SP.entityId, { nameId: 'alice' })).xml);
  const forged = await new TestBrowser().get(spLogoutResponseUrl(sts, SP, { inResponseTo: request.id }, OTHER_KEY));
  assert.equal(forged.status, 400);
  assert.match(forged.body, /Invalid signature/);
  const unsigned = await new TestBrowser().get(spLogoutResponseUrl(sts, SP, { inResponseTo: request.id }, null));
  assert.equal(unsigned.status, 400);
  // The forgeries did not use up the request: the real answer is still accepted, once.
  const real = spLogoutResponseUrl(sts, SP, { inResponseTo: request.id });
  assert.equal((await new TestBrowser().get(real)).status, 200);
  assert.equal((await new TestBrowser().get(real)).status, 400);
});

test('createLogoutRequestUrl drives IdP-initiated logout without a browser session, and can forge', async (t) => {
  const { sts } = await startSts(t);
  const { sessionIndex } = await signIn(sts, new TestBrowser(), SP, 'alice');
  const url = sts.createLogoutRequestUrl(SP.entityId, { nameId: 'alice', sessionIndex, relayState: 'r' });
  assert.ok(url.startsWith(`${SP.sloUrl}?SAMLRequest=`));
  const decoded = decodeRedirect(url);
  assert.equal(verifyRedirectSignature(decoded, sts.certPem), true);
  assert.equal(decoded.relayState, 'r');
  const request = parseLogoutRequest(decoded.xml);
  assert.deepEqual([request.nameId, request.sessionIndexes], ['alice', [sessionIndex]]);

  const done = await new TestBrowser().get(spLogoutResponseUrl(sts, SP, { inResponseTo: request.id }));
  assert.match(done.body, /You are signed out/);
  assert.deepEqual(sts.sessions(), [], 'the sign-in it named is forgotten');

  const unsigned = decodeRedirect(sts.createLogoutRequestUrl(SP.entityId, { nameId: 'alice', signingKeyPem: null }));
  assert.equal(unsigned.signature, null);
  const forged = parseLogoutRequest(
    decodeRedirect(
      sts.createLogoutRequestUrl(SP.entityId, {
        nameId: 'alice',
        issuer: 'urn:evil',
        destination: 'http://x/',
        notOnOrAfter: null,
      }),
    ).xml,
  );
  assert.deepEqual([forged.issuer, forged.destination, forged.notOnOrAfter], ['urn:evil', 'http://x/', null]);
  assert.throws(() => sts.createLogoutRequestUrl('urn:nobody', { nameId: 'alice' }), /no service provider urn:nobody/);
});

test('the logout page speaks French, has no inline script and may send the form on to the applications', async (t) => {
  const { sts } = await startSts(t, {}, [SP, testSp(11)]);
  const browser = new TestBrowser();
  browser.acceptLanguage = 'fr-FR,fr;q=0.9';
  const page = await browser.get(sts.logoutUrl);
  assert.match(page.body, /<html lang="fr">/);
  assert.match(page.body, /<h1>Se déconnecter de toutes les applications<\/h1>/);
  assert.match(page.body, /<button type="submit">Se déconnecter<\/button>/);
  assert.doesNotMatch(page.body, /<script|\sstyle=|\son[a-z]+=/i);
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(
    csp,
    /default-src 'none'; script-src 'self'; style-src 'self'; form-action 'self' http:\/\/127\.0\.0\.1:9 http:\/\/127\.0\.0\.1:11;/,
  );
  const signedOut = await browser.post(sts.logoutUrl, {});
  assert.match(signedOut.body, /<h1>Vous n&#39;êtes pas connecté ici<\/h1>/);
});

test('metadata lists the SingleLogoutService (HTTP-Redirect) before the NameIDFormat', async (t) => {
  const { sts } = await startSts(t);
  const page = await new TestBrowser().get(sts.metadataUrl);
  assert.match(
    page.body,
    new RegExp(
      `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2\\.0:bindings:HTTP-Redirect" Location="${sts.sloUrl}"/><md:NameIDFormat>`,
    ),
  );
});
