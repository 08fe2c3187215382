/**
 * Port to a copy's storage: the sessions (express-session's store), the week drafts, the
 * submission outbox and the reminder ledger, kept together in one place: SQL on-prem
 * (plugins/session-sql), Azure Table Storage in the cloud (plugins/session-azure-tables). The app
 * only sees these interfaces.
 */
import type { Store } from 'express-session';
import type { DraftStore } from './draft-store.js';
import type { ReminderLedger } from './reminder-ledger.js';
import type { SubmissionOutbox } from './submission-outbox.js';

export interface Storage {
  /** The express-session store. Its get() never returns an expired session; touch() writes only when stale. */
  store: Store;
  /** Per-user, per-week drafts, kept in the same storage as the sessions. */
  drafts: DraftStore;
  /** Week submissions waiting for (or done with) delivery to the ERP, in the same storage. */
  outbox: SubmissionOutbox;
  /**
   * Which reminder e-mails were sent, and leases on the ones being sent, in the same storage: every
   * instance's scheduler shares it, so each reminder goes out once per person, week and kind.
   */
  reminders: ReminderLedger;
  /** Resolves when the backing storage answers (used by /readyz). */
  ping(): Promise<void>;
  /**
   * Storage operations done so far by this handle (sessions and drafts), for tests and the
   * `store_ops_per_request` benchmark figure. A read is one SELECT / GET, a write one
   * INSERT / UPDATE / DELETE / upsert sent to the storage.
   */
  counters(): StoreCounters;
  /**
   * Deletes expired sessions and drafts (and reminder rows past their retention, where the store
   * sweeps them) now; returns how many rows went. Safe to call from several instances at once (the
   * Azure store takes a lease so only one of them scans).
   */
  sweepExpired(): Promise<number>;
  /** Stops the sweeper and closes connections. */
  close(): Promise<void>;
}

export interface StoreCounters {
  reads: number;
  writes: number;
  /** The sessions alone (express-session's store), without drafts and the outbox. */
  sessions: { reads: number; writes: number };
}

export interface StorageFactory {
  /** Connects, creates tables if needed, starts the expired-row sweeper. Called once at boot. */
  open(): Promise<Storage>;
}

export const STORAGE_FACTORY = Symbol.for('contoso.StorageFactory');
