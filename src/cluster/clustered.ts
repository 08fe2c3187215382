import cluster from 'node:cluster';
import os from 'node:os';
import { answerClusterMetrics, joinClusterMetrics } from './cluster-metrics.js';

/** `app.workers`: a number, or `auto` for one per core. */
export function workerCount(setting: number | 'auto'): number {
  return setting === 'auto' ? os.availableParallelism() : setting;
}

/**
 * Runs `startWorker` in `workers` processes sharing the listening port (Node cluster), so one instance
 * uses every core; sessions, drafts and the outbox live in the shared store, so any worker can serve
 * any request. With one worker, or inside a worker, it just runs `startWorker`. The primary replaces a
 * worker that dies (not while stopping), forwards SIGTERM/SIGINT to the workers, exits when they have,
 * and answers the workers' requests for the whole instance's metrics (src/cluster/cluster-metrics.ts).
 */
export async function runClustered(
  workers: number,
  startWorker: () => Promise<void>,
  log: (message: string) => void,
): Promise<void> {
  if (workers <= 1) return startWorker();
  if (cluster.isWorker) {
    joinClusterMetrics();
    return startWorker();
  }
  let stopping = false;
  answerClusterMetrics();
  const fork = () => cluster.fork();
  for (let i = 0; i < workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
