/**
 * An in-memory DraftStore with the port's compare-and-set, for unit tests and the benchmark's
 * MemoryStore baseline (a fake behind the port; the real stores run test/contract/draft-store.contract.ts).
 */
import { DraftConflictError, type DraftStore, type WeekRecord } from '../../src/ports/draft-store.js';

export class MemoryDrafts implements DraftStore {
  readonly rows = new Map<string, WeekRecord>();

  async load(user: string, week: string): Promise<WeekRecord | null> {
    const r = this.rows.get(`${user}/${week}`);
    return r ? structuredClone(r) : null;
  }

  async save(record: WeekRecord, expectedVersion: number): Promise<WeekRecord> {
    const key = `${record.user}/${record.week}`;
    const current = this.rows.get(key) ?? null;
    if ((current?.version ?? 0) !== expectedVersion)
      throw new DraftConflictError(current ? structuredClone(current) : null);
    const saved = { ...structuredClone(record), version: expectedVersion + 1, updatedAt: new Date().toISOString() };
    this.rows.set(key, saved);
    return structuredClone(saved);
  }
}
