/**
 * What the app serves with, opened once: the storage (sessions, drafts, outbox), the ERP connector,
 * the target's role start-up, the link to the other copy, the week use cases and the outbox worker.
 * Everything opened here is closed by close(); a failure half-way closes what was opened, because
 * start-server.ts tries again.
 */
import os from 'node:os';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/app-config-schema.js';
import { ERP_CONNECTOR, type ErpConnector } from '../ports/erp-connector.js';
import { STORAGE_FACTORY, type StorageFactory } from '../ports/storage.js';
import { ROLE_STARTUP, type RoleStartup } from '../ports/role-startup.js';
import { APP_LOGGER } from '../ports/app-logger.js';
import { WeekService } from '../timesheet/week-service.js';
import { OutboxWorker } from '../submission/outbox-worker.js';
import { registerOutboxMetrics } from '../metrics/outbox-metrics.js';
import { instrumentErp, type InstrumentedErp } from '../metrics/erp-metrics.js';
import { instrumentStoreHandle } from '../metrics/store-metrics.js';
import { otherCopyClient } from '../copies/other-copy-setup.js';
import type { OtherCopyClient } from '../copies/other-copy-client.js';
import { createMailer, type Mailer } from '../mail/mailer.js';
import { isMailConfigured } from '../mail/mail-settings.js';
import { ReminderSender } from '../reminders/reminder-sender.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.js';
import { registerReminderMetrics } from '../metrics/reminder-metrics.js';
import { expectedWeekHours } from '../timesheet/work-calendar.js';

export interface Services {
  config: AppConfig;
  logger: Logger;
  roles: RoleStartup[];
  store: ReturnType<typeof instrumentStoreHandle>;
  erp: InstrumentedErp;
  otherCopy: OtherCopyClient | null;
  weeks: WeekService;
  worker: OutboxWorker;
  /** E-mail reminders (src/reminders): null when mail.host is not set. */
  reminders: ReminderSender | null;
  /** The weekly reminder run: null unless mail.reminders.enabled. */
  reminderScheduler: ReminderScheduler | null;
  /** This instance's name in logs and on /ops. */
  instance: string;
  close(): Promise<void>;
}

export async function openServices(container: Container, baseLogger: Logger, registry: Registry): Promise<Services> {
  const config = container.get<AppConfig>(APP_CONFIG);
  const roles = container.isBound(ROLE_STARTUP) ? container.getAll<RoleStartup>(ROLE_STARTUP) : [];
  const logger = baseLogger.child(Object.assign({}, ...roles.map((r) => r.logBindings())) as Record<string, string>);
  // Plugins resolved from here on log through the app's logger, with the instance's bindings.
  if (!container.isBound(APP_LOGGER)) container.bind(APP_LOGGER).toConstantValue(logger);
  // Decorators that time every store and ERP call (src/metrics): whoever uses the ports is measured.
  const store = instrumentStoreHandle(await container.get<StorageFactory>(STORAGE_FACTORY).open(), registry);
  let erp: InstrumentedErp;
  try {
    erp = instrumentErp(await container.getAsync<ErpConnector>(ERP_CONNECTOR), registry);
    for (const role of roles) await role.start({ logger, store });
  } catch (err) {
    await Promise.allSettled(roles.map((r) => r.stop()));
    await store.close().catch(() => undefined);
    throw err;
  }
  // The other copy (on-prem <-> cloud): one burst window, and drafts that follow the person.
  const otherCopy = otherCopyClient(container, config, logger);
  const weeks = new WeekService(erp, store.drafts, store.outbox, {
    contextMaxAgeMinutes: config.timesheet.contextMaxAgeMinutes,
    maxHoursPerDay: config.timesheet.maxHoursPerDay,
    otherCopy: otherCopy
      ? { self: config.target, takeDraft: (user, week) => otherCopy.takeDraft(user, week) }
      : undefined,
  });
  const instance = `${os.hostname()}#${process.pid}`;
  const o = config.outbox;
  const worker = new OutboxWorker(
    store.outbox,
    erp,
    store.drafts,
    {
      instance,
      pollIntervalMs: o.pollIntervalSeconds * 1000,
      leaseMs: o.leaseSeconds * 1000,
      batchSize: o.batchSize,
      maxAttempts: o.maxAttempts,
      backoffBaseMs: o.backoffBaseSeconds * 1000,
      backoffMaxMs: o.backoffMaxSeconds * 1000,
      retentionMs: o.retentionDays * 86_400_000,
    },
    logger,
    registerOutboxMetrics(registry, store.outbox),
  );
  worker.start();
  const { reminders, reminderScheduler, mailer } = openReminders(config, store, erp, instance, logger, registry);
  return {
    config,
    logger,
    roles,
    store,
    erp,
    otherCopy,
    weeks,
    worker,
    reminders,
    reminderScheduler,
    instance,
    async close() {
      // Deliveries in flight finish (or their leases run out) before the store closes; so do reminders.
      await Promise.all([worker.stop(), reminderScheduler?.stop()]);
      mailer?.close();
      await Promise.allSettled(roles.map((r) => r.stop()));
      await Promise.allSettled([store.close(), erp.close()]);
    },
  };
}

/** The mailer, the reminder sender and the weekly run, as mail.* asks. */
function openReminders(
  config: AppConfig,
  store: Services['store'],
  erp: InstrumentedErp,
  instance: string,
  logger: Logger,
  registry: Registry,
): { reminders: ReminderSender | null; reminderScheduler: ReminderScheduler | null; mailer: Mailer | null } {
  const mail = config.mail;
  if (!isMailConfigured(mail)) return { reminders: null, reminderScheduler: null, mailer: null };
  const mailer = createMailer(mail, logger);
  const reminders = new ReminderSender(
    {
      mailer,
      ledger: store.reminders,
      appUrl: mail.appUrl,
      instance,
      logger,
      onOutcome: registerReminderMetrics(registry),
    },
    config.i18n.defaultLocale,
  );
  // The relay is checked once at start-up: a wrong host or password is in the log at once, not on Friday.
  mailer.verify().then(
    () => logger.info({ host: mail.host, port: mail.port }, 'mail relay reachable'),
    (err: Error) =>
      logger.warn({ host: mail.host, port: mail.port, err: err.message }, 'mail relay not reachable at start-up'),
  );
  if (!mail.reminders.enabled) return { reminders, reminderScheduler: null, mailer };
  const calendar = config.timesheet.calendar;
  const reminderScheduler = new ReminderScheduler({
    erp,
    drafts: store.drafts,
    ledger: store.reminders,
    sender: reminders,
    slot: mail.reminders,
    timeZone: config.timesheet.timeZone,
    expectedHours: (account, week) => expectedWeekHours(calendar, account, week.days),
    instance,
    logger,
  });
  reminderScheduler.start();
  logger.info({ next: reminderScheduler.nextSlot().toISOString() }, 'weekly reminder scheduled');
  return { reminders, reminderScheduler, mailer };
}
