import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDraftConflict, planDraftSave, savedDraft } from '../../src/session/draft-save-rule.js';
import { newWeekRecord } from '../../scripts/harness/week-record.js';

const NOW = new Date('2026-11-20T16:00:00.000Z');
const DAY = 86_400_000;

test('a save expecting version 0 creates version 1; any other expects that version and makes the next', () => {
  const record = { ...newWeekRecord('alice'), version: 7, updatedAt: '2000-01-01T00:00:00.000Z' };
  const first = planDraftSave(record, 0, NOW, DAY);
  assert.deepEqual([first.create, first.expectedVersion, first.version], [true, 0, 1]);
  const later = planDraftSave(record, 4, NOW, DAY);
  assert.deepEqual([later.create, later.expectedVersion, later.version], [false, 4, 5]);
  assert.equal(later.updatedAt, NOW);
  assert.equal(later.expiresAt.getTime(), NOW.getTime() + DAY);
});

test('the body leaves out the keys, the version and the timestamp', () => {
  const { body, user, week } = planDraftSave(newWeekRecord('alice', '2026-W48'), 0, NOW, DAY);
  assert.deepEqual([user, week], ['alice', '2026-W48']);
  assert.deepEqual(Object.keys(body).sort(), [
    'cells',
    'context',
    'contextFetchedAt',
    'receipt',
    'status',
    'submissionId',
  ]);
});

test('an expected version that is not an integer >= 0 is refused before anything is written', () => {
  for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])
    assert.throws(() => planDraftSave(newWeekRecord('alice'), bad, NOW, DAY), RangeError);
});

test('a conflict is a stored version other than the expected one; no record counts as version 0', () => {
  assert.equal(isDraftConflict(null, 0), false);
  assert.equal(isDraftConflict(null, 3), true);
  assert.equal(isDraftConflict({ version: 3 }, 3), false);
  assert.equal(isDraftConflict({ version: 3 }, 0), true);
  assert.equal(isDraftConflict({ version: 4 }, 3), true);
});

test('the saved record is built from the body as stored, with the new version and timestamp', () => {
  const save = planDraftSave(newWeekRecord('alice'), 2, NOW, DAY);
  const stored = JSON.stringify({ ...save.body, status: 'submitted' });
  assert.deepEqual(savedDraft(save, stored), {
    ...save.body,
    status: 'submitted',
    user: 'alice',
    week: '2026-W47',
    version: 3,
    updatedAt: NOW.toISOString(),
  });
});
