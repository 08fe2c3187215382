/**
 * The long cut: one longer than the link service's control-channel ping can ride out (a ping every
 * 30 s; no pong by the next one and it drops the connection), so that its reconnect is what brings the
 * ERP back. Measured: when the link service noticed (its "relay connection lost" log line), how many
 * reconnects it tried during the cut, and from the heal: its next "connected" line, the relay's
 * listener count, and the first ERP call through the cloud copy's connector that succeeds (calls
 * back to back, each with erp-relay's own 10 s deadline).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ErpConnector } from '../../src/ports/erp-connector.js';
import { logLines } from './namespace-process.js';
import type { WanLink } from './network.js';
import { watchListener } from './partition.js';
import type { Sites } from './sites.js';

const RECOVERY_TIMEOUT_MS = 90_000;

export interface LongCutFigures {
  cut_ms: number;
  /** From the cut to the link service's first "relay connection lost" (null: it never noticed). */
  link_noticed_after_ms: number | null;
  /** Control channels closed (the dead one, then each failed attempt) during the cut. */
  closes_during_cut: number;
  /** The relay's lowest listener count during the cut (it does not ping listeners: a dead one stays). */
  relay_listeners_min_during_cut: number;
  heal_to_link_connected_ms: number | null;
  /** From the heal to the relay counting exactly one listener that is the new one (null: not seen). */
  heal_to_one_listener_ms: number | null;
  heal_to_first_erp_call_ms: number | null;
  calls_failed_after_heal: number;
  first_errors_after_heal: string[];
}

export async function longCut(
  sites: Sites,
  net: WanLink,
  erp: ErpConnector,
  cutMs: number,
  log: (line: string) => void,
): Promise<LongCutFigures> {
  const watch = watchListener(sites.relay);
  await net.partition();
  const cutAt = Date.now();
  log(`long cut of ${cutMs / 1000} s: longer than the link service's ping can ride out`);
  await delay(cutMs);
  await net.heal();
  const healAt = Date.now();
  const recovery = await firstCall(erp, healAt);
  log(
    `long cut healed; first ERP call through the relay ${recovery.okAt === null ? 'never' : `${recovery.okAt - healAt} ms`} after the heal`,
  );
  await delay(500); // the relay's count settles after the old channel's RST
  watch.stop();
  const lines = (msg: string) => logLines(sites.link, msg).map((l) => l.time as number);
  const lost = lines('relay connection lost; reconnecting').filter((t) => t >= cutAt);
  const connected = lines('connected to the relay; listening').find((t) => t >= healAt);
  const during = watch.samples.filter((s) => s.at >= cutAt && s.at < healAt);
  const oneAfterConnect = connected ? watch.samples.find((s) => s.at >= connected && s.count === 1) : undefined;
  return {
    cut_ms: healAt - cutAt,
    link_noticed_after_ms: lost[0] !== undefined ? lost[0] - cutAt : null,
    closes_during_cut: lost.filter((t) => t < healAt).length,
    relay_listeners_min_during_cut: Math.min(...during.map((s) => s.count)),
    heal_to_link_connected_ms: connected ? connected - healAt : null,
    heal_to_one_listener_ms: oneAfterConnect ? oneAfterConnect.at - healAt : null,
    heal_to_first_erp_call_ms: recovery.okAt === null ? null : recovery.okAt - healAt,
    calls_failed_after_heal: recovery.errors.length,
    first_errors_after_heal: recovery.errors.slice(0, 3),
  };
}

async function firstCall(erp: ErpConnector, healAt: number): Promise<{ okAt: number | null; errors: string[] }> {
  const errors: string[] = [];
  while (Date.now() - healAt < RECOVERY_TIMEOUT_MS) {
    try {
      await erp.getBookedWeeks('alice', '2026-11-02', '2026-12-07');
      return { okAt: Date.now(), errors };
    } catch (err) {
      errors.push((err as Error).message.slice(0, 160));
      await delay(200);
    }
  }
  return { okAt: null, errors };
}
