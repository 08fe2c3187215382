import path from 'node:path';
import { PROJECT_ROOT } from '../config/load-config.js';
import { parseWeekId } from '../timesheet/iso-week.js';
import { translator, type Locale } from '../i18n/translator.js';
import { viewFile } from '../web/view-file.js';
import type { OutgoingMail } from './mailer.js';

/**
 * One "your week is not submitted" e-mail, in the person's language, as text and HTML. The words
 * come from the app's catalogues (`mail.reminder.*`), so a reminder says what the pages say.
 */
export interface ReminderInput {
  to: string;
  displayName: string;
  locale: Locale;
  /** `2026-W49` */
  weekId: string;
  /** The week's dates as the reader should see them, e.g. "30 November – 6 December". */
  weekDates: string;
  /** Absolute URL of the week page (weekUrl below). */
  link: string;
  sender: { kind: 'schedule' } | { kind: 'manager'; managerName: string };
}

/**
 * The week page's absolute URL under `mail.appUrl`, keeping a path the app may be published under
 * (https://intranet.contoso/timesheet/ → .../timesheet/week/2026-W49).
 */
export function weekUrl(appUrl: string, weekId: string): string {
  const base = appUrl.endsWith('/') ? appUrl : `${appUrl}/`;
  return new URL(`week/${encodeURIComponent(weekId)}`, base).href;
}

/** The brand's default primary colour: white text on it reaches 4.5:1 (checked in app-config-schema). */
const BUTTON_COLOUR = '#0b4f8a';

/** views/mail/reminder.ejs, the HTML part: every text escaped there (<%= %>), after its placeholders are filled. */
const reminderHtml = viewFile<{
  locale: Locale;
  subject: string;
  greeting: string;
  body: string;
  button: string;
  linkFallback: string;
  why: string;
  footer: string;
  href: string;
  buttonColour: string;
}>(path.join(PROJECT_ROOT, 'views', 'mail', 'reminder.ejs'));

export function reminderMessage(input: ReminderInput): OutgoingMail {
  const week = parseWeekId(input.weekId);
  if (!week) throw new Error(`not a week id: ${input.weekId}`);
  // A relative link means nothing in a mail client; a javascript: one must never reach an href.
  const link = new URL(input.link);
  if (link.protocol !== 'https:' && link.protocol !== 'http:') throw new Error('the reminder link must be http(s)');
  const href = link.href;

  const t = translator(input.locale);
  const number = week.week;
  const subject = t('mail.reminder.subject', { number });
  const greeting = t('mail.reminder.greeting', { name: input.displayName });
  const body = t('mail.reminder.body', { number, dates: input.weekDates });
  const why =
    input.sender.kind === 'manager'
      ? t('mail.reminder.byManager', { manager: input.sender.managerName })
      : t('mail.reminder.bySchedule');
  const footer = t('mail.reminder.footer', { app: t('app.title') });

  const text = [
    greeting,
    '',
    body,
    '',
    t('mail.reminder.linkText', { link: href }),
    '',
    why,
    '',
    '-- ',
    footer,
    '',
  ].join('\n');

  // Escaped by the view after the placeholders are filled: the name and the manager's name come
  // from the identity provider and may hold markup.
  const html = reminderHtml({
    locale: input.locale,
    subject,
    greeting,
    body,
    button: t('mail.reminder.button', { number }),
    linkFallback: t('mail.reminder.linkFallback'),
    why,
    footer,
    href,
    buttonColour: BUTTON_COLOUR,
  });
  return { to: input.to, subject, text, html, language: input.locale };
}
