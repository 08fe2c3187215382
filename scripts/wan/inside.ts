/**
 * The run inside the cloud namespace (`scripts/wan.ts --inside`, started by runner.ts through
 * `ip netns exec`): both sites up, the round trip and the ERP call latency shaped and not shaped
 * (same run, same processes), then the partition scenario. Returns the figures; the runner outside
 * owns the namespaces.
 */
import { createRelayErpConnector } from '../../plugins/erp-relay/relay-erp-connector.js';
import { settingsSchema as erpRelaySettings } from '../../plugins/erp-relay/settings.js';
import { measureErpCalls, measureRtt, type CallFigures, type RttFigures } from './measure.js';
import {
  attachWanLink,
  CLOUD_ADDRESS,
  ONPREM_ADDRESS,
  type NetemSpec,
  type ShaperKind,
  type WanHandle,
} from './network.js';
import { tunControl, type TunCounters } from './shapers.js';
import { longCut, type LongCutFigures } from './long-cut.js';
import { partitionScenario, type PartitionFigures } from './partition.js';
import { afterCut, PRODUCTION, USED, type AfterCut, type RetrySettings } from './retry-settings.js';
import { startSites } from './sites.js';

export interface InsideOptions {
  wan: WanHandle;
  shape: NetemSpec;
  calls: number;
  rttSamples: number;
  partitionMs: number;
  /** 0: no long cut. */
  longCutMs: number;
  log: (line: string) => void;
}

export interface WanResult {
  when: string;
  link: {
    cloud: string;
    onprem: string;
    /** netem on a veth, or the TUN carrier (tun-wan.py) where the kernel has no netem. */
    shaper: ShaperKind;
    why_not_netem?: string;
    /** Each direction: the round trip configured is twice the delay. */
    each_way: NetemSpec;
    configured_rtt_ms: number;
    /** The TUN carrier's packet counters over the whole run, [cloud -> on-prem, on-prem -> cloud]. */
    carrier?: Pick<TunCounters, 'carried' | 'dropped'>;
  };
  rtt_ms: { method: string; shaped: RttFigures; bare: RttFigures };
  erp_call_ms: { via: string; shaped: CallFigures; bare: CallFigures };
  partition: PartitionFigures;
  long_cut: LongCutFigures | null;
  retry: {
    used: RetrySettings;
    production: RetrySettings;
    after_cut_used: AfterCut;
    after_cut_production: AfterCut;
  };
}

export async function insideRun(o: InsideOptions): Promise<WanResult> {
  const net = attachWanLink(o.wan, o.shape);
  const sites = await startSites(net, o.log);
  let connector: Awaited<ReturnType<typeof createRelayErpConnector>> | undefined;
  try {
    connector = await createRelayErpConnector(erpRelaySettings.parse({ relayBaseUrl: sites.relayLocalUrl }));
    const erp = connector;
    const measure = async (label: string) => {
      const rtt = await measureRtt(ONPREM_ADDRESS, o.rttSamples);
      const calls = await measureErpCalls(erp, o.calls);
      o.log(
        `${label}: TCP round trip p50 ${rtt.p50} ms; ${calls.count} ERP calls p50 ${calls.p50} / p99 ${calls.p99} ms`,
      );
      return { rtt, calls };
    };
    const shaped = await measure(
      `shaped ${o.shape.delayMs} ms ±${o.shape.jitterMs} ms, ${o.shape.lossPercent} % loss each way`,
    );
    await net.shape(null);
    const bare = await measure('shaping removed');
    await net.shape(o.shape);
    const partition = await partitionScenario(sites, net, o.partitionMs, o.log);
    const long = o.longCutMs > 0 ? await longCut(sites, net, erp, o.longCutMs, o.log) : null;
    const counters = o.wan.control ? await tunControl(o.wan.control, {}) : undefined;
    return {
      when: new Date().toISOString(),
      link: {
        cloud: `${o.wan.cloudNs} ${CLOUD_ADDRESS}`,
        onprem: `${o.wan.onpremNs} ${ONPREM_ADDRESS}`,
        shaper: o.wan.shaper,
        each_way: o.shape,
        configured_rtt_ms: 2 * o.shape.delayMs,
        ...(counters ? { carrier: { carried: counters.carried, dropped: counters.dropped } } : {}),
      },
      rtt_ms: {
        method: 'TCP connect to a closed port across the link (SYN -> RST)',
        shaped: shaped.rtt,
        bare: bare.rtt,
      },
      erp_call_ms: {
        via: "the cloud copy's erp-relay connector, called from the cloud namespace: relay emulator -> WAN -> link service -> ERP simulator",
        shaped: shaped.calls,
        bare: bare.calls,
      },
      partition,
      long_cut: long,
      retry: {
        used: USED,
        production: PRODUCTION,
        after_cut_used: afterCut(USED, o.partitionMs),
        after_cut_production: afterCut(PRODUCTION, o.partitionMs),
      },
    };
  } finally {
    await connector?.close();
    await sites.close();
  }
}
