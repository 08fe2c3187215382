// The dev STS's own HTTP-Redirect binding (http-redirect.ts) and logout-message reading
// (logout-message-reading.ts), independent of the app's src/auth/redirect-binding.ts and
// logout-message-reader.ts: what the app sends is read by the STS, what the STS sends by the app, and
// what saml-bindings §3.4.4.1 forbids is refused.
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { SAML } from '@node-saml/node-saml';
import * as app from '../../../../src/auth/redirect-binding.js';
import {
  parseLogoutRequest as appParseLogoutRequest,
  parseLogoutResponse as appParseLogoutResponse,
} from '../../../../src/auth/logout-message-reader.js';
import {
  decodeRedirect,
  encodeRedirect,
  MAX_INFLATED_BYTES,
  MAX_QUERY_CHARS,
  RedirectBindingError,
  SIG_ALG,
  verifyRedirectSignature,
} from '../../../../scripts/stand-ins/dev-sts/http-redirect.js';
import {
  LogoutMessageError,
  parseLogoutRequest,
  parseLogoutResponse,
} from '../../../../scripts/stand-ins/dev-sts/logout-message-reading.js';
import {
  buildLogoutRequest,
  buildLogoutResponse,
  STATUS,
} from '../../../../scripts/stand-ins/dev-sts/logout-messages.js';
import { NAMEID_UNSPECIFIED } from '../../../../scripts/stand-ins/dev-sts/saml-response.js';
import { TestBrowser } from '../../../../scripts/harness/dev-sts.js';
import { SP_KEYS, spLogoutRequestUrl, startSts, testSp } from './sts-fixtures.js';

const SP = testSp(9);
const STS_SLO = 'http://127.0.0.1:1/slo';
const OTHER_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string;
const request = buildLogoutRequest({ issuer: SP.entityId, destination: STS_SLO, nameId: 'alice', sessionIndex: '_s1' });

/** node-saml as the app configures it for single logout (src/auth/single-logout.ts): signs with SHA-256. */
const appSaml = () =>
  new SAML({
    issuer: SP.entityId,
    callbackUrl: SP.acsUrl,
    entryPoint: STS_SLO,
    logoutUrl: STS_SLO,
    idpCert: SP_KEYS.certPem,
    privateKey: SP_KEYS.privateKeyPem,
    signatureAlgorithm: 'sha256',
  });

/** Signs `octets` as a sender would, so a test can choose what the signature covers. */
const rsaSign = (octets: string, digest = 'RSA-SHA256', key = SP_KEYS.privateKeyPem) =>
  createSign(digest).update(octets, 'utf8').sign(key, 'base64');

const queryOf = (url: string) => url.slice(url.indexOf('?') + 1);

/** A URL-encoded base64 signature with one bit changed, still URL-encoded base64. */
function flipBit(encodedSignature: string): string {
  const bytes = Buffer.from(decodeURIComponent(encodedSignature), 'base64');
  bytes[10] = (bytes[10] as number) ^ 0x01;
  return encodeURIComponent(bytes.toString('base64'));
}

test('a LogoutRequest as the app sends it (node-saml) is decoded, verified and read by the STS', async () => {
  const url = await appSaml().getLogoutUrlAsync(
    { issuer: 'urn:contoso:dev-sts', nameID: 'alice', nameIDFormat: NAMEID_UNSPECIFIED, sessionIndex: '_s9' },
    '/signed-out',
    {},
  );
  const decoded = decodeRedirect(url);
  assert.equal(decoded.kind, 'SAMLRequest');
  assert.equal(decoded.relayState, '/signed-out');
  assert.equal(decoded.sigAlg, SIG_ALG.rsaSha256);
  assert.equal(verifyRedirectSignature(decoded, SP_KEYS.certPem), true);
  const read = parseLogoutRequest(decoded.xml);
  assert.deepEqual(
    [read.issuer, read.destination, read.nameId, read.nameIdFormat, read.sessionIndexes],
    [SP.entityId, STS_SLO, 'alice', NAMEID_UNSPECIFIED, ['_s9']],
  );
  // The app's own reader reads the same fields from the same message.
  assert.deepEqual(read, appParseLogoutRequest(decoded.xml));
});

test('a LogoutResponse as the app sends it (node-saml) is decoded, verified and read by the STS', async () => {
  const url = await appSaml().getLogoutResponseUrlAsync({ ID: '_req1' } as never, '/r', {}, true);
  const decoded = decodeRedirect(url);
  assert.equal(decoded.kind, 'SAMLResponse');
  assert.equal(verifyRedirectSignature(decoded, SP_KEYS.certPem), true);
  const read = parseLogoutResponse(decoded.xml);
  assert.deepEqual([read.issuer, read.inResponseTo, read.statusCode], [SP.entityId, '_req1', STATUS.success]);
  assert.deepEqual(read, appParseLogoutResponse(decoded.xml));
});

test('the two bindings agree: the app reads what the STS encodes, the STS reads what the app encodes', () => {
  const relay = '/week/2026-W47?x=1 & y';
  const fromSts = encodeRedirect('SAMLRequest', request.xml, relay, SP_KEYS.privateKeyPem);
  const byApp = app.decodeRedirect(fromSts);
  assert.deepEqual(
    [byApp.xml, byApp.relayState, app.verifyRedirectSignature(byApp, SP_KEYS.certPem)],
    [request.xml, relay, true],
  );
  const fromApp = app.encodeRedirect('SAMLRequest', request.xml, relay, SP_KEYS.privateKeyPem);
  const bySts = decodeRedirect(fromApp);
  assert.deepEqual(
    [bySts.xml, bySts.relayState, verifyRedirectSignature(bySts, SP_KEYS.certPem)],
    [request.xml, relay, true],
  );
  assert.equal(bySts.signedOctets, fromApp.slice(0, fromApp.indexOf('&Signature=')));
});

test('a tampered signature, message, RelayState or SigAlg, or another key, does not verify', () => {
  const query = encodeRedirect('SAMLRequest', request.xml, '/a', SP_KEYS.privateKeyPem);
  const signature = /&Signature=([^&]+)$/.exec(query)?.[1] as string;
  const other = encodeRedirect(
    'SAMLRequest',
    buildLogoutRequest({ issuer: SP.entityId, destination: STS_SLO, nameId: 'dave' }).xml,
    null,
    null,
  );
  const tampered = {
    'signature bit': query.replace(signature, flipBit(signature)),
    message: query.replace(/^SAMLRequest=[^&]+/, other),
    'RelayState changed': query.replace('RelayState=%2Fa', 'RelayState=%2Fb'),
    'RelayState dropped': query.replace('&RelayState=%2Fa', ''),
    're-encoded RelayState': query.replace('RelayState=%2Fa', 'RelayState=/a'),
    'another key': encodeRedirect('SAMLRequest', request.xml, '/a', OTHER_KEY),
  };
  for (const [what, q] of Object.entries(tampered)) {
    assert.notEqual(q, query, what);
    assert.equal(verifyRedirectSignature(decodeRedirect(q), SP_KEYS.certPem), false, what);
  }
  assert.equal(verifyRedirectSignature(decodeRedirect(query), SP_KEYS.certPem), true, 'the untouched query verifies');
});

test('only RSA-SHA256 is accepted: SHA-1, SHA-512, an unknown or a mislabelled SigAlg are refused', () => {
  const signedWith = (sigAlg: string, digest: string) => {
    const head = `SAMLRequest=${encodeURIComponent(deflateRawSync(request.xml).toString('base64'))}&SigAlg=${encodeURIComponent(sigAlg)}`;
    return decodeRedirect(`${head}&Signature=${encodeURIComponent(rsaSign(head, digest))}`);
  };
  assert.equal(
    verifyRedirectSignature(signedWith(SIG_ALG.rsaSha256, 'RSA-SHA256'), SP_KEYS.certPem),
    true,
    'the control',
  );
  const refused = {
    'honest SHA-1': signedWith(SIG_ALG.rsaSha1, 'RSA-SHA1'),
    'honest SHA-512': signedWith(SIG_ALG.rsaSha512, 'RSA-SHA512'),
    'unknown URI': signedWith('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256x', 'RSA-SHA256'),
    'says SHA-256, signed with SHA-1': signedWith(SIG_ALG.rsaSha256, 'RSA-SHA1'),
    'ECDSA URI': signedWith('http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256', 'RSA-SHA256'),
  };
  for (const [what, decoded] of Object.entries(refused))
    assert.equal(verifyRedirectSignature(decoded, SP_KEYS.certPem), false, what);
  // SigAlg swapped after signing: the signed octets no longer match.
  const query = encodeRedirect('SAMLRequest', request.xml, null, SP_KEYS.privateKeyPem);
  const swapped = query.replace(encodeURIComponent(SIG_ALG.rsaSha256), encodeURIComponent(SIG_ALG.rsaSha1));
  assert.equal(verifyRedirectSignature(decodeRedirect(swapped), SP_KEYS.certPem), false);
});

test('the signature is over SAMLRequest, RelayState, SigAlg in that order; a query in another order is refused', () => {
  const message = `SAMLRequest=${encodeURIComponent(deflateRawSync(request.xml).toString('base64'))}`;
  const relay = 'RelayState=%2Fa';
  const sigAlg = `SigAlg=${encodeURIComponent(SIG_ALG.rsaSha256)}`;
  // Signed in another order, sent in the right one: the STS rebuilds the spec's order, so it fails.
  const otherOrder = rsaSign([relay, message, sigAlg].join('&'));
  assert.equal(
    verifyRedirectSignature(
      decodeRedirect(`${message}&${relay}&${sigAlg}&Signature=${encodeURIComponent(otherOrder)}`),
      SP_KEYS.certPem,
    ),
    false,
  );
  // Signed in the spec's order: verifies as sent in that order...
  const signature = `Signature=${encodeURIComponent(rsaSign([message, relay, sigAlg].join('&')))}`;
  assert.equal(
    verifyRedirectSignature(decodeRedirect([message, relay, sigAlg, signature].join('&')), SP_KEYS.certPem),
    true,
  );
  // ...and is refused when the parameters are moved around in the query string.
  for (const order of [
    [relay, message, sigAlg, signature],
    [message, sigAlg, relay, signature],
    [message, relay, signature, sigAlg],
    [signature, message, relay, sigAlg],
  ]) {
    assert.throws(
      () => decodeRedirect(order.join('&')),
      /not in the order/,
      order.map((p) => p.split('=')[0]).join(','),
    );
  }
  // Parameters that are not part of the binding are ignored wherever they are.
  const withExtra = decodeRedirect(['lang=fr', message, relay, 'x=1', sigAlg, signature].join('&'));
  assert.equal(verifyRedirectSignature(withExtra, SP_KEYS.certPem), true);
});

test('oversized queries and deflate bombs are refused before any XML is parsed', () => {
  assert.throws(() => decodeRedirect(`SAMLRequest=${'A'.repeat(MAX_QUERY_CHARS)}`), /longer than/);
  const encoded = (bytes: Buffer) => `SAMLRequest=${encodeURIComponent(deflateRawSync(bytes).toString('base64'))}`;
  const bomb = encoded(Buffer.alloc(4 * 1024 * 1024, 0x20));
  assert.ok(bomb.length < MAX_QUERY_CHARS, `the bomb is small on the wire (${bomb.length} chars)`);
  assert.throws(
    () => decodeRedirect(bomb),
    (err: Error) => err instanceof RedirectBindingError && /inflates to more than/.test(err.message),
  );
  // The limit is exact: at it the message inflates, one byte more it does not.
  assert.equal(decodeRedirect(encoded(Buffer.alloc(MAX_INFLATED_BYTES, 0x20))).xml.length, MAX_INFLATED_BYTES);
  assert.throws(() => decodeRedirect(encoded(Buffer.alloc(MAX_INFLATED_BYTES + 1, 0x20))), /inflates to more than/);
});

test('ambiguous or malformed redirects are refused', () => {
  const query = encodeRedirect('SAMLRequest', request.xml, '/a', SP_KEYS.privateKeyPem);
  const bad = {
    'repeated RelayState': `${query}&RelayState=%2Fb`,
    'request and response': `${query.replace('SAMLRequest=', 'SAMLResponse=').replace(/&.*$/, '')}&${query}`,
    'no message': 'RelayState=x',
    'SigAlg without Signature': query.replace(/&Signature=[^&]+/, ''),
    'Signature without SigAlg': query.replace(/&SigAlg=[^&]+/, ''),
    'bad escape': 'SAMLRequest=%E0%A4%A',
    'not base64': 'SAMLRequest=not*base64',
    'bad padding': 'SAMLRequest=QUJD=',
    'zlib, not raw deflate': `SAMLRequest=${encodeURIComponent(Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]).toString('base64'))}`,
    'not UTF-8': `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from([0x3c, 0x61, 0xff, 0x2f, 0x3e])).toString('base64'))}`,
    DOCTYPE: encodeRedirect('SAMLRequest', `<!DOCTYPE x [<!ENTITY a "b">]>${request.xml}`, null, null),
  };
  for (const [what, q] of Object.entries(bad)) assert.throws(() => decodeRedirect(q), RedirectBindingError, what);
});

test('the STS reader reads only direct children and refuses what it cannot act on', () => {
  const inner = request.xml.replace(
    '<saml:Issuer>',
    '<samlp:Extensions><saml:NameID>dave</saml:NameID></samlp:Extensions><saml:Issuer>',
  );
  assert.equal(parseLogoutRequest(inner).nameId, 'alice', 'a NameID hidden in Extensions is not read');
  const refused = {
    'two NameIDs': request.xml.replace(
      '</samlp:LogoutRequest>',
      '<saml:NameID>dave</saml:NameID></samlp:LogoutRequest>',
    ),
    'two Issuers': request.xml.replace('<saml:NameID', `<saml:Issuer>urn:evil</saml:Issuer><saml:NameID`),
    EncryptedID: request.xml.replace('</samlp:LogoutRequest>', '<saml:EncryptedID/></samlp:LogoutRequest>'),
    'Version 1.1': request.xml.replace('Version="2.0"', 'Version="1.1"'),
    'no time zone': request.xml.replace(/IssueInstant="([^"]+)Z"/, 'IssueInstant="$1"'),
    'not well-formed': request.xml.replace('</samlp:LogoutRequest>', ''),
    'a DOCTYPE': `<!DOCTYPE x>${request.xml}`,
    'another root': request.xml.replace(/LogoutRequest/g, 'AuthnRequest'),
  };
  for (const [what, xml] of Object.entries(refused))
    assert.throws(() => parseLogoutRequest(xml), LogoutMessageError, what);
  const response = buildLogoutResponse({ issuer: SP.entityId, destination: STS_SLO, inResponseTo: '_r1' });
  assert.equal(parseLogoutResponse(response.xml).statusCode, STATUS.success);
  assert.throws(
    () => parseLogoutResponse(response.xml.replace(/<samlp:Status>.*<\/samlp:Status>/, '')),
    LogoutMessageError,
  );
  assert.throws(
    () => parseLogoutResponse(response.xml.replace('InResponseTo="_r1"', 'InResponseTo="1 2"')),
    LogoutMessageError,
  );
});

test('at /slo: reordered, SHA-1-signed, bit-flipped and deflate-bomb messages get the 400 page', async (t) => {
  const { sts, logs } = await startSts(t, {}, [SP]);
  const good = spLogoutRequestUrl(sts, SP, {}, '/x').url;
  const q = queryOf(good);
  const [message, relay, sigAlg, signature] = q.split('&') as [string, string, string, string];
  const sha1 = buildLogoutRequest({ issuer: SP.entityId, destination: sts.sloUrl, nameId: 'alice' });
  const bomb = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.alloc(4 * 1024 * 1024, 0x20)).toString('base64'))}`;
  const cases: Array<[string, string, RegExp]> = [
    ['binding', `${sts.sloUrl}?${[relay, message, sigAlg, signature].join('&')}`, /Invalid logout message/],
    [
      'bad_signature',
      `${sts.sloUrl}?${encodeRedirect('SAMLRequest', sha1.xml, null, SP_KEYS.privateKeyPem, SIG_ALG.rsaSha1)}`,
      /Invalid signature/,
    ],
    [
      'bad_signature',
      `${sts.sloUrl}?${[message, relay, sigAlg, `Signature=${flipBit(signature.slice('Signature='.length))}`].join('&')}`,
      /Invalid signature/,
    ],
    ['binding', `${sts.sloUrl}?${bomb}`, /Invalid logout message/],
  ];
  for (const [reason, url, title] of cases) {
    const page = await new TestBrowser().get(url);
    assert.equal(page.status, 400, `${reason}: ${url.slice(0, 80)}`);
    assert.match(page.body, title, reason);
    assert.ok(
      logs.some((l) => l.event === 'sts_slo_refused' && l.reason === reason),
      `logged ${reason}`,
    );
  }
  // The untouched message still goes through.
  assert.equal((await new TestBrowser().get(good)).status, 302);
});
