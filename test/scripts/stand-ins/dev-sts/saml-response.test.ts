import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SAML, type ValidateInResponseTo } from '@node-saml/node-saml';
import { PROJECT_ROOT } from '../../../../src/config/load-config.js';
import { buildSamlResponse } from '../../../../scripts/stand-ins/dev-sts/saml-response.js';
import { signSamlResponse } from '../../../../scripts/stand-ins/dev-sts/xml-signature.js';

const key = {
  privateKey: readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys/dev-sts.key'), 'utf8'),
  certPem: readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys/dev-sts.crt'), 'utf8'),
};
const TRICKY = [
  'a<b>c',
  'Tom & Jerry',
  'say "hi"',
  `it's`,
  ']]> <!-- x --> <saml:Attribute Name="role">Admin</saml:Attribute>',
];
const ACS = 'http://127.0.0.1:1/saml/acs';
const SP = 'http://127.0.0.1:1/saml/metadata';

function issue(values: string[]) {
  const built = buildSamlResponse({
    idpEntityId: 'urn:contoso:dev-sts',
    spEntityId: SP,
    acsUrl: ACS,
    inResponseTo: '_req1',
    nameId: 'alice',
    claims: [{ type: 'urn:test:claim', values }],
  });
  return signSamlResponse(built.xml, key, { signAssertion: true, signResponse: true });
}

test('claim values with <, & and " are escaped in the XML', () => {
  const xml = issue(TRICKY);
  assert.ok(xml.includes('a&lt;b&gt;c'));
  assert.ok(xml.includes('Tom &amp; Jerry'));
  assert.ok(!xml.includes('<b>'));
  assert.equal(xml.match(/<saml:Attribute /g)?.length, 1, 'no attribute injected');
});

test('escaped claim values come back exactly through a verifying service provider', async () => {
  const saml = new SAML({
    idpCert: key.certPem,
    issuer: SP,
    callbackUrl: ACS,
    audience: SP,
    validateInResponseTo: 'never' as ValidateInResponseTo,
  });
  const { profile } = await saml.validatePostResponseAsync({
    SAMLResponse: Buffer.from(issue(TRICKY)).toString('base64'),
  });
  assert.deepEqual((profile?.attributes as Record<string, unknown>)['urn:test:claim'], TRICKY);
});

test('both the Response and the Assertion carry an RSA-SHA256 signature with SHA-256 digests', () => {
  const xml = issue(['x']);
  assert.equal(xml.match(/<ds:Signature /g)?.length, 2);
  assert.equal(
    xml.match(/SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256"/g)?.length,
    2,
  );
  assert.equal(xml.match(/DigestMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmlenc#sha256"/g)?.length, 2);
  assert.equal(
    xml.match(/CanonicalizationMethod Algorithm="http:\/\/www\.w3\.org\/2001\/10\/xml-exc-c14n#"/g)?.length,
    2,
  );
});

test('the assertion names its audience, recipient, request and session', () => {
  const xml = issue(['x']);
  assert.ok(xml.includes(`<saml:Audience>${SP}</saml:Audience>`));
  assert.match(xml, new RegExp(`SubjectConfirmationData InResponseTo="_req1" NotOnOrAfter="[^"]+" Recipient="${ACS}"`));
  assert.match(xml, /Destination="http:\/\/127\.0\.0\.1:1\/saml\/acs"/);
  assert.match(xml, /<saml:AuthnStatement AuthnInstant="[^"]+" SessionIndex="_[0-9a-f]{40}"/);
  assert.match(xml, /<saml:Conditions NotBefore="[^"]+" NotOnOrAfter="[^"]+">/);
});
