import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { DevSts } from '../../../../scripts/stand-ins/dev-sts/dev-sts.js';
import { NAMEID_UNSPECIFIED } from '../../../../scripts/stand-ins/dev-sts/saml-response.js';
import { TestBrowser, type Page } from '../../../../scripts/harness/dev-sts.js';
import { signIn, SP_KEYS, startSts, testSp } from './sts-fixtures.js';

// The app's SP is built on node-saml: the dev STS's logout messages must be what it produces and accepts.
const SP = testSp(9);

function nodeSamlSp(sts: DevSts) {
  return new SAML({
    issuer: SP.entityId,
    callbackUrl: SP.acsUrl,
    entryPoint: sts.ssoUrl,
    logoutUrl: sts.sloUrl,
    idpCert: sts.certPem,
    idpIssuer: sts.entityId,
    privateKey: SP_KEYS.privateKeyPem,
    signatureAlgorithm: 'sha256',
    validateInResponseTo: ValidateInResponseTo.always,
  });
}

/** What an Express route at the SP's /saml/slo would hand node-saml: the parsed query and the raw one. */
function received(page: Page): [Record<string, string>, string] {
  assert.equal(page.status, 302, page.body.slice(0, 300));
  const location = page.location as string;
  assert.ok(location.startsWith(`${SP.sloUrl}?`));
  return [Object.fromEntries(new URL(location).searchParams), location.slice(location.indexOf('?') + 1)];
}

test('a node-saml SP-initiated LogoutRequest is accepted, and node-saml accepts the LogoutResponse', async (t) => {
  const { sts } = await startSts(t);
  const saml = nodeSamlSp(sts);
  const browser = new TestBrowser();
  const { sessionIndex } = await signIn(sts, browser, SP, 'alice');
  const url = await saml.getLogoutUrlAsync(
    { issuer: sts.entityId, nameID: 'alice', nameIDFormat: NAMEID_UNSPECIFIED, sessionIndex },
    '/signed-out',
    {},
  );
  const [query, raw] = received(await browser.get(url));
  assert.equal(query.RelayState, '/signed-out');
  const result = await saml.validateRedirectAsync(query, raw);
  assert.equal(result.loggedOut, true);
  assert.deepEqual(sts.sessions(), []);
});

test("node-saml accepts the STS's IdP-initiated LogoutRequest, and its LogoutResponse signs the user out at the STS", async (t) => {
  const { sts } = await startSts(t);
  const saml = nodeSamlSp(sts);
  const browser = new TestBrowser();
  const { sessionIndex } = await signIn(sts, browser, SP, 'alice');
  const [query, raw] = received(await browser.post(sts.logoutUrl, {}));
  const { profile, loggedOut } = await saml.validateRedirectAsync(query, raw);
  assert.equal(loggedOut, true);
  assert.ok(profile);
  assert.deepEqual([profile.nameID, profile.sessionIndex, profile.issuer], ['alice', sessionIndex, sts.entityId]);
  const answer = await browser.get(await saml.getLogoutResponseUrlAsync(profile, '', {}, true));
  assert.equal(answer.status, 200);
  assert.match(answer.body, /You are signed out/);
  assert.deepEqual(sts.sessions(), []);
});
