/**
 * The weekly reminder (mail.reminders, default Friday 15:00 in the company's time zone): everyone
 * the ERP lists as booking time whose week is not booked, is not waiting in this copy's outbox and
 * whose contract expects hours that week gets one e-mail with a link to their week.
 *
 * Every instance arms the timer; a run lease in the store lets one of them do the ERP call and the
 * sending, and each person's own lease (ReminderSender) keeps a takeover from sending twice. An
 * instance that finds the run taken looks again after the lease's time: a runner that died is
 * replaced, a run that finished is never repeated. Enable it on ONE copy (the stores of the two
 * copies are apart): the on-prem one, which runs all week.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ErpError, type ErpConnector } from '../ports/erp-connector.js';
import type { DraftStore } from '../ports/draft-store.js';
import type { ReminderLedger } from '../ports/reminder-ledger.js';
import { nextReminderAt, weekOfReminder, type ReminderSlot } from '../mail/next-reminder.js';
import type { IsoWeek } from '../timesheet/iso-week.js';
import type { ReminderOutcome, ReminderSender } from './reminder-sender.js';

/** How long one run may take before another instance takes over. */
const RUN_LEASE_MS = 20 * 60_000;
/** After a failed run (ERP unreachable), or to look at a run another instance holds. */
const RETRY_MS = 5 * 60_000;
/** A run not done within this time after its slot is given up until next week. */
const GIVE_UP_AFTER_MS = 3 * 3_600_000;
/** People reminded at the same time: the SMTP relay's pool and the store see a handful at once. */
const CONCURRENCY = 8;
/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const RUN_KIND = 'schedule-run';
export const RUN_USER = '*';

export interface ReminderRun {
  week: string;
  /** People listed by the ERP without a booking of the week. */
  unbooked: number;
  /** Of those, waiting in this copy's outbox or submitted here meanwhile: not reminded. */
  waiting: number;
  /** Of those, whose contract expects no hours that week (holidays): not reminded. */
  nothingExpected: number;
  sent: number;
  already: number;
  failed: number;
}

export interface ReminderSchedulerOptions {
  erp: Pick<ErpConnector, 'getTeamWeek'>;
  drafts: DraftStore;
  ledger: ReminderLedger;
  sender: ReminderSender;
  slot: ReminderSlot;
  timeZone: string;
  /** Hours the person's contract expects in the week (the work calendar). */
  expectedHours: (account: string, week: IsoWeek) => number;
  instance: string;
  logger: Logger;
  now?: () => Date;
}

export class ReminderScheduler {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private running: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly o: ReminderSchedulerOptions) {
    this.now = o.now ?? (() => new Date());
  }

  start(): void {
    this.stopped = false;
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running.catch(() => undefined);
  }

  /** When the next slot is, from now: for /ops and the start-up log. */
  nextSlot(): Date {
    return nextReminderAt(this.now(), this.o.slot, this.o.timeZone);
  }

  private arm(delayMs?: number, slotAt?: Date): void {
    if (this.stopped) return;
    const at = slotAt ?? this.nextSlot();
    const wait = delayMs ?? at.getTime() - this.now().getTime();
    this.timer = setTimeout(
      () => {
        this.timer = null;
        // A delay longer than setTimeout allows is waited in pieces.
        if (delayMs === undefined && at.getTime() - this.now().getTime() > 1000) return this.arm(undefined, at);
        this.running = this.attempt(at);
      },
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    this.timer.unref();
  }

  /** One try at the slot's run; tries again later while it is not done and the slot is recent. */
  private async attempt(slotAt: Date): Promise<void> {
    let again = false;
    try {
      const run = await this.runFor(weekOfReminder(slotAt, this.o.timeZone));
      again = run === 'busy';
    } catch (err) {
      again = true;
      this.o.logger.warn({ err: (err as Error).message }, 'weekly reminder run failed; trying again in 5 minutes');
    }
    const late = this.now().getTime() - slotAt.getTime() > GIVE_UP_AFTER_MS;
    if (again && !late) this.arm(RETRY_MS, slotAt);
    else this.arm();
  }

  /**
   * The run for a week, now. 'busy': another instance holds the run; 'done': it was done already
   * (by any instance). Throws when the ERP cannot be asked: the run lease is given back first.
   */
  async runFor(week: IsoWeek): Promise<ReminderRun | 'busy' | 'done'> {
    const { ledger, logger } = this.o;
    const runKey = { week: week.id, user: RUN_USER, kind: RUN_KIND };
    const holder = `${this.o.instance}:${randomUUID()}`;
    if (!(await ledger.acquire(runKey, holder, RUN_LEASE_MS))) {
      const done = (await ledger.sentForWeek(week.id)).some((r) => r.user === RUN_USER && r.kind === RUN_KIND);
      return done ? 'done' : 'busy';
    }
    let run: ReminderRun;
    try {
      run = await this.remindEveryone(week);
    } catch (err) {
      await ledger.release(runKey, holder).catch(() => undefined);
      if (err instanceof ErpError) throw new Error(`the ERP could not list who has not booked: ${err.message}`);
      throw err;
    }
    // Failed sends are left to the next run of the week only if there is one: the run is done.
    await ledger.markSent(runKey, holder);
    logger.info(run, 'weekly reminder run done');
    return run;
  }

  private async remindEveryone(week: IsoWeek): Promise<ReminderRun> {
    const members = await this.o.erp.getTeamWeek(null, week.monday);
    const unbooked = members.filter((m) => m.booking === null);
    const run: ReminderRun = {
      week: week.id,
      unbooked: unbooked.length,
      waiting: 0,
      nothingExpected: 0,
      sent: 0,
      already: 0,
      failed: 0,
    };
    const queue = [...unbooked];
    const worker = async () => {
      for (let m = queue.shift(); m; m = queue.shift()) {
        if (this.o.expectedHours(m.account, week) <= 0) {
          run.nothingExpected++;
          continue;
        }
        const record = await this.o.drafts.load(m.account, week.id);
        if (record && record.status !== 'draft') {
          run.waiting++;
          continue;
        }
        const outcome: ReminderOutcome = await this.o.sender.remind(m, week, 'schedule', { kind: 'schedule' });
        run[outcome]++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return run;
  }
}
