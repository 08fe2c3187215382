// The weekly reminder's timer with a fake clock: it fires at the slot (Friday 15:00 in Paris), reminds
// the people without a booking who are expected to work and are not waiting, arms the next week, and
// after a failed run (ERP down) tries again five minutes later. Fakes stand behind the ports (the ERP,
// the drafts, the mailer); the ledger is the in-memory one the contract suite checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/logging/logger.js';
import { ErpUnavailableError, type TeamMember } from '../../src/ports/erp-connector.js';
import type { DraftStore, WeekRecord } from '../../src/ports/draft-store.js';
import type { Mailer, OutgoingMail } from '../../src/mail/mailer.js';
import { ReminderSender } from '../../src/reminders/reminder-sender.js';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.js';
import { MemoryReminders } from '../../scripts/harness/memory-reminders.js';

const member = (account: string, booked: boolean, language: string | null = 'en'): TeamMember => ({
  account,
  displayName: account.toUpperCase(),
  email: `${account}@contoso.example`,
  language,
  booking: booked ? { receiptNumber: 'R-1', bookedAt: '2026-12-11T10:00:00Z', hours: 40 } : null,
});

function setUp(now: () => Date) {
  const sent: OutgoingMail[] = [];
  const mailer: Mailer = {
    send: async (m) => (sent.push(m), { messageId: String(sent.length) }),
    verify: async () => undefined,
    close: () => undefined,
    counters: () => ({ sent: sent.length, failed: 0 }),
  };
  const erp = {
    down: false,
    calls: 0,
    members: [
      member('ann', false),
      member('ben', true),
      member('cid', false, 'fr'),
      member('dot', false),
      member('eve', false),
    ],
  };
  const waiting: WeekRecord = { status: 'submitting' } as WeekRecord;
  const drafts: DraftStore = {
    load: async (user) => (user === 'dot' ? waiting : null),
    save: async (r) => r,
  };
  const ledger = new MemoryReminders();
  const logger = createLogger('silent');
  const sender = new ReminderSender(
    { mailer, ledger, appUrl: 'https://timesheet.contoso', instance: 'test', logger },
    'en',
  );
  const scheduler = new ReminderScheduler({
    erp: {
      getTeamWeek: async () => {
        erp.calls++;
        if (erp.down) throw new ErpUnavailableError('down');
        return erp.members;
      },
    },
    drafts,
    ledger,
    sender,
    slot: { weekday: 5, time: '15:00' },
    timeZone: 'Europe/Paris',
    // eve works part time: nothing expected in any week.
    expectedHours: (account) => (account === 'eve' ? 0 : 40),
    instance: 'test',
    logger,
    now,
  });
  return { sent, erp, scheduler };
}

/** Lets the run's awaits (all on resolved fakes) finish. */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
}

test('fires at Friday 15:00 Paris, reminds who has not booked, then arms the next Friday', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2026-12-10T11:00:00Z') });
  const { sent, erp, scheduler } = setUp(() => new Date());
  scheduler.start();
  assert.equal(scheduler.nextSlot().toISOString(), '2026-12-11T14:00:00.000Z');
  t.mock.timers.tick(Date.parse('2026-12-11T13:59:59Z') - Date.now());
  await settle();
  assert.equal(erp.calls, 0, 'not before the slot');
  t.mock.timers.tick(1000);
  await settle();
  assert.equal(erp.calls, 1);
  assert.deepEqual(sent.map((m) => m.to).sort(), ['ann@contoso.example', 'cid@contoso.example']);
  assert.match(sent.find((m) => m.to.startsWith('cid'))!.subject, /semaine 50/i);
  assert.ok(sent.every((m) => m.text.includes('https://timesheet.contoso/week/2026-W50')));
  // A week later: the next week's run.
  t.mock.timers.tick(7 * 86_400_000);
  await settle();
  assert.equal(erp.calls, 2);
  assert.equal(sent.length, 4);
  assert.ok(sent.slice(2).every((m) => m.text.includes('/week/2026-W51')));
  await scheduler.stop();
});

test('a run that fails (ERP down) is tried again five minutes later, once it answers', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2026-12-11T13:30:00Z') });
  const { sent, erp, scheduler } = setUp(() => new Date());
  erp.down = true;
  scheduler.start();
  t.mock.timers.tick(30 * 60_000);
  await settle();
  assert.equal(erp.calls, 1);
  assert.equal(sent.length, 0);
  erp.down = false;
  t.mock.timers.tick(5 * 60_000);
  await settle();
  assert.equal(erp.calls, 2);
  assert.equal(sent.length, 2);
  await scheduler.stop();
});
