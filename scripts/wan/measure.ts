/**
 * The two latency measures of the WAN lab, taken from the cloud namespace.
 *
 * Round trip: TCP connect to a closed port on the on-prem address. The SYN crosses the link and the
 * on-prem kernel's RST comes back: exactly one round trip, with no process on either side in the
 * timing (there is no ping binary on this machine, and ICMP would need a raw socket). A lost SYN or
 * RST costs the SYN's 1 s retransmission: those samples stay in (they are what a WAN does) and are
 * counted apart.
 *
 * ERP call: one GetBookedWeeks (one SOAP operation, one relay round trip) through the cloud copy's own
 * erp-relay connector (plugins/erp-relay, default settings: 10 s timeout), sender -> relay emulator
 * (same namespace) -> control channel across the WAN -> link service -> ERP simulator and back.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { ErpConnector } from '../../src/ports/erp-connector.js';
import { percentile, round } from '../bench/report.js';

/** The discard port: nothing listens on it in the on-prem namespace, so the kernel answers RST. */
const CLOSED_PORT = 9;
const CONNECT_TIMEOUT_MS = 5000;
/** Above this a sample includes a retransmitted SYN or RST (the first SYN retransmission is at 1 s). */
export const RETRANSMIT_MS = 900;

export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summary(ms: number[]): Summary {
  return {
    count: ms.length,
    min: round(Math.min(...ms)),
    p50: round(percentile(ms, 50)),
    p90: round(percentile(ms, 90)),
    p99: round(percentile(ms, 99)),
    max: round(Math.max(...ms)),
  };
}

function connectRtt(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect({ host, port: CLOSED_PORT });
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => {
      socket.destroy();
      reject(new Error(`no answer to a SYN within ${CONNECT_TIMEOUT_MS} ms`));
    });
    const done = () => {
      socket.destroy();
      resolve(performance.now() - started);
    };
    socket.once('connect', done);
    socket.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNREFUSED' ? done() : reject(new Error(`connect: ${err.code ?? err.message}`)),
    );
  });
}

export interface RttFigures extends Summary {
  /** Samples that needed a retransmitted SYN or RST. */
  retransmitted: number;
}

/** `samples` round trips, `gapMs` apart. */
export async function measureRtt(host: string, samples: number, gapMs = 50): Promise<RttFigures> {
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) {
    ms.push(await connectRtt(host));
    await delay(gapMs);
  }
  return { ...summary(ms), retransmitted: ms.filter((m) => m > RETRANSMIT_MS).length };
}

export interface CallFigures extends Summary {
  operation: string;
  failures: number;
  /** The first few failure messages. */
  errors: string[];
}

const BOOKED_WEEKS = ['alice', '2026-11-02', '2026-12-07'] as const;

/** `count` sequential GetBookedWeeks through the connector, after `warmup` untimed ones. */
export async function measureErpCalls(connector: ErpConnector, count: number, warmup = 5): Promise<CallFigures> {
  for (let i = 0; i < warmup; i++) await connector.getBookedWeeks(...BOOKED_WEEKS).catch(() => undefined);
  const ms: number[] = [];
  const errors: string[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    try {
      await connector.getBookedWeeks(...BOOKED_WEEKS);
      ms.push(performance.now() - started);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  return {
    operation: 'GetBookedWeeks',
    ...summary(ms.length ? ms : [0]),
    count: ms.length,
    failures: errors.length,
    errors: errors.slice(0, 3),
  };
}
