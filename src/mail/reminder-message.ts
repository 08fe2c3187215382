import { escapeHtml } from '../auth/html.js';
import { parseWeekId } from '../timesheet/iso-week.js';
import { translator, type Locale } from '../i18n/translator.js';
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

  // Escaped as a whole after the placeholders are filled: the name and the manager's name come from
  // the identity provider and may hold markup. Inline styles only (mail clients drop <style>), no
  // remote images (blocked by most clients, and a tracking pixel is not wanted).
  const e = escapeHtml;
  const html = `<!DOCTYPE html>
<html lang="${input.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(subject)}</title></head>
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1b1f24;background:#ffffff">
<p>${e(greeting)}</p>
<p>${e(body)}</p>
<p><a href="${e(href)}" style="display:inline-block;padding:12px 20px;background:${BUTTON_COLOUR};color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold">${e(t('mail.reminder.button', { number }))}</a></p>
<p style="font-size:14px">${e(t('mail.reminder.linkFallback'))}<br><a href="${e(href)}" style="color:${BUTTON_COLOUR}">${e(href)}</a></p>
<p style="font-size:14px">${e(why)}</p>
<p style="font-size:12px;color:#555a60">${e(footer)}</p>
</body>
</html>
`;
  return { to: input.to, subject, text, html, language: input.locale };
}
