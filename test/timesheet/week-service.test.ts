// Unit tests of the week use cases with in-memory fakes behind the two ports (the real
// implementations run their own contract suites against SQL, Azurite and the ERP simulator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  WeekService,
  WeekLockedError,
  WeekNotReadyError,
  InvalidChangeError,
} from '../../src/timesheet/week-service.js';
import { parseWeekId } from '../../src/timesheet/iso-week.js';
import { DraftConflictError } from '../../src/ports/draft-store.js';
import {
  ErpRejectedError,
  ErpTimeoutError,
  type ErpConnector,
  type ErpTimeEntry,
  type WeekContext,
} from '../../src/ports/erp-connector.js';
import { OutboxWorker } from '../../src/submission/outbox-worker.js';
import { pino } from 'pino';
import { MemoryOutbox } from '../../scripts/harness/memory-outbox.js';
import { MemoryDrafts } from '../../scripts/harness/memory-drafts.js';

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

const week = parseWeekId('2026-W47')!;
const context: WeekContext = {
  projects: [{ code: 'P-1', label: 'One', validFrom: '2020-01-01', validTo: null }],
  entries: [],
};

function setup(ctx = context) {
  const drafts = new MemoryDrafts();
  const erp = new FakeErp(ctx);
  const outbox = new MemoryOutbox();
  let now = new Date('2026-11-20T14:00:00Z');
  const service = new WeekService(erp, drafts, outbox, {
    contextMaxAgeMinutes: 60,
    maxHoursPerDay: 24,
    now: () => now,
  });
  const worker = new OutboxWorker(
    outbox,
    erp,
    drafts,
    {
      instance: 'test',
      pollIntervalMs: 1000,
      leaseMs: 60_000,
      batchSize: 10,
      maxAttempts: 3,
      backoffBaseMs: 1000,
      backoffMaxMs: 10_000,
      retentionMs: 86_400_000,
      now: () => now,
    },
    pino({ level: 'silent' }),
  );
  return {
    drafts,
    erp,
    outbox,
    service,
    worker,
    advance: (min: number) => (now = new Date(now.getTime() + min * 60_000)),
  };
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
  for (let i = 0; i < 20; i++)
    r = await service.edit('alice', week, r.version, [
      { key: 'P-1|2026-11-16', raw: i % 2 ? 'abc' : '1', comment: `c${i}` },
    ]);
  assert.equal(erp.calls.length, 2);
  assert.deepEqual(r.cells['P-1|2026-11-16'], { raw: 'abc', hours: null, comment: 'c19' });
});

test('an edit based on an old version is refused with the current record', async () => {
  const { service } = setup();
  const r = await service.open('alice', week);
  await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '1', comment: '' }]);
  await assert.rejects(
    service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '2', comment: '' }]),
    (err: unknown) => {
      assert.ok(err instanceof DraftConflictError);
      assert.equal(err.current?.cells['P-1|2026-11-16']?.raw, '1');
      return true;
    },
  );
});

test('an edit to a project or day outside the week is refused whole', async () => {
  const { service, drafts } = setup();
  const r = await service.open('alice', week);
  await assert.rejects(
    service.edit('alice', week, r.version, [
      { key: 'P-1|2026-11-16', raw: '1', comment: '' },
      { key: 'P-9|2026-11-16', raw: '1', comment: '' },
    ]),
    InvalidChangeError,
  );
  await assert.rejects(
    service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-23', raw: '1', comment: '' }]),
    InvalidChangeError,
  );
  assert.deepEqual((await drafts.load('alice', week.id))?.cells, {});
});

test('submitting queues the whole week and locks it; the worker books it once and the receipt lands on the week', async () => {
  const { erp, outbox, service, worker } = setup();
  let r = await service.open('alice', week);
  r = await service.edit('alice', week, r.version, [
    { key: 'P-1|2026-11-16', raw: '7h30', comment: 'x' },
    { key: 'P-1|2026-11-17', raw: '8', comment: '' },
  ]);
  const queued = await service.submit('alice', week, r.version);
  assert.equal(queued.status, 'submitting');
  assert.equal(erp.submissions.length, 0, 'nothing sent before the worker runs');
  assert.deepEqual((await outbox.get(queued.submissionId!))?.entries, [
    { projectCode: 'P-1', date: '2026-11-16', hours: 7.5, comment: 'x' },
    { projectCode: 'P-1', date: '2026-11-17', hours: 8, comment: '' },
  ]);
  await assert.rejects(
    service.edit('alice', week, queued.version, [{ key: 'P-1|2026-11-16', raw: '1', comment: '' }]),
    WeekLockedError,
  );
  await worker.tick();
  await worker.tick();
  const done = await service.open('alice', week);
  assert.equal(done.status, 'submitted');
  assert.equal(done.receipt?.receiptNumber, 'R-1');
  assert.deepEqual(erp.calls, ['GetProjects', 'GetTimeEntries', 'SubmitTimesheet']);
});

test('submitting twice queues once (same id), and submitAndDeliver shows the receipt at once when the ERP answers', async () => {
  const { erp, outbox, service, worker } = setup();
  let r = await service.open('alice', week);
  r = await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '1', comment: '' }]);
  const done = await service.submitAndDeliver('alice', week, r.version, worker, 5000);
  assert.equal(done.status, 'submitted');
  assert.equal((await service.submit('alice', week, done.version)).status, 'submitted');
  assert.equal(outbox.rows.size, 1);
  assert.equal(erp.submissions.length, 1);
});

test('a week with errors is not sent to the ERP', async () => {
  const { erp, outbox, service } = setup();
  let r = await service.open('alice', week);
  r = await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '7.1', comment: '' }]);
  await assert.rejects(service.submit('alice', week, r.version), WeekNotReadyError);
  assert.equal(erp.calls.includes('SubmitTimesheet'), false);
  assert.equal(outbox.rows.size, 0);
});

test('after an ERP timeout the worker retries later with the same submission id; the ERP books it once', async () => {
  const { erp, service, worker, advance } = setup();
  let r = await service.open('alice', week);
  r = await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '1', comment: '' }]);
  erp.failNextSubmit = new ErpTimeoutError('slow');
  const queued = await service.submitAndDeliver('alice', week, r.version, worker, 5000);
  assert.equal(queued.status, 'submitting', 'waiting for the ERP');
  await worker.tick();
  assert.equal(erp.submissions.length, 0, 'not due before the backoff');
  advance(1);
  await worker.tick();
  assert.equal(erp.submissions.length, 1);
  assert.equal(erp.submissions[0]?.id, queued.submissionId);
  assert.equal((await service.open('alice', week)).status, 'submitted');
});

test('a week the ERP rejects comes back editable with the reason, and a changed week is submitted with a new id', async () => {
  const { erp, service, worker } = setup();
  let r = await service.open('alice', week);
  r = await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '1', comment: '' }]);
  erp.failNextSubmit = new ErpRejectedError('ProjectClosed', 'Project P-1 is closed for bookings');
  const first = await service.submitAndDeliver('alice', week, r.version, worker, 5000);
  assert.equal(first.status, 'draft');
  assert.deepEqual(first.submitProblem, {
    kind: 'rejected',
    code: 'ProjectClosed',
    message: 'Project P-1 is closed for bookings',
  });
  assert.equal(first.submissionId, null);
  const edited = await service.edit('alice', week, first.version, [{ key: 'P-1|2026-11-16', raw: '2', comment: '' }]);
  const second = await service.submitAndDeliver('alice', week, edited.version, worker, 5000);
  assert.equal(second.status, 'submitted');
  assert.equal(second.submitProblem, null);
});

test('retries stop after maxAttempts: the week is editable again, and submitting again reuses the id and delivers', async () => {
  const { erp, service, worker, advance } = setup();
  let r = await service.open('alice', week);
  r = await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '1', comment: '' }]);
  const down = new ErpTimeoutError('down');
  const realSubmit = erp.submitWeek.bind(erp);
  erp.submitWeek = async () => {
    erp.calls.push('SubmitTimesheet');
    throw down;
  };
  const queued = await service.submit('alice', week, r.version);
  for (let i = 0; i < 3; i++) {
    await worker.tick();
    advance(1);
  }
  const gaveUp = await service.open('alice', week);
  assert.equal(gaveUp.status, 'draft');
  assert.equal(gaveUp.submitProblem?.kind, 'undelivered');
  assert.equal(gaveUp.submissionId, queued.submissionId);
  erp.submitWeek = realSubmit;
  const again = await service.submitAndDeliver('alice', week, gaveUp.version, worker, 5000);
  assert.equal(again.status, 'submitted');
  assert.equal(erp.submissions[0]?.id, queued.submissionId);
});

test('a submitting week whose enqueue was cut short by a crash is queued again when opened', async () => {
  const { drafts, outbox, service } = setup();
  let r = await service.open('alice', week);
  r = await service.edit('alice', week, r.version, [{ key: 'P-1|2026-11-16', raw: '1', comment: '' }]);
  const submitted = await service.submit('alice', week, r.version);
  outbox.rows.clear(); // the crash: the week is locked, the outbox row never written
  const reopened = await service.open('alice', week);
  assert.equal(reopened.status, 'submitting');
  assert.deepEqual((await outbox.get(submitted.submissionId!))?.entries, [
    { projectCode: 'P-1', date: '2026-11-16', hours: 1, comment: '' },
  ]);
  assert.equal((await drafts.load('alice', week.id))?.status, 'submitting');
});

test('a week the ERP already holds entries for opens as submitted, with those entries', async () => {
  const { service } = setup({
    ...context,
    entries: [{ projectCode: 'P-1', date: '2026-11-16', hours: 4, comment: 'booked' }],
  });
  const r = await service.open('alice', week);
  assert.equal(r.status, 'submitted');
  assert.deepEqual(r.cells['P-1|2026-11-16'], { raw: '4', hours: 4, comment: 'booked' });
});
