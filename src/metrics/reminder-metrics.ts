import { Counter, type Registry } from 'prom-client';
import type { ReminderOutcome, ReminderTrigger } from '../reminders/reminder-sender.js';

/**
 * Reminder e-mails of this instance by trigger (`schedule`, `manager`) and outcome (`sent`,
 * `already`: another instance or an earlier click sent it, `failed`: the SMTP relay refused or could
 * not be reached). Alert on `failed` rising: people are not being reminded.
 */
export function registerReminderMetrics(
  registry: Registry,
): (trigger: ReminderTrigger, outcome: ReminderOutcome) => void {
  const counter = new Counter({
    name: 'timesheet_reminders_total',
    help: 'Reminder e-mails by trigger and outcome (this instance)',
    labelNames: ['trigger', 'outcome'] as const,
    registers: [registry],
  });
  for (const trigger of ['schedule', 'manager'] as const)
    for (const outcome of ['sent', 'already', 'failed'] as const) counter.inc({ trigger, outcome }, 0);
  return (trigger, outcome) => counter.inc({ trigger, outcome });
}
