import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Profile } from '@node-saml/node-saml';
import { CLAIM_TYPES } from '../../src/auth/claim-types.js';
import { Principal } from '../../src/auth/principal.js';
import { claimValues, principalFromProfile } from '../../src/auth/principal-from-claims.js';
import { idpConfigSchema } from '../../src/auth/saml-config-schema.js';
import { SignInRejection } from '../../src/auth/sign-in-rejection.js';

const idp = idpConfigSchema.parse({
  id: 'contoso',
  label: 'CONTOSO',
  entityId: 'urn:contoso:dev-sts',
  ssoUrl: 'http://127.0.0.1:3100/sso',
  certs: ['config/dev/keys/dev-sts.crt'],
});

const profile = (attributes: Record<string, unknown>): Profile =>
  ({ issuer: 'urn:contoso:dev-sts', nameID: 'x', nameIDFormat: 'u', attributes }) as Profile;

test('isInRole is true only for roles the principal holds', () => {
  const p = new Principal({ name: 'bob', displayName: 'Bob', roles: ['Employee', 'Manager'], idp: 'contoso' });
  assert.equal(p.isInRole('Manager'), true);
  assert.equal(p.isInRole('Admin'), false);
  assert.equal(p.isInRole('manager'), false, 'role names are case-sensitive, as claims are');
});

test('a principal survives the JSON round trip through the session', () => {
  const p = new Principal({ name: 'bob', displayName: 'Bob', roles: ['Employee', 'Manager'], idp: 'contoso' });
  const back = Principal.fromJSON(JSON.parse(JSON.stringify(p)));
  assert.ok(back instanceof Principal);
  assert.deepEqual(back.toJSON(), p.toJSON());
  assert.equal(back.isInRole('Manager'), true);
});

test('a session value that is not a principal gives null', () => {
  assert.equal(Principal.fromJSON(null), null);
  assert.equal(Principal.fromJSON({ name: 'x', displayName: 'x', roles: 'Admin', idp: 'c' }), null);
  assert.equal(Principal.fromJSON({ name: '', displayName: 'x', roles: [], idp: 'c' }), null);
});

test('a claim sent once (a string) or several times (an array) gives a list', () => {
  assert.deepEqual(claimValues(profile({ r: 'Employee' }), 'r'), ['Employee']);
  assert.deepEqual(claimValues(profile({ r: ['Employee', 'Manager'] }), 'r'), ['Employee', 'Manager']);
  assert.deepEqual(claimValues(profile({}), 'r'), []);
  assert.deepEqual(claimValues(profile({ r: [{ nested: 1 }, 'A', ''] }), 'r'), ['A']);
});

test('the name comes from windowsaccountname, without the domain part', () => {
  const { principal } = principalFromProfile(
    profile({
      [CLAIM_TYPES.windowsAccountName]: 'CONTOSO\\alice',
      [CLAIM_TYPES.name]: 'alice@contoso.example',
      [CLAIM_TYPES.role]: 'Employee',
    }),
    idp,
  );
  assert.equal(principal.name, 'alice');
  assert.equal(principal.displayName, 'alice@contoso.example', 'without a display name claim, the name claim is shown');
});

test('the name falls back to the name claim when windowsaccountname is absent', () => {
  const { principal } = principalFromProfile(
    profile({ [CLAIM_TYPES.name]: 'bob', [CLAIM_TYPES.displayName]: 'Bob Dupont' }),
    idp,
  );
  assert.equal(principal.name, 'bob');
  assert.equal(principal.displayName, 'Bob Dupont');
  assert.deepEqual(principal.roles, []);
});

test('an assertion without any name claim is rejected', () => {
  assert.throws(
    () => principalFromProfile(profile({ [CLAIM_TYPES.role]: 'Admin' }), idp),
    (err: unknown) => err instanceof SignInRejection && err.reason === 'missing-claim',
  );
});

test('a claim named like a node-saml profile field is still read from the attributes', () => {
  const p = { ...profile({ issuer: 'from-claim' }), issuer: 'urn:contoso:dev-sts' } as Profile;
  assert.deepEqual(claimValues(p, 'issuer'), ['from-claim']);
});

const fabrikam = idpConfigSchema.parse({
  id: 'fabrikam',
  label: 'Fabrikam',
  entityId: 'urn:fabrikam:dev-idp',
  ssoUrl: 'http://127.0.0.1:3101/sso',
  certs: ['config/dev/keys/fabrikam-idp.crt'],
  trust: 'partner',
  claims: { name: [CLAIM_TYPES.upn], stripDomain: false },
  allowedRoles: ['Contractor'],
  erpAccounts: { 'carol@fabrikam.example': 'carol' },
});

test("a partner's user is named <idp>:<name claim> and books on the mapped ERP account", () => {
  const { principal } = principalFromProfile(
    profile({ [CLAIM_TYPES.upn]: 'carol@fabrikam.example', [CLAIM_TYPES.role]: 'Contractor' }),
    fabrikam,
  );
  assert.deepEqual(principal.toJSON(), {
    name: 'fabrikam:carol@fabrikam.example',
    displayName: 'carol@fabrikam.example',
    roles: ['Contractor'],
    idp: 'fabrikam',
    erpAccount: 'carol',
  });
});

test("a partner asserting an employee's name still gets a namespaced principal, never the employee", () => {
  const partnerWithAlice = idpConfigSchema.parse({
    ...fabrikam,
    claims: { name: [CLAIM_TYPES.name] },
    erpAccounts: { alice: 'ext-alice' },
  });
  const { principal } = principalFromProfile(
    profile({ [CLAIM_TYPES.name]: 'alice', [CLAIM_TYPES.role]: 'Contractor' }),
    partnerWithAlice,
  );
  assert.equal(principal.name, 'fabrikam:alice');
  assert.equal(principal.erpAccount, 'ext-alice');
});

test('a partner user without a contract mapping is refused (no-contract), inherited object keys included', () => {
  for (const upn of ['fiona@fabrikam.example', '__proto__', 'constructor']) {
    assert.throws(
      () => principalFromProfile(profile({ [CLAIM_TYPES.upn]: upn, [CLAIM_TYPES.role]: 'Contractor' }), fabrikam),
      (err: unknown) => err instanceof SignInRejection && err.reason === 'no-contract',
      upn,
    );
  }
});

test('a corporate account name with the partner separator is refused: it could pose as a partner user', () => {
  assert.throws(
    () =>
      principalFromProfile(
        profile({ [CLAIM_TYPES.windowsAccountName]: 'CONTOSO\\fabrikam:carol@fabrikam.example' }),
        idp,
      ),
    (err: unknown) => err instanceof SignInRejection && err.reason === 'missing-claim',
  );
});

test('a session written before contractors existed (no erpAccount) reads back with erpAccount = name', () => {
  const back = Principal.fromJSON({ name: 'alice', displayName: 'Alice', roles: ['Employee'], idp: 'contoso' });
  assert.equal(back?.erpAccount, 'alice');
  assert.equal(
    Principal.fromJSON({ name: 'alice', displayName: 'Alice', roles: [], idp: 'contoso', erpAccount: 42 }),
    null,
  );
});
