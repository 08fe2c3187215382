// Which SP key opens an encrypted assertion's wrapped key (a change of key without a flag day).
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { decryptionKeyFor } from '../../src/auth/decryption-key.js';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
};
const current = pair();
const previous = pair();
const wrap = (publicKey: typeof current.publicKey, oaepHash = 'sha1') =>
  publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, randomBytes(32)).toString(
    'base64',
  );
const OAEP = 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p';
const keys = [current.privateKey, previous.privateKey];

test('the key that unwraps it, current or previous', () => {
  assert.equal(
    decryptionKeyFor({ algorithm: OAEP, digest: null, cipher: wrap(previous.publicKey) }, keys),
    previous.privateKey,
  );
  assert.equal(
    decryptionKeyFor({ algorithm: OAEP, digest: null, cipher: wrap(current.publicKey) }, keys),
    current.privateKey,
  );
  const sha256 = {
    algorithm: OAEP,
    digest: 'http://www.w3.org/2001/04/xmlenc#sha256',
    cipher: wrap(previous.publicKey, 'sha256'),
  };
  assert.equal(decryptionKeyFor(sha256, keys), previous.privateKey);
});

test('the current key when none unwraps it, when it cannot be told, or when there is one key', () => {
  const stranger = pair();
  assert.equal(
    decryptionKeyFor({ algorithm: OAEP, digest: null, cipher: wrap(stranger.publicKey) }, keys),
    current.privateKey,
  );
  assert.equal(
    decryptionKeyFor({ algorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-1_5', digest: null, cipher: 'AAAA' }, keys),
    current.privateKey,
  );
  assert.equal(decryptionKeyFor(null, keys), current.privateKey);
  assert.equal(
    decryptionKeyFor({ algorithm: OAEP, digest: null, cipher: wrap(previous.publicKey) }, [current.privateKey]),
    current.privateKey,
  );
  assert.equal(decryptionKeyFor(null, []), undefined);
});
