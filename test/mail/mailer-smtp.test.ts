// The app's mailer against the development mail catcher, over real SMTP on 127.0.0.1.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/logging/logger.js';
import { createMailer, MailError, smtpOptions, type Mailer, type OutgoingMail } from '../../src/mail/mailer.js';
import { reminderMessage } from '../../src/mail/reminder-message.js';
import {
  catcherMailSettings,
  makeTestTlsPair,
  startTestMailCatcher,
  tlsPairMissing,
  type MailCatcher,
} from '../../scripts/harness/mail-catcher.js';
// The type from the stand-in itself; the import also files this test as an integration test.
import type { CaughtMessage } from '../../scripts/stand-ins/mail-catcher/mail-catcher.js';

const PASSWORD = 'correct-horse-battery-staple';

/** A logger whose lines the test reads, at debug so that nothing the mailer logs escapes the check. */
function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('debug', 'mail-test', { write: (s: string) => void lines.push(s) }), lines };
}

function mail(n: number, over: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: `Person ${n} <person${n}@contoso.example>`,
    subject: `Test message ${n}`,
    text: `Text of message ${n}`,
    html: `<p>HTML of message ${n}</p>`,
    language: 'en',
    ...over,
  };
}

const bySubject = (messages: CaughtMessage[], subject: string): CaughtMessage => {
  const found = messages.find((m) => m.subject === subject);
  assert.ok(found, `no message "${subject}" among ${messages.map((m) => m.subject).join(', ')}`);
  return found;
};

/** What a test starts, stopped in one hook: the mailers let go of their pooled connections before the catchers close. */
function setup(t: TestContext) {
  const mailers: Mailer[] = [];
  const catchers: MailCatcher[] = [];
  t.after(async () => {
    for (const m of mailers) m.close();
    await Promise.all(catchers.map((c) => c.close()));
  });
  return {
    async catcher(options: Parameters<typeof startTestMailCatcher>[0] = {}): Promise<MailCatcher> {
      const catcher = await startTestMailCatcher(options);
      catchers.push(catcher);
      return catcher;
    },
    mailer(settings: Parameters<typeof createMailer>[0], logger = capturedLogger().logger): Mailer {
      const mailer = createMailer(settings, logger);
      mailers.push(mailer);
      return mailer;
    },
  };
}

test('two messages reach the catcher with their recipient, subject, text, sender and headers', async (t) => {
  const run = setup(t);
  const catcher = await run.catcher();
  const mailer = run.mailer(catcherMailSettings(catcher, { replyTo: 'helpdesk@contoso.example' }));

  const results = await Promise.all([mailer.send(mail(1)), mailer.send(mail(2, { language: 'fr' }))]);
  for (const r of results) assert.match(r.messageId, /^<.+@contoso\.example>$/);

  const messages = await catcher.waitForMessages(2);
  assert.equal(messages.length, 2);
  const first = bySubject(messages, 'Test message 1');
  assert.deepEqual(first.envelope, { from: 'timesheet@contoso.example', to: ['person1@contoso.example'] });
  assert.equal(first.to, '"Person 1" <person1@contoso.example>');
  assert.equal(first.from, '"CONTOSO Timesheet" <timesheet@contoso.example>');
  assert.equal(first.replyTo, 'helpdesk@contoso.example');
  assert.equal(first.text.trim(), 'Text of message 1');
  assert.equal(first.html?.trim(), '<p>HTML of message 1</p>');
  assert.equal(first.headers['content-language'], 'en');
  assert.equal(first.headers['auto-submitted'], 'auto-generated');
  assert.equal(first.headers['x-auto-response-suppress'], 'OOF, AutoReply');
  assert.equal(bySubject(messages, 'Test message 2').headers['content-language'], 'fr');
  assert.equal(first.user, null, 'no sign-in without mail.auth');
  assert.deepEqual(mailer.counters(), { sent: 2, failed: 0 });
});

test('a French reminder arrives whole: UTF-8 subject, name and link in both parts', async (t) => {
  const run = setup(t);
  const catcher = await run.catcher();
  const mailer = run.mailer(catcherMailSettings(catcher));
  const reminder = reminderMessage({
    to: 'zoe@contoso.example',
    displayName: 'Zoé <O\'Brien> & "Co"',
    locale: 'fr',
    weekId: '2026-W49',
    weekDates: '30 novembre – 6 décembre',
    link: 'http://localhost:3000/week/2026-W49',
    sender: { kind: 'schedule' },
  });
  await mailer.send(reminder);
  const [caught] = await catcher.waitForMessages(1);
  assert.equal(caught?.subject, reminder.subject);
  assert.ok(caught.text.includes('Bonjour Zoé <O\'Brien> & "Co",'));
  assert.ok(caught.text.includes('http://localhost:3000/week/2026-W49'));
  assert.ok(caught.html?.includes('Bonjour Zoé &lt;O&#39;Brien&gt; &amp; &quot;Co&quot;,'));
  assert.ok(caught.html?.includes('href="http://localhost:3000/week/2026-W49"'));
});

test('the right credentials sign in; the catcher records the user', async (t) => {
  const run = setup(t);
  const catcher = await run.catcher({ auth: { user: 'svc-timesheet', pass: PASSWORD } });
  const mailer = run.mailer(catcherMailSettings(catcher, { auth: { user: 'svc-timesheet', pass: PASSWORD } }));
  await mailer.verify();
  await mailer.send(mail(1));
  const [caught] = await catcher.waitForMessages(1);
  assert.equal(caught?.user, 'svc-timesheet');
  assert.deepEqual(mailer.counters(), { sent: 1, failed: 0 });
});

test('wrong credentials: one failure counted, and neither the error nor the log holds the password', async (t) => {
  const run = setup(t);
  const catcher = await run.catcher({ auth: { user: 'svc-timesheet', pass: 'the-real-one' } });
  const wrong = 'wrong-password-4711';
  const { logger, lines } = capturedLogger();
  const mailer = run.mailer(catcherMailSettings(catcher, { auth: { user: 'svc-timesheet', pass: wrong } }), logger);

  const error = await mailer.send(mail(1)).then(
    () => assert.fail('sent with a wrong password'),
    (err: unknown) => err,
  );
  assert.ok(error instanceof MailError);
  assert.equal(error.code, 'EAUTH');
  assert.equal(error.responseCode, 535);
  assert.equal(error.permanent, true);
  assert.match(
    error.message,
    new RegExp(`^sending an e-mail via 127\\.0\\.0\\.1:${catcher.smtpPort} failed \\(EAUTH\\): `),
  );
  assert.match(error.message, /535/);
  await assert.rejects(mailer.verify(), (err: Error) => {
    assert.match(err.message, /^checking the SMTP server via .* failed \(EAUTH\)/);
    return true;
  });

  const forms = [
    wrong,
    Buffer.from(wrong).toString('base64'),
    Buffer.from(`\0svc-timesheet\0${wrong}`).toString('base64'),
  ];
  for (const text of [error.message, error.stack ?? '', ...lines])
    for (const form of forms) assert.ok(!text.includes(form), `password in: ${text}`);
  assert.ok(
    lines.some((l) => l.includes('"code":"EAUTH"')),
    'the failure is logged',
  );
  assert.deepEqual(mailer.counters(), { sent: 0, failed: 1 });
  assert.equal(catcher.messages().length, 0);
});

test('requireTls (the default) refuses a server that offers no STARTTLS: nothing goes out in clear', async (t) => {
  const run = setup(t);
  const catcher = await run.catcher();
  const mailer = run.mailer(catcherMailSettings(catcher, { requireTls: true }));
  await assert.rejects(mailer.send(mail(1)), (err: MailError) => {
    assert.match(err.message, /STARTTLS/);
    return true;
  });
  assert.deepEqual(mailer.counters(), { sent: 0, failed: 1 });
  assert.equal(catcher.messages().length, 0);
});

test('STARTTLS with a certificate trusted through tls.ca, as with an internal relay', async (t) => {
  const missing = tlsPairMissing();
  if (missing) return t.skip(missing);
  const pair = makeTestTlsPair();
  const run = setup(t);
  const catcher = await run.catcher({ tls: pair });
  const mailer = run.mailer(catcherMailSettings(catcher, { requireTls: true, tls: { ca: pair.cert } }));
  await mailer.send(mail(1));
  assert.equal((await catcher.waitForMessages(1))[0]?.subject, 'Test message 1');

  const untrusted = run.mailer(catcherMailSettings(catcher, { requireTls: true }));
  await assert.rejects(untrusted.send(mail(2)), /self[- ]signed certificate/);
});

test('nothing listening: the error names the server and the connection failure', async (t) => {
  const catcher = await startTestMailCatcher();
  const settings = catcherMailSettings(catcher, { timeoutMs: 2000 });
  await catcher.close();
  const mailer = setup(t).mailer(settings);
  await assert.rejects(mailer.send(mail(1)), (err: MailError) => {
    assert.match(err.message, new RegExp(`via 127\\.0\\.0\\.1:${settings.port} failed \\(ESOCKET\\)`));
    assert.notEqual(err.permanent, true, 'worth another attempt later');
    return true;
  });
  assert.deepEqual(mailer.counters(), { sent: 0, failed: 1 });
});

test('the transport takes its timeouts from timeoutMs and signs in only with auth.user', async (t) => {
  const catcher = await setup(t).catcher();
  const options = smtpOptions(catcherMailSettings(catcher, { timeoutMs: 1234 }));
  assert.equal(options.pool, true);
  assert.deepEqual([options.connectionTimeout, options.greetingTimeout, options.socketTimeout], [1234, 1234, 1234]);
  assert.equal(options.auth, undefined);
  assert.equal(options.tls?.rejectUnauthorized, true);
});
