// The weekly reminder (issue 20) with two instances of the app on one store, received over real SMTP:
// everyone the ERP lists without a booking of the week, whose contract expects hours and who is not
// waiting in the outbox, gets exactly one e-mail with a link to their week, in their language, however
// many instances run the slot; a second run of the week sends nothing; an ERP that cannot be asked
// leaves the run to be tried again. The timer itself is tested with a fake clock in
// test/reminders/reminder-scheduler.test.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { catcherMailConfig, startTestMailCatcher, type MailCatcher } from '../../scripts/harness/mail-catcher.js';
import { typeCell, submitWeekForm, waitForReceipt } from '../../scripts/harness/week-page.js';
import { createSoapErpClient } from '../../src/erp/soap-erp-client.js';
import type { BuiltApp } from '../../src/app.js';
import { todayIn, weekOf } from '../../src/timesheet/iso-week.js';

let stack: AppStack;
let replica: BuiltApp;
let catcher: MailCatcher;
before(async () => {
  catcher = await startTestMailCatcher();
  stack = await startAppStack(null, {
    overrides: {
      mail: catcherMailConfig(catcher, { appUrl: 'https://timesheet.contoso', reminders: { enabled: true } }),
      outbox: { maxAttempts: 5, waitForReceiptMs: 100, pollIntervalSeconds: 60 },
    },
  });
  replica = await stack.startReplica();
});
after(async () => {
  await stack?.close();
  await catcher?.close();
});

test('two instances run the same slot: one e-mail per person who has not booked, none twice', async () => {
  const week = weekOf(todayIn(stack.app.config.timesheet.timeZone));
  // alice books her week; erin's submission waits in the outbox (the ERP is slow to come back).
  const alice = (await stack.signIn('alice', `/week/${week.id}`)).browser;
  await typeCell(stack.url, alice, week.id, `P-1042|${week.monday}`, '8');
  await submitWeekForm(stack.url, alice, week.id);
  await waitForReceipt(stack.url, alice, week.id);
  const erin = (await stack.signIn('erin', `/week/${week.id}`)).browser;
  await typeCell(stack.url, erin, week.id, `P-1042|${week.monday}`, '8');
  await stack.erp.control({ down: true });
  try {
    await submitWeekForm(stack.url, erin, week.id);
  } finally {
    await stack.erp.resetControl();
  }

  // What the ERP says: who has no booking this week.
  const erp = await createSoapErpClient({ endpoints: stack.erp.urls, timeoutMs: 3000 });
  const everyone = await erp.getTeamWeek(null, week.monday).finally(() => erp.close());
  const unbooked = everyone.filter((m) => m.booking === null).map((m) => m.account);
  assert.ok(unbooked.length > 20 && !unbooked.includes('alice') && unbooked.includes('erin'));

  const [a, b] = await Promise.all([
    stack.app.reminderScheduler!.runFor(week),
    replica.reminderScheduler!.runFor(week),
  ]);
  const run = typeof a === 'object' ? a : b;
  assert.ok(typeof run === 'object', 'one of the two ran it');
  assert.ok(a === 'busy' || b === 'busy' || a === 'done' || b === 'done', 'the other found it taken');
  assert.equal(run.unbooked, unbooked.length);
  assert.equal(run.waiting, 1, "erin's submission is waiting: no reminder");
  assert.equal(run.failed, 0);
  assert.equal(run.sent, unbooked.length - 1);

  const mails = await catcher.waitForMessages(run.sent, 20_000);
  const recipients = mails.map((m) => m.envelope.to[0]!);
  assert.equal(new Set(recipients).size, recipients.length, 'nobody twice');
  assert.ok(!recipients.includes('erin@contoso.example') && !recipients.includes('alice@contoso.example'));
  const claire = mails.find((m) => m.envelope.to[0] === 'claire@contoso.example')!;
  assert.equal(claire.headers['content-language'], 'fr');
  assert.ok(claire.text.includes(`https://timesheet.contoso/week/${week.id}`));

  // The same slot again, on either instance: done, nothing sent.
  assert.equal(await stack.app.reminderScheduler!.runFor(week), 'done');
  assert.equal(await replica.reminderScheduler!.runFor(week), 'done');
  assert.equal(catcher.messages().length, run.sent);
});

test('without the ERP the run is given back, and the next try sends', async () => {
  // A week of next year: nobody has booked it, and the first test's run does not cover it.
  const target = weekOf(`${weekOf(todayIn(stack.app.config.timesheet.timeZone)).year + 1}-01-04`);
  await stack.erp.control({ down: true });
  try {
    await assert.rejects(stack.app.reminderScheduler!.runFor(target), /the ERP could not list who has not booked/);
  } finally {
    await stack.erp.resetControl();
  }
  catcher.clear();
  const run = await replica.reminderScheduler!.runFor(target);
  assert.ok(typeof run === 'object' && run.sent > 0, 'taken at once by the other instance');
  await catcher.waitForMessages(run.sent, 20_000);
});
