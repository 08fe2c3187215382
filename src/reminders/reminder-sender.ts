/**
 * Sends one "your week is not submitted" e-mail to one person, at most once per week and kind even
 * when several instances try at the same moment: a lease in the copy's store decides who sends
 * (src/ports/reminder-ledger.ts), the e-mail goes out, then the reminder is marked sent. A failed
 * send gives the lease back, so the next attempt need not wait for it to run out.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { TeamMember } from '../ports/erp-connector.js';
import type { ReminderLedger } from '../ports/reminder-ledger.js';
import type { Mailer } from '../mail/mailer.js';
import { reminderMessage, weekUrl } from '../mail/reminder-message.js';
import { isLocale, translator, type Locale } from '../i18n/translator.js';
import type { IsoWeek } from '../timesheet/iso-week.js';
import { weekTitle } from '../web/week-title.js';

/** Long enough for one SMTP exchange with its timeouts; a sender that dies holds it no longer. */
const SEND_LEASE_MS = 2 * 60_000;

export type ReminderTrigger = 'schedule' | 'manager';
export type ReminderOutcome = 'sent' | 'already' | 'failed';

export interface ReminderSenderOptions {
  mailer: Mailer;
  ledger: ReminderLedger;
  /** mail.appUrl: the address people open, whichever copy sends. */
  appUrl: string;
  /** Names the sending attempt in the lease (instance and a random part). */
  instance: string;
  logger: Logger;
  /** Called once per attempt, for the metrics. */
  onOutcome?: (trigger: ReminderTrigger, outcome: ReminderOutcome) => void;
}

/** The person's language as the ERP gives it (`fr`, `fr-BE`, `en-GB`), or the app's default. */
export function memberLocale(language: string | null, fallback: Locale): Locale {
  const base = (language ?? '').toLowerCase().split('-')[0];
  return isLocale(base) ? base : fallback;
}

export class ReminderSender {
  constructor(
    private readonly options: ReminderSenderOptions,
    private readonly defaultLocale: Locale,
  ) {}

  /**
   * `kind`: `schedule`, or `manager-<date>` (a manager's reminders, once a day). The manager's name
   * goes into the text when a manager asked.
   */
  async remind(
    member: TeamMember,
    week: IsoWeek,
    kind: string,
    by: { kind: 'schedule' } | { kind: 'manager'; managerName: string },
  ): Promise<ReminderOutcome> {
    const { ledger, mailer, logger } = this.options;
    const key = { week: week.id, user: member.account, kind };
    const holder = `${this.options.instance}:${randomUUID()}`;
    const trigger: ReminderTrigger = by.kind;
    if (!(await ledger.acquire(key, holder, SEND_LEASE_MS))) {
      this.options.onOutcome?.(trigger, 'already');
      return 'already';
    }
    const locale = memberLocale(member.language, this.defaultLocale);
    try {
      const message = reminderMessage({
        to: member.email,
        displayName: member.displayName,
        locale,
        weekId: week.id,
        weekDates: weekTitle(week, locale, translator(locale)).dates,
        link: weekUrl(this.options.appUrl, week.id),
        sender: by,
      });
      await mailer.send(message);
    } catch (err) {
      await ledger.release(key, holder).catch(() => undefined);
      logger.warn({ account: member.account, week: week.id, kind, err: (err as Error).message }, 'reminder not sent');
      this.options.onOutcome?.(trigger, 'failed');
      return 'failed';
    }
    await ledger.markSent(key, holder);
    logger.info({ account: member.account, week: week.id, kind }, 'reminder sent');
    this.options.onOutcome?.(trigger, 'sent');
    return 'sent';
  }
}
