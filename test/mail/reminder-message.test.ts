// The reminder e-mail in each language: the person's name and the link in both parts, HTML escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { en } from '../../src/i18n/messages-en.js';
import { fr } from '../../src/i18n/messages-fr.js';
import { reminderMessage, weekUrl, type ReminderInput } from '../../src/mail/reminder-message.js';

const LINK = 'https://timesheet.contoso/week/2026-W49';
const input = (over: Partial<ReminderInput> = {}): ReminderInput => ({
  to: 'alice@contoso.example',
  displayName: 'Alice Martin',
  locale: 'en',
  weekId: '2026-W49',
  weekDates: '30 November – 6 December',
  link: LINK,
  sender: { kind: 'schedule' },
  ...over,
});

test('English: subject, greeting with the name, the week and its dates, the link in both parts', () => {
  const mail = reminderMessage(input());
  assert.equal(mail.to, 'alice@contoso.example');
  assert.equal(mail.language, 'en');
  assert.equal(mail.subject, 'Reminder: your timesheet for week 49 is not submitted');
  assert.match(mail.text, /^Hello Alice Martin,\n/);
  assert.ok(mail.text.includes('week 49 (30 November – 6 December) has not been submitted yet'));
  assert.ok(mail.text.includes(`Open your week: ${LINK}`));
  assert.ok(mail.text.includes('sent automatically to everyone'));
  assert.ok(mail.html.includes('<html lang="en">'));
  assert.ok(mail.html.includes('Hello Alice Martin,'));
  assert.ok(mail.html.includes(`<a href="${LINK}"`));
  assert.ok(mail.html.includes('>Open week 49</a>'));
});

test('French: the same in French, with a no-break space before the colon', () => {
  const mail = reminderMessage(
    input({ locale: 'fr', displayName: 'Zoé Durand', weekDates: '30 novembre – 6 décembre' }),
  );
  assert.equal(mail.language, 'fr');
  assert.equal(mail.subject, 'Rappel\u00a0: votre feuille de temps de la semaine 49 n’est pas soumise');
  assert.match(mail.text, /^Bonjour Zoé Durand,\n/);
  assert.ok(mail.text.includes('semaine 49 (30 novembre – 6 décembre) n’a pas encore été soumise'));
  assert.ok(mail.text.includes(`Ouvrir votre semaine\u00a0: ${LINK}`));
  assert.ok(mail.html.includes('<html lang="fr">'));
  assert.ok(mail.html.includes('Bonjour Zoé Durand,'));
  assert.ok(mail.html.includes(`<a href="${LINK}"`));
  assert.ok(mail.html.includes('Envoyé par l’application Feuille de temps.'));
});

test('French typography of every reminder text: no-break space before : ; ! ? », after «, and ’', () => {
  const keys = Object.keys(fr).filter((k) => k.startsWith('mail.reminder.')) as Array<keyof typeof fr>;
  assert.deepEqual(
    keys,
    Object.keys(en).filter((k) => k.startsWith('mail.reminder.')),
  );
  for (const key of keys) {
    const text = fr[key];
    assert.doesNotMatch(text, /[^\u00a0\u202f][:;!?»]/, `${key}: a no-break space before : ; ! ? »`);
    assert.doesNotMatch(text, /«[^\u00a0\u202f]/, `${key}: a no-break space after «`);
    assert.ok(!text.includes("'"), `${key}: the apostrophe is ’`);
  }
});

test('a manager’s reminder says who asked for it', () => {
  const mail = reminderMessage(input({ sender: { kind: 'manager', managerName: 'Bob Lefèvre' } }));
  assert.ok(mail.text.includes('Bob Lefèvre asked for this reminder to be sent to you.'));
  assert.ok(mail.html.includes('Bob Lefèvre asked for this reminder to be sent to you.'));
  assert.ok(!mail.text.includes('sent automatically'));
  const french = reminderMessage(input({ locale: 'fr', sender: { kind: 'manager', managerName: 'Bob Lefèvre' } }));
  assert.ok(french.text.includes('Bob Lefèvre a demandé que ce rappel vous soit envoyé.'));
});

test('names are escaped in the HTML part and kept as typed in the text part', () => {
  const name = 'Zoé <O\'Brien> & "Co"';
  const mail = reminderMessage(input({ displayName: name, sender: { kind: 'manager', managerName: '<b>Boss</b>' } }));
  assert.ok(mail.html.includes('Hello Zoé &lt;O&#39;Brien&gt; &amp; &quot;Co&quot;,'));
  assert.ok(mail.html.includes('&lt;b&gt;Boss&lt;/b&gt; asked'));
  assert.ok(!mail.html.includes('<O'), 'no raw markup from a name');
  assert.ok(!mail.html.includes('<b>'), 'no raw markup from a name');
  assert.ok(mail.text.includes(`Hello ${name},`));
});

test('the HTML part loads nothing from elsewhere: no image, no script, no stylesheet link', () => {
  const { html } = reminderMessage(input());
  assert.doesNotMatch(html, /<img|<script|<link|url\(/i);
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(hrefs, [LINK, LINK]);
});

test('a link that is not an absolute http(s) URL, or a wrong week id, is refused', () => {
  assert.throws(() => reminderMessage(input({ link: '/week/2026-W49' })), TypeError);
  assert.throws(() => reminderMessage(input({ link: 'javascript:alert(1)' })), /must be http\(s\)/);
  assert.throws(() => reminderMessage(input({ weekId: '2026-49' })), /not a week id/);
});

test('weekUrl keeps the path the app is published under', () => {
  assert.equal(weekUrl('https://timesheet.contoso', '2026-W49'), 'https://timesheet.contoso/week/2026-W49');
  assert.equal(weekUrl('https://timesheet.contoso/', '2026-W49'), 'https://timesheet.contoso/week/2026-W49');
  assert.equal(
    weekUrl('https://intranet.contoso/timesheet', '2026-W49'),
    'https://intranet.contoso/timesheet/week/2026-W49',
  );
});
