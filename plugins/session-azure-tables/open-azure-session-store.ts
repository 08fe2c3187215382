import { randomUUID } from 'node:crypto';
import { closeOnce, Sweeper } from '../../src/session/sweeper.js';
import os from 'node:os';
import { systemClock, type Clock } from '../../src/ports/clock.js';
import type { StorageFactory, Storage } from '../../src/ports/storage.js';
import { AzureDraftStore } from './azure-draft-store.js';
import { AzureReminderLedger } from './azure-reminder-ledger.js';
import { AzureSessionStore } from './azure-session-store.js';
import { AzureSubmissionOutbox } from './azure-submission-outbox.js';
import { statusOf, withRetry } from './retry.js';
import type { SessionAzureTablesSettings } from './settings.js';
import { isTableNotFound, openTables, type TableContext, type TableSet } from './storage.js';
import { SweepLease } from './sweep-lease.js';

export interface AzureSessionStoreOptions {
  /** Lifetime of a session whose cookie sets none (config.app.sessionMaxAgeMinutes). */
  sessionMaxAgeMinutes: number;
  /** Told about a failed timed sweep (the next one tries again). Default: a process warning. */
  onSweepError?: (err: unknown) => void;
  /** Names this instance in the lease row. Default: host name, pid and a random suffix. */
  instanceId?: string;
  /** Where the stores and the sweep lease read the current time. Default: the system clock. */
  clock?: Clock;
}

export interface SweepResult {
  sessions: number;
  drafts: number;
  /** True when another instance held the lease, so this one did not scan. */
  skipped: boolean;
}

export interface AzureSessionStoreHandle extends Storage {
  readonly store: AzureSessionStore;
  readonly drafts: AzureDraftStore;
  readonly outbox: AzureSubmissionOutbox;
  /** In the lease table, one partition per week (azure-reminder-ledger.ts). */
  readonly reminders: AzureReminderLedger;
  /** Table names. */
  readonly tables: { sessions: string; drafts: string; lease: string; outbox: string };
  /** This instance's name in the lease row. */
  readonly instanceId: string;
  /** The lease-guarded sweep with its details (sweepExpired() returns the total). */
  sweep(): Promise<SweepResult>;
  /**
   * Deletes every session, and when asked the drafts that are finished here (handed over to the
   * on-prem copy, or submitted): the end-of-burst purge; no lease needed. Drafts in progress stay.
   */
  purgeAll(options?: { drafts?: boolean }): Promise<{ sessions: number; drafts: number }>;
  /** Deletes the tables. For tests that isolate runs with their own table names. */
  dropTables(): Promise<void>;
}

/** What the tables share, with the switch close() turns: every table call after it is refused. */
function tableContext(settings: SessionAzureTablesSettings): TableContext & { close(): void } {
  let closed = false;
  return {
    retry: settings.retry,
    counters: { reads: 0, writes: 0 },
    recreateMissing: settings.createTables,
    assertOpen() {
      if (closed) throw new Error('session-azure-tables: the store is closed');
    },
    close() {
      closed = true;
    },
  };
}

async function openTableSet(settings: SessionAzureTablesSettings, context: TableContext): Promise<TableSet> {
  const tables = await openTables(settings, context);
  try {
    if (settings.createTables) {
      await Promise.all([
        tables.sessions.ensureExists(),
        tables.drafts.ensureExists(),
        tables.lease.ensureExists(),
        tables.outbox.ensureExists(),
      ]);
    }
  } catch (err) {
    throw new Error(`session-azure-tables: cannot open ${tables.where}: ${(err as Error).message}`, { cause: err });
  }
  return tables;
}

interface Stores {
  store: AzureSessionStore;
  drafts: AzureDraftStore;
  outbox: AzureSubmissionOutbox;
  reminders: AzureReminderLedger;
  lease: SweepLease;
}

function createStores(
  settings: SessionAzureTablesSettings,
  options: AzureSessionStoreOptions,
  tables: TableSet,
  instanceId: string,
): Stores {
  const clock = options.clock ?? systemClock;
  const store = new AzureSessionStore({
    table: tables.sessions,
    maxAgeMs: options.sessionMaxAgeMinutes * 60_000,
    touchAfterMs: settings.touchAfterSeconds * 1000,
    maxSessionBytes: settings.maxSessionBytes,
    clock,
  });
  return {
    store,
    drafts: new AzureDraftStore(tables.drafts, settings.draftRetentionDays * 86_400_000, clock),
    outbox: new AzureSubmissionOutbox(tables.outbox, clock),
    reminders: new AzureReminderLedger(tables.lease, clock),
    lease: new SweepLease(tables.lease, settings.leaseName, instanceId, settings.leaseSeconds * 1000, clock),
  };
}

function startSweeper(
  { store, drafts, lease }: Stores,
  settings: SessionAzureTablesSettings,
  options: AzureSessionStoreOptions,
): Sweeper<SweepResult> {
  const clock = options.clock ?? systemClock;
  const sweepOnce = async (): Promise<SweepResult> => {
    if (!(await lease.acquire())) return { sessions: 0, drafts: 0, skipped: true };
    // The lease is not released afterwards: replicas whose timers fire before it runs out skip
    // the scan instead of repeating it (see leaseSeconds).
    const keepGoing = () => lease.keep();
    const now = new Date(clock.now());
    const sessions = await store.deleteExpired(now, keepGoing);
    const draftCount = (await keepGoing()) ? await drafts.deleteExpired(now, keepGoing) : 0;
    return { sessions, drafts: draftCount, skipped: false };
  };
  return new Sweeper(
    sweepOnce,
    settings.sweepIntervalSeconds,
    options.onSweepError ??
      ((err: unknown) =>
        process.emitWarning(`session-azure-tables: sweeping expired rows failed: ${(err as Error).message}`)),
  );
}

/**
 * A readiness probe: one try, not counted, any answer but a missing table is fine (and a missing
 * table is made again when the store may create tables).
 */
function pinger(settings: SessionAzureTablesSettings, tables: TableSet, context: TableContext): () => Promise<void> {
  const pingRetry = { ...settings.retry, maxAttempts: 1, totalTimeoutMs: settings.retry.attemptTimeoutMs };
  return async () => {
    context.assertOpen();
    try {
      await withRetry('ping', pingRetry, (abortSignal) => tables.pingClient.getEntity('ping', 'ping', { abortSignal }));
    } catch (err) {
      if (statusOf(err) === 404 && !isTableNotFound(err)) return;
      if (isTableNotFound(err) && settings.createTables) return tables.sessions.ensureExists();
      throw err;
    }
  };
}

function handleOf(
  settings: SessionAzureTablesSettings,
  tables: TableSet,
  context: ReturnType<typeof tableContext>,
  { store, drafts, outbox, reminders, lease }: Stores,
  sweeper: Sweeper<SweepResult>,
): AzureSessionStoreHandle {
  const { counters } = context;
  const sweep = () => sweeper.sweep();
  return {
    store,
    drafts,
    outbox,
    reminders,
    tables: {
      sessions: tables.sessions.name,
      drafts: tables.drafts.name,
      lease: tables.lease.name,
      outbox: tables.outbox.name,
    },
    instanceId: lease.holder,
    ping: pinger(settings, tables, context),
    counters: () => ({
      reads: counters.reads,
      writes: counters.writes,
      sessions: { ...(counters.byTable?.[tables.sessions.name] ?? { reads: 0, writes: 0 }) },
    }),
    sweep,
    async sweepExpired() {
      const result = await sweep();
      return result.sessions + result.drafts;
    },
    async purgeAll(purge = {}) {
      const sessions = await store.deleteAll();
      return { sessions, drafts: purge.drafts ? await drafts.deleteFinished() : 0 };
    },
    async dropTables() {
      await Promise.all([tables.sessions.drop(), tables.drafts.drop(), tables.lease.drop(), tables.outbox.drop()]);
    },
    close: closeOnce(async () => {
      await sweeper.stop();
      context.close();
    }),
  };
}

/**
 * Connects, creates the tables if asked, starts the sweeper (if sweepIntervalSeconds > 0) and
 * returns the handle. Each call is a separate "instance"; instances on the same tables share
 * sessions, drafts and the sweep lease.
 */
export async function openAzureSessionStore(
  settings: SessionAzureTablesSettings,
  options: AzureSessionStoreOptions,
): Promise<AzureSessionStoreHandle> {
  const context = tableContext(settings);
  const tables = await openTableSet(settings, context);
  const instanceId = options.instanceId ?? `${os.hostname()}#${process.pid}#${randomUUID().slice(0, 8)}`;
  const stores = createStores(settings, options, tables, instanceId);
  const sweeper = startSweeper(stores, settings, options);
  // Counted from here: opening (creating the tables) is not a request's work.
  context.counters.reads = 0;
  context.counters.writes = 0;
  context.counters.byTable = {};
  return handleOf(settings, tables, context, stores, sweeper);
}

/** The StorageFactory port: one handle per open(). */
export class AzureSessionStoreFactory implements StorageFactory {
  readonly #settings: SessionAzureTablesSettings;
  readonly #options: AzureSessionStoreOptions;

  constructor(settings: SessionAzureTablesSettings, options: AzureSessionStoreOptions) {
    this.#settings = settings;
    this.#options = options;
  }

  open(): Promise<AzureSessionStoreHandle> {
    return openAzureSessionStore(this.#settings, this.#options);
  }
}
