import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { samlConfigSchema } from '../../src/auth/saml-config-schema.js';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

const idp = { id: 'contoso', label: 'CONTOSO', entityId: 'urn:contoso:dev-sts', ssoUrl: 'http://127.0.0.1:3100/sso', certs: ['config/dev/keys/dev-sts.crt'] };

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
  assert.ok(samlConfigSchema.safeParse({ idps: [{ ...idp, certs: [pem, bare, 'config/dev/keys/dev-sts.crt'] }] }).success);
});

test('no IdP, a missing certificate file and a duplicate id are each reported with their key', () => {
  const none = samlConfigSchema.safeParse({ idps: [] });
  assert.deepEqual(none.error?.issues.map((i) => i.path.join('.')), ['idps']);
  const bad = samlConfigSchema.safeParse({ idps: [{ ...idp, certs: ['config/dev/keys/missing.crt'] }, { ...idp, entityId: 'urn:other' }] });
  const keys = bad.error?.issues.map((i) => i.path.join('.')).sort();
  assert.deepEqual(keys, ['idps.0.certs.0', 'idps.1.id']);
});

test('a negative clock skew (which would disable the time checks) is refused', () => {
  assert.equal(samlConfigSchema.safeParse({ idps: [idp], clockSkewSeconds: -1 }).success, false);
});

test('an SP signing key without its certificate is refused', () => {
  assert.equal(samlConfigSchema.safeParse({ idps: [idp], sp: { signingKey: 'config/dev/keys/dev-sts.key' } }).success, false);
  assert.equal(samlConfigSchema.safeParse({ idps: [idp], sp: { signingKey: 'config/dev/keys/dev-sts.key', signingCert: 'config/dev/keys/dev-sts.crt' } }).success, true);
});
