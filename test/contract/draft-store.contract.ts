/**
 * Contract of the DraftStore port (the per-user, per-week record behind autosave). Every session
 * store plugin runs it from its own test file:
 *
 *   runDraftStoreContract('session-sql on SQLite', () => factory.open());
 *
 * `open()` must give a new handle (an "instance") on the SAME storage each time it is called
 * within one run: compare-and-set must hold across instances. Each test uses its own random user.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DraftConflictError, type DraftCell, type DraftStore, type WeekRecord } from '../../src/ports/draft-store.js';
import type { Storage } from '../../src/ports/storage.js';

const WEEK = '2026-W47';

function newUser(): string {
  return `user-${randomUUID()}`;
}

function cell(raw: string, comment = ''): DraftCell {
  const hours = Number(raw.replace(',', '.'));
  return { raw, hours: raw === '' || Number.isNaN(hours) ? null : hours, comment };
}

/** A record as the week page would hand it to save(). */
function weekRecord(user: string, week = WEEK, cells: Record<string, DraftCell> = {}): WeekRecord {
  return {
    user,
    week,
    version: 0,
    context: {
      projects: [
        { code: 'P-100', label: 'Internal tools', validFrom: '2026-01-01', validTo: null },
        { code: 'P-200', label: 'Customer portal', validFrom: '2026-03-01', validTo: '2026-12-31' },
      ],
      entries: [{ projectCode: 'P-100', date: '2026-11-16', hours: 7.5, comment: 'booked' }],
    },
    contextFetchedAt: '2026-11-16T08:00:00.000Z',
    cells: { 'P-100|2026-11-16': cell('7.5'), ...cells },
    status: 'draft',
    submissionId: null,
    receipt: null,
    updatedAt: '2000-01-01T00:00:00.000Z',
  };
}

/** Calls fn and returns the DraftConflictError it must throw. */
async function conflictOf(fn: () => Promise<unknown>): Promise<DraftConflictError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof DraftConflictError, `expected a DraftConflictError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a DraftConflictError, but the save succeeded');
}

export function runDraftStoreContract(implementationName: string, open: () => Promise<Storage>): void {
  describe(`draft store contract: ${implementationName}`, () => {
    let handle: Storage;
    let drafts: DraftStore;
    before(async () => {
      handle = await open();
      drafts = handle.drafts;
    });
    after(() => handle?.close());

    it('load of a week never saved resolves to null', async () => {
      assert.equal(await drafts.load(newUser(), WEEK), null);
    });

    it('save with expected version 0 creates version 1', async () => {
      const saved = await drafts.save(weekRecord(newUser()), 0);
      assert.equal(saved.version, 1);
    });

    it('the record save returns is the record a later load returns', async () => {
      const user = newUser();
      const saved = await drafts.save(weekRecord(user), 0);
      assert.deepEqual(await drafts.load(user, WEEK), saved);
    });

    it('save returns every field it was given, with the new version and a fresh updatedAt', async () => {
      const user = newUser();
      const record = weekRecord(user);
      const startedAt = Date.now();
      const saved = await drafts.save(record, 0);
      assert.deepEqual({ ...saved, version: 0, updatedAt: record.updatedAt }, record);
      const updatedAt = Date.parse(saved.updatedAt);
      assert.ok(
        updatedAt >= startedAt - 1000 && updatedAt <= Date.now() + 1000,
        `updatedAt ${saved.updatedAt} is not now`,
      );
    });

    it('the rows and favourites lists round-trip, and a record without them loads without them', async () => {
      const user = newUser();
      const listed = await drafts.save({ ...weekRecord(user), rows: ['P-200', 'P-100'], favourites: ['P-200'] }, 0);
      const loaded = await drafts.load(user, WEEK);
      assert.deepEqual(loaded?.favourites, ['P-200']);
      assert.deepEqual(loaded?.rows, ['P-200', 'P-100']);
      assert.deepEqual(loaded, listed);
      const cleared = await drafts.save({ ...loaded!, favourites: [] }, loaded!.version);
      assert.deepEqual((await drafts.load(user, WEEK))?.favourites, [], 'an empty list stays a list');
      assert.equal(cleared.version, 2);
      const plain = newUser();
      await drafts.save(weekRecord(plain), 0);
      const old = await drafts.load(plain, WEEK);
      assert.equal(old && 'favourites' in old, false);
    });

    it('save with the current version increments the version', async () => {
      const user = newUser();
      const v1 = await drafts.save(weekRecord(user), 0);
      const v2 = await drafts.save({ ...v1, cells: { ...v1.cells, 'P-200|2026-11-17': cell('4') } }, v1.version);
      const v3 = await drafts.save({ ...v2, status: 'submitted', submissionId: 'sub-1' }, v2.version);
      assert.deepEqual([v2.version, v3.version], [2, 3]);
      assert.deepEqual(await drafts.load(user, WEEK), v3);
    });

    it('save with a stale version is refused with the current record, which stays unchanged', async () => {
      const user = newUser();
      const v1 = await drafts.save(weekRecord(user), 0);
      const v2 = await drafts.save({ ...v1, cells: { 'P-100|2026-11-16': cell('8') } }, 1);
      const conflict = await conflictOf(() => drafts.save({ ...v1, cells: { 'P-100|2026-11-16': cell('1') } }, 1));
      assert.deepEqual(conflict.current, v2);
      assert.deepEqual(await drafts.load(user, WEEK), v2);
    });

    it('save with expected version 0 of a week that exists is refused with the current record', async () => {
      const user = newUser();
      const v1 = await drafts.save(weekRecord(user), 0);
      const conflict = await conflictOf(() => drafts.save(weekRecord(user), 0));
      assert.deepEqual(conflict.current, v1);
      assert.deepEqual(await drafts.load(user, WEEK), v1);
    });

    it('save with a version of a week that does not exist is refused without a current record', async () => {
      const user = newUser();
      const conflict = await conflictOf(() => drafts.save(weekRecord(user), 3));
      assert.equal(conflict.current, null);
      assert.equal(await drafts.load(user, WEEK), null);
    });

    it('of two concurrent first saves, exactly one wins', async () => {
      const user = newUser();
      const results = await Promise.allSettled([
        drafts.save(weekRecord(user, WEEK, { 'P-100|2026-11-17': cell('1') }), 0),
        drafts.save(weekRecord(user, WEEK, { 'P-100|2026-11-17': cell('2') }), 0),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.ok(lost[0]!.reason instanceof DraftConflictError);
      assert.deepEqual(await drafts.load(user, WEEK), won[0]!.value);
    });

    it('of two concurrent saves from the same version, exactly one wins', async () => {
      const user = newUser();
      const v1 = await drafts.save(weekRecord(user), 0);
      const results = await Promise.allSettled([
        drafts.save({ ...v1, cells: { 'P-100|2026-11-16': cell('3') } }, 1),
        drafts.save({ ...v1, cells: { 'P-100|2026-11-16': cell('5') } }, 1),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.ok(lost[0]!.reason instanceof DraftConflictError);
      assert.deepEqual(lost[0]!.reason.current, won[0]!.value);
      assert.deepEqual(await drafts.load(user, WEEK), won[0]!.value);
    });

    it('of concurrent saves from the same version through two instances, exactly one wins', async (t) => {
      const other = await open();
      t.after(() => other.close());
      const user = newUser();
      const v1 = await drafts.save(weekRecord(user), 0);
      const attempts = Array.from({ length: 6 }, (_, i) =>
        (i % 2 === 0 ? drafts : other.drafts).save({ ...v1, cells: { 'P-100|2026-11-16': cell(String(i)) } }, 1),
      );
      const results = await Promise.allSettled(attempts);
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof DraftConflictError);
      assert.deepEqual(await other.drafts.load(user, WEEK), won[0]!.value);
    });

    it('a record saved through one instance is loaded and updated through another', async (t) => {
      const other = await open();
      t.after(() => other.close());
      const user = newUser();
      const v1 = await drafts.save(weekRecord(user), 0);
      assert.deepEqual(await other.drafts.load(user, WEEK), v1);
      const v2 = await other.drafts.save({ ...v1, status: 'submitted' }, 1);
      assert.deepEqual(await drafts.load(user, WEEK), v2);
    });

    it('unicode in comments and raw input round-trips exactly', async () => {
      const user = newUser();
      const texts = [
        'Zoë’s café — naïve façade',
        'emoji 😀👩🏽‍💻🇫🇷 and CJK 東京 / 서울',
        'RTL שלום עליכם and combining e\u0301 vs é',
        'quotes "double" \'single\' `back` and \\ backslash \\n not a newline',
        'control \u0000 \u0001 \t tab \r\n newline \u2028 \u2029',
        'lone surrogate \ud800 end',
        '<script>alert(1)</script> & &amp; %s %d {{x}} ${x}',
      ];
      const cells = Object.fromEntries(texts.map((text, i) => [`P-200|2026-11-1${i}`, cell(text, text)]));
      const saved = await drafts.save(weekRecord(user, WEEK, cells), 0);
      const loaded = await drafts.load(user, WEEK);
      for (const [i, text] of texts.entries()) assert.equal(loaded!.cells[`P-200|2026-11-1${i}`]!.comment, text);
      assert.deepEqual(loaded, saved);
    });

    it('a record larger than 64 KiB with long comments round-trips exactly', async () => {
      const user = newUser();
      const long = (seed: number) => `${seed}: ${'Réunion client 😀 — relecture du cahier des charges. '.repeat(60)}`;
      const cells: Record<string, DraftCell> = {};
      for (let p = 0; p < 6; p += 1)
        for (let d = 16; d <= 22; d += 1) cells[`P-${p}|2026-11-${d}`] = cell('7.75', long(p * 10 + d));
      const record = weekRecord(user, WEEK, cells);
      assert.ok(Buffer.byteLength(JSON.stringify(record)) > 64 * 1024, 'the record must exceed 64 KiB');
      const saved = await drafts.save(record, 0);
      assert.deepEqual(await drafts.load(user, WEEK), saved);
      assert.deepEqual(saved.cells, record.cells);
    });

    it('records of different users and weeks are independent', async () => {
      const [alice, bob] = [newUser(), newUser()];
      const a47 = await drafts.save(weekRecord(alice, '2026-W47'), 0);
      const a48 = await drafts.save(weekRecord(alice, '2026-W48'), 0);
      const b47 = await drafts.save(weekRecord(bob, '2026-W47'), 0);
      const a47v2 = await drafts.save({ ...a47, status: 'submitted' }, 1);
      await conflictOf(() => drafts.save(a48, 5));
      assert.deepEqual(await drafts.load(alice, '2026-W47'), a47v2);
      assert.deepEqual(await drafts.load(alice, '2026-W48'), a48);
      assert.deepEqual(await drafts.load(bob, '2026-W47'), b47);
    });

    it('user names that differ only by letter case are different records', async () => {
      const user = newUser();
      const lower = await drafts.save(weekRecord(user.toLowerCase()), 0);
      const upper = await drafts.save(weekRecord(user.toUpperCase()), 0);
      assert.deepEqual(await drafts.load(user.toLowerCase(), WEEK), lower);
      assert.deepEqual(await drafts.load(user.toUpperCase(), WEEK), upper);
    });
  });
}
