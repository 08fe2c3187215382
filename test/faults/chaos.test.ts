// The short chaos run (npm run chaos's timeline, fewer people, shorter outages): people keep arriving
// while an ERP node, an on-prem instance, PostgreSQL, the link service, the relay, a cloud instance,
// Azurite and the other ERP node fail one after the other, and the burst window opens and closes.
// Whatever the answers acknowledged is booked exactly once or still in the draft; nothing is booked
// that nobody submitted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chaosRun } from '../../scripts/chaos/chaos-run.js';
import { postgresMissing } from '../../scripts/harness/postgres-instance.js';

const missing = postgresMissing();

test(
  'chaos, short: every fault during the flow, 0 lost hours, 0 double bookings, every acknowledged submit booked as typed',
  { skip: missing ? `needs a PostgreSQL server of its own: ${missing}` : false, timeout: 420_000 },
  async (t) => {
    const r = await chaosRun({
      rate: 0.4,
      leadSeconds: 35,
      windowMinutes: 1,
      tailSeconds: 5,
      downMs: 3000,
      thinkMs: 200,
      seed: 7,
      log: (line) => t.diagnostic(line),
    });
    for (const f of r.faults)
      t.diagnostic(
        `${f.at_s} s ${f.fault}: down ${f.down_s} s, ${f.failed}/${f.requests} requests failed, longest save ${f.longest_save_wait_ms} ms, receipt ${f.longest_receipt_wait_ms} ms, recovery ${f.recovery_ms} ms`,
      );
    t.diagnostic(
      `${r.people} people, ${r.completed} receipts, ${r.requests} requests, ${(r.failure_share * 100).toFixed(2)} % failed`,
    );
    assert.deepEqual(r.check.problems, [], 'no ledger disagrees with the ERP or the drafts');
    assert.equal(r.lost_hours, 0);
    assert.equal(r.double_bookings, 0);
    assert.equal(r.check.booked_without_submit, 0);
    assert.equal(r.check.submitted_not_booked, 0);
    assert.equal(r.check.wrong_cells, 0);
    // Every fault of the plan was injected and came back, and both edges of the window were seen.
    assert.deepEqual(
      r.faults.map((f) => f.fault),
      [
        'ERP node 1 killed, restarted',
        'on-prem instance 1 SIGKILLed, started again',
        'PostgreSQL crashed, started again',
        'burst window opened',
        'link service killed, started again',
        'relay emulator restarted',
        'cloud instance 2 SIGKILLed, started again',
        'Azurite restarted',
        'ERP node 2 killed, restarted',
        'burst window closed',
      ],
    );
    assert.ok(r.people >= 10, `enough people arrived (${r.people})`);
    // Nobody had to give up: every person who arrived got a receipt in the end.
    assert.equal(r.check.gave_up, 0);
    assert.equal(r.completed, r.people);
    // People were on both copies: the window sent the new visitors to the cloud while it was open.
    const copies = new Set(Object.keys(r.requests_by_copy));
    assert.equal(copies.size, 2, JSON.stringify(r.requests_by_copy));
  },
);
