/**
 * The expired-row sweeper both storage plugins run: one sweep at a time per instance (a second
 * caller, or the timer firing while a slow sweep runs, shares the running one), a timer that never
 * keeps the process alive, and a stop that waits for a sweep in flight. Each plugin supplies only
 * its sweep (the Azure one takes a lease first, so one replica scans at a time).
 */
export class Sweeper<T> {
  #running: Promise<T> | undefined;
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sweepOnce: () => Promise<T>,
    intervalSeconds: number,
    onError: (err: unknown) => void,
  ) {
    if (intervalSeconds > 0) {
      this.#timer = setInterval(() => {
        if (!this.#running) this.sweep().catch(onError);
      }, intervalSeconds * 1000);
      this.#timer.unref();
    }
  }

  sweep(): Promise<T> {
    this.#running ??= this.sweepOnce().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Stops the timer and waits for a sweep in flight (its failure is the timer's to report, not the caller's). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }
}

/** A close() that does its work once, however often it is called. */
export function closeOnce(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}
