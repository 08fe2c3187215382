import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeKey,
  encodeKey,
  KeyTooLongError,
  MAX_KEY_LENGTH,
  safeKey,
  sessionPartition,
} from '../../../plugins/session-azure-tables/table-keys.js';

/** What Table Storage refuses in a key (Azurite applies the same rule). */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f/\\#?]/;

describe('session-azure-tables keys', () => {
  const samples = [
    'abc-DEF_123',
    'abcDEF123',
    'a/b+c=d',
    'a%2Fb+c=d',
    'a b#c?d',
    'back\\slash',
    'tab\there\nnewline\u0000nul\u007fdel\u0085nel',
    '100%',
    '%25',
    'Zoë 東京 😀 e\u0301',
    'lone \ud800 high and \udc00 low',
    "it's",
    '',
  ];

  it('an encoded key contains no character Table Storage forbids', () => {
    for (const sample of samples) assert.doesNotMatch(encodeKey(sample), FORBIDDEN, JSON.stringify(sample));
  });

  it('decoding gives back exactly the id that was encoded', () => {
    for (const sample of samples) assert.equal(decodeKey(encodeKey(sample)), sample);
  });

  it('different ids never share a key', () => {
    const keys = samples.map(encodeKey);
    assert.equal(new Set(keys).size, samples.length);
  });

  it('characters Table Storage accepts are kept as they are, so keys stay readable', () => {
    assert.equal(encodeKey('abc-DEF_123.~ +=Zoë 😀'), 'abc-DEF_123.~ +=Zoë 😀');
    assert.equal(encodeKey('a/b%c'), 'a%2Fb%25c');
    assert.equal(encodeKey('x\ud800'), 'x%uD800');
  });

  it('a key longer than Table Storage allows is refused with a clear error', () => {
    assert.equal(safeKey('k'.repeat(MAX_KEY_LENGTH), 'session id').length, MAX_KEY_LENGTH);
    assert.throws(
      () => safeKey('/'.repeat(200), 'session id'),
      (err: Error) => {
        assert.ok(err instanceof KeyTooLongError);
        assert.match(
          err.message,
          /^session id is too long for a Table Storage key: 600 characters once encoded, at most 512$/,
        );
        return true;
      },
    );
  });

  it('session partitions are two hex digits that depend only on the id', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i += 1) {
      const partition = sessionPartition(`sid-${i}`);
      assert.match(partition, /^[0-9a-f]{2}$/);
      seen.add(partition);
    }
    assert.equal(sessionPartition('abc'), sessionPartition('abc'));
    assert.ok(seen.size > 240, `2000 ids fell into only ${seen.size} partitions`);
  });
});
