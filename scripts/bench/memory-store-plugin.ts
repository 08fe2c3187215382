/**
 * Benchmark baseline only (never shipped, never a target's plugin): the app with express-session's
 * MemoryStore and in-memory drafts, outbox and reminder ledger, to measure what the real stores cost
 * by comparison.
 */
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import type { PluginModule } from '../../src/container/plugin-definition.js';
import session from 'express-session';
import { STORAGE_FACTORY, type StorageFactory, type Storage } from '../../src/ports/storage.js';
import { MemoryDrafts } from '../harness/memory-drafts.js';
import { MemoryOutbox } from '../harness/memory-outbox.js';
import { MemoryReminders } from '../harness/memory-reminders.js';

class MemorySessionStoreFactory implements StorageFactory {
  async open(): Promise<Storage> {
    return {
      store: new session.MemoryStore(),
      drafts: new MemoryDrafts(),
      outbox: new MemoryOutbox(),
      reminders: new MemoryReminders(),
      ping: async () => {},
      counters: () => ({ reads: 0, writes: 0, sessions: { reads: 0, writes: 0 } }),
      sweepExpired: async () => 0,
      close: async () => {},
    };
  }
}

export const memoryStorePlugin: PluginModule = {
  default: new ContainerModule(({ bind }) => {
    bind<StorageFactory>(STORAGE_FACTORY).toConstantValue(new MemorySessionStoreFactory());
  }),
  settingsSchema: z.object({}),
  provides: [STORAGE_FACTORY],
};
