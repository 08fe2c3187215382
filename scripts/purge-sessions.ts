/**
 * The end-of-burst purge: deletes every session from the store of the target's configuration,
 * and with --drafts the drafts that are finished there (handed over to the on-prem copy, or
 * submitted); prints how many, exits 0. Drafts still in progress are never deleted: they move to
 * the on-prem copy when their owner opens the week there. Run it once the burst is over, when
 * nobody should still be signed in to the cloud copy.
 *
 *   TIMESHEET_TARGET=cloud node --import tsx scripts/purge-sessions.ts [--drafts]
 *
 * The target defaults to cloud; the configuration is loaded as the app loads it (files, then
 * TIMESHEET_* environment variables), so it reaches the same storage account as the app.
 */
import { loadRawConfig } from '../src/config/load-config.js';
import { ConfigError } from '../src/config/config-error.js';
import { buildContainer } from '../src/container/plugin-loader.js';
import { STORAGE_FACTORY, type StorageFactory, type Storage } from '../src/ports/storage.js';

const USAGE = 'usage: purge-sessions [--drafts]   (TIMESHEET_TARGET selects the target, default cloud)';

/** What a store offers beyond the port for this (session-azure-tables does). */
interface PurgingHandle extends Storage {
  purgeAll(options: { drafts: boolean }): Promise<{ sessions: number; drafts: number }>;
}

function canPurgeAll(handle: Storage): handle is PurgingHandle {
  return typeof (handle as Partial<PurgingHandle>).purgeAll === 'function';
}

/** Any express-session store with length() and clear(): sessions only. */
async function purgeThroughStore(handle: Storage): Promise<number> {
  const { store } = handle;
  if (!store.length || !store.clear) throw new Error('this session store can neither purge nor clear');
  const count = await new Promise<number>((resolve, reject) =>
    store.length!((err, n) => (err ? reject(err) : resolve(n ?? 0))),
  );
  await new Promise<void>((resolve, reject) => store.clear!((err?: unknown) => (err ? reject(err) : resolve())));
  return count;
}

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--drafts');
  if (unknown.length) {
    process.stderr.write(`unknown argument ${unknown.join(' ')}\n${USAGE}\n`);
    return 64; // EX_USAGE
  }
  const withDrafts = args.includes('--drafts');
  const target = process.env.TIMESHEET_TARGET ?? 'cloud';
  const container = await buildContainer(loadRawConfig({ target }));
  const handle = await container.get<StorageFactory>(STORAGE_FACTORY).open();
  try {
    if (canPurgeAll(handle)) {
      const purged = await handle.purgeAll({ drafts: withDrafts });
      process.stdout.write(
        `purged ${purged.sessions} session(s)${withDrafts ? ` and ${purged.drafts} finished draft(s); drafts in progress are kept` : ''} (target ${target})\n`,
      );
    } else {
      if (withDrafts) throw new Error(`the ${target} session store cannot purge drafts`);
      process.stdout.write(`purged ${await purgeThroughStore(handle)} session(s) (target ${target})\n`);
    }
  } finally {
    await handle.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      err instanceof ConfigError ? `${err.message}\n` : `purge-sessions failed: ${(err as Error).message}\n`,
    );
    process.exit(err instanceof ConfigError ? 78 : 1);
  },
);
