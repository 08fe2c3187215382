/** One page hammered by autocannon for a fixed time: requests/s and latency percentiles. */
import autocannon from 'autocannon';

export interface PageLoad {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  requests: number;
}

export async function runPageLoad(
  url: string,
  options: { cookie?: string; connections: number; durationMs: number },
): Promise<PageLoad> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationMs / 1000,
    headers: { accept: 'text/html', ...(options.cookie ? { cookie: options.cookie } : {}) },
  });
  return {
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    // Anything but 2xx counts: a redirect to the sign-in would mean the session was lost.
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}
