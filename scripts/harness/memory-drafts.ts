/**
 * An in-memory DraftStore with the port's compare-and-set (the stores' rule, src/session/draft-save-rule.ts),
 * for unit tests and the benchmark's MemoryStore baseline (a fake behind the port; the real stores run
 * test/contract/draft-store.contract.ts).
 */
import { DraftConflictError, type DraftStore, type WeekRecord } from '../../src/ports/draft-store.js';
import { isDraftConflict, planDraftSave } from '../../src/session/draft-save-rule.js';

export class MemoryDrafts implements DraftStore {
  readonly rows = new Map<string, WeekRecord>();

  async load(user: string, week: string): Promise<WeekRecord | null> {
    const r = this.rows.get(`${user}/${week}`);
    return r ? structuredClone(r) : null;
  }

  async save(record: WeekRecord, expectedVersion: number): Promise<WeekRecord> {
    // No retention sweep here: the plan's expiry goes unused.
    const save = planDraftSave(record, expectedVersion, new Date(), 0);
    const key = `${save.user}/${save.week}`;
    const current = this.rows.get(key) ?? null;
    if (isDraftConflict(current, save.expectedVersion))
      throw new DraftConflictError(current ? structuredClone(current) : null);
    const saved = { ...structuredClone(record), version: save.version, updatedAt: save.updatedAt.toISOString() };
    this.rows.set(key, saved);
    return structuredClone(saved);
  }
}
