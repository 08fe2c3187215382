/** The figures of a WAN run as lines of text (printed by `npm run wan`, diagnostics of the test). */
import type { WanResult } from './inside.js';
import type { RetrySettings } from './retry-settings.js';

const SHAPERS = {
  netem: 'tc netem on both ends of a veth',
  tun: 'the TUN carrier (scripts/wan/tun-wan.py)',
};
const s = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(2)} s`);

function retryLine(r: RetrySettings): string {
  return (
    `outbox poll ${r.outbox_poll_ms / 1000} s, backoff ${r.outbox_backoff_base_ms / 1000} s doubling to ` +
    `${r.outbox_backoff_max_ms / 1000} s (equal jitter), ${r.outbox_max_attempts} attempts; erp-relay timeout ` +
    `${r.erp_relay_timeout_ms / 1000} s; link service reconnect ${r.link_reconnect_initial_ms} ms doubling to ` +
    `${r.link_reconnect_max_ms / 1000} s, ping every ${r.link_ping_interval_ms / 1000} s`
  );
}

function tcpLines(tcp: WanResult['partition']['tcp_at_heal']): string[] {
  const side = (label: string, t: WanResult['partition']['tcp_at_heal']['cloud_to_onprem']) =>
    t.length === 0
      ? `${label}: nothing in flight`
      : `${label}: ${t
          .map(
            (c) =>
              `${c.unacked} unacked, RTO ${s(c.rto_ms)} after ${c.backoff} doubling(s), next retransmission in ~${s(c.next_retransmission_in_ms)}`,
          )
          .join('; ')}`;
  return [
    `  TCP at the heal: ${side('cloud -> on-prem (the relay to the link service)', tcp.cloud_to_onprem)}; ${side('on-prem -> cloud', tcp.onprem_to_cloud)}`,
  ];
}

function longCutLines(l: WanResult['long_cut']): string[] {
  if (!l) return [];
  return [
    `long cut ${s(l.cut_ms)}: the link service noticed ${s(l.link_noticed_after_ms)} after the cut (ping), ${l.closes_during_cut} channel close(s) during it; relay listeners during it: at least ${l.relay_listeners_min_during_cut}`,
    `  heal -> link service connected ${s(l.heal_to_link_connected_ms)}; -> the relay counts one listener ${s(l.heal_to_one_listener_ms)}; -> first ERP call through the relay ${s(l.heal_to_first_erp_call_ms)} (${l.calls_failed_after_heal} failed before${l.first_errors_after_heal[0] ? `: ${l.first_errors_after_heal[0].slice(0, 90)}` : ''})`,
  ];
}

export function reportLines(r: WanResult): string[] {
  const n = r.link.each_way;
  const p = r.partition;
  const call = (x: WanResult['erp_call_ms']['shaped']) =>
    `p50 ${x.p50} / p90 ${x.p90} / p99 ${x.p99} / max ${x.max} ms over ${x.count} calls, ${x.failures} failed`;
  const rtt = (x: WanResult['rtt_ms']['shaped']) =>
    `min ${x.min} / p50 ${x.p50} / p90 ${x.p90} / max ${x.max} ms over ${x.count} (${x.retransmitted} with a retransmitted SYN)`;
  return [
    `WAN: ${r.link.cloud} <-> ${r.link.onprem}, shaped by ${SHAPERS[r.link.shaper]}: ${n.delayMs} ms ±${n.jitterMs} ms (normal), ${n.lossPercent} % loss each way -> configured RTT ${r.link.configured_rtt_ms} ms`,
    ...(r.link.why_not_netem ? [`  (not netem: ${r.link.why_not_netem})`] : []),
    ...(r.link.carrier
      ? [
          `  carrier packets cloud->on-prem / on-prem->cloud: carried ${r.link.carrier.carried.join(' / ')}, dropped ${r.link.carrier.dropped.join(' / ')}`,
        ]
      : []),
    `RTT (${r.rtt_ms.method}): shaped ${rtt(r.rtt_ms.shaped)}`,
    `  not shaped ${rtt(r.rtt_ms.bare)}`,
    `ERP call ${r.erp_call_ms.shaped.operation} via ${r.erp_call_ms.via}:`,
    `  shaped:     ${call(r.erp_call_ms.shaped)}`,
    `  not shaped: ${call(r.erp_call_ms.bare)}`,
    `partition ${s(p.partition_ms)}: submit during the cut answered in ${p.submit_answer_ms} ms, page "${p.submit_page}"; at the heal the week was "${p.status_at_heal}", ${p.outbox_at_heal.pending} pending in the outbox, ${p.outbox_at_heal.attempts} failed attempt(s)${p.outbox_at_heal.lastError ? ` (last error: ${p.outbox_at_heal.lastError.slice(0, 100)})` : ''}`,
    ...tcpLines(p.tcp_at_heal),
    `  heal -> ERP booking ${s(p.heal_to_erp_booking_ms)}; heal -> receipt on the week status ${s(p.heal_to_receipt_ms)}`,
    `  link service: listener ${p.link.listener_dropped ? `lost ${s(p.link.cut_to_listener_lost_ms)} after the cut, back ${s(p.link.heal_to_listener_back_ms)} after the heal` : 'never lost (the control channel outlived the cut: TCP retransmitted, no reconnect)'}; reconnects ${p.link.reconnects}`,
    `  ERP: ${p.erp.receipts.length} booking(s) ${p.erp.receipts.join(', ')} (receipt on the page ${p.receipt ?? 'none'}), SubmitTimesheet reached it ${p.submit_calls_at_erp} time(s); entries ${p.erp.entries.join(', ') || 'none'}; typed ${p.typed.join(', ')}`,
    `  booked exactly once as typed: ${p.booked_once_as_typed ? 'yes' : 'NO'}`,
    ...longCutLines(r.long_cut),
    `retry settings used: ${retryLine(r.retry.used)}`,
    `  -> for this cut: ${r.retry.after_cut_used.attempts_during_cut} attempt(s) sent into it; worst case next attempt ${s(r.retry.after_cut_used.next_attempt_after_heal_ms)} after the heal`,
    `production defaults: ${retryLine(r.retry.production)}`,
    `  -> for this cut: ${r.retry.after_cut_production.attempts_during_cut} attempt(s) sent into it; worst case next attempt ${s(r.retry.after_cut_production.next_attempt_after_heal_ms)} after the heal (unless the one in flight is answered first)`,
  ];
}
