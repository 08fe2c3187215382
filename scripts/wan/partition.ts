/**
 * The partition scenario: alice types two cells on the cloud app (autosave), the WAN is cut (netem
 * 100 % loss both ways), she submits during the cut (the page must say "waiting for the ERP": the
 * submission waits in the outbox), the cut lasts `partitionMs`, then heals. Measured from the heal:
 * the ERP's booking (its SQLite `submissions` table), the receipt on the week's /status (what the page
 * polls), and the link service's listener on the relay (sampled every 20 ms). Then the ERP must hold
 * exactly one booking with exactly the hours typed.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { HC } from '../harness/relay.js';
import { waitUntil } from '../harness/processes.js';
import type { RelayEmulator } from '../stand-ins/relay-emulator/relay-emulator.js';
import { logLines } from './namespace-process.js';
import { CLOUD_ADDRESS, ONPREM_ADDRESS, type WanLink } from './network.js';
import { signIn, submitWeek, weekStatus } from '../harness/week-http.js';
import { erpWeek, outboxState, typeCells, type ErpWeek, type OutboxState } from './person.js';
import type { Sites } from './sites.js';
import { tcpTimersTo, type TcpTimers } from './tcp-timers.js';

const USER = 'alice';
const WEEK = '2026-W50';
const MONDAY = '2026-12-07';
const TYPED = [
  { key: 'P-1042|2026-12-07', raw: '7.5' },
  { key: 'P-1050|2026-12-08', raw: '6' },
];
const EXPECTED = ['P-1042 2026-12-07 7.5', 'P-1050 2026-12-08 6'];
const DELIVERY_TIMEOUT_MS = 60_000;

export interface LinkFigures {
  listener_dropped: boolean;
  /** From the cut to the relay's listener count 0, when it dropped. */
  cut_to_listener_lost_ms: number | null;
  /** From the heal to the listener back (null when it never dropped, or did not come back). */
  heal_to_listener_back_ms: number | null;
  /** Control channels the link service opened again after the cut (its "connected" log lines). */
  reconnects: number;
}

export interface PartitionFigures {
  user: string;
  week: string;
  typed: string[];
  partition_ms: number;
  submit_answer_ms: number;
  /** What the page said after the submit during the cut. */
  submit_page: string;
  /** The outbox and the week's status just before the heal. */
  outbox_at_heal: OutboxState;
  status_at_heal: string;
  /** The WAN's TCP connections with data stuck in the cut, each way, just before the heal. */
  tcp_at_heal: { cloud_to_onprem: TcpTimers[]; onprem_to_cloud: TcpTimers[] };
  heal_to_erp_booking_ms: number | null;
  heal_to_receipt_ms: number | null;
  link: LinkFigures;
  /** SubmitTimesheet requests that reached the ERP (its log): retries after the heal are idempotent. */
  submit_calls_at_erp: number;
  erp: ErpWeek;
  receipt: string | null;
  booked_once_as_typed: boolean;
}

export async function partitionScenario(
  sites: Sites,
  net: WanLink,
  partitionMs: number,
  log: (line: string) => void,
): Promise<PartitionFigures> {
  const url = sites.app.url;
  const { browser } = await signIn(url, USER, `/week/${WEEK}`);
  const { browser: admin } = await signIn(url, 'dave', '/');
  await typeCells(url, browser, WEEK, TYPED);
  log(`${USER} signed in on the cloud app (week opened through the WAN) and autosaved ${TYPED.length} cells`);

  const watch = watchListener(sites.relay);
  await net.partition();
  const cutAt = Date.now();
  const { page } = await submitWeek(url, browser, WEEK, {});
  const submitMs = Date.now() - cutAt;
  const said = /Submitted, waiting for the ERP[^<]*/.exec(page.body)?.[0]?.trim() ?? `(not waiting: ${page.status})`;
  log(`WAN cut; submit answered in ${submitMs} ms: "${said}"`);
  await delay(Math.max(0, cutAt + partitionMs - Date.now()));
  const outbox = await outboxState(url, admin, USER, WEEK);
  const status = (await weekStatus(url, browser, WEEK)).status;
  const tcp = {
    cloud_to_onprem: tcpTimersTo(ONPREM_ADDRESS),
    onprem_to_cloud: tcpTimersTo(CLOUD_ADDRESS, net.onpremNs),
  };
  await net.heal();
  const healAt = Date.now();
  log(
    `WAN healed after ${healAt - cutAt} ms; week ${status}, ${outbox.pending} pending, ${outbox.attempts} failed attempt(s)`,
  );

  const { bookedAt, receiptAt, receipt } = await waitForDelivery(sites, browser);
  watch.stop();
  const erp = await erpWeek(sites.erpDb, USER, MONDAY);
  const after = (at: number | null) => (at === null ? null : at - healAt);
  return {
    user: USER,
    week: WEEK,
    typed: EXPECTED,
    partition_ms: healAt - cutAt,
    submit_answer_ms: submitMs,
    submit_page: said,
    outbox_at_heal: outbox,
    status_at_heal: status,
    tcp_at_heal: tcp,
    heal_to_erp_booking_ms: after(bookedAt),
    heal_to_receipt_ms: after(receiptAt),
    link: linkFigures(sites, watch, cutAt, healAt),
    submit_calls_at_erp: logLines(sites.erp, 'ERP call').filter((l) => l.operation === 'SubmitTimesheet').length,
    erp,
    receipt,
    booked_once_as_typed:
      erp.receipts.length === 1 && erp.receipts[0] === receipt && erp.entries.join() === EXPECTED.join(),
  };
}

/** Polls the ERP's table and the week's status every 50 ms until both show the booking. */
async function waitForDelivery(sites: Sites, browser: Parameters<typeof weekStatus>[1]) {
  let bookedAt: number | null = null;
  let receiptAt: number | null = null;
  let receipt: string | null = null;
  await waitUntil(
    'the booking in the ERP and the receipt on the week status',
    async () => {
      if (bookedAt === null && (await erpWeek(sites.erpDb, USER, MONDAY)).receipts.length > 0) bookedAt = Date.now();
      if (receiptAt === null) {
        const s = await weekStatus(sites.app.url, browser, WEEK);
        if (s.status === 'submitted') [receiptAt, receipt] = [Date.now(), s.receipt];
      }
      return bookedAt !== null && receiptAt !== null;
    },
    { timeoutMs: DELIVERY_TIMEOUT_MS, intervalMs: 50 },
  ).catch(() => undefined); // reported as null: the caller judges
  return { bookedAt, receiptAt, receipt };
}

export interface ListenerWatch {
  samples: Array<{ at: number; count: number }>;
  stop(): void;
}

/** Samples the relay's listener count every 20 ms until stop(). */
export function watchListener(relay: RelayEmulator): ListenerWatch {
  const samples: ListenerWatch['samples'] = [];
  const timer = setInterval(() => samples.push({ at: Date.now(), count: relay.listenerCount(HC) }), 20);
  return { samples, stop: () => clearInterval(timer) };
}

function linkFigures(sites: Sites, watch: ListenerWatch, cutAt: number, healAt: number): LinkFigures {
  const lost = watch.samples.find((s) => s.at >= cutAt && s.count === 0);
  const back = lost ? watch.samples.find((s) => s.at > lost.at && s.count > 0) : undefined;
  const connects = logLines(sites.link, 'connected to the relay; listening');
  return {
    listener_dropped: lost !== undefined,
    cut_to_listener_lost_ms: lost ? lost.at - cutAt : null,
    heal_to_listener_back_ms: back ? back.at - healAt : null,
    reconnects: connects.filter((l) => (l.time as number) > cutAt).length,
  };
}
