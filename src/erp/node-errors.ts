/**
 * Failures of ONE ERP node, before the failover loop decides what the caller sees.
 * NodeUnavailableError means "this node did not serve the request, another one may": the loop
 * moves on to the next node. NodeTimeoutError stops the loop: the node may still be working on the
 * request, so the caller gets ErpTimeoutError rather than a second, concurrent attempt.
 */
export class NodeUnavailableError extends Error {
  readonly endpoint: string;
  constructor(endpoint: string, reason: string, options?: { cause?: unknown }) {
    super(`${endpoint}: ${reason}`, options);
    this.name = 'NodeUnavailableError';
    this.endpoint = endpoint;
  }
}

export class NodeTimeoutError extends Error {
  readonly endpoint: string;
  readonly timeoutMs: number;
  constructor(endpoint: string, timeoutMs: number) {
    super(`${endpoint}: no answer within ${timeoutMs} ms`);
    this.name = 'NodeTimeoutError';
    this.endpoint = endpoint;
    this.timeoutMs = timeoutMs;
  }
}
