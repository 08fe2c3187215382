import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../../../../scripts/stand-ins/dev-sts/password-hash.js';

test('a password verifies against its own scrypt hash', async () => {
  const hash = await hashPassword('dev-password');
  assert.equal(await verifyPassword('dev-password', hash), true);
});

test('a wrong password does not verify', async () => {
  const hash = await hashPassword('dev-password');
  assert.equal(await verifyPassword('dev-passwore', hash), false);
});

test('the hash carries its parameters and a fresh salt each time', async () => {
  const [a, b] = [await hashPassword('same'), await hashPassword('same')];
  assert.match(a, /^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
  assert.notEqual(a, b);
});

test('a malformed or absurd hash string never verifies', async () => {
  assert.equal(await verifyPassword('x', 'plain-text'), false);
  assert.equal(await verifyPassword('x', '$scrypt$ln=40,r=8,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAA=='), false);
});

test('the dummy hash used for unknown users is well-formed and matches nothing typed', async () => {
  assert.equal(await verifyPassword('dev-password', DUMMY_HASH), false);
  assert.equal(await verifyPassword('', DUMMY_HASH), false);
});
