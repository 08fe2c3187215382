// The project search's matching (src/browser/week/project-match.ts), on its own: no browser needed,
// the page script bundles the same module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, matchRanges, searchTerms } from '../../src/browser/week/project-match.js';

const found = (label: string, query: string) => matchRanges(label, searchTerms(query)) !== null;
/** The marked parts of a match, as the list shows them in <mark>. */
const marked = (label: string, query: string) =>
  (matchRanges(label, searchTerms(query)) ?? []).map(([a, b]) => label.slice(a, b));

test('case, accents and punctuation do not matter', () => {
  assert.ok(found('P-1042 Migration', 'migr'));
  assert.ok(found('P-1042 Migration', 'MIGR'));
  assert.ok(found('P-1101 Café refurbishment', 'cafe'));
  assert.ok(found('P-1104 Élections CSE', 'elec'));
  assert.ok(found('P-1108 Œuvres sociales', 'oeuvres'));
  assert.ok(found('P-1110 Façade du siège', 'facade siege'));
  assert.ok(found('P-1042 Migration', 'p1042'));
  assert.ok(found('P-1042 Migration', 'P-1042'));
  assert.ok(!found('P-1042 Migration', 'payroll'));
});

test('every word must occur, in any order; an empty search matches everything', () => {
  assert.ok(found('P-1043 Payroll upgrade', 'upgr 1043'));
  assert.ok(!found('P-1043 Payroll upgrade', 'upgr 1042'));
  assert.deepEqual(searchTerms('  -- '), []);
  assert.ok(found('anything', ''));
});

test('the matched parts are those of the original text, accents included', () => {
  assert.deepEqual(marked('P-1101 Café refurbishment', 'cafe'), ['Café']);
  assert.deepEqual(marked('P-1042 Migration', 'migr 1042'), ['1042', 'Migr']);
  assert.deepEqual(marked('P-1042 Migration', 'p1042'), ['P-1042']);
  assert.deepEqual(marked('P-1108 Œuvres sociales', 'oeu'), ['Œu']);
});

test('folding keeps track of where each character came from', () => {
  const f = fold('Déjà  vu!');
  assert.equal(f.text, 'deja vu');
  assert.equal(f.from.length, f.text.length);
  assert.deepEqual(f.from, [0, 1, 2, 3, 4, 6, 7]);
});
