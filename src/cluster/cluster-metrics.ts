import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * /metrics with several workers (`app.workers`): a scrape lands on any one worker, and that worker's
 * own counters alone would be a fraction of the instance that jumps between scrapes (Prometheus'
 * rate() would read every switch of worker as a counter reset). So a worker asks the primary, which
 * collects every worker's metrics over the cluster's IPC channel (prom-client's AggregatorRegistry)
 * and answers with their aggregate: counters and histograms summed, process gauges by their own rule.
 */
const ASK = 'timesheet:cluster-metrics?';
const ANSWER = 'timesheet:cluster-metrics';
/** A little more than the aggregator's own 5 s limit for collecting from the workers. */
const ANSWER_TIMEOUT_MS = 6_000;

interface Ask {
  type: typeof ASK;
  id: number;
}
interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/** In the primary: answers the workers' requests for the whole instance's metrics. */
export function answerClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Partial<Ask> | undefined) => {
    if (message?.type !== ASK || typeof message.id !== 'number') return;
    const id = message.id;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id, text } satisfies Answer),
      (err: unknown) => worker.send({ type: ANSWER, id, error: (err as Error).message } satisfies Answer),
    );
  });
}

/**
 * In a worker, at once (before its app is built): answers the primary's collection. A worker still
 * building its app answers with no metrics rather than not at all; otherwise a scrape landing on a
 * worker that is ready, while the other still starts, waited the aggregator's 5 s and failed (500).
 */
export function joinClusterMetrics(): void {
  // The AggregatorRegistry constructor installs the worker's answer to the primary's collection.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([]);
}

const waiting = new Map<number, (answer: Answer) => void>();
let nextId = 0;
let listening = false;

/**
 * What /metrics serves: in a cluster worker, the aggregate of every worker (asked of the primary);
 * otherwise this process's registry. In a worker, `registry` is what the primary collects from it.
 */
export function metricsSource(registry: Registry): () => Promise<string> {
  if (!cluster.isWorker) return () => registry.metrics();
  // joinClusterMetrics() installed the worker's answer at start-up; from now on it carries this app's metrics.
  AggregatorRegistry.setRegistries([registry]);
  if (!listening) {
    listening = true;
    process.on('message', (message: Partial<Answer> | undefined) => {
      if (message?.type !== ANSWER || typeof message.id !== 'number') return;
      waiting.get(message.id)?.(message as Answer);
      waiting.delete(message.id);
    });
  }
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the cluster primary did not answer with the metrics in time'));
      }, ANSWER_TIMEOUT_MS);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        if (answer.error !== undefined || answer.text === undefined)
          reject(new Error(`cluster metrics: ${answer.error ?? 'no text'}`));
        else resolve(answer.text);
      });
      process.send?.({ type: ASK, id } satisfies Ask);
    });
}
