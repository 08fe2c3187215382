/**
 * The use cases of one person's week: open it (one ERP read, then cached in the draft record),
 * edit it (draft store only, never the ERP), submit it (into the durable outbox, then one ERP call
 * by the outbox worker with an idempotent id).
 */
import { randomUUID } from 'node:crypto';
import type { BookedEntries, BookedWeek, ErpConnector, TeamMember } from '../ports/erp-connector.js';
import { DraftConflictError, type DraftCell, type DraftStore, type WeekRecord } from '../ports/draft-store.js';
import type { OutboxItem, SubmissionOutbox } from '../ports/submission-outbox.js';
import { shiftWeek, type IsoWeek } from './iso-week.js';
import { copyFromLastWeek, defaultRows, rowHasContent, shownRows, weekHasContent } from './week-rows.js';
import { carriedFavourites, FAVOURITES_LOOKBACK_WEEKS, startingRows, withFavourite } from './week-favourites.js';
import { cellKey, checkWeek, splitCellKey, type WeekCheck } from './week-rules.js';
import { parseHours } from './hours-input.js';

export interface WeekServiceOptions {
  contextMaxAgeMinutes: number;
  maxHoursPerDay: number;
  now?: () => Date;
  /**
   * The other copy (on-prem <-> cloud), asked for the person's draft when this copy has none of the
   * week: the draft follows the person to whichever copy they open it on. Absent: this copy alone.
   */
  otherCopy?: DraftsElsewhere;
}

/** The other copy's drafts, as the week service needs them (src/copies/other-copy-client.ts). */
export interface DraftsElsewhere {
  /** This copy's name, written into the mark of a draft handed away. */
  readonly self: string;
  /** The person's record there; a draft is handed over (the other copy keeps only a mark). Throws when it cannot be asked. */
  takeDraft(user: string, week: string): Promise<{ record: WeekRecord; handedOver: boolean } | null>;
}

/** What a copy answers when the other asks for a person's week. */
export interface HandOver {
  record: WeekRecord | null;
  handedOver: boolean;
}

export interface CellChange {
  key: string;
  raw: string;
  comment: string;
}

/** Limits on what is stored at all; beyond them the request is refused whole with a clear error. */
export const MAX_RAW_LENGTH = 50;
export const MAX_STORED_COMMENT_LENGTH = 2000;
export const MAX_CHANGES_PER_SAVE = 500;

export class WeekLockedError extends Error {
  constructor() {
    super('This week has been submitted and can no longer be changed.');
    this.name = 'WeekLockedError';
  }
}

/** Delivers a submission now instead of at the next poll (the outbox worker). */
export interface SubmissionDelivery {
  /**
   * Delivers it now; when another delivery has it already (the worker's poll, another instance),
   * waits up to `waitMs` for that one's outcome instead of answering at once.
   */
  deliverNow(submissionId: string, waitMs?: number): Promise<OutboxItem | null>;
}

export class InvalidChangeError extends Error {
  readonly key: string;
  readonly reason: 'unknown-cell' | 'too-long' | 'too-many';
  constructor(key: string, reason: InvalidChangeError['reason']) {
    super(`Change to ${key} refused: ${reason}`);
    this.name = 'InvalidChangeError';
    this.key = key;
    this.reason = reason;
  }
}

/** What to do with the grid's rows along with an edit. */
export interface RowChange {
  add?: string[];
  remove?: string[];
  /** Star a row's project (a favourite: new weeks start with its row) or unstar it. */
  favourite?: { project: string; on: boolean };
}

/** A row still holding hours or a comment cannot be removed: they would disappear from the grid. */
export class RowNotEmptyError extends Error {
  readonly projectCode: string;
  constructor(projectCode: string) {
    super(`The row ${projectCode} has hours or a comment and cannot be removed.`);
    this.name = 'RowNotEmptyError';
    this.projectCode = projectCode;
  }
}

/** "Copy last week" refused: the week already has typed content, or last week has nothing to copy. */
export class CopyRefusedError extends Error {
  readonly reason: 'week-has-hours' | 'nothing-to-copy';
  constructor(reason: CopyRefusedError['reason']) {
    super(`Copy last week refused: ${reason}`);
    this.name = 'CopyRefusedError';
    this.reason = reason;
  }
}

export class WeekNotReadyError extends Error {
  readonly check: WeekCheck;
  constructor(check: WeekCheck) {
    super(`The week has ${check.errors.length} error(s) to fix before it can be submitted.`);
    this.name = 'WeekNotReadyError';
    this.check = check;
  }
}

export class WeekService {
  private readonly now: () => Date;

  constructor(
    private readonly erp: ErpConnector,
    private readonly drafts: DraftStore,
    private readonly outbox: SubmissionOutbox,
    private readonly options: WeekServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  check(week: IsoWeek, record: WeekRecord): WeekCheck {
    return checkWeek(week, record.context?.projects ?? [], record.cells, this.options.maxHoursPerDay);
  }

  private isFresh(record: WeekRecord): boolean {
    if (!record.context || !record.contextFetchedAt) return false;
    const age = this.now().getTime() - new Date(record.contextFetchedAt).getTime();
    return age < this.options.contextMaxAgeMinutes * 60_000;
  }

  /**
   * Returns the person's record of that week. The ERP is called (GetProjects + GetTimeEntries)
   * only when the week has no record yet or its context is older than contextMaxAgeMinutes.
   * A week the ERP already holds booked entries for is shown as submitted.
   */
  async open(user: string, week: IsoWeek): Promise<WeekRecord> {
    const { record: existing, unchecked } = await this.takeFromOtherCopy(
      user,
      week,
      await this.drafts.load(user, week.id),
    );
    if (existing?.status === 'submitting') {
      // Normally a no-op read; re-queues a submission whose enqueue was cut short by a crash.
      if (existing.submissionId && !(await this.outbox.get(existing.submissionId)))
        await this.ensureQueued(week, existing);
      return existing;
    }
    const usable = existing && !existing.handedOverTo ? existing : null;
    if (usable && (usable.status !== 'draft' || this.isFresh(usable))) return usable;
    // A new record looks back for favourites (draft store only) while the ERP is asked.
    const [context, earlier] = await Promise.all([
      this.erp.getWeekContext(user, week.monday),
      usable ? [] : this.earlierWithFavourites(user, week),
    ]);
    const base: WeekRecord = usable ?? {
      user,
      week: week.id,
      context: null,
      contextFetchedAt: null,
      cells: {},
      status: context.entries.length > 0 ? 'submitted' : 'draft',
      submissionId: null,
      receipt: null,
      // Started here although the other copy could not be asked: asked again at the next opening.
      ...(unchecked ? { otherCopyUnchecked: true } : {}),
      handedOverTo: null,
      version: existing?.version ?? 0,
      updatedAt: this.now().toISOString(),
    };
    const fresh = base !== usable;
    const cells: Record<string, DraftCell> = { ...base.cells };
    if (fresh) {
      for (const e of context.entries)
        cells[cellKey(e.projectCode, e.date)] = { raw: String(e.hours), hours: e.hours, comment: e.comment };
    }
    // A new week starts with the favourites of the latest earlier week, then the projects booked in it
    // and in recent weeks (from this same context: no extra ERP call); a refreshed context keeps the
    // rows the person chose. A week already booked shows what was booked, not empty favourite rows.
    const favourites = fresh ? carriedFavourites(earlier, context) : null;
    const starting = base.status === 'draft' ? (favourites ?? []) : [];
    const rows = base.rows ?? (fresh ? startingRows(starting, defaultRows(context)) : undefined);
    const next: WeekRecord = {
      ...base,
      context,
      contextFetchedAt: this.now().toISOString(),
      cells,
      ...(rows ? { rows } : {}),
      ...(favourites ? { favourites } : {}),
      updatedAt: this.now().toISOString(),
    };
    try {
      return await this.drafts.save(next, base.version);
    } catch (err) {
      // Another tab or instance opened the same week at the same moment: its record is as good as ours.
      if (err instanceof DraftConflictError && err.current) return err.current;
      throw err;
    }
  }

  /**
   * The earlier week records a new week takes its favourites from, newest first, up to the first that
   * has a favourites list (at most FAVOURITES_LOOKBACK_WEEKS reads, usually one: last week's). A read
   * that fails counts as no record: the week then starts without favourites, and later weeks still
   * find the older list, since a record without the field is looked past.
   */
  private async earlierWithFavourites(user: string, week: IsoWeek): Promise<Array<WeekRecord | null>> {
    const earlier: Array<WeekRecord | null> = [];
    for (let back = 1; back <= FAVOURITES_LOOKBACK_WEEKS; back++) {
      const record = await this.drafts.load(user, shiftWeek(week, -back).id).catch(() => null);
      earlier.push(record);
      if (Array.isArray(record?.favourites)) break;
    }
    return earlier;
  }

  /**
   * When this copy has no draft of the week (no record, or only the mark of one handed away), asks
   * the other copy for it and keeps what it gives: a draft moves here (compare-and-set on both
   * sides, so nothing is overwritten); a week submitting or submitted there is copied read-only
   * (a submitting one keeps its submission id: whichever copy delivers it, the ERP books it once).
   * When the other copy cannot be asked, the week opens here as usual, marked to ask again.
   */
  private async takeFromOtherCopy(
    user: string,
    week: IsoWeek,
    local: WeekRecord | null,
  ): Promise<{ record: WeekRecord | null; unchecked: boolean }> {
    const elsewhere = this.options.otherCopy;
    const unchecked = local?.otherCopyUnchecked === true;
    const mayBeElsewhere = !local || !!local.handedOverTo || (unchecked && !weekHasContent(local.cells));
    if (!elsewhere || !mayBeElsewhere) return { record: local, unchecked };
    let taken: Awaited<ReturnType<DraftsElsewhere['takeDraft']>>;
    try {
      taken = await elsewhere.takeDraft(user, week.id);
    } catch {
      return { record: local, unchecked: true };
    }
    if (!taken)
      return { record: local && unchecked ? { ...local, otherCopyUnchecked: false } : local, unchecked: false };
    const {
      version: _theirs,
      updatedAt: _at,
      handedOverTo: _to,
      otherCopyUnchecked: _unchecked,
      ...content
    } = taken.record;
    const record: WeekRecord = {
      ...content,
      user,
      week: week.id,
      version: local?.version ?? 0,
      handedOverTo: null,
      updatedAt: this.now().toISOString(),
    };
    try {
      return { record: await this.drafts.save(record, local?.version ?? 0), unchecked: false };
    } catch (err) {
      // Another tab of the same person took it at the same moment: theirs is the same draft.
      if (err instanceof DraftConflictError && err.current) return { record: err.current, unchecked: false };
      throw err;
    }
  }

  /**
   * The other copy asks for the person's week because the person opened it there. A draft is
   * handed over: this copy keeps only a mark saying where it went (compare-and-set: a save that
   * lands first wins and the hand-over is tried again on the newer version). A week submitting or
   * submitted here is given as a read-only copy and stays here too.
   */
  async handOver(user: string, weekId: string, to: string): Promise<HandOver> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const record = await this.drafts.load(user, weekId);
      if (!record || record.handedOverTo) return { record: null, handedOver: false };
      if (record.status !== 'draft') return { record, handedOver: false };
      const mark: WeekRecord = {
        ...record,
        cells: {},
        submissionId: null,
        handedOverTo: to,
        otherCopyUnchecked: false,
        updatedAt: this.now().toISOString(),
      };
      delete mark.rows;
      try {
        await this.drafts.save(mark, record.version);
        return { record, handedOver: true };
      } catch (err) {
        if (!(err instanceof DraftConflictError)) throw err;
      }
    }
    throw new DraftConflictError(null);
  }

  /** One GetBookedWeeks for "My weeks": the weeks the ERP booked between two Mondays. */
  bookedWeeks(user: string, fromWeekStart: string, toWeekStart: string): Promise<BookedWeek[]> {
    return this.erp.getBookedWeeks(user, fromWeekStart, toWeekStart);
  }

  /** One GetBookedEntries for the month page and the exports: what the ERP booked between two dates. */
  bookedEntries(user: string, fromDate: string, toDate: string): Promise<BookedEntries> {
    return this.erp.getBookedEntries(user, fromDate, toDate);
  }

  /** One GetTeamWeek for the team page: a manager's team and each member's booking of the week. */
  teamWeek(manager: string, weekStart: string): Promise<TeamMember[]> {
    return this.erp.getTeamWeek(manager, weekStart);
  }

  /** The stored record as it is (no ERP call, no repair): for the submission status poll. */
  current(user: string, week: IsoWeek): Promise<WeekRecord | null> {
    return this.drafts.load(user, week.id);
  }

  /**
   * The record to change. A page left open on this copy after the draft moved to the other copy
   * (the person opened the week there) takes it back first; its version then differs from the
   * page's, so the page shows both values and the person chooses: nothing typed on either copy is lost.
   */
  private async loadHere(user: string, week: IsoWeek): Promise<WeekRecord | null> {
    const record = await this.drafts.load(user, week.id);
    if (!record?.handedOverTo) return record;
    const { record: back } = await this.takeFromOtherCopy(user, week, record);
    if (!back || back.handedOverTo) throw new DraftConflictError(null);
    return back;
  }

  /** Applies typed values to the draft. Compare-and-set on baseVersion; no ERP call. */
  async edit(
    user: string,
    week: IsoWeek,
    baseVersion: number,
    changes: CellChange[],
    rowChange: RowChange = {},
  ): Promise<WeekRecord> {
    if (changes.length > MAX_CHANGES_PER_SAVE) throw new InvalidChangeError('*', 'too-many');
    const record = await this.loadHere(user, week);
    if (!record) throw new DraftConflictError(null);
    if (record.status !== 'draft') throw new WeekLockedError();
    if (record.version !== baseVersion) throw new DraftConflictError(record);
    const allowed = new Set(record.context?.projects.map((p) => p.code) ?? []);
    const cells = { ...record.cells };
    for (const change of changes) {
      // Exactly `<project>|<date>`: a second `|` would make a key the week rules read differently.
      const parts = change.key.split('|');
      const [code, date] = parts;
      if (
        parts.length !== 2 ||
        !code ||
        !date ||
        !week.days.includes(date) ||
        (!allowed.has(code) && !Object.hasOwn(cells, change.key))
      ) {
        throw new InvalidChangeError(change.key, 'unknown-cell');
      }
      if (change.raw.length > MAX_RAW_LENGTH || change.comment.length > MAX_STORED_COMMENT_LENGTH)
        throw new InvalidChangeError(change.key, 'too-long');
      if (change.raw.trim() === '' && change.comment.trim() === '') {
        delete cells[change.key];
        continue;
      }
      const parsed = parseHours(change.raw);
      cells[change.key] = { raw: change.raw, hours: parsed.ok ? parsed.hours : null, comment: change.comment };
    }
    const rows = this.applyRowChange(record, cells, rowChange);
    const favourites = this.applyFavourite(record, rowChange.favourite);
    const rowsUnchanged = rows === null && favourites === null;
    const unchanged =
      Object.keys(cells).length === Object.keys(record.cells).length &&
      Object.entries(cells).every(([k, c]) => record.cells[k]?.raw === c.raw && record.cells[k]?.comment === c.comment);
    if (unchanged && rowsUnchanged) return record;
    // A change of rows (or stars) alone leaves the content (and so its submission id) as it was.
    const submissionId = unchanged ? record.submissionId : null;
    return this.drafts.save(
      {
        ...record,
        cells,
        ...(rows ? { rows } : {}),
        ...(favourites ? { favourites } : {}),
        submissionId,
        updatedAt: this.now().toISOString(),
      },
      record.version,
    );
  }

  /** The new favourites list, or null when it does not change. Only a project of this week can be starred. */
  private applyFavourite(record: WeekRecord, change: RowChange['favourite']): string[] | null {
    if (!change) return null;
    const { project, on } = change;
    const known = record.context?.projects.some((p) => p.code === project) || shownRows(record).includes(project);
    if (on && !known) throw new InvalidChangeError(project, 'unknown-cell');
    const before = record.favourites ?? [];
    const after = withFavourite(before, project, on);
    // Unstarring in a week that never had favourites still writes the (empty) list: it then carries over.
    return after.join('\n') === before.join('\n') && record.favourites ? null : after;
  }

  /**
   * Stars or unstars a row's project for the page's script: a toggle that does not depend on what the
   * page last saw, so it is applied to the week as stored now (compare-and-set, tried again when
   * another save lands in between). The page's next autosave, based on an older version, is then
   * merged by its usual conflict handling (nothing typed is at stake: the cells did not change).
   */
  async setFavourite(
    user: string,
    week: IsoWeek,
    project: string,
    on: boolean,
  ): Promise<{ record: WeekRecord; basedOn: number }> {
    for (let attempt = 0; ; attempt++) {
      const record = await this.loadHere(user, week);
      if (!record) throw new DraftConflictError(null);
      try {
        const saved = await this.edit(user, week, record.version, [], { favourite: { project, on } });
        // The version the toggle was applied on: a page still on it may move to the saved one.
        return { record: saved, basedOn: record.version };
      } catch (err) {
        if (!(err instanceof DraftConflictError) || attempt >= 2) throw err;
      }
    }
  }

  /** The new row list, or null when it does not change. Checked against the cells after this edit. */
  private applyRowChange(record: WeekRecord, cells: Record<string, DraftCell>, change: RowChange): string[] | null {
    if (!change.add?.length && !change.remove?.length) return null;
    const allowed = new Set(record.context?.projects.map((p) => p.code) ?? []);
    const before = record.rows ?? defaultRows(record.context);
    let rows = before;
    for (const code of change.add ?? []) {
      if (!allowed.has(code)) throw new InvalidChangeError(code, 'unknown-cell');
      if (!rows.includes(code)) rows = [...rows, code];
    }
    for (const code of change.remove ?? []) {
      if (rowHasContent(cells, code)) throw new RowNotEmptyError(code);
      // Drops the empty cells the row may still hold, so the row really goes.
      for (const key of Object.keys(cells)) if (splitCellKey(key)?.projectCode === code) delete cells[key];
      rows = rows.filter((c) => c !== code);
    }
    return rows.join('\n') === before.join('\n') && record.rows ? null : rows;
  }

  /**
   * "Copy last week" into a week without typed content: last week's rows, and with `withHours` its
   * hours and comments. The source is last week's record in the draft store (which holds what the
   * ERP had booked when that week was opened): no ERP call. Returns the saved record and the
   * projects that could not be copied.
   */
  async copyLastWeek(
    user: string,
    week: IsoWeek,
    baseVersion: number,
    withHours: boolean,
  ): Promise<{ record: WeekRecord; skipped: string[] }> {
    const record = await this.loadHere(user, week);
    if (!record) throw new DraftConflictError(null);
    if (record.status !== 'draft') throw new WeekLockedError();
    if (record.version !== baseVersion) throw new DraftConflictError(record);
    if (weekHasContent(record.cells)) throw new CopyRefusedError('week-has-hours');
    const previous = await this.drafts.load(user, shiftWeek(week, -1).id);
    if (!previous || (shownRows(previous).length === 0 && !weekHasContent(previous.cells)))
      throw new CopyRefusedError('nothing-to-copy');
    const copy = copyFromLastWeek(week, record, previous, withHours);
    const saved = await this.drafts.save(
      { ...record, rows: copy.rows, cells: copy.cells, submissionId: null, updatedAt: this.now().toISOString() },
      record.version,
    );
    return { record: saved, skipped: copy.skipped };
  }

  /**
   * Submits the whole week: it goes into the durable outbox with its submission id BEFORE anything
   * is sent, then the week is read-only ('submitting') until the outbox worker has the ERP's answer
   * (one SubmitTimesheet, idempotent on the id: a retry never books twice). Submitting a week that
   * is already submitting or submitted changes nothing. Returns the record as it is now.
   */
  async submit(user: string, week: IsoWeek, baseVersion: number): Promise<WeekRecord> {
    let record = await this.loadHere(user, week);
    if (!record) throw new DraftConflictError(null);
    if (record.status !== 'draft') return record;
    if (record.version !== baseVersion) throw new DraftConflictError(record);
    const check = this.check(week, record);
    if (check.errors.length > 0) throw new WeekNotReadyError(check);
    // The id is kept across tries of the same content (an edit clears it), so the ERP books it once.
    const submissionId = record.submissionId ?? randomUUID();
    // Locked first (compare-and-set: an edit in another tab makes this fail, so what goes out is
    // exactly what was checked), then queued. A crash in between leaves a 'submitting' week without
    // an outbox item, which ensureQueued() repairs the next time the week is looked at.
    record = await this.drafts.save(
      { ...record, submissionId, status: 'submitting', submitProblem: null, updatedAt: this.now().toISOString() },
      record.version,
    );
    await this.ensureQueued(week, record);
    return record;
  }

  /** Puts a 'submitting' week's content in the outbox unless it is there (idempotent on the id). */
  async ensureQueued(week: IsoWeek, record: WeekRecord): Promise<void> {
    if (record.status !== 'submitting' || !record.submissionId) return;
    const entries = this.check(week, record).entries;
    const queued = await this.outbox.enqueue(
      { submissionId: record.submissionId, user: record.user, week: week.id, weekStart: week.monday, entries },
      this.now(),
    );
    // Sent before and given up on (ERP unreachable for too long): the same content is sent again.
    if (queued.state === 'failed') await this.outbox.retry(record.submissionId, this.now());
  }

  /** The record after the worker tried to deliver it right away (the usual case: the receipt at once). */
  async submitAndDeliver(
    user: string,
    week: IsoWeek,
    baseVersion: number,
    delivery: SubmissionDelivery,
    waitMs: number,
  ): Promise<WeekRecord> {
    const record = await this.submit(user, week, baseVersion);
    if (record.status !== 'submitting' || !record.submissionId) return record;
    let timer: NodeJS.Timeout | undefined;
    // Past waitMs the delivery goes on in the background; the page says "waiting for the ERP".
    await Promise.race([
      delivery.deliverNow(record.submissionId, waitMs).catch(() => null),
      new Promise((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
    return (await this.drafts.load(user, week.id)) ?? record;
  }
}
