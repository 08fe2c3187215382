// Favourite rows kept across weeks (issue 16, point 7): the pure rule (src/timesheet/week-favourites.ts)
// and the week service carrying it over, with in-memory fakes behind the ports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  carriedFavourites,
  FAVOURITES_LOOKBACK_WEEKS,
  favouritesFirst,
  MAX_FAVOURITES,
  startingRows,
  withFavourite,
} from '../../src/timesheet/week-favourites.js';
import { WeekService, InvalidChangeError, WeekLockedError } from '../../src/timesheet/week-service.js';
import { parseWeekId, shiftWeek, type IsoWeek } from '../../src/timesheet/iso-week.js';
import type { ErpConnector, WeekContext } from '../../src/ports/erp-connector.js';
import type { DraftStore, WeekRecord } from '../../src/ports/draft-store.js';
import { MemoryDrafts } from '../../scripts/harness/memory-drafts.js';
import { MemoryOutbox } from '../../scripts/harness/memory-outbox.js';
import { applyWeekCommand, type WeekCommandOptions } from '../../src/timesheet/week-command.js';
import { parseWeekPost, weekCommandOf } from '../../src/web/week-post.js';

const project = (code: string, lastBookedOn?: string) => ({
  code,
  label: `Project ${code}`,
  validFrom: '2020-01-01',
  validTo: null,
  ...(lastBookedOn ? { lastBookedOn } : {}),
});
const context: WeekContext = {
  projects: [project('P-1', '2026-11-20'), project('P-2'), project('P-3'), project('P-4')],
  entries: [],
};

test('a new week takes the favourites of the newest earlier record that has a list, for projects allowed this week', () => {
  const lists = [null, { favourites: undefined }, { favourites: ['P-3', 'P-9', 'P-2'] }, { favourites: ['P-4'] }];
  assert.deepEqual(carriedFavourites(lists, context), ['P-3', 'P-2'], 'P-9 is no longer allowed: dropped');
  assert.deepEqual(carriedFavourites([{ favourites: [] }, { favourites: ['P-4'] }], context), [], 'all unstarred');
  assert.equal(carriedFavourites([null, {}], context), null, 'no list anywhere: none, and none written');
});

test('its rows start with the favourites, then the usual default rows, each once', () => {
  assert.deepEqual(startingRows(['P-3', 'P-1'], ['P-1', 'P-2']), ['P-3', 'P-1', 'P-2']);
});

test('starring adds at the end, unstarring removes, twice the same changes nothing; the list is bounded', () => {
  assert.deepEqual(withFavourite(['P-1'], 'P-2', true), ['P-1', 'P-2']);
  assert.deepEqual(withFavourite(['P-1', 'P-2'], 'P-1', false), ['P-2']);
  assert.deepEqual(withFavourite(['P-1'], 'P-1', true), ['P-1']);
  assert.deepEqual(withFavourite([], 'P-1', false), []);
  const many = Array.from({ length: MAX_FAVOURITES }, (_, i) => `P-${i}`);
  assert.deepEqual(withFavourite(many, 'P-new', true), [...many.slice(1), 'P-new'], 'the oldest star goes');
});

test('favourites first keeps each group in its own order', () => {
  assert.deepEqual(
    favouritesFirst(['a', 'B', 'c', 'D'], (x) => x === x.toUpperCase()),
    ['B', 'D', 'a', 'c'],
  );
});

class CountingErp implements ErpConnector {
  calls = 0;
  constructor(private readonly ctx: WeekContext) {}
  async getWeekContext() {
    this.calls++;
    return structuredClone(this.ctx);
  }
  async submitWeek(): Promise<never> {
    throw new Error('not in these tests');
  }
  async getBookedWeeks() {
    return [];
  }
  async getTeamWeek() {
    return [];
  }
  async getBookedEntries() {
    return { entries: [], projects: [] };
  }
  async ping() {}
  async close() {}
}

/** Counts the draft store's reads per week, to show the look-back is bounded and reads no ERP. */
class CountingDrafts extends MemoryDrafts implements DraftStore {
  loads: string[] = [];
  override async load(user: string, week: string): Promise<WeekRecord | null> {
    this.loads.push(week);
    return super.load(user, week);
  }
}

function setup(ctx = context) {
  const drafts = new CountingDrafts();
  const erp = new CountingErp(ctx);
  const weeks = new WeekService(erp, drafts, new MemoryOutbox(), { contextMaxAgeMinutes: 60, maxHoursPerDay: 24 });
  return { drafts, erp, weeks };
}

const w49 = parseWeekId('2026-W49')!;
const later = (n: number): IsoWeek => shiftWeek(w49, n);

test('a row starred in one week starts the next new week, starred, and carries on from there', async () => {
  const { weeks } = setup();
  const first = await weeks.open('nora', w49);
  assert.deepEqual(first.rows, ['P-1'], 'the recently booked project');
  assert.equal(first.favourites, undefined, 'nobody starred anything yet');
  await weeks.edit('nora', w49, first.version, [], { add: ['P-3'] });
  const { record: starred, basedOn } = await weeks.setFavourite('nora', w49, 'P-3', true);
  assert.equal(basedOn, first.version + 1);
  assert.deepEqual(starred.favourites, ['P-3']);

  const next = await weeks.open('nora', later(1));
  assert.deepEqual(next.favourites, ['P-3']);
  assert.deepEqual(next.rows, ['P-3', 'P-1'], 'the favourite row first, then the recent projects');
  // Two weeks on, from the week just before (which carried it), never from the ERP.
  const after = await weeks.open('nora', later(2));
  assert.deepEqual(after.favourites, ['P-3']);
});

test('the look-back skips weeks without a list, is bounded, and reads the draft store only', async () => {
  const { weeks, drafts, erp } = setup();
  const opened = await weeks.open('nora', w49);
  await weeks.setFavourite('nora', w49, 'P-2', true);
  assert.equal(opened.favourites, undefined);
  // Three weeks later, with no record in between: found three weeks back.
  drafts.loads = [];
  erp.calls = 0;
  const found = await weeks.open('nora', later(3));
  assert.deepEqual(found.favourites, ['P-2']);
  assert.equal(erp.calls, 1, 'one ERP read: the week being opened');
  assert.deepEqual(drafts.loads, [later(3).id, later(2).id, later(1).id, w49.id]);
  // Further than the bound: not found.
  drafts.loads = [];
  const far = await weeks.open('nora', later(3 + FAVOURITES_LOOKBACK_WEEKS + 1));
  assert.equal(far.favourites, undefined);
  assert.equal(drafts.loads.length, 1 + FAVOURITES_LOOKBACK_WEEKS);
});

test('a week where every star was removed starts the next with none; a record from before favourites is read as none', async () => {
  const { weeks, drafts } = setup();
  const opened = await weeks.open('nora', w49);
  await weeks.setFavourite('nora', w49, 'P-2', true);
  await weeks.setFavourite('nora', w49, 'P-2', false);
  assert.deepEqual((await drafts.load('nora', w49.id))?.favourites, []);
  const next = await weeks.open('nora', later(1));
  assert.deepEqual(next.favourites, []);
  assert.deepEqual(next.rows, opened.rows, 'the usual rows, nothing more');

  // A stored record written before favourites (no field) opens and edits as before.
  const old = await drafts.load('nora', later(1).id);
  delete old!.favourites;
  drafts.rows.set(`nora/${later(1).id}`, old!);
  const reopened = await weeks.open('nora', later(1));
  assert.equal(reopened.favourites, undefined);
  const edited = await weeks.edit('nora', later(1), reopened.version, [
    { key: 'P-1|2026-12-07', raw: '2', comment: '' },
  ]);
  assert.equal(edited.cells['P-1|2026-12-07']?.hours, 2);
});

test('a week already open keeps its own rows; a booked (read-only) week gets the list but no empty favourite rows', async () => {
  const booked: WeekContext = {
    projects: context.projects,
    entries: [{ projectCode: 'P-1', date: '2026-12-07', hours: 8, comment: '' }],
  };
  const { weeks, drafts } = setup(booked);
  await drafts.save(
    {
      user: 'nora',
      week: w49.id,
      version: 0,
      context,
      contextFetchedAt: new Date().toISOString(),
      cells: {},
      rows: ['P-2'],
      favourites: ['P-4'],
      status: 'draft',
      submissionId: null,
      receipt: null,
      updatedAt: '',
    },
    0,
  );
  const next = await weeks.open('nora', later(1));
  assert.equal(next.status, 'submitted');
  assert.deepEqual(next.favourites, ['P-4'], 'still carried on to later weeks');
  assert.ok(!next.rows?.includes('P-4'), 'no empty row in a booked week');
  const same = await weeks.open('nora', w49);
  assert.deepEqual(same.rows, ['P-2'], 'the rows already chosen are kept');
});

test('only a project of the week can be starred, and not in a submitted week', async () => {
  const { weeks, drafts } = setup();
  await weeks.open('nora', w49);
  await assert.rejects(weeks.setFavourite('nora', w49, 'P-9', true), InvalidChangeError);
  const record = (await drafts.load('nora', w49.id))!;
  drafts.rows.set(`nora/${w49.id}`, { ...record, status: 'submitted' });
  await assert.rejects(weeks.setFavourite('nora', w49, 'P-1', true), WeekLockedError);
});

test('starring applies to the week as stored now, whatever version the page holds, and leaves the cells alone', async () => {
  const { weeks } = setup();
  const opened = await weeks.open('nora', w49);
  const typed = await weeks.edit('nora', w49, opened.version, [{ key: 'P-1|2026-11-30', raw: '7,5', comment: '' }]);
  const { record, basedOn } = await weeks.setFavourite('nora', w49, 'P-1', true);
  assert.equal(basedOn, typed.version);
  assert.equal(record.version, typed.version + 1);
  assert.deepEqual(record.cells, typed.cells);
  assert.equal(record.submissionId, typed.submissionId);
  const again = await weeks.setFavourite('nora', w49, 'P-1', true);
  assert.equal(again.record.version, record.version, 'starring twice saves nothing');
});

test("the form post of a row's star saves what was typed with it and answers which way it went", async () => {
  const { weeks, drafts } = setup();
  const opened = await weeks.open('nora', w49);
  const options = { delivery: { deliverNow: async () => null }, waitForReceiptMs: 0, calendar: [] };
  const post = (body: Record<string, unknown>, version: number) => {
    const parsed = parseWeekPost({ version: String(version), ...body })!;
    return applyWeekCommand(
      weeks,
      'nora',
      w49,
      weekCommandOf(parsed, body, w49).command,
      options as unknown as WeekCommandOptions,
    );
  };
  const starred = await post({ favourite: 'P-1', 'h:P-1|2026-11-30': '4' }, opened.version);
  assert.deepEqual(starred, { kind: 'favourite', project: 'P-1', on: true, inProgress: true });
  const stored = (await drafts.load('nora', w49.id))!;
  assert.deepEqual(stored.favourites, ['P-1']);
  assert.equal(stored.cells['P-1|2026-11-30']?.raw, '4', 'the typed hours were saved along');
  const unstarred = await post({ unfavourite: 'P-1' }, stored.version);
  assert.deepEqual(unstarred, { kind: 'favourite', project: 'P-1', on: false, inProgress: true });
  assert.deepEqual((await drafts.load('nora', w49.id))?.favourites, []);
});
