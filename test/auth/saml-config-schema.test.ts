import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { samlConfigSchema } from '../../src/auth/saml-config-schema.js';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

const idp = {
  id: 'contoso',
  label: 'CONTOSO',
  entityId: 'urn:contoso:dev-sts',
  ssoUrl: 'http://127.0.0.1:3100/sso',
  certs: ['config/dev/keys/dev-sts.crt'],
};

test('defaults: both signatures wanted, no SHA-1, 60 s skew, ADFS claims, any role', () => {
  const cfg = samlConfigSchema.parse({ idps: [idp] });
  assert.equal(cfg.clockSkewSeconds, 60);
  assert.equal(cfg.requestMaxAgeMinutes, 15);
  assert.deepEqual(cfg.sp, {});
  const [parsed] = cfg.idps;
  assert.equal(parsed?.wantAssertionsSigned, true);
  assert.equal(parsed?.wantResponseSigned, true);
  assert.equal(parsed?.allowSha1, false);
  assert.equal(parsed?.allowedRoles, null);
  assert.deepEqual(parsed?.claims.name, [
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsaccountname',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  ]);
  assert.deepEqual(parsed?.claims.roles, ['http://schemas.microsoft.com/ws/2008/06/identity/claims/role']);
});

test('a certificate may be inline PEM, a bare base64 body or a file path', () => {
  const pem = readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys/dev-sts.crt'), 'utf8');
  const bare = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  assert.ok(
    samlConfigSchema.safeParse({ idps: [{ ...idp, certs: [pem, bare, 'config/dev/keys/dev-sts.crt'] }] }).success,
  );
});

test('no IdP, a missing certificate file and a duplicate id are each reported with their key', () => {
  const none = samlConfigSchema.safeParse({ idps: [] });
  assert.deepEqual(
    none.error?.issues.map((i) => i.path.join('.')),
    ['idps'],
  );
  const bad = samlConfigSchema.safeParse({
    idps: [
      { ...idp, certs: ['config/dev/keys/missing.crt'] },
      { ...idp, entityId: 'urn:other' },
    ],
  });
  const keys = bad.error?.issues.map((i) => i.path.join('.')).sort();
  assert.deepEqual(keys, ['idps.0.certs.0', 'idps.1.id']);
});

test('a negative clock skew (which would disable the time checks) is refused', () => {
  assert.equal(samlConfigSchema.safeParse({ idps: [idp], clockSkewSeconds: -1 }).success, false);
});

test('an SP signing key without its certificate is refused', () => {
  assert.equal(
    samlConfigSchema.safeParse({ idps: [idp], sp: { signingKey: 'config/dev/keys/dev-sts.key' } }).success,
    false,
  );
  assert.equal(
    samlConfigSchema.safeParse({
      idps: [idp],
      sp: { signingKey: 'config/dev/keys/dev-sts.key', signingCert: 'config/dev/keys/dev-sts.crt' },
    }).success,
    true,
  );
});

const partner = {
  id: 'fabrikam',
  label: 'Fabrikam',
  entityId: 'urn:fabrikam:dev-idp',
  ssoUrl: 'http://127.0.0.1:3101/sso',
  certs: ['config/dev/keys/fabrikam-idp.crt'],
  trust: 'partner',
  allowedRoles: ['Contractor'],
  erpAccounts: { 'carol@fabrikam.example': 'carol' },
};

const problems = (cfg: unknown) =>
  samlConfigSchema.safeParse(cfg).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

test('a partner IdP must list its roles and may never grant Admin or Manager', () => {
  assert.deepEqual(problems({ idps: [idp, partner] }), []);
  assert.deepEqual(problems({ idps: [idp, { ...partner, allowedRoles: null }] }), [
    'idps.1.allowedRoles: a partner IdP must list the roles it may grant (e.g. ["Contractor"])',
  ]);
  assert.deepEqual(problems({ idps: [idp, { ...partner, allowedRoles: ['Contractor', 'Admin', 'Manager'] }] }), [
    'idps.1.allowedRoles: a partner IdP may never grant Admin, Manager',
  ]);
  // The corporate STS may grant anything (null = any role).
  assert.deepEqual(problems({ idps: [{ ...idp, allowedRoles: null }] }), []);
});

test('one ERP account cannot be mapped to two contractors, even across partner IdPs', () => {
  const other = {
    ...partner,
    id: 'northwind',
    entityId: 'urn:northwind',
    erpAccounts: { 'bob@northwind.example': 'carol' },
  };
  assert.deepEqual(problems({ idps: [idp, partner, other] }), [
    'idps.2.erpAccounts.bob@northwind.example: ERP account carol is already mapped to fabrikam:carol@fabrikam.example',
  ]);
});

test('an e-mail domain belongs to one organisation and must be a lowercase DNS name', () => {
  assert.deepEqual(
    problems({
      idps: [
        { ...idp, emailDomains: ['contoso.example'] },
        { ...partner, emailDomains: ['contoso.example'] },
      ],
    }),
    ['idps.1.emailDomains: e-mail domain contoso.example is already claimed by IdP "contoso"'],
  );
  assert.equal(problems({ idps: [{ ...idp, emailDomains: ['@Contoso.example'] }] }).length, 1);
});

test('single logout needs an SP signing key', () => {
  assert.deepEqual(problems({ idps: [{ ...idp, sloUrl: 'http://127.0.0.1:3100/slo' }] }), [
    'idps.0.sloUrl: single logout needs saml.sp.signingKey and signingCert (logout messages are signed)',
  ]);
  const sp = { signingKey: 'config/dev/keys/sp-dev.key', signingCert: 'config/dev/keys/sp-dev.crt' };
  assert.deepEqual(problems({ sp, idps: [{ ...idp, sloUrl: 'http://127.0.0.1:3100/slo' }] }), []);
});

test('the development configuration has the corporate STS and the fabrikam partner, both with single logout', () => {
  const dev = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config/env/development.json'), 'utf8')) as {
    saml: unknown;
  };
  const cfg = samlConfigSchema.parse(dev.saml);
  assert.deepEqual(
    cfg.idps.map((i) => [i.id, i.trust, i.sloUrl !== null]),
    [
      ['contoso', 'corporate', true],
      ['fabrikam', 'partner', true],
    ],
  );
});

test('encryption pairs: key and certificate together; a previous pair only beside a current one', () => {
  const enc = {
    encryptionKey: 'config/dev/keys/sp-dev-encryption.key',
    encryptionCert: 'config/dev/keys/sp-dev-encryption.crt',
  };
  const prev = {
    previousEncryptionKey: 'config/dev/keys/fabrikam-idp.key',
    previousEncryptionCert: 'config/dev/keys/fabrikam-idp.crt',
  };
  assert.ok(samlConfigSchema.safeParse({ sp: { ...enc, ...prev }, idps: [idp] }).success);
  const messages = (sp: object) =>
    samlConfigSchema.safeParse({ sp, idps: [idp] }).error?.issues.map((i) => i.message) ?? [];
  assert.deepEqual(messages({ encryptionKey: enc.encryptionKey }), [
    'give both encryptionKey and encryptionCert, or neither',
  ]);
  assert.deepEqual(messages(prev), [
    'a previous encryption pair (both key and cert) goes with a current one (encryptionKey, encryptionCert)',
  ]);
});
