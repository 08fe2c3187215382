import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LogoutMessageError,
  parseLogoutRequest,
  parseLogoutResponse,
} from '../../../../src/auth/logout-message-reader.js';
import {
  buildLogoutRequest,
  buildLogoutResponse,
  STATUS,
} from '../../../../scripts/stand-ins/dev-sts/logout-messages.js';

const TRICKY = `a<b>&"c' ]]> <saml:NameID>dave</saml:NameID>`;

test('a LogoutRequest carries the fields given, in schema order, and reads back', () => {
  const notOnOrAfter = new Date('2030-01-01T00:05:00Z');
  const { xml, id } = buildLogoutRequest({
    id: '_r1',
    issuer: 'urn:test:idp',
    destination: 'http://127.0.0.1:1/saml/slo',
    nameId: 'alice',
    nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    sessionIndex: '_s1',
    issueInstant: new Date('2030-01-01T00:00:00.123Z'),
    notOnOrAfter,
  });
  assert.equal(id, '_r1');
  for (const attr of [
    'ID="_r1"',
    'Version="2.0"',
    'IssueInstant="2030-01-01T00:00:00Z"',
    'Destination="http://127.0.0.1:1/saml/slo"',
    'NotOnOrAfter="2030-01-01T00:05:00Z"',
  ]) {
    assert.ok(xml.includes(` ${attr}`), attr);
  }
  // Schema order: Issuer, NameID, SessionIndex.
  assert.match(
    xml,
    /^<samlp:LogoutRequest [^>]+><saml:Issuer>urn:test:idp<\/saml:Issuer><saml:NameID Format="[^"]+">alice<\/saml:NameID><samlp:SessionIndex>_s1<\/samlp:SessionIndex><\/samlp:LogoutRequest>$/,
  );
  assert.deepEqual(parseLogoutRequest(xml), {
    id: '_r1',
    issuer: 'urn:test:idp',
    destination: 'http://127.0.0.1:1/saml/slo',
    issueInstant: new Date('2030-01-01T00:00:00Z'),
    notOnOrAfter,
    nameId: 'alice',
    nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    sessionIndexes: ['_s1'],
  });
});

test('values with markup characters are escaped, and come back exactly', () => {
  const { xml } = buildLogoutRequest({ issuer: TRICKY, destination: 'http://x/?a=1&b="2"', nameId: TRICKY });
  assert.equal(xml.match(/<saml:NameID/g)?.length, 1, 'no element injected');
  const read = parseLogoutRequest(xml);
  assert.equal(read.nameId, TRICKY.trim());
  assert.equal(read.issuer, TRICKY.trim());
  assert.equal(read.destination, 'http://x/?a=1&b="2"');
  assert.equal(read.notOnOrAfter, null);
  assert.deepEqual(read.sessionIndexes, []);
  assert.match(read.id, /^_[0-9a-f]{40}$/);
});

test('a LogoutResponse answers its request with a status, Success by default', () => {
  const ok = buildLogoutResponse({ issuer: 'urn:test:sp', destination: 'http://127.0.0.1:1/slo', inResponseTo: '_r1' });
  assert.deepEqual(
    { ...parseLogoutResponse(ok.xml), id: 'x' },
    {
      id: 'x',
      issuer: 'urn:test:sp',
      destination: 'http://127.0.0.1:1/slo',
      inResponseTo: '_r1',
      statusCode: STATUS.success,
    },
  );
  const failed = buildLogoutResponse({
    issuer: 'urn:test:sp',
    destination: 'http://127.0.0.1:1/slo',
    inResponseTo: '_r1',
    statusCode: STATUS.responder,
  });
  assert.equal(parseLogoutResponse(failed.xml).statusCode, STATUS.responder);
});

test('the reader refuses DOCTYPEs, other messages, missing NameID, bad times', () => {
  const good = buildLogoutRequest({ issuer: 'i', destination: 'd', nameId: 'n' }).xml;
  const bad = [
    `<!DOCTYPE x>${good}`,
    buildLogoutResponse({ issuer: 'i', destination: 'd', inResponseTo: '_r' }).xml,
    good.replace(/<saml:NameID[^>]*>n<\/saml:NameID>/, ''),
    good.replace(/IssueInstant="[^"]+"/, 'IssueInstant="yesterday"'),
    good.replace(/IssueInstant="([^"]+)Z"/, 'IssueInstant="$1"'), // no time zone
    good.replace('Version="2.0"', 'Version="1.1"'),
    good.replace(/<saml:Issuer>i<\/saml:Issuer>/, ''),
    '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"',
  ];
  for (const xml of bad) assert.throws(() => parseLogoutRequest(xml), LogoutMessageError, xml.slice(0, 60));
  assert.throws(
    () =>
      parseLogoutResponse(
        buildLogoutResponse({ issuer: 'i', destination: 'd', inResponseTo: '_r' }).xml.replace(/InResponseTo="_r"/, ''),
      ),
    LogoutMessageError,
  );
});
