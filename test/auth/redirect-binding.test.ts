import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
// The app's own binding (src/auth), with a LogoutRequest made by the development STS: each side
// checks the other (the STS has its own binding code, tested in test/scripts/stand-ins/dev-sts/).
import {
  decodeRedirect,
  encodeRedirect,
  RedirectBindingError,
  SIG_ALG,
  verifyRedirectSignature,
} from '../../src/auth/redirect-binding.js';
import { buildLogoutRequest } from '../../scripts/stand-ins/dev-sts/logout-messages.js';
import { spDevKeys } from '../../scripts/harness/dev-sts.js';

const sp = spDevKeys();
const otherCert = readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys/dev-sts.crt'), 'utf8');
const request = buildLogoutRequest({
  issuer: 'urn:test:sp',
  destination: 'http://127.0.0.1:1/slo',
  nameId: 'alice',
  sessionIndex: '_s1',
});
const RELAY = '/week/2026-W47?x=1 & y';

test('encode then decode gives back the XML, the RelayState and a signature that verifies', () => {
  const query = encodeRedirect('SAMLRequest', request.xml, RELAY, sp.privateKeyPem);
  assert.match(
    query,
    /^SAMLRequest=[^&]+&RelayState=[^&]+&SigAlg=http%3A%2F%2Fwww\.w3\.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256&Signature=[^&]+$/,
  );
  const decoded = decodeRedirect(query);
  assert.equal(decoded.kind, 'SAMLRequest');
  assert.equal(decoded.xml, request.xml);
  assert.equal(decoded.relayState, RELAY);
  assert.equal(decoded.sigAlg, SIG_ALG.rsaSha256);
  assert.equal(decoded.signedOctets, query.slice(0, query.indexOf('&Signature=')));
  assert.equal(verifyRedirectSignature(decoded, sp.certPem), true);
});

test('a response without RelayState signs SAMLResponse=...&SigAlg=... and decodes from a full URL', () => {
  const query = encodeRedirect('SAMLResponse', '<x/>', null, sp.privateKeyPem);
  const decoded = decodeRedirect(`http://127.0.0.1:1/saml/slo?${query}`);
  assert.equal(decoded.kind, 'SAMLResponse');
  assert.equal(decoded.relayState, null);
  assert.match(decoded.signedOctets, /^SAMLResponse=[^&]+&SigAlg=[^&]+$/);
  assert.equal(verifyRedirectSignature(decoded, sp.certPem), true);
});

test('the signature covers the octets as received: another valid encoding of the same values fails', () => {
  const query = encodeRedirect('SAMLRequest', request.xml, 'a b', sp.privateKeyPem);
  // `a+b` and `a%20b` both decode to "a b", but only the first was signed.
  const reencoded = query.replace('RelayState=a%20b', 'RelayState=a+b');
  assert.notEqual(reencoded, query);
  const decoded = decodeRedirect(reencoded);
  assert.equal(decoded.relayState, 'a b');
  assert.equal(verifyRedirectSignature(decoded, sp.certPem), false);
});

test('a tampered query fails: changed RelayState, changed message, dropped RelayState', () => {
  const query = encodeRedirect('SAMLRequest', request.xml, '/a', sp.privateKeyPem);
  const other = encodeRedirect(
    'SAMLRequest',
    buildLogoutRequest({ issuer: 'urn:test:sp', destination: 'http://127.0.0.1:1/slo', nameId: 'dave' }).xml,
    '/a',
    null,
  );
  const tampered = [
    query.replace('RelayState=%2Fa', 'RelayState=%2Fb'),
    query.replace(/^SAMLRequest=[^&]+/, other.split('&')[0] as string),
    query.replace(/&RelayState=[^&]+/, ''),
  ];
  for (const q of tampered) assert.equal(verifyRedirectSignature(decodeRedirect(q), sp.certPem), false, q.slice(0, 40));
});

test('a signature by another key, an unsigned message and RSA-SHA1 do not verify', () => {
  const signedBySp = decodeRedirect(encodeRedirect('SAMLRequest', request.xml, null, sp.privateKeyPem));
  assert.equal(verifyRedirectSignature(signedBySp, otherCert), false);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const wrongKey = decodeRedirect(
    encodeRedirect('SAMLRequest', request.xml, null, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
  );
  assert.equal(verifyRedirectSignature(wrongKey, sp.certPem), false);
  const unsigned = decodeRedirect(encodeRedirect('SAMLRequest', request.xml, null, null));
  assert.equal(unsigned.signature, null);
  assert.equal(verifyRedirectSignature(unsigned, sp.certPem), false);
  const sha1 = decodeRedirect(encodeRedirect('SAMLRequest', request.xml, null, sp.privateKeyPem, SIG_ALG.rsaSha1));
  assert.equal(verifyRedirectSignature(sha1, sp.certPem), false);
});

test('ambiguous or malformed queries are refused', () => {
  const query = encodeRedirect('SAMLRequest', request.xml, '/a', sp.privateKeyPem);
  const bad = [
    `${query}&RelayState=%2Fb`, // which RelayState was signed?
    `${query}&${query.replace('SAMLRequest=', 'SAMLResponse=')}`,
    'RelayState=x',
    query.replace(/&Signature=[^&]+/, ''), // SigAlg without Signature
    'SAMLRequest=%E0%A4%A', // bad escape
    'SAMLRequest=not*base64',
    `SAMLRequest=${encodeURIComponent(Buffer.from('plain, not deflated').toString('base64'))}`,
  ];
  for (const q of bad) assert.throws(() => decodeRedirect(q), RedirectBindingError, q.slice(0, 40));
});

test('a DOCTYPE and an inflation bomb are refused', () => {
  const doctype = `<!DOCTYPE x [<!ENTITY a "b">]>${request.xml}`;
  assert.throws(() => decodeRedirect(encodeRedirect('SAMLRequest', doctype, null, null)), /DOCTYPE/);
  const bomb = deflateRawSync(Buffer.alloc(10 * 1024 * 1024, 0x20)).toString('base64');
  assert.throws(() => decodeRedirect(`SAMLRequest=${encodeURIComponent(bomb)}`), RedirectBindingError);
});
