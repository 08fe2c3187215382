/**
 * Encrypted assertions (issue 18): the SP publishes an encryption certificate and decrypts what the IdP
 * encrypts for it; without the key, or encrypted for another certificate, the refusal says what to do.
 * The dev STS encrypts with its own code (xml-encryption, AES-256-GCM, RSA-OAEP) as an IdP would.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { decodeResponse } from '../../scripts/harness/saml-signer.js';
import { SP_ENCRYPTION, startHarness } from './auth-test-app.js';

const WEEK = '/week/2026-W47';
const pem = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const SP_ENCRYPTION_CERT = pem(SP_ENCRYPTION.encryptionCert);

test('the IdP encrypts for the SP: the response carries no readable assertion, and the person is signed in', async (t) => {
  const h = await startHarness(t, { spEncryption: true, stsEncryptsFor: SP_ENCRYPTION_CERT });
  const browser = h.browser();
  const form = await h.obtainResponse(browser, 'alice', WEEK);
  const xml = decodeResponse(form.fields.SAMLResponse as string);
  assert.match(xml, /<saml:EncryptedAssertion>/);
  assert.match(xml, /xmlenc11#aes256-gcm/);
  assert.doesNotMatch(xml, /<saml:Assertion[\s>]/, 'no assertion in clear');
  assert.doesNotMatch(xml, />alice</, 'no claim value in clear');
  const page = await h.postToAcs(browser, form.fields);
  assert.equal(page.status, 302, `signed in: ${JSON.stringify(h.rejections().at(-1))}`);
  const week = await browser.get(`${h.base}${WEEK}`);
  assert.equal(week.status, 200);
  assert.equal((JSON.parse(week.body) as { user: { name: string } }).user.name, 'alice');
});

test('the SP metadata publishes the encryption certificate with the algorithms it decrypts', async (t) => {
  const h = await startHarness(t, { spEncryption: true });
  const body = (await h.browser().get(`${h.base}/saml/metadata`)).body;
  const encryption = /<md:KeyDescriptor use="encryption">([\s\S]*?)<\/md:KeyDescriptor>/.exec(body)?.[1] ?? '';
  const published = /<ds:X509Certificate>([^<]+)</.exec(encryption)?.[1];
  assert.equal(
    new X509Certificate(Buffer.from(published ?? '', 'base64')).fingerprint256,
    new X509Certificate(SP_ENCRYPTION_CERT).fingerprint256,
  );
  assert.match(encryption, /Algorithm="http:\/\/www\.w3\.org\/2009\/xmlenc11#aes256-gcm"/);
  assert.ok(body.indexOf('use="encryption"') < body.indexOf('md:SingleLogoutService'), 'keys before endpoints');
});

test('an encrypted assertion and no SP key: refused, and the log says which settings to add or what to turn off', async (t) => {
  const h = await startHarness(t, { stsEncryptsFor: SP_ENCRYPTION_CERT });
  const page = await h.signIn(h.browser());
  assert.equal(page.status, 401);
  const refusal = h.rejections().at(-1);
  assert.equal(refusal?.reason, 'cannot-decrypt');
  assert.match(
    String(refusal?.detail),
    /saml\.sp\.encryptionKey is not set: configure saml\.sp\.encryptionKey and encryptionCert/,
  );
  assert.match(String(refusal?.detail), /or turn assertion encryption off/);
});

test('encrypted for another certificate: refused with the fingerprint of the one the SP decrypts with', async (t) => {
  const other = pem('config/dev/keys/fabrikam-idp.crt');
  const h = await startHarness(t, { spEncryption: true, stsEncryptsFor: other });
  const page = await h.signIn(h.browser());
  assert.equal(page.status, 401);
  const refusal = h.rejections().at(-1);
  assert.equal(refusal?.reason, 'cannot-decrypt', String(refusal?.detail));
  assert.ok(String(refusal?.detail).includes(new X509Certificate(SP_ENCRYPTION_CERT).fingerprint256));
  assert.match(String(refusal?.detail), /encrypts for another certificate/);
});

test('a change of key: the SP publishes both certificates, current first, and still decrypts for the previous one', async (t) => {
  // Any other development pair stands for the key being replaced.
  const previous = {
    previousEncryptionKey: 'config/dev/keys/fabrikam-idp.key',
    previousEncryptionCert: 'config/dev/keys/fabrikam-idp.crt',
  };
  const h = await startHarness(t, {
    spEncryption: true,
    spPreviousEncryption: previous,
    stsEncryptsFor: pem(previous.previousEncryptionCert),
  });
  const body = (await h.browser().get(`${h.base}/saml/metadata`)).body;
  const published = [...body.matchAll(/<md:KeyDescriptor use="encryption">[\s\S]*?<ds:X509Certificate>([^<]+)</g)].map(
    (m) => new X509Certificate(Buffer.from(m[1]!, 'base64')).fingerprint256,
  );
  assert.deepEqual(published, [
    new X509Certificate(SP_ENCRYPTION_CERT).fingerprint256,
    new X509Certificate(pem(previous.previousEncryptionCert)).fingerprint256,
  ]);
  const browser = h.browser();
  assert.equal((await h.signIn(browser)).status, 302, JSON.stringify(h.rejections().at(-1)));
  assert.equal((await browser.get(`${h.base}${WEEK}`)).status, 200);
});
