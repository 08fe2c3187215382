/**
 * The compare-and-set rule of DraftStore.save() (src/ports/draft-store.ts), the same for every
 * store: what a save writes, which version it expects and which it makes, and what it returns.
 * Each store supplies only the guarded write: an insert its storage refuses when the row exists
 * (`create`), or a write its storage applies only while the row still has `expectedVersion`
 * (a guarded UPDATE in SQL, an ETag in Azure Tables); a refusal is a DraftConflictError that
 * carries the record as it is now.
 */
import type { WeekRecord } from '../ports/draft-store.js';

/** What a store serialises of a record: everything but its keys, version and timestamp. */
export type DraftBody = Omit<WeekRecord, 'user' | 'week' | 'version' | 'updatedAt'>;

export interface DraftSave {
  user: string;
  week: string;
  body: DraftBody;
  /** Version 0 expected: the week must not exist yet. Otherwise it must still be at `expectedVersion`. */
  create: boolean;
  expectedVersion: number;
  /** The version the save gives the record. */
  version: number;
  updatedAt: Date;
  /** From when the retention sweep may delete the draft, unless it is saved again. */
  expiresAt: Date;
}

/** Checks the expected version and says what a save of `record` writes. */
export function planDraftSave(record: WeekRecord, expectedVersion: number, now: Date, retentionMs: number): DraftSave {
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new RangeError(`expectedVersion must be an integer >= 0, got ${String(expectedVersion)}`);
  }
  const { user, week, version: _version, updatedAt: _updatedAt, ...body } = record;
  return {
    user,
    week,
    body,
    create: expectedVersion === 0,
    expectedVersion,
    version: expectedVersion + 1,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + retentionMs),
  };
}

/** Whether the stored record (null: none) refuses a save that expects `expectedVersion`. */
export function isDraftConflict(current: Pick<WeekRecord, 'version'> | null, expectedVersion: number): boolean {
  return (current?.version ?? 0) !== expectedVersion;
}

/**
 * The record a successful save returns, built from the body as the store serialised it (`storedJson`),
 * so it equals what a later load() returns.
 */
export function savedDraft(save: DraftSave, storedJson: string): WeekRecord {
  return {
    ...(JSON.parse(storedJson) as DraftBody),
    user: save.user,
    week: save.week,
    version: save.version,
    updatedAt: save.updatedAt.toISOString(),
  };
}
