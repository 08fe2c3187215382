import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeLocalPath } from '../../src/auth/local-path.js';

test('local paths with query and fragment are kept', () => {
  assert.equal(safeLocalPath('/week/2026-W47'), '/week/2026-W47');
  assert.equal(safeLocalPath('/week/2026-W47?view=grid#mon'), '/week/2026-W47?view=grid#mon');
});

test('anything that could leave the site becomes /', () => {
  for (const evil of [
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    ' /x',
    'javascript:alert(1)',
    '',
  ]) {
    assert.equal(safeLocalPath(evil), '/', JSON.stringify(evil));
  }
});

test('non-strings and absurdly long values become /', () => {
  assert.equal(safeLocalPath(undefined), '/');
  assert.equal(safeLocalPath(['/a', '/b']), '/');
  assert.equal(safeLocalPath(`/${'a'.repeat(2000)}`), '/');
});
