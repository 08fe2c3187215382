import type { WeekRecord } from '../../src/ports/draft-store.js';

/** A week record never saved yet (version 0, no ERP context), as a store test hands it to save(). */
export function newWeekRecord(user: string, week = '2026-W47', cells: WeekRecord['cells'] = {}): WeekRecord {
  return {
    user,
    week,
    version: 0,
    context: null,
    contextFetchedAt: null,
    cells,
    status: 'draft',
    submissionId: null,
    receipt: null,
    updatedAt: new Date().toISOString(),
  };
}
