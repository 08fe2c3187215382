import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../../src/config/load-config.js';
import { Directory } from '../../../src/stand-ins/dev-sts/directory.js';
import { verifyPassword } from '../../../src/stand-ins/dev-sts/password-hash.js';

const directory = Directory.fromFile(path.join(PROJECT_ROOT, 'config/dev/directory.json'));
const rolesOf = (account: string) => directory.rolesOf(directory.find(account) ?? assert.fail(`no ${account}`));

test('the development accounts have the roles the issues name', () => {
  assert.deepEqual(rolesOf('alice'), ['Employee']);
  assert.deepEqual(rolesOf('bob'), ['Employee', 'Manager']);
  assert.deepEqual(rolesOf('dave'), ['Admin']);
  assert.deepEqual(rolesOf('carol'), ['Contractor']);
});

test('every development account has the password dev-password', async () => {
  for (const user of directory.users) assert.equal(await verifyPassword('dev-password', user.passwordHash), true, user.account);
});

test('people are found by account name or UPN, whatever the case', () => {
  assert.equal(directory.find('ALICE')?.account, 'alice');
  assert.equal(directory.find('bob@contoso.example')?.account, 'bob');
  assert.equal(directory.find('nobody'), undefined);
});
