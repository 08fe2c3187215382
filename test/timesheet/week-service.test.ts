// Unit tests of the week use cases with in-memory fakes behind the two ports (the real
// implementations run their own contract suites against SQL, Azurite and the ERP simulator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WeekService, WeekLockedError, WeekNotReadyError, InvalidChangeError } from '../../src/timesheet/week-service.js';
import { parseWeekId } from '../../src/timesheet/iso-week.js';
import { DraftConflictError, type DraftStore, type WeekRecord } from '../../src/ports/draft-store.js';
import { ErpTimeoutError, type ErpConnector, type ErpTimeEntry, type WeekContext } from '../../src/ports/erp-connector.js';

class MemoryDrafts implements DraftStore {
  rows = new Map<string, WeekRecord>();
  async load(user: string, week: string) {
    const r = this.rows.get(`${user}/${week}`);
    return r ? structuredClone(r) : null;
  }
  async save(record: WeekRecord, expectedVersion: number) {
    const key = `${record.user}/${record.week}`;
    const current = this.rows.get(key) ?? null;
    if ((current?.version ?? 0) !== expectedVersion) throw new DraftConflictError(current);
    const saved = { ...structuredClone(record), version: expectedVersion + 1 };
    this.rows.set(key, saved);
    return structuredClone(saved);
  }
}

class FakeErp implements ErpConnector {
  calls: string[] = [];
  submissions: Array<{ entries: ErpTimeEntry[]; id: string }> = [];
  failNextSubmit: Error | null = null;
  constructor(private context: WeekContext) {}
  async getWeekContext() {
    this.calls.push('GetProjects', 'GetTimeEntries');
    return structuredClone(this.context);
  }
  async submitWeek(_u: string, _w: string, entries: ErpTimeEntry[], submissionId: string) {
    this.calls.push('SubmitTimesheet');
    if (this.failNextSubmit) {
      const e = this.failNextSubmit;
      this.failNextSubmit = null;
      throw e;
    }
    this.submissions.push({ entries, id: submissionId });
    return { receiptNumber: `R-${this.submissions.length}`, submissionId, bookedAt: '2026-11-20T15:00:00Z' };
  }
  async ping() {}
  async close() {}
}

const week = parseWeekId('2026-W47')!;
const context: WeekContext = { projects: [{ code: 'P-1', label: 'One', validFrom: '2020-01-01', validTo: null }], entries: [] };

function setup(ctx = context) {
  const drafts = new MemoryDrafts();
  const erp = new FakeErp(ctx);
  let now = new Date('2026-11-20T14:00:00Z');
  const service = new WeekService(erp, drafts, { contextMaxAgeMinutes: 60, maxHoursPerDay: 24, now: () => now });
  return { drafts, erp, service, advance: (min: number) => (now = new Date(now.getTime() + min * 60_000)) };
}

test('opening a week twice calls the ERP once', async () => {
  const { erp, service } = setup();
  await service.open('alice', week);
  await service.open('alice', week);
  assert.deepEqual(erp.calls, ['GetProjects', 'GetTimeEntries']);
});

test('an old context is fetched again and the draft is kept', async () => {
  const { erp, service, advance } = setup();
  const r = await service.open('alice', week);
  await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '7,5', comment: '' }]);
  advance(61);
  const again = await service.open('alice', week);
  assert.equal(erp.calls.length, 4);
  assert.equal(again.cells['P-1|2026-11-16']?.hours, 7.5);
});

test('edits never call the ERP and keep what was typed, even when invalid', async () => {
  const { erp, service } = setup();
  let r = await service.open('alice', week);
  for (let i = 0; i < 20; i++) r = await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: i % 2 ? 'abc' : '1', comment: `c${i}` }]);
  assert.equal(erp.calls.length, 2);
  assert.deepEqual(r.cells['P-1|2026-11-16'], { raw: 'abc', hours: null, comment: 'c19' });
});

test('an edit based on an old version is refused with the current record', async () => {
  const { service } = setup();
  const r = await service.open('alice', week);
  await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '1', comment: '' }]);
  await assert.rejects(service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '2', comment: '' }]), (err: unknown) => {
    assert.ok(err instanceof DraftConflictError);
    assert.equal(err.current?.cells['P-1|2026-11-16']?.raw, '1');
    return true;
  });
});

test('an edit to a project or day outside the week is refused whole', async () => {
  const { service, drafts } = setup();
  const r = await service.open('alice', week);
  await assert.rejects(service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '1', comment: '' }, { key: 'P-9|2026-11-16', raw: '1', comment: '' }]), InvalidChangeError);
  await assert.rejects(service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-23', raw: '1', comment: '' }]), InvalidChangeError);
  assert.deepEqual((await drafts.load('alice', week.id))?.cells, {});
});

test('submitting sends the whole week once and locks it', async () => {
  const { erp, service } = setup();
  let r = await service.open('alice', week);
  r = await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '7h30', comment: 'x' }, { key: 'P-1|2026-11-17', raw: '8', comment: '' }]);
  const done = await service.submit('alice', week, r.version);
  assert.equal(done.status, 'submitted');
  assert.equal(done.receipt?.receiptNumber, 'R-1');
  assert.deepEqual(erp.submissions[0]?.entries, [
    { projectCode: 'P-1', date: '2026-11-16', hours: 7.5, comment: 'x' },
    { projectCode: 'P-1', date: '2026-11-17', hours: 8, comment: '' },
  ]);
  await assert.rejects(service.edit('alice', week, done.version, [{ key: 'P-1|2026-11-16', raw: '1', comment: '' }]), WeekLockedError);
  assert.deepEqual(erp.calls, ['GetProjects', 'GetTimeEntries', 'SubmitTimesheet']);
});

test('a week with errors is not sent to the ERP', async () => {
  const { erp, service } = setup();
  let r = await service.open('alice', week);
  r = await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '7.1', comment: '' }]);
  await assert.rejects(service.submit('alice', week, r.version), WeekNotReadyError);
  assert.equal(erp.calls.includes('SubmitTimesheet'), false);
});

test('a retry after an ERP timeout reuses the same submission id', async () => {
  const { erp, service } = setup();
  let r = await service.open('alice', week);
  r = await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '1', comment: '' }]);
  erp.failNextSubmit = new ErpTimeoutError('slow');
  await assert.rejects(service.submit('alice', week, r.version), ErpTimeoutError);
  const stored = (await service.open('alice', week))!;
  assert.ok(stored.submissionId);
  await service.submit('alice', week, stored.version);
  assert.equal(erp.submissions[0]?.id, stored.submissionId);
});

test('a week the ERP already holds entries for opens as submitted, with those entries', async () => {
  const { service } = setup({ ...context, entries: [{ projectCode: 'P-1', date: '2026-11-16', hours: 4, comment: 'booked' }] });
  const r = await service.open('alice', week);
  assert.equal(r.status, 'submitted');
  assert.deepEqual(r.cells['P-1|2026-11-16'], { raw: '4', hours: 4, comment: 'booked' });
});
