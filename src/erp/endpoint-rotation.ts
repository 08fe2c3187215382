import { ErpTimeoutError, ErpUnavailableError } from '../ports/erp-connector.js';
import { NodeTimeoutError, NodeUnavailableError } from './node-errors.js';

export interface FailoverLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Round robin over the ERP farm with failover inside one call. Each call starts on the next node
 * (spreading the load) and moves on to the following node only when a node did not serve the
 * request (NodeUnavailableError). A timeout ends the call at once: the slow node may still book
 * the request, and a second attempt would only double the wait of the person on the page.
 */
export class EndpointRotation {
  private next = 0;

  constructor(
    readonly endpoints: readonly string[],
    private readonly logger?: FailoverLogger,
  ) {
    if (endpoints.length === 0) throw new Error('EndpointRotation needs at least one endpoint');
  }

  /** The endpoints in the order this call should try them. */
  private order(): string[] {
    const start = this.next;
    this.next = (this.next + 1) % this.endpoints.length;
    return this.endpoints.map((_, i) => this.endpoints[(start + i) % this.endpoints.length]!);
  }

  /**
   * Runs `attempt` on one node after the other until one serves it. Errors other than
   * NodeUnavailableError / NodeTimeoutError (for example ErpRejectedError) pass through untouched.
   */
  async run<T>(
    what: string,
    attempt: (endpoint: string) => Promise<T>,
    options: { failOverOnTimeout?: boolean } = {},
  ): Promise<T> {
    const failures: Error[] = [];
    for (const endpoint of this.order()) {
      try {
        return await attempt(endpoint);
      } catch (err) {
        if (err instanceof NodeTimeoutError && !options.failOverOnTimeout) {
          throw new ErpTimeoutError(`The ERP did not answer ${what} within ${err.timeoutMs} ms (${err.endpoint})`, {
            cause: err,
          });
        }
        if (!(err instanceof NodeUnavailableError) && !(err instanceof NodeTimeoutError)) throw err;
        failures.push(err);
        this.logger?.warn({ endpoint, what, err: err.message }, 'ERP node failed; trying the next one');
      }
    }
    throw new ErpUnavailableError(`No ERP node could serve ${what}: ${failures.map((f) => f.message).join('; ')}`, {
      cause: failures,
    });
  }
}
