import type { Store } from 'express-session';
import { Histogram, type Registry } from 'prom-client';
import { DraftConflictError, type DraftStore } from '../ports/draft-store.js';
import type { Storage } from '../ports/storage.js';

export const STORE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** ok; `conflict` a draft save refused by its compare-and-set (another tab saved first); `error` a failure. */
export type StoreOutcome = 'ok' | 'conflict' | 'error';

type Observe = (
  labels: { store: 'session' | 'draft'; operation: string; outcome: StoreOutcome },
  seconds: number,
) => void;

const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/**
 * Times the express-session Store's get/set/touch/destroy. The methods are replaced on the store
 * instance itself: express-session listens to the store's events and calls its prototype helpers
 * (regenerate, load), which must keep seeing the same object.
 */
function instrumentSessionStore(store: Store, observe: Observe): void {
  type Callback = (err?: unknown, ...rest: unknown[]) => void;
  for (const operation of ['get', 'set', 'touch', 'destroy'] as const) {
    const original = store[operation] as ((...args: unknown[]) => void) | undefined;
    if (typeof original !== 'function') continue;
    const bound = original.bind(store);
    const replacement = (...args: unknown[]) => {
      const start = process.hrtime.bigint();
      const last = args.length - 1;
      const callback = typeof args[last] === 'function' ? (args[last] as Callback) : undefined;
      const done: Callback = (err, ...rest) => {
        observe({ store: 'session', operation, outcome: err ? 'error' : 'ok' }, since(start));
        callback?.(err, ...rest);
      };
      try {
        if (callback) bound(...args.slice(0, last), done);
        else bound(...args, done);
      } catch (err) {
        observe({ store: 'session', operation, outcome: 'error' }, since(start));
        throw err;
      }
    };
    (store as unknown as Record<string, unknown>)[operation] = replacement;
  }
}

function instrumentDrafts(drafts: DraftStore, observe: Observe): DraftStore {
  async function measure<T>(operation: 'load' | 'save', call: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    try {
      const result = await call();
      observe({ store: 'draft', operation, outcome: 'ok' }, since(start));
      return result;
    } catch (err) {
      observe(
        { store: 'draft', operation, outcome: err instanceof DraftConflictError ? 'conflict' : 'error' },
        since(start),
      );
      throw err;
    }
  }
  return {
    load: (user, week) => measure('load', () => drafts.load(user, week)),
    save: (record, expectedVersion) => measure('save', () => drafts.save(record, expectedVersion)),
  };
}

/**
 * A decorator around the session store port: `timesheet_store_operation_duration_seconds{store,
 * operation,outcome}` for the sessions (get/set/touch/destroy) and the drafts (load/save). Everything
 * else goes to the handle as it is; counters() still counts the storage operations (benchmarks).
 */
export function instrumentStoreHandle(handle: Storage, registry: Registry): Storage {
  const histogram = new Histogram({
    name: 'timesheet_store_operation_duration_seconds',
    help: 'Duration of the session store operations (store=session: get/set/touch/destroy; store=draft: load/save) on this instance, by outcome',
    labelNames: ['store', 'operation', 'outcome'],
    buckets: STORE_BUCKETS,
    registers: [registry],
  });
  const observe: Observe = (labels, seconds) => histogram.observe(labels, seconds);
  instrumentSessionStore(handle.store, observe);
  return {
    store: handle.store,
    drafts: instrumentDrafts(handle.drafts, observe),
    outbox: handle.outbox,
    reminders: handle.reminders,
    ping: () => handle.ping(),
    counters: () => handle.counters(),
    sweepExpired: () => handle.sweepExpired(),
    close: () => handle.close(),
  };
}
