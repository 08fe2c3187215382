/**
 * Several identity providers: the organisation chooser (home-realm discovery), partner principals and
 * the contractor mapping table, the signed SP metadata. Real dev STSes (contoso and the fabrikam preset).
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SignedXml } from 'xml-crypto';
import { NS, parseUntrustedXml } from '../../src/auth/safe-xml.js';
import { readForm } from '../../scripts/harness/dev-sts.js';
import { FABRIKAM, startHarness } from './auth-test-app.js';

const DEEP_LINK = '/week/2026-W47';

test('with several organisations, a deep link shows the chooser with one link per organisation and keeps the deep link', async (t) => {
  const h = await startHarness(t, { extraIdps: [FABRIKAM] });
  const browser = h.browser();
  const chooser = await browser.follow(await browser.get(`${h.base}${DEEP_LINK}`));
  assert.equal(chooser.status, 200);
  assert.match(chooser.body, /<h1>Sign in<\/h1>/);
  const links = [...chooser.body.matchAll(/class="idp-choice" href="([^"]+)">([^<]+)</g)].map((m) => [
    m[1]?.replace(/&amp;/g, '&'),
    m[2],
  ]);
  assert.deepEqual(links, [
    [`/login?idp=contoso&returnTo=${encodeURIComponent(DEEP_LINK)}`, 'CONTOSO'],
    [`/login?idp=fabrikam&returnTo=${encodeURIComponent(DEEP_LINK)}`, 'Fabrikam'],
  ]);
});

test('an e-mail address sends the person to the organisation owning its domain (sub-domains too)', async (t) => {
  const h = await startHarness(t, { extraIdps: [FABRIKAM] });
  const browser = h.browser();
  for (const [email, idp] of [
    ['carol@fabrikam.example', 'fabrikam'],
    ['Alice@EU.Contoso.Example', 'contoso'],
  ] as const) {
    const page = await browser.post(`${h.base}/login/discover`, { email, returnTo: DEEP_LINK });
    assert.equal(page.status, 303);
    assert.equal(page.location, `/login?idp=${idp}&returnTo=${encodeURIComponent(DEEP_LINK)}`);
  }
});

test('an unknown or malformed e-mail address gets the chooser again with a clear error and what was typed', async (t) => {
  const h = await startHarness(t, { extraIdps: [FABRIKAM] });
  const browser = h.browser();
  const unknown = await browser.post(`${h.base}/login/discover`, {
    email: 'someone@elsewhere.example',
    returnTo: DEEP_LINK,
  });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body, /No organisation is registered for this e-mail address/);
  assert.equal(readForm(unknown.body).fields.email, 'someone@elsewhere.example');
  assert.match(unknown.body, /aria-invalid="true"/);
  const malformed = await browser.post(`${h.base}/login/discover`, {
    email: 'not an address',
    returnTo: 'https://evil.example/',
  });
  assert.equal(malformed.status, 400);
  assert.match(malformed.body, /Enter an e-mail address/);
  assert.equal(readForm(malformed.body).fields.email, 'not an address');
  assert.equal(readForm(malformed.body).fields.returnTo, '/', 'an off-site returnTo is not carried on');
});

test('the organisation chosen once is remembered: the next sign-in goes straight to it, ?choose=1 shows the chooser again', async (t) => {
  const h = await startHarness(t, { extraIdps: [FABRIKAM] });
  const browser = h.browser();
  const first = await browser.get(`${h.base}/login?idp=fabrikam&returnTo=/`);
  assert.equal(first.status, 302);
  const again = await browser.get(`${h.base}/login?returnTo=/`);
  assert.equal(again.status, 302);
  assert.ok(again.location?.startsWith(h.stses.fabrikam?.ssoUrl as string));
  const choose = await browser.get(`${h.base}/login?choose=1`);
  assert.equal(choose.status, 200);
  assert.match(choose.body, /idp-choice/);
});

test('a contractor signs in through the partner IdP: namespaced name, Contractor role, ERP account from the mapping table', async (t) => {
  const h = await startHarness(t, { extraIdps: [FABRIKAM] });
  const browser = h.browser();
  const landed = await h.signIn(browser, 'carol', DEEP_LINK, 'fabrikam');
  assert.equal(landed.status, 302);
  assert.equal(landed.location, DEEP_LINK);
  const body = JSON.parse((await browser.get(`${h.base}${DEEP_LINK}`)).body);
  assert.deepEqual(body.user, {
    name: 'fabrikam:carol@fabrikam.example',
    displayName: 'Carol Nguyen',
    roles: ['Contractor'],
    idp: 'fabrikam',
    erpAccount: 'carol',
  });
});

test('employees still sign in through the corporate STS when a partner IdP is configured', async (t) => {
  const h = await startHarness(t, { extraIdps: [FABRIKAM] });
  const browser = h.browser();
  assert.equal((await h.signIn(browser, 'alice', DEEP_LINK, 'contoso')).status, 302);
  const body = JSON.parse((await browser.get(`${h.base}${DEEP_LINK}`)).body);
  assert.deepEqual(body.user, {
    name: 'alice',
    displayName: 'Alice Martin',
    roles: ['Employee'],
    idp: 'contoso',
    erpAccount: 'alice',
  });
});

test('a partner user missing from the contractor mapping table is refused with a clear page and a logged reason', async (t) => {
  const h = await startHarness(t, { extraIdps: [FABRIKAM] });
  const browser = h.browser();
  const page = await h.signIn(browser, 'fiona', DEEP_LINK, 'fabrikam');
  assert.equal(page.status, 403);
  assert.match(page.body, /No timesheet contract/);
  const rejection = h.rejections().at(-1);
  assert.deepEqual({ reason: rejection?.reason, idp: rejection?.idp }, { reason: 'no-contract', idp: 'fabrikam' });
  assert.ok(page.body.includes(rejection?.correlationId as string));
  assert.ok(!JSON.stringify(h.rejections()).includes('fiona'), 'no personal data in the log');
  assert.equal((await browser.get(`${h.base}${DEEP_LINK}`)).status, 302, 'not signed in');
});

test('SP metadata is signed with the SP key and names the ACS and single-logout endpoints', async (t) => {
  const h = await startHarness(t);
  const page = await h.browser().get(`${h.base}/saml/metadata`);
  assert.equal(page.status, 200);
  const doc = parseUntrustedXml(page.body);
  const root = doc.documentElement;
  assert.equal(root?.getAttribute('entityID'), `${h.base}/saml/metadata`);
  const slo = doc.getElementsByTagNameNS(NS.metadata, 'SingleLogoutService')[0];
  assert.equal(slo?.getAttribute('Location'), `${h.base}/saml/slo`);
  assert.equal(slo?.getAttribute('Binding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect');
  const signature = doc.getElementsByTagNameNS(NS.dsig, 'Signature')[0];
  assert.ok(signature, 'metadata carries an XML signature');
  const spCert = readFileSync(new URL('../../config/dev/keys/sp-dev.crt', import.meta.url), 'utf8');
  const verifies = (xml: string) => {
    const verifier = new SignedXml({ publicCert: spCert, getCertFromKeyInfo: () => null });
    verifier.loadSignature(String(signature));
    try {
      return verifier.checkSignature(xml);
    } catch {
      return false;
    }
  };
  assert.equal(verifies(page.body), true);
  // Changing the signed document breaks it: the signature covers the endpoints.
  const tampered = page.body.replace(`Location="${h.base}/saml/acs"`, 'Location="https://evil.example/saml/acs"');
  assert.notEqual(tampered, page.body);
  assert.equal(verifies(tampered), false);
  assert.ok(
    new X509Certificate(spCert).verify(new X509Certificate(spCert).publicKey),
    'the dev SP certificate is self-signed',
  );
});
