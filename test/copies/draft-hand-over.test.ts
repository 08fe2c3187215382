// The draft follows the person between the copies: two WeekServices, each with its own store (the
// on-prem SQL and the cloud's Table Storage stand behind the same port), linked to each other as the
// other copy. In-memory fakes behind the ports; the real path runs in test/browser/burst-hybrid.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WeekService, WeekLockedError, type DraftsElsewhere } from '../../src/timesheet/week-service.js';
import { parseWeekId } from '../../src/timesheet/iso-week.js';
import { DraftConflictError } from '../../src/ports/draft-store.js';
import type { ErpConnector, WeekContext } from '../../src/ports/erp-connector.js';
import { MemoryDrafts } from '../../scripts/harness/memory-drafts.js';
import { MemoryOutbox } from '../../scripts/harness/memory-outbox.js';

const week = parseWeekId('2026-W51')!;
const context: WeekContext = {
  projects: [{ code: 'P-1', label: 'One', validFrom: '2020-01-01', validTo: null }],
  entries: [],
};
const cell = (day: string) => `P-1|${day}`;

function erp(): ErpConnector & { contexts: number } {
  return {
    contexts: 0,
    async getWeekContext() {
      this.contexts++;
      return structuredClone(context);
    },
    async submitWeek(_u, _w, _e, submissionId) {
      return { receiptNumber: 'R-1', submissionId, bookedAt: '2026-12-18T15:00:00Z' };
    },
    async getBookedWeeks() {
      return [];
    },
    async getTeamWeek() {
      return [];
    },
    async getBookedEntries() {
      return { entries: [], projects: [] };
    },
    async ping() {},
    async close() {},
  };
}

/** Two copies; `reachable` cuts the link between them both ways. */
function twoCopies() {
  const link = { reachable: true };
  const made = (self: string) => {
    const drafts = new MemoryDrafts();
    const elsewhere: DraftsElsewhere = {
      self,
      takeDraft: async (user, w) => {
        if (!link.reachable) throw new Error('the other copy cannot be reached');
        const answer = await copies[self === 'onprem' ? 'cloud' : 'onprem'].service.handOver(user, w, self);
        return answer.record ? { record: answer.record, handedOver: answer.handedOver } : null;
      },
    };
    const connector = erp();
    const service = new WeekService(connector, drafts, new MemoryOutbox(), {
      contextMaxAgeMinutes: 60,
      maxHoursPerDay: 24,
      otherCopy: elsewhere,
    });
    return { drafts, service, erp: connector };
  };
  const copies = { onprem: made('onprem'), cloud: made('cloud') };
  return { ...copies, link };
}

test('a draft started on one copy is found on the other, which takes it over; the first keeps only a mark', async () => {
  const { onprem, cloud } = twoCopies();
  const opened = await onprem.service.open('frank', week);
  await onprem.service.edit('frank', week, opened.version, [
    { key: cell('2026-12-17'), raw: '7,5', comment: 'migration' },
  ]);

  const there = await cloud.service.open('frank', week);
  assert.deepEqual(there.cells[cell('2026-12-17')], { raw: '7,5', hours: 7.5, comment: 'migration' });
  assert.equal(there.status, 'draft');
  assert.equal(cloud.erp.contexts, 0, 'the context came with the draft: no ERP call');
  const mark = await onprem.drafts.load('frank', week.id);
  assert.deepEqual([mark?.handedOverTo, Object.keys(mark?.cells ?? {})], ['cloud', []]);
});

test('the draft goes back the other way the same, as often as the person moves', async () => {
  const { onprem, cloud } = twoCopies();
  const a = await cloud.service.open('frank', week);
  await cloud.service.edit('frank', week, a.version, [{ key: cell('2026-12-14'), raw: '1', comment: '' }]);
  const b = await onprem.service.open('frank', week);
  await onprem.service.edit('frank', week, b.version, [{ key: cell('2026-12-15'), raw: '2', comment: '' }]);
  const c = await cloud.service.open('frank', week);
  assert.deepEqual(Object.fromEntries(Object.entries(c.cells).map(([k, v]) => [k, v.raw])), {
    [cell('2026-12-14')]: '1',
    [cell('2026-12-15')]: '2',
  });
  assert.equal((await onprem.drafts.load('frank', week.id))?.handedOverTo, 'cloud');
});

test('a page left open on the first copy does not overwrite: its save takes the draft back and reports a conflict with both values', async () => {
  const { onprem, cloud } = twoCopies();
  const stale = await onprem.service.open('frank', week);
  const v1 = await onprem.service.edit('frank', week, stale.version, [
    { key: cell('2026-12-14'), raw: '3', comment: '' },
  ]);
  const moved = await cloud.service.open('frank', week);
  await cloud.service.edit('frank', week, moved.version, [{ key: cell('2026-12-14'), raw: '5', comment: '' }]);

  // The on-prem tab still holds version v1 and types 4 in the same cell.
  await assert.rejects(
    onprem.service.edit('frank', week, v1.version, [{ key: cell('2026-12-14'), raw: '4', comment: '' }]),
    (err: unknown) => {
      assert.ok(err instanceof DraftConflictError);
      assert.equal(
        err.current?.cells[cell('2026-12-14')]?.raw,
        '5',
        'the conflict shows what was saved on the other copy',
      );
      return true;
    },
  );
  // The draft is back on-prem, with the cloud's value: the person chooses from there.
  assert.equal((await onprem.drafts.load('frank', week.id))?.cells[cell('2026-12-14')]?.raw, '5');
  assert.equal((await cloud.drafts.load('frank', week.id))?.handedOverTo, 'onprem');
});

test('a week submitted on one copy is shown submitted on the other, with its receipt, and stays locked', async () => {
  const { onprem, cloud } = twoCopies();
  const r = await onprem.service.open('erin', week);
  const edited = await onprem.service.edit('erin', week, r.version, [
    { key: cell('2026-12-14'), raw: '8', comment: '' },
  ]);
  const submitted = await onprem.service.submit('erin', week, edited.version);
  await onprem.drafts.save(
    {
      ...submitted,
      status: 'submitted',
      receipt: { receiptNumber: 'R-9', submissionId: submitted.submissionId!, bookedAt: '2026-12-18T15:00:00Z' },
    },
    submitted.version,
  );

  const there = await cloud.service.open('erin', week);
  assert.deepEqual([there.status, there.receipt?.receiptNumber], ['submitted', 'R-9']);
  assert.equal(
    (await onprem.drafts.load('erin', week.id))?.status,
    'submitted',
    'a submitted week is not handed over, only shown',
  );
  await assert.rejects(
    cloud.service.edit('erin', week, there.version, [{ key: cell('2026-12-15'), raw: '1', comment: '' }]),
    WeekLockedError,
  );
});

test('a week still waiting for the ERP is copied with its submission id, so whichever copy delivers it, it is one submission', async () => {
  const { onprem, cloud } = twoCopies();
  const r = await onprem.service.open('erin', week);
  const edited = await onprem.service.edit('erin', week, r.version, [
    { key: cell('2026-12-14'), raw: '8', comment: '' },
  ]);
  const submitting = await onprem.service.submit('erin', week, edited.version);
  const there = await cloud.service.open('erin', week);
  assert.deepEqual([there.status, there.submissionId], ['submitting', submitting.submissionId]);
});

test('when the other copy cannot be asked, the week opens here, says so, and asks again next time', async () => {
  const { onprem, cloud, link } = twoCopies();
  const r = await onprem.service.open('alice', week);
  await onprem.service.edit('alice', week, r.version, [{ key: cell('2026-12-16'), raw: '6', comment: '' }]);
  link.reachable = false;
  const alone = await cloud.service.open('alice', week);
  assert.deepEqual([alone.otherCopyUnchecked, Object.keys(alone.cells).length], [true, 0]);
  link.reachable = true;
  const found = await cloud.service.open('alice', week);
  assert.equal(found.cells[cell('2026-12-16')]?.raw, '6');
  assert.ok(!found.otherCopyUnchecked);
});

test('nothing at the other copy: the week opens from the ERP as usual', async () => {
  const { cloud } = twoCopies();
  const r = await cloud.service.open('zoe', week);
  assert.deepEqual([r.status, r.version, cloud.erp.contexts], ['draft', 1, 1]);
});
