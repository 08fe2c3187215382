// The week form read into a command, and a lost compare-and-set turned into the conflict page's data:
// pure functions, checked on their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWeekPost } from '../../src/web/week-post.js';
import { mergeFormConflict } from '../../src/web/week-conflict.js';
import type { WeekRecord } from '../../src/ports/draft-store.js';

test('a week post becomes a command: version, the typed cells (hours and comment together), the button, the project to add', () => {
  const post = parseWeekPost({
    version: '3',
    'h:P-1|2026-12-14': '7,5',
    'c:P-1|2026-12-14': 'migration',
    'h:P-2|2026-12-15': ['1', '2'],
    action: 'add-row',
    addProject: ' P-9 ',
  });
  assert.deepEqual(post, {
    version: 3,
    changes: [
      { key: 'P-1|2026-12-14', raw: '7,5', comment: 'migration' },
      { key: 'P-2|2026-12-15', raw: '2', comment: '' },
    ],
    action: 'add-row',
    removeRow: '',
    addProject: 'P-9',
  });
  assert.equal(parseWeekPost({ version: '3', removeRow: 'P-4' })?.action, 'remove-row');
});

test('a post that is not a week form is refused whole', () => {
  assert.equal(parseWeekPost({ version: 'x' }), null);
  assert.equal(parseWeekPost({ version: '-1' }), null);
  assert.equal(parseWeekPost({ version: '1', 'h:P-1|2026-12-14': { toString: 'x' } }), null);
});

test('a lost save shows my values over the saved week and lists only the cells whose saved value differs', () => {
  const current = {
    user: 'frank',
    week: '2026-W51',
    version: 5,
    context: null,
    contextFetchedAt: null,
    status: 'draft',
    submissionId: null,
    receipt: null,
    updatedAt: '',
    cells: {
      'P-1|2026-12-14': { raw: '5', hours: 5, comment: '' },
      'P-1|2026-12-15': { raw: '2', hours: 2, comment: '' },
    },
  } as WeekRecord;
  const { mine, conflicts } = mergeFormConflict(
    current,
    [
      { key: 'P-1|2026-12-14', raw: '4', comment: '' },
      { key: 'P-1|2026-12-15', raw: '2', comment: '' },
      { key: 'P-1|2026-12-16', raw: 'abc', comment: 'typo' },
    ],
    (raw, comment) => (comment ? `${raw} (${comment})` : raw || '(empty)'),
  );
  assert.deepEqual(conflicts, [
    { key: 'P-1|2026-12-14', saved: '5', mine: '4' },
    { key: 'P-1|2026-12-16', saved: '(empty)', mine: 'abc (typo)' },
  ]);
  assert.deepEqual(mine.cells['P-1|2026-12-14'], { raw: '4', hours: 4, comment: '' });
  assert.deepEqual(
    mine.cells['P-1|2026-12-16'],
    { raw: 'abc', hours: null, comment: 'typo' },
    'kept although it does not parse',
  );
  assert.equal(current.cells['P-1|2026-12-14']?.raw, '5', 'the saved record itself is not changed');
});
