/**
 * `node --import tsx <entry>` inside another network namespace: the harness's spawnTsx with
 * `ip netns exec` in front. `ip netns exec` enters the namespace and execs the command (no fork
 * without -all), so the child's pid is node's and a signal reaches it; the harness kills it when this
 * process exits.
 */
import { spawnTsx, waitUntil, type ManagedProcess } from '../harness/processes.js';

// Larger than the harness's 64 KB: the ERP's one log line per call is counted at the end of a run.
const OUTPUT_LIMIT = 4_000_000;

export function spawnTsxIn(
  ns: string,
  name: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): ManagedProcess {
  return spawnTsx(name, entry, args, env, { prefix: ['ip', 'netns', 'exec', ns], outputLimit: OUTPUT_LIMIT });
}

/** Waits for a line of the process's output; fails at once if it exits. */
export function waitForOutput(proc: ManagedProcess, pattern: RegExp, timeoutMs = 30_000): Promise<true> {
  return waitUntil(`${proc.name} to print ${pattern}`, () => pattern.test(proc.output()), {
    timeoutMs,
    abortIf: () => (proc.running() ? undefined : `${proc.name} exited:\n${proc.output().slice(-3000)}`),
  });
}

/** The process's JSON log lines (pino) whose `msg` is `msg`. */
export function logLines(proc: ManagedProcess, msg: string): Array<Record<string, unknown>> {
  return proc
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(msg))
    .flatMap((l) => {
      try {
        const line = JSON.parse(l) as Record<string, unknown>;
        return line.msg === msg ? [line] : [];
      } catch {
        return [];
      }
    });
}
