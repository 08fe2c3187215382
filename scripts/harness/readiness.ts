/** /readyz as a load balancer's probe and an operator see it: status, own checks, dependencies. */
import assert from 'node:assert/strict';
import { waitFor } from './relay.js';

export interface Readiness {
  status: number;
  checks: Array<{ name: string; ok: boolean }>;
  /** The shared dependencies (ERP, relay) as last checked: ok null until a first check. */
  dependencies: Array<{ name: string; ok: boolean | null }>;
}

export async function readiness(baseUrl: string): Promise<Readiness> {
  const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as Omit<Readiness, 'status'>;
  return { status: res.status, checks: body.checks, dependencies: body.dependencies };
}

/**
 * Polls /readyz until each named dependency reports `ok` as expected (they are checked in the
 * background, so a change shows within seconds), asserting on every answer that the instance stays
 * ready: a dependency's state must never decide readiness. Returns every answer seen.
 */
export async function waitForDependencies(
  baseUrl: string,
  expected: Record<string, boolean>,
  timeoutMs = 15_000,
): Promise<Readiness[]> {
  const seen: Readiness[] = [];
  await waitFor(
    async () => {
      const r = await readiness(baseUrl);
      seen.push(r);
      assert.equal(r.status, 200, `${baseUrl}/readyz stays 200 whatever the dependencies (${JSON.stringify(r)})`);
      const state = Object.fromEntries(r.dependencies.map((d) => [d.name, d.ok]));
      return Object.entries(expected).every(([name, ok]) => state[name] === ok);
    },
    `/readyz dependencies ${JSON.stringify(expected)}`,
    timeoutMs,
    100,
  );
  return seen;
}
