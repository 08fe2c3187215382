/**
 * A PostgreSQL server of our own, for a run that restarts its database: initdb into a temporary
 * folder, started with pg_ctl on a free port of 127.0.0.1 (trust authentication, database
 * `postgres`), stopped (as a crash: `-m immediate`) and started again on the same port and data.
 * The machine's own PostgreSQL (the one the SQL store's tests use) is never touched. Debian's server
 * binaries (/usr/lib/postgresql/<version>/bin); as root the server runs as the `postgres` user, since
 * initdb and postgres refuse root. `postgresMissing()` says why it cannot run here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin folder, or null. */
function serverBin(): string | null {
  if (!existsSync(DEBIAN_ROOT)) return null;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((v) => existsSync(path.join(DEBIAN_ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(DEBIAN_ROOT, versions[0], 'bin') : null;
}

const asRoot = () => process.getuid?.() === 0;

function postgresUser(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Why a private PostgreSQL cannot be run here, or undefined when it can. */
export function postgresMissing(): string | undefined {
  if (!serverBin()) return `no PostgreSQL server binaries under ${DEBIAN_ROOT} (Debian's postgresql package)`;
  if (asRoot() && !postgresUser()) return 'running as root and there is no postgres user to run the server as';
  return undefined;
}

export interface PostgresInstance {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  /** Stops the server at once, as a crash would (`-m immediate`: no checkpoint, recovery at the next start). */
  crash(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresInstance> {
  const missing = postgresMissing();
  if (missing) throw new Error(`PostgreSQL cannot run here: ${missing}`);
  const bin = serverBin()!;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'timesheet-postgres-'));
  const data = path.join(dir, 'data');
  const socketDir = path.join(dir, 'socket');
  mkdirSync(socketDir);
  const owner = asRoot() ? postgresUser() : null;
  if (owner) for (const p of [dir, socketDir]) chownSync(p, owner.uid, owner.gid);
  const run = (tool: string, args: string[]) => {
    const [command, argv] = owner
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]]
      : [path.join(bin, tool), args];
    const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () =>
    run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', 'start']);
  const stop = async (mode: 'immediate' | 'fast') => run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  await start();
  let running = true;
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async crash() {
      await stop('immediate');
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async close() {
      if (running) await stop('fast').catch(() => undefined);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
