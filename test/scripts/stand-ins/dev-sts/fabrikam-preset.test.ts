import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { CLAIM_TYPES } from '../../../../src/auth/claim-types.js';
import { PROJECT_ROOT } from '../../../../src/config/load-config.js';
import { FABRIKAM_PRESET, startDevSts } from '../../../../scripts/stand-ins/dev-sts/dev-sts.js';
import { readForm, startTestFabrikamIdp, TestBrowser } from '../../../../scripts/harness/dev-sts.js';
import { signIn, testSp } from './sts-fixtures.js';

const SP = testSp();
const keyFile = (name: string) => readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys', name), 'utf8');

/** What a service provider trusting `idpCert` makes of a Response. */
function validate(samlResponse: string, idpCert: string) {
  const saml = new SAML({
    idpCert,
    issuer: SP.entityId,
    callbackUrl: SP.acsUrl,
    audience: SP.entityId,
    validateInResponseTo: ValidateInResponseTo.never,
  });
  return saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
}

test("the fabrikam preset answers with carol's claims, signed with the Fabrikam key", async (t) => {
  const sts = await startTestFabrikamIdp(t, { serviceProviders: [SP] });
  assert.equal(sts.entityId, 'urn:fabrikam:dev-idp');
  assert.equal(sts.certPem, keyFile('fabrikam-idp.crt'));
  const { answer } = await signIn(sts, new TestBrowser(), SP, 'carol');
  const { profile } = await validate(answer.fields.SAMLResponse as string, keyFile('fabrikam-idp.crt'));
  assert.ok(profile);
  assert.equal(profile.issuer, 'urn:fabrikam:dev-idp');
  assert.equal(profile.nameID, 'carol');
  const claims = profile.attributes as Record<string, unknown>;
  assert.equal(claims[CLAIM_TYPES.upn], 'carol@fabrikam.example');
  assert.equal(claims[CLAIM_TYPES.email], 'carol@fabrikam.example');
  assert.equal(claims[CLAIM_TYPES.displayName], 'Carol Nguyen');
  assert.equal(claims[CLAIM_TYPES.role], 'Contractor');
  assert.equal(claims[CLAIM_TYPES.group], 'FABRIKAM-Contractors');
  await assert.rejects(
    validate(answer.fields.SAMLResponse as string, keyFile('dev-sts.crt')),
    'not trusted with the CONTOSO certificate',
  );
});

test('mallory gets Contractor and Admin from Fabrikam (for the app to drop Admin)', async (t) => {
  const sts = await startTestFabrikamIdp(t, { serviceProviders: [SP] });
  const { answer } = await signIn(sts, new TestBrowser(), SP, 'mallory@fabrikam.example');
  const { profile } = await validate(answer.fields.SAMLResponse as string, sts.certPem);
  assert.deepEqual((profile?.attributes as Record<string, unknown>)[CLAIM_TYPES.role], ['Contractor', 'Admin']);
});

test('the Fabrikam sign-in page names Fabrikam; CONTOSO people are unknown there', async (t) => {
  const sts = await startTestFabrikamIdp(t, { serviceProviders: [SP] });
  const browser = new TestBrowser();
  const url = await new SAML({
    issuer: SP.entityId,
    callbackUrl: SP.acsUrl,
    entryPoint: sts.ssoUrl,
    idpCert: sts.certPem,
  }).getAuthorizeUrlAsync('', undefined, {});
  const login = await browser.get(url);
  assert.match(login.body, /Fabrikam development IdP/);
  const form = readForm(login.body);
  const page = await browser.post(new URL(form.action, sts.url).toString(), {
    ...form.fields,
    username: 'alice',
    password: 'dev-password',
  });
  assert.match(page.body, /The user name or password is incorrect\./);
});

test('startDevSts() without a preset is still CONTOSO, where carol no longer exists', async (t) => {
  const sts = await startDevSts({ port: 0, serviceProviders: [SP] });
  t.after(() => sts.close());
  assert.equal(sts.entityId, 'urn:contoso:dev-sts');
  assert.equal(sts.certPem, keyFile('dev-sts.crt'));
  await assert.rejects(signIn(sts, new TestBrowser(), SP, 'carol'), /STS refused carol/);
  const { answer } = await signIn(sts, new TestBrowser(), SP, 'alice');
  assert.ok(answer.fields.SAMLResponse);
});

test('FABRIKAM_PRESET describes the partner IdP on port 3101', () => {
  assert.deepEqual(
    { entityId: FABRIKAM_PRESET.entityId, name: FABRIKAM_PRESET.name, port: FABRIKAM_PRESET.port },
    { entityId: 'urn:fabrikam:dev-idp', name: 'Fabrikam development IdP', port: 3101 },
  );
});
