import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { SAML } from '@node-saml/node-saml';
import { labels, readForm, startTestDevSts, TestBrowser } from '../../../../scripts/harness/dev-sts.js';

const SP = { entityId: 'http://127.0.0.1:9/saml/metadata', acsUrl: 'http://127.0.0.1:9/saml/acs' };

async function setup(t: TestContext) {
  const sts = await startTestDevSts(t, { serviceProviders: [SP] });
  /** The sign-on URL an SP would redirect to (a real node-saml AuthnRequest). */
  const requestUrl = (issuer = SP.entityId, callbackUrl = SP.acsUrl, relayState = '/week/2026-W47') =>
    new SAML({ issuer, callbackUrl, entryPoint: sts.ssoUrl, idpCert: sts.certPem }).getAuthorizeUrlAsync(
      relayState,
      undefined,
      {},
    );
  return { sts, requestUrl, browser: new TestBrowser() };
}

test('the sign-in form has fields labelled User name and Password and a Sign in button', async (t) => {
  const { requestUrl, browser } = await setup(t);
  const page = await browser.get(await requestUrl());
  assert.equal(page.status, 200);
  assert.deepEqual(labels(page.body), ['User name', 'Password']);
  assert.match(page.body, /<button type="submit">Sign in<\/button>/);
});

test('the sign-in form is in French when the browser prefers French', async (t) => {
  const { requestUrl, browser } = await setup(t);
  browser.acceptLanguage = 'fr-FR,fr;q=0.9,en;q=0.5';
  const page = await browser.get(await requestUrl());
  assert.deepEqual(labels(page.body), ["Nom d'utilisateur", 'Mot de passe']);
  assert.match(page.body, /<button type="submit">Se connecter<\/button>/);
  assert.match(page.body, /<html lang="fr">/);
});

test('an AuthnRequest from an unknown service provider gets a clear error page', async (t) => {
  const { requestUrl, browser } = await setup(t);
  const page = await browser.get(await requestUrl('https://unknown.example/sp'));
  assert.equal(page.status, 400);
  assert.match(page.body, /Unknown service provider/);
  assert.match(page.body, /https:\/\/unknown\.example\/sp/);
});

test('an AuthnRequest asking for another ACS URL is refused', async (t) => {
  const { requestUrl, browser } = await setup(t);
  const page = await browser.get(await requestUrl(SP.entityId, 'https://evil.example/acs'));
  assert.equal(page.status, 400);
  assert.match(page.body, /Assertion consumer service URL mismatch/);
});

test('a SAMLRequest that is not a deflated AuthnRequest gets a 400 page', async (t) => {
  const { sts, browser } = await setup(t);
  const page = await browser.get(
    `${sts.ssoUrl}?SAMLRequest=${encodeURIComponent(Buffer.from('<x/>').toString('base64'))}`,
  );
  assert.equal(page.status, 400);
  assert.match(page.body, /Invalid sign-in request/);
});

test('an unknown user gets the same answer as a wrong password', async (t) => {
  const { requestUrl, browser } = await setup(t);
  const form = readForm((await browser.get(await requestUrl())).body);
  const page = await browser.post(new URL(form.action, await requestUrl()).toString(), {
    ...form.fields,
    username: 'nobody',
    password: 'dev-password',
  });
  assert.equal(page.status, 200);
  assert.match(page.body, /The user name or password is incorrect\./);
  assert.equal(readForm(page.body).fields.username, 'nobody');
});

test('after sign-in the page posts SAMLResponse and RelayState to the ACS with no inline script', async (t) => {
  const { sts, requestUrl, browser } = await setup(t);
  const form = readForm((await browser.get(await requestUrl())).body);
  const page = await browser.post(`${sts.url}${form.action}`, {
    ...form.fields,
    username: 'alice',
    password: 'dev-password',
  });
  assert.equal(page.status, 200);
  const answer = readForm(page.body);
  assert.equal(answer.action, SP.acsUrl);
  assert.equal(answer.method, 'post');
  assert.equal(answer.fields.RelayState, '/week/2026-W47');
  assert.ok((answer.fields.SAMLResponse ?? '').length > 1000);
  assert.doesNotMatch(page.body, /<script>|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=/i, 'no inline script or handler');
  assert.match(page.body, /<script src="\/assets\/auto-submit\.js" defer><\/script>/);
  assert.match(page.body, /<button type="submit">Continue<\/button>/);
  assert.match(
    page.headers.get('content-security-policy') ?? '',
    /script-src 'self'; .*form-action http:\/\/127\.0\.0\.1:9/,
  );
});

test('the auto-submit script is served as a JavaScript file', async (t) => {
  const { sts, browser } = await setup(t);
  const page = await browser.get(`${sts.url}/assets/auto-submit.js`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /javascript/);
  assert.match(page.body, /form\.submit\(\)/);
});

test('IdP metadata gives the entityID, the sign-on URL and the signing certificate', async (t) => {
  const { sts, browser } = await setup(t);
  const page = await browser.get(sts.metadataUrl);
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(`entityID="${sts.entityId}"`));
  assert.ok(page.body.includes(`Location="${sts.ssoUrl}"`));
  const body = sts.certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  assert.ok(page.body.includes(body));
});

test('a service provider registered after start is answered', async (t) => {
  const { sts, requestUrl, browser } = await setup(t);
  const late = { entityId: 'urn:late:sp', acsUrl: 'http://127.0.0.1:10/saml/acs' };
  sts.addServiceProvider(late);
  const page = await browser.get(await requestUrl(late.entityId, late.acsUrl));
  assert.equal(page.status, 200);
});
