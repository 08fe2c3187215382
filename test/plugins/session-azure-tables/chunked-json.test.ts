import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  asciiJson,
  entitySize,
  joinJson,
  PART_LENGTH,
  partName,
  splitJson,
} from '../../../plugins/session-azure-tables/chunked-json.js';

describe('session-azure-tables JSON parts', () => {
  it('JSON is written ASCII-only and parses back to exactly the same value', () => {
    const value = { text: 'Zoë’s “week” 😀 — 東京 \u007f \u0085 \u2028 lone \ud800 end', clé: ['é', 1] };
    const json = asciiJson(JSON.stringify(value));
    assert.match(json, /^[\x20-\x7e]*$/);
    assert.deepEqual(JSON.parse(json), value);
    assert.equal(asciiJson('{"a":"plain"}'), '{"a":"plain"}');
  });

  it('a small JSON is one part', () => {
    assert.deepEqual(splitJson('{"a":1}'), { json: '{"a":1}', jsonParts: 1 });
  });

  it('a long JSON is cut into parts of at most 32,000 UTF-16 code units that join back exactly', () => {
    const json = JSON.stringify({ text: 'Réunion 😀 東京 '.repeat(20_000) });
    const props = splitJson(json);
    const count = props.jsonParts as number;
    assert.ok(count > 1);
    for (let i = 0; i < count; i += 1) assert.ok((props[partName(i)] as string).length <= PART_LENGTH);
    assert.equal(joinJson(props), json);
  });

  it('a surrogate pair is never cut in two', () => {
    // An emoji straddles the first cut: the first part ends before it.
    const json = `${'x'.repeat(PART_LENGTH - 1)}😀${'y'.repeat(10)}`;
    const props = splitJson(json);
    assert.equal((props.json as string).length, PART_LENGTH - 1);
    assert.equal((props.json1 as string).slice(0, 2), '😀');
    assert.equal(joinJson(props), json);
  });

  it('an entity with a missing part gives no JSON', () => {
    const props = splitJson('z'.repeat(PART_LENGTH * 2 + 5));
    delete props.json1;
    assert.equal(joinJson(props), undefined);
    assert.equal(joinJson({}), undefined);
  });

  it('entity sizes are counted as the service counts them (2 bytes per character)', () => {
    const base = entitySize({ partitionKey: 'ab', rowKey: 'cd' });
    // 4 + keys (2 x 2 chars x 2 bytes) + Timestamp (8 + 9 x 2 + 8)
    assert.equal(base, 4 + 8 + 34);
    // A string property: 8 + name (4 chars x 2) + 4 + value (5 chars x 2)
    assert.equal(entitySize({ partitionKey: 'ab', rowKey: 'cd', json: 'hello' }) - base, 8 + 8 + 4 + 10);
  });
});
