// The development mail catcher's page and JSON, over HTTP, with messages sent to it over real SMTP.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createMailer, type OutgoingMail } from '../../src/mail/mailer.js';
import { catcherMailSettings } from '../../scripts/harness/mail-catcher.js';
import {
  startMailCatcher,
  type CaughtMessage,
  type MailCatcher,
  type MailCatcherOptions,
} from '../../scripts/stand-ins/mail-catcher/mail-catcher.js';

const HOSTILE_SUBJECT = '<script>alert("subject")</script> & <b>Zoé</b>';
const HOSTILE_HTML =
  '<p onclick="alert(1)">Hi</p><script>alert("body")</script><img src="https://tracker.example/p.gif">';

async function catcherWithMailer(t: TestContext, options: Partial<MailCatcherOptions> = {}) {
  const catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0, ...options });
  const mailer = createMailer(catcherMailSettings(catcher), pino({ level: 'silent' }));
  t.after(async () => {
    mailer.close();
    await catcher.close();
  });
  const send = (over: Partial<OutgoingMail>) =>
    mailer.send({ to: 'alice@contoso.example', subject: 's', text: 't', html: '<p>h</p>', language: 'en', ...over });
  return { catcher, send };
}

const get = async (catcher: MailCatcher, path: string) => {
  const res = await fetch(`${catcher.url}${path}`);
  return { res, body: await res.text() };
};

test('the list page shows each subject escaped, newest first, with a link to the message', async (t) => {
  const { catcher, send } = await catcherWithMailer(t);
  await send({ subject: 'First message' });
  await send({ subject: HOSTILE_SUBJECT });
  const { res, body } = await get(catcher, '/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.ok(body.includes('DEVELOPMENT ONLY'));
  assert.ok(body.includes('&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt; &amp; &lt;b&gt;Zoé&lt;/b&gt;'));
  assert.ok(!body.includes('<script>'), 'no script from a subject');
  assert.ok(body.indexOf('&lt;script&gt;') < body.indexOf('First message'), 'newest first');
  assert.ok(body.includes('<a href="/messages/1">First message</a>'));
  assert.ok(body.includes('alice@contoso.example'));
});

test('a message page shows the text part and the HTML part in a sandboxed frame, nothing run or fetched', async (t) => {
  const { catcher, send } = await catcherWithMailer(t);
  await send({
    subject: HOSTILE_SUBJECT,
    text: 'Open your week: http://localhost:3000/week/2026-W49',
    html: HOSTILE_HTML,
  });
  const { res, body } = await get(catcher, '/messages/1');
  assert.equal(res.status, 200);
  assert.ok(body.includes('<h1>&lt;script&gt;alert(&quot;subject&quot;)'));
  assert.ok(body.includes('<a href="http://localhost:3000/week/2026-W49" rel="noreferrer">'), 'the text part’s link');
  assert.match(
    body,
    /<iframe sandbox="" title="HTML part of the message" srcdoc="[^"]*&lt;script&gt;alert\(&quot;body&quot;\)/,
  );
  assert.ok(!body.includes('<script'), 'the HTML part is only ever an attribute value or escaped text');
  assert.ok(!body.includes('<img'));
  // The frame inherits the page's policy: no script, and images only from data: URLs (no tracking pixel).
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /img-src data:/);
  assert.doesNotMatch(csp, /script-src/);
});

test('messages.json has what the tests read; an unknown message is a 404', async (t) => {
  const { catcher, send } = await catcherWithMailer(t);
  await send({ subject: 'One', language: 'fr' });
  const { res, body } = await get(catcher, '/messages.json');
  assert.equal(res.status, 200);
  const [message] = JSON.parse(body) as CaughtMessage[];
  assert.equal(message?.subject, 'One');
  assert.deepEqual(message.envelope.to, ['alice@contoso.example']);
  assert.equal(message.headers['content-language'], 'fr');
  assert.equal((await get(catcher, '/messages/99')).res.status, 404);
  assert.ok((await get(catcher, '/messages/%3Cb%3E')).body.includes('No message &lt;b&gt;'));
});

test('only the last messages are kept (capacity), newest first', async (t) => {
  const { catcher, send } = await catcherWithMailer(t, { capacity: 3 });
  for (let i = 1; i <= 5; i++) await send({ subject: `Message ${i}` });
  const kept = await catcher.waitForMessages(5);
  assert.deepEqual(
    kept.map((m) => m.subject),
    ['Message 5', 'Message 4', 'Message 3'],
  );
  assert.equal((await get(catcher, '/messages/1')).res.status, 404);
});

test('waitForMessages wakes on arrival, and says how many came when it gives up', async (t) => {
  const { catcher, send } = await catcherWithMailer(t);
  const waiting = catcher.waitForMessages(2, 10_000);
  await send({ subject: 'A' });
  await send({ subject: 'B' });
  assert.equal((await waiting).length, 2);
  await assert.rejects(catcher.waitForMessages(3, 50), /mail catcher: 2 of 3 messages after 50 ms/);
  catcher.clear();
  assert.deepEqual(catcher.messages(), []);
  await assert.rejects(catcher.waitForMessages(1, 20), /0 of 1/);
});
