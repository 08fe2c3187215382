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

    it('lists with the week the earlier weeks without a booking (GetTimeEntries, v1.3)', async () => {
      // alice booked the weeks of 2, 9 and 16 November (seed): of the 11 weeks before 23 November, 8 are open.
      const context = await connector.getWeekContext('alice', '2026-11-23');
      assert.deepEqual(context.unbookedBefore, [
        '2026-09-07',
        '2026-09-14',
        '2026-09-21',
        '2026-09-28',
        '2026-10-05',
        '2026-10-12',
        '2026-10-19',
        '2026-10-26',
      ]);
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
        GetTeamWeek: 0,
        GetBookedEntries: 0,
      });
    });

    it('submits a week with exactly one SubmitTimesheet', async () => {
      await connector.submitWeek('alice', '2026-03-30', week('2026-03-30', [['P-1042', 2, 6]]), randomUUID());
      assert.deepEqual((await stats()).calls, {
        GetProjects: 0,
        GetTimeEntries: 0,
        SubmitTimesheet: 1,
        GetBookedWeeks: 0,
        GetTeamWeek: 0,
        GetBookedEntries: 0,
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
        GetTeamWeek: 0,
        GetBookedEntries: 0,
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

    it("lists a manager's team in one GetTeamWeek, each member with the week's latest booking or null", async () => {
      const teamWeek = '2026-05-11';
      const first = await connector.submitWeek('erin', teamWeek, week(teamWeek, [['P-1042', 0, 8]]), randomUUID());
      // A correction replaces the week, as in GetBookedWeeks: its receipt and hours are the ones listed.
      const correction = await connector.submitWeek(
        'erin',
        teamWeek,
        week(teamWeek, [
          ['P-1042', 0, 7.5],
          ['P-1050', 2, 4.25],
        ]),
        randomUUID(),
      );
      await resetErpStats(fixture.simulator.statsUrl);
      const team = await connector.getTeamWeek('bob', teamWeek);
      assert.deepEqual(
        team.map((m) => m.account),
        ['alice', 'carol', 'claire', 'erin', 'zoe'],
        'sorted by display name, bob not in his own team',
      );
      assert.notEqual(correction.receiptNumber, first.receiptNumber);
      assert.deepEqual(team[3], {
        account: 'erin',
        displayName: 'Erin Moreau',
        email: 'erin@contoso.example',
        language: 'en',
        booking: { receiptNumber: correction.receiptNumber, bookedAt: correction.bookedAt, hours: 11.75 },
      });
      assert.deepEqual(team[1], {
        account: 'carol',
        displayName: 'Carol Nguyen',
        email: 'carol@fabrikam.example',
        language: 'en',
        booking: null,
      });
      assert.equal(team.find((m) => m.account === 'claire')?.language, 'fr');
      assert.deepEqual(
        team.filter((m) => m.booking !== null).map((m) => m.account),
        ['erin'],
      );
      assert.deepEqual((await stats()).calls, {
        GetProjects: 0,
        GetTimeEntries: 0,
        SubmitTimesheet: 0,
        GetBookedWeeks: 0,
        GetTeamWeek: 1,
        GetBookedEntries: 0,
      });
      // The seed booked alice's week of 2026-11-16 (40 h) on its Friday afternoon.
      const seeded = await connector.getTeamWeek('bob', SEEDED_WEEK);
      assert.deepEqual(seeded.find((m) => m.account === 'alice')?.booking, {
        receiptNumber: 'RCPT-0000004',
        bookedAt: '2026-11-20T16:30:00.000Z',
        hours: 40,
      });
    });

    it("lists frank's team of one, a manager of nobody gets an empty list, no manager gets everyone who books", async () => {
      assert.deepEqual(await connector.getTeamWeek('frank', '2026-05-11'), [
        { account: 'nora', displayName: 'Nora Garnier', email: 'nora@contoso.example', language: 'en', booking: null },
      ]);
      assert.deepEqual(await connector.getTeamWeek('alice', '2026-05-11'), []);
      const everyone = await connector.getTeamWeek(null, '2026-05-11');
      const accounts = everyone.map((m) => m.account);
      for (const account of ['alice', 'bob', 'carol', 'frank', 'user001', 'user010']) {
        assert.ok(accounts.includes(account), `${account} books time`);
      }
      assert.ok(!accounts.includes('dave'), 'dave is an Admin only: he books no time');
      const names = everyone.map((m) => m.displayName);
      assert.deepEqual(
        names,
        [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
        'sorted by display name',
      );
      assert.equal(everyone.find((m) => m.account === 'user002')?.language, 'fr');
    });

    it('refuses a team of an unknown manager and a week that does not start on a Monday', async () => {
      await assert.rejects(connector.getTeamWeek('nobody', '2026-05-11'), (err: unknown) => {
        assert.ok(err instanceof ErpRejectedError);
        assert.equal(err.message, 'Unknown user "nobody".');
        assert.equal(err.faultCode, 'Client.UnknownUser');
        return true;
      });
      await assert.rejects(
        connector.getTeamWeek('bob', '2026-05-12'),
        rejectedWith(ErpRejectedError, /weekStart 2026-05-12 is not a Monday/),
      );
      await assert.rejects(
        connector.getTeamWeek(null, '2026-05-13'),
        rejectedWith(ErpRejectedError, /weekStart 2026-05-13 is not a Monday/),
      );
    });

    it('lists the booked entries of a range of days in one GetBookedEntries, with the labels of their projects', async () => {
      const june1 = week('2026-06-01', [
        ['P-1042', 0, 7.5, 'Cut-over'],
        ['P-1050', 2, 2, 'Portal'],
        ['P-1043', 2, 3, 'Payroll <test> & "go"'],
        ['P-1042', 4, 1],
      ]);
      const june8 = week('2026-06-08', [['P-1061', 0, 0.25, 'Audit']]);
      await connector.submitWeek('alice', '2026-06-01', june1, randomUUID());
      await connector.submitWeek('alice', '2026-06-08', june8, randomUUID());
      await resetErpStats(fixture.simulator.statsUrl);
      // Tuesday to Sunday: the Monday before and the Monday after are one day outside.
      assert.deepEqual(await connector.getBookedEntries('alice', '2026-06-02', '2026-06-07'), {
        entries: [
          { projectCode: 'P-1043', date: '2026-06-03', hours: 3, comment: 'Payroll <test> & "go"' },
          { projectCode: 'P-1050', date: '2026-06-03', hours: 2, comment: 'Portal' },
          { projectCode: 'P-1042', date: '2026-06-05', hours: 1, comment: '' },
        ],
        projects: [
          { code: 'P-1042', label: 'Migration' },
          { code: 'P-1043', label: 'Payroll upgrade' },
          { code: 'P-1050', label: 'Customer portal' },
        ],
      });
      assert.deepEqual((await stats()).calls, {
        GetProjects: 0,
        GetTimeEntries: 0,
        SubmitTimesheet: 0,
        GetBookedWeeks: 0,
        GetTeamWeek: 0,
        GetBookedEntries: 1,
      });
      const both = await connector.getBookedEntries('alice', '2026-06-01', '2026-06-08');
      assert.deepEqual(
        both.entries.map((e) => [e.date, e.projectCode]),
        [
          ['2026-06-01', 'P-1042'],
          ['2026-06-03', 'P-1043'],
          ['2026-06-03', 'P-1050'],
          ['2026-06-05', 'P-1042'],
          ['2026-06-08', 'P-1061'],
        ],
      );
      assert.deepEqual(
        both.projects.map((p) => [p.code, p.label]),
        [
          ['P-1042', 'Migration'],
          ['P-1043', 'Payroll upgrade'],
          ['P-1050', 'Customer portal'],
          ['P-1061', 'Security audit'],
        ],
      );
      assert.deepEqual(await connector.getBookedEntries('alice', '2026-07-06', '2026-07-31'), {
        entries: [],
        projects: [],
      });
      assert.deepEqual(
        await connector.getBookedEntries('bob', '2026-06-01', '2026-06-08'),
        { entries: [], projects: [] },
        "another person's entries are not listed",
      );
    });

    it('serves a range of up to 366 days and refuses a longer or backwards one', async () => {
      // 2026-01-01 to 2027-01-01 is 366 days, both ends counted: alice's seeded week of 2026-01-12 is in.
      const year = await connector.getBookedEntries('alice', '2026-01-01', '2027-01-01');
      assert.equal(year.entries.filter((e) => e.date >= '2026-01-12' && e.date <= '2026-01-16').length, 15);
      assert.ok(year.entries.every((e) => e.date >= '2026-01-01' && e.date <= '2027-01-01'));
      await assert.rejects(connector.getBookedEntries('alice', '2026-01-01', '2027-01-02'), (err: unknown) => {
        assert.ok(err instanceof ErpRejectedError);
        assert.equal(err.faultCode, 'Client.InvalidRange');
        assert.match(err.message, /At most 366 days/);
        return true;
      });
      await assert.rejects(
        connector.getBookedEntries('alice', '2026-06-08', '2026-06-07'),
        rejectedWith(ErpRejectedError, /toDate 2026-06-07 is before fromDate 2026-06-08/),
      );
      await assert.rejects(
        connector.getBookedEntries('alice', '2026-02-30', '2026-03-01'),
        rejectedWith(ErpRejectedError, /fromDate "2026-02-30" is not a date/),
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
