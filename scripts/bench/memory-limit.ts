/**
 * Runs the app processes of the benchmark with the memory of a deployed replica (`--memory-limit`,
 * default 1024 MiB: the Terraform's `container_memory` of "1Gi"), in a memory cgroup of their own.
 *
 * Why: V8 sizes its heap from the memory it may use. On this 23.5 GiB machine it allows a 4.2 GiB
 * heap with a 64 MiB young generation and collects lazily, so the RSS measured under load (about
 * 400 MB) says more about the machine than about the app; in a 1 GiB container Node gives V8 a
 * 560 MiB heap and a 16 MiB young generation. The cgroup is how a container sets that limit, so the
 * app sizes itself as it would there, with no flag the package does not ship.
 *
 * cgroup v1 (`/sys/fs/cgroup/memory`) and v2 (`memory` in `/sys/fs/cgroup/cgroup.controllers`); it
 * needs the right to create a cgroup (root here). Where it cannot, the app runs without a limit and
 * the results say why.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface MemoryLimit {
  /** The limit in MiB, or null when none could be set. */
  mb: number | null;
  /** Why there is no limit (not asked, or no cgroup could be made). */
  reason?: string;
  /** `command args` to run inside the limit (the command itself when there is none). */
  wrap(command: string, args: string[]): { command: string; args: string[] };
  /** Removes the cgroup once its processes have exited. */
  close(): void;
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Where a memory cgroup can be made here, and the file that takes the limit in bytes. */
function memoryHierarchy(): { dir: string; limitFile: string } | null {
  if (existsSync(path.join(CGROUP_ROOT, 'memory', 'memory.limit_in_bytes')))
    return { dir: path.join(CGROUP_ROOT, 'memory'), limitFile: 'memory.limit_in_bytes' };
  const controllers = path.join(CGROUP_ROOT, 'cgroup.controllers');
  if (existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('memory'))
    return { dir: CGROUP_ROOT, limitFile: 'memory.max' };
  return null;
}

const noLimit = (reason: string): MemoryLimit => ({
  mb: null,
  reason,
  wrap: (command, args) => ({ command, args }),
  close: () => undefined,
});

/** A memory cgroup of `mb` MiB for the app processes; `mb` 0 runs them without a limit. */
export function openMemoryLimit(mb: number): MemoryLimit {
  if (!mb) return noLimit('--memory-limit 0');
  const hierarchy = memoryHierarchy();
  if (!hierarchy) return noLimit('no memory cgroup controller on this machine');
  const dir = path.join(hierarchy.dir, `timesheet-bench-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, hierarchy.limitFile), String(mb * 1024 * 1024));
  } catch (err) {
    return noLimit(`cannot make a memory cgroup (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return {
    mb,
    // The shell joins the cgroup, then becomes the command (same pid): V8 reads the limit at start.
    wrap: (command, args) => ({
      command: 'sh',
      args: ['-c', `echo $$ > '${path.join(dir, 'cgroup.procs')}' && exec "$0" "$@"`, command, ...args],
    }),
    close: () => {
      try {
        rmdirSync(dir);
      } catch {
        // still holds a process that did not exit: the kernel keeps it until then
      }
    },
  };
}
