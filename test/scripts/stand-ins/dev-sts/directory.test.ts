import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../../../src/config/load-config.js';
import { Directory } from '../../../../scripts/stand-ins/dev-sts/directory.js';
import { verifyPassword } from '../../../../scripts/stand-ins/dev-sts/password-hash.js';

const contoso = Directory.fromFile(path.join(PROJECT_ROOT, 'config/dev/directory.json'));
const fabrikam = Directory.fromFile(path.join(PROJECT_ROOT, 'config/dev/fabrikam-directory.json'));
const rolesOf = (directory: Directory, account: string) =>
  directory.rolesOf(directory.find(account) ?? assert.fail(`no ${account}`));

test('the development accounts have the roles the issues name', () => {
  assert.deepEqual(rolesOf(contoso, 'alice'), ['Employee']);
  assert.deepEqual(rolesOf(contoso, 'bob'), ['Employee', 'Manager']);
  assert.deepEqual(rolesOf(contoso, 'dave'), ['Admin']);
});

test('carol is a Fabrikam contractor, no longer a CONTOSO account', () => {
  assert.equal(contoso.find('carol'), undefined);
  const carol = fabrikam.find('carol') ?? assert.fail('no carol at fabrikam');
  assert.equal(carol.displayName, 'Carol Nguyen');
  assert.equal(carol.upn, 'carol@fabrikam.example');
  assert.equal(carol.email, 'carol@fabrikam.example');
  assert.deepEqual(fabrikam.rolesOf(carol), ['Contractor']);
});

test('mallory is granted Contractor and Admin by Fabrikam (the app must drop Admin); fiona only Contractor', () => {
  assert.deepEqual(rolesOf(fabrikam, 'mallory'), ['Contractor', 'Admin']);
  assert.deepEqual(rolesOf(fabrikam, 'fiona'), ['Contractor']);
  assert.deepEqual(
    fabrikam.users.map((u) => u.upn),
    ['carol@fabrikam.example', 'mallory@fabrikam.example', 'fiona@fabrikam.example'],
  );
});

test('every development account, at both IdPs, has the password dev-password', async () => {
  for (const user of [...contoso.users, ...fabrikam.users])
    assert.equal(await verifyPassword('dev-password', user.passwordHash), true, user.account);
});

test('people are found by account name or UPN, whatever the case', () => {
  assert.equal(contoso.find('ALICE')?.account, 'alice');
  assert.equal(contoso.find('bob@contoso.example')?.account, 'bob');
  assert.equal(fabrikam.find('Carol@Fabrikam.example')?.account, 'carol');
  assert.equal(contoso.find('nobody'), undefined);
});
