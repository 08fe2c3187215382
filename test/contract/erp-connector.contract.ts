/**
 * The contract every ErpConnector implementation must keep (erp-direct now, erp-relay later),
 * checked against the ERP simulator. Call runErpConnectorContract from a *.test.ts file.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  ErpRejectedError,
  ErpTimeoutError,
  ErpUnavailableError,
  type ErpConnector,
  type ErpTimeEntry,
} from '../../src/ports/erp-connector.js';
import { postControl, readErpStats, resetErpStats, type ErpStats } from '../../scripts/harness/erp-simulator.js';

export interface ErpContractFixture {
  connector: ErpConnector;
  simulator: {
    /** GET /stats of any node: the counters are farm-wide. */
    statsUrl: string;
    /** POST /control of every node. */
    controlUrls: string[];
  };
  teardown(): Promise<void>;
}

export interface ErpContractSetupOptions {
  /** The connector's per-call timeout; the slow-ERP case sets the simulator's latency above it. */
  timeoutMs: number;
}

/** Generous for a local call even on a busy CI machine, short enough to keep the slow-ERP case quick. */
export const CONTRACT_TIMEOUT_MS = 1000;

/** A week the seed booked for alice (Mon-Fri: P-1042 4 h, P-1050 3.5 h, P-1061 0.5 h). */
const SEEDED_WEEK = '2026-11-16';

function week(
  weekStart: string,
  cells: Array<[projectCode: string, dayOffset: number, hours: number, comment?: string]>,
): ErpTimeEntry[] {
  return cells.map(([projectCode, dayOffset, hours, comment = '']) => {
    const date = new Date(`${weekStart}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + dayOffset);
    return { projectCode, date: date.toISOString().slice(0, 10), hours, comment };
  });
}

function rejectedWith(kind: new (...args: never[]) => Error, pattern?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof kind, `expected ${kind.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

export function runErpConnectorContract(
  implementationName: string,
  setup: (options: ErpContractSetupOptions) => Promise<ErpContractFixture>,
): void {
  describe(`ErpConnector contract: ${implementationName}`, () => {
    let fixture: ErpContractFixture;
    let connector: ErpConnector;
    const stats = (): Promise<ErpStats> => readErpStats(fixture.simulator.statsUrl);
    const controlAll = (patch: Parameters<typeof postControl>[1]): Promise<unknown> =>
      Promise.all(fixture.simulator.controlUrls.map((url) => postControl(url, patch)));

    before(async () => {
      fixture = await setup({ timeoutMs: CONTRACT_TIMEOUT_MS });
      connector = fixture.connector;
    });
    after(async () => {
      await fixture?.teardown();
    });
    beforeEach(async () => {
      await controlAll({ latencyMs: 0, failureRate: 0, down: false });
      await resetErpStats(fixture.simulator.statsUrl);
    });

    it('lists the projects the user may book in the week', async () => {
      const context = await connector.getWeekContext('alice', SEEDED_WEEK);
      assert.deepEqual(
        context.projects.map((p) => p.code),
        ['P-1042', 'P-1043', 'P-1050', 'P-1061', 'P-1077'],
      );
      // lastBookedOn (optional, WSDL v1.1): alice booked P-1042 up to the Friday before.
      assert.deepEqual(context.projects[0], {
        code: 'P-1042',
        label: 'Migration',
        validFrom: '2025-01-01',
        validTo: null,
        lastBookedOn: '2026-11-13',
      });
      assert.equal(
        context.projects.find((p) => p.code === 'P-1043')?.lastBookedOn,
        undefined,
        'a project not booked recently has no lastBookedOn',
      );
      assert.equal(context.projects.find((p) => p.code === 'P-1077')?.validTo, '2026-12-16');
    });

    it('returns the entries already booked in the week', async () => {
      const context = await connector.getWeekContext('alice', SEEDED_WEEK);
      assert.equal(context.entries.length, 15);
      assert.deepEqual(context.entries[0], {
        projectCode: 'P-1042',
        date: SEEDED_WEEK,
        hours: 4,
        comment: 'Cut-over rehearsal',
      });
      assert.equal(
        context.entries.reduce((sum, e) => sum + e.hours, 0),
        40,
      );
    });

    it('rejects an unknown user with the message of the ERP', async () => {
      await assert.rejects(connector.getWeekContext('nobody', SEEDED_WEEK), (err: unknown) => {
        assert.ok(err instanceof ErpRejectedError);
        assert.equal(err.message, 'Unknown user "nobody".');
        assert.equal(err.faultCode, 'Client.UnknownUser');
        return true;
      });
    });

    it('returns the receipt of a submitted week', async () => {
      const submissionId = randomUUID();
      const receipt = await connector.submitWeek(
        'alice',
        '2026-03-02',
        week('2026-03-02', [['P-1042', 0, 7.5, 'Planning']]),
        submissionId,
      );
      assert.match(receipt.receiptNumber, /^RCPT-\d+$/);
      assert.equal(receipt.submissionId, submissionId);
      assert.ok(
        Math.abs(Date.parse(receipt.bookedAt) - Date.now()) < 60_000,
        `bookedAt ${receipt.bookedAt} is not now`,
      );
    });

    it('books the submitted entries as sent', async () => {
      const entries = week('2026-03-09', [
        ['P-1042', 0, 7.5, 'Planning'],
        ['P-1043', 1, 0.25, ''],
        ['P-1050', 4, 8, 'Déploiement <prod> & "go-live"'],
      ]);
      await connector.submitWeek('alice', '2026-03-09', entries, randomUUID());
      const context = await connector.getWeekContext('alice', '2026-03-09');
      assert.deepEqual(context.entries, entries);
    });

    it('books a submission id once and returns the same receipt when it is sent again', async () => {
      const entries = week('2026-03-16', [
        ['P-1042', 0, 4],
        ['P-1061', 0, 4],
      ]);
      const submissionId = randomUUID();
      const first = await connector.submitWeek('alice', '2026-03-16', entries, submissionId);
      const second = await connector.submitWeek('alice', '2026-03-16', entries, submissionId);
      assert.deepEqual(second, first);
      assert.equal((await stats()).submissionsBooked, 1);
      assert.equal((await connector.getWeekContext('alice', '2026-03-16')).entries.length, 2);
    });

    it('rejects invalid entries and books nothing of the week', async () => {
      const entries = week('2026-03-23', [
        ['P-1042', 0, 8],
        ['P-1043', 1, 1.1],
      ]);
      await assert.rejects(
        connector.submitWeek('alice', '2026-03-23', entries, randomUUID()),
        rejectedWith(ErpRejectedError, /multiple of 0\.25/),
      );
      assert.deepEqual((await connector.getWeekContext('alice', '2026-03-23')).entries, []);
      assert.equal((await stats()).submissionsBooked, 0);
    });

    it('opens a week with exactly one GetProjects and one GetTimeEntries', async () => {
      await connector.getWeekContext('alice', SEEDED_WEEK);
      assert.deepEqual((await stats()).calls, {
        GetProjects: 1,
        GetTimeEntries: 1,
        SubmitTimesheet: 0,
        GetBookedWeeks: 0,
      });
    });

    it('submits a week with exactly one SubmitTimesheet', async () => {
      await connector.submitWeek('alice', '2026-03-30', week('2026-03-30', [['P-1042', 2, 6]]), randomUUID());
      assert.deepEqual((await stats()).calls, {
        GetProjects: 0,
        GetTimeEntries: 0,
        SubmitTimesheet: 1,
        GetBookedWeeks: 0,
      });
    });

    it('lists the booked weeks of a range in one GetBookedWeeks: the latest receipt and the hours', async () => {
      const first = await connector.submitWeek(
        'alice',
        '2026-04-06',
        week('2026-04-06', [
          ['P-1042', 0, 7.5],
          ['P-1050', 1, 6],
        ]),
        randomUUID(),
      );
      // A correction of the same week replaces it: its receipt and hours are the ones listed.
      const correction = await connector.submitWeek(
        'alice',
        '2026-04-06',
        week('2026-04-06', [['P-1042', 0, 8]]),
        randomUUID(),
      );
      const other = await connector.submitWeek(
        'alice',
        '2026-04-20',
        week('2026-04-20', [['P-1043', 2, 0.25]]),
        randomUUID(),
      );
      await resetErpStats(fixture.simulator.statsUrl);
      const booked = await connector.getBookedWeeks('alice', '2026-04-06', '2026-05-04');
      assert.deepEqual(
        booked.map((w) => [w.weekStart, w.receiptNumber, w.hours]),
        [
          ['2026-04-06', correction.receiptNumber, 8],
          ['2026-04-20', other.receiptNumber, 0.25],
        ],
        'weeks without a booking (04-13, 04-27, 05-04) are left out',
      );
      assert.notEqual(correction.receiptNumber, first.receiptNumber);
      assert.equal(booked[0]!.bookedAt, correction.bookedAt);
      assert.deepEqual((await stats()).calls, {
        GetProjects: 0,
        GetTimeEntries: 0,
        SubmitTimesheet: 0,
        GetBookedWeeks: 1,
      });
      assert.deepEqual(
        await connector.getBookedWeeks('bob', '2026-04-06', '2026-04-06'),
        [],
        "another person's weeks are not listed",
      );
    });

    it('refuses a range that is backwards or longer than the ERP serves in one call', async () => {
      await assert.rejects(
        connector.getBookedWeeks('alice', '2026-04-13', '2026-04-06'),
        rejectedWith(ErpRejectedError, /before fromWeekStart/),
      );
      await assert.rejects(
        connector.getBookedWeeks('alice', '2025-01-06', '2026-04-06'),
        rejectedWith(ErpRejectedError, /At most 60 weeks/),
      );
      await assert.rejects(
        connector.getBookedWeeks('alice', '2026-04-07', '2026-04-13'),
        rejectedWith(ErpRejectedError, /fromWeekStart 2026-04-07 is not a Monday/),
      );
    });

    it('gives ErpTimeoutError when the ERP answers later than the timeout', async () => {
      await controlAll({ latencyMs: CONTRACT_TIMEOUT_MS * 3 });
      await assert.rejects(connector.getWeekContext('alice', SEEDED_WEEK), rejectedWith(ErpTimeoutError));
    });

    it('gives ErpUnavailableError when every ERP node is down', async () => {
      await controlAll({ down: true });
      await assert.rejects(connector.getWeekContext('alice', SEEDED_WEEK), rejectedWith(ErpUnavailableError));
    });

    it('gives ErpUnavailableError when every ERP node answers "temporarily unavailable"', async () => {
      await controlAll({ failureRate: 1, failureMode: 'fault' });
      await assert.rejects(
        connector.submitWeek('alice', '2026-04-06', week('2026-04-06', [['P-1042', 0, 1]]), randomUUID()),
        rejectedWith(ErpUnavailableError, /ERP temporarily unavailable/),
      );
      assert.equal((await stats()).submissionsBooked, 0);
    });

    it('pings the ERP without counting an ERP call', async () => {
      await connector.ping();
      assert.equal((await stats()).totalCalls, 0);
    });

    it('fails the ping with ErpUnavailableError when every ERP node is down', async () => {
      await controlAll({ down: true });
      await assert.rejects(connector.ping(), rejectedWith(ErpUnavailableError));
    });
  });
}
