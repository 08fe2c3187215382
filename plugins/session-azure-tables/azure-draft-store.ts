import { randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { systemClock, type Clock } from '../../src/ports/clock.js';
import { DraftConflictError, type DraftStore, type WeekRecord } from '../../src/ports/draft-store.js';
import {
  isDraftConflict,
  planDraftSave,
  savedDraft,
  type DraftBody,
  type DraftSave,
} from '../../src/session/draft-save-rule.js';
import { EntityTooLargeError, MAX_ENTITY_BYTES, asciiJson, entitySize, joinJson, splitJson } from './chunked-json.js';
import { deleteRows } from './purge.js';
import { statusOf } from './retry.js';
import { safeKey } from './table-keys.js';
import type { StoredEntity, Table } from './storage.js';

/** The same limits as the SQL store, so a name valid on one target is valid on the other. */
const MAX_USER_LENGTH = 255;
const MAX_WEEK_LENGTH = 32;
/** ETags remembered per (user, week); beyond this the oldest are forgotten (a miss costs one read). */
const ETAG_CACHE_SIZE = 10_000;
/** Tries of one save when the row changes between reading its ETag and writing. */
const MAX_SAVE_ROUNDS = 3;

interface Loaded {
  record: WeekRecord;
  etag: string;
  /** Random id of the save that wrote the row: tells a retried write that landed from a conflict. */
  writeId: string | undefined;
}

/** One save as this store writes it. */
interface DraftWrite {
  save: DraftSave;
  entity: Record<string, unknown> & { partitionKey: string; rowKey: string };
  /** Random id of this save, stored in the row: tells a retried write that landed from a conflict. */
  writeId: string;
  /** What save() returns once the entity is written. */
  saved: WeekRecord;
}

function checkKey(name: string, value: unknown, max: number): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new TypeError(`draft ${name} must be a string of 1 to ${max} characters`);
  }
}

function keysOf(user: string, week: string): { partitionKey: string; rowKey: string } {
  checkKey('user', user, MAX_USER_LENGTH);
  checkKey('week', week, MAX_WEEK_LENGTH);
  return { partitionKey: safeKey(user, 'draft user'), rowKey: safeKey(week, 'draft week') };
}

function draftWrite(keys: { partitionKey: string; rowKey: string }, save: DraftSave): DraftWrite {
  const json = asciiJson(JSON.stringify(save.body));
  const writeId = randomUUID();
  const entity = {
    ...keys,
    version: save.version,
    updatedAt: save.updatedAt.toISOString(),
    expiresAt: save.expiresAt,
    writeId,
    // Outside the JSON, so the end-of-burst purge can keep drafts still in progress with a filter:
    // a draft is never deleted before its owner has taken it to the on-prem copy.
    inProgress: save.body.status === 'draft' && !save.body.handedOverTo,
    ...splitJson(json),
  };
  const size = entitySize(entity);
  if (size > MAX_ENTITY_BYTES) {
    throw new EntityTooLargeError(
      `session-azure-tables: the draft of ${save.week} would be ${size} bytes, above Table Storage's 1 MiB entity limit; it was not saved`,
    );
  }
  return { save, entity, writeId, saved: savedDraft(save, json) };
}

/**
 * Week records in an Azure table. PartitionKey = the user (encoded where Table Storage forbids a
 * character): one partition per person spreads 16,000 people over 16,000 partitions, and a
 * person's weeks sit together. RowKey = the ISO week. Properties: `version`, `updatedAt`,
 * `expiresAt` (retention), `writeId`, and the rest of the record as JSON in `json`, `json1`, ...
 *
 * save() follows src/session/draft-save-rule.ts, with the compare-and-set decided by the service
 * with ETags, so it holds across instances: version 0 inserts (409 when the row exists); any other
 * version replaces the row only if it still has the ETag of the expected version (412 otherwise).
 * The ETag of the last version this instance read or wrote is remembered, so the usual
 * load-then-autosave sequence costs one write per save; otherwise a save reads the row first. A
 * refusal carries the record as it is now.
 */
export class AzureDraftStore implements DraftStore {
  readonly #table: Table;
  readonly #retentionMs: number;
  readonly #clock: Clock;
  readonly #etags = new Map<string, { version: number; etag: string }>();

  constructor(table: Table, retentionMs: number, clock: Clock = systemClock) {
    this.#table = table;
    this.#retentionMs = retentionMs;
    this.#clock = clock;
  }

  #remember(user: string, week: string, version: number, etag: string): void {
    const key = `${user}\u0000${week}`;
    this.#etags.delete(key); // re-inserted last: the Map's order is the eviction order
    this.#etags.set(key, { version, etag });
    if (this.#etags.size > ETAG_CACHE_SIZE) this.#etags.delete(this.#etags.keys().next().value!);
  }

  #remembered(user: string, week: string, version: number): string | undefined {
    const known = this.#etags.get(`${user}\u0000${week}`);
    return known?.version === version ? known.etag : undefined;
  }

  async #read(user: string, week: string): Promise<Loaded | null> {
    const { partitionKey, rowKey } = keysOf(user, week);
    const entity = await this.#table.get(partitionKey, rowKey, 'read draft');
    if (!entity) return null;
    const loaded = toLoaded(user, week, entity);
    this.#remember(user, week, loaded.record.version, loaded.etag);
    return loaded;
  }

  async load(user: string, week: string): Promise<WeekRecord | null> {
    return (await this.#read(user, week))?.record ?? null;
  }

  async save(record: WeekRecord, expectedVersion: number): Promise<WeekRecord> {
    const keys = keysOf(record.user, record.week);
    const save = planDraftSave(record, expectedVersion, new Date(this.#clock.now()), this.#retentionMs);
    const write = draftWrite(keys, save);
    return save.create ? this.#create(write) : this.#replace(write);
  }

  async #create(write: DraftWrite): Promise<WeekRecord> {
    const { user, week, version } = write.save;
    try {
      const { etag } = await this.#table.create(write.entity, 'create draft');
      this.#remember(user, week, version, etag);
      return write.saved;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
      // Our own earlier try may have landed (its answer lost); else a real conflict.
      const current = await this.#read(user, week);
      if (current?.writeId === write.writeId) return write.saved;
      throw new DraftConflictError(current?.record ?? null);
    }
  }

  async #replace(write: DraftWrite): Promise<WeekRecord> {
    const { user, week, expectedVersion, version } = write.save;
    let etag = this.#remembered(user, week, expectedVersion);
    for (let round = 1; ; round += 1) {
      etag ??= await this.#etagAt(user, week, expectedVersion);
      try {
        const written = await this.#table.update(write.entity, 'Replace', etag, 'save draft');
        this.#remember(user, week, version, written.etag);
        return write.saved;
      } catch (err) {
        const status = statusOf(err);
        if (status !== 412 && status !== 404) throw err;
        const current = await this.#read(user, week);
        if (current?.writeId === write.writeId) return write.saved;
        // Same version, other ETag (e.g. the row was deleted by the retention sweep and made
        // again): decide again with the current ETag, a bounded number of times.
        if (!current || isDraftConflict(current.record, expectedVersion) || round >= MAX_SAVE_ROUNDS)
          throw new DraftConflictError(current?.record ?? null);
        etag = current.etag;
      }
    }
  }

  /** The row's ETag while it is at `expectedVersion` (a save that remembers none reads it first). */
  async #etagAt(user: string, week: string, expectedVersion: number): Promise<string> {
    const current = await this.#read(user, week);
    if (!current || isDraftConflict(current.record, expectedVersion))
      throw new DraftConflictError(current?.record ?? null);
    return current.etag;
  }

  /** Deletes drafts not saved within the retention period; returns how many. */
  deleteExpired(now = new Date(this.#clock.now()), keepGoing?: () => Promise<boolean>): Promise<number> {
    return deleteRows(this.#table, odata`expiresAt lt ${now}`, 'sweep expired drafts', keepGoing);
  }

  /**
   * Deletes the records no one needs here any more: drafts handed over to the on-prem copy and
   * weeks submitted. Drafts in progress stay (and rows written before `inProgress` existed: a
   * missing property never matches), until their owner opens the week on the other copy.
   */
  deleteFinished(): Promise<number> {
    this.#etags.clear();
    return deleteRows(this.#table, odata`inProgress eq ${false}`, 'purge finished drafts');
  }
}

function toLoaded(user: string, week: string, entity: StoredEntity): Loaded {
  const json = joinJson(entity);
  if (json === undefined)
    throw new Error(
      `session-azure-tables: the draft of ${week} in table row ${entity.partitionKey}/${entity.rowKey} has missing parts`,
    );
  const rest = JSON.parse(json) as DraftBody;
  const version = entity.version;
  const updatedAt = entity.updatedAt;
  return {
    record: {
      ...rest,
      user,
      week,
      version: typeof version === 'number' ? version : 0,
      updatedAt: typeof updatedAt === 'string' ? updatedAt : new Date(0).toISOString(),
    },
    etag: entity.etag,
    writeId: typeof entity.writeId === 'string' ? entity.writeId : undefined,
  };
}
