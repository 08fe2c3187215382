/** Percentiles, rounding, and the printed table of a benchmark run. */
import type { Spread } from './repeats.js';
import type { StartupFigures } from './startup.js';

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** p50 and p99 of some latencies (ms, rounded). */
export const p50p99 = (ms: number[]) => ({ p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)) });

/** Latencies by step of the flow: count, p50 and p99 (ms). */
export function stepFigures(byStep: Record<string, number[]>) {
  return Object.fromEntries(Object.entries(byStep).map(([step, ms]) => [step, { count: ms.length, ...p50p99(ms) }]));
}

type Row = [string, string, string, string, string];
type Figures = Record<string, unknown> & { spread?: Record<string, Spread>; repeats?: number };

/** A median with its spread over the repeats: `236 (220-250)`; the value alone after a single run. */
function cell(x: Figures, key: string): string {
  const s = x.spread?.[key];
  const value = String(x[key] ?? '-');
  return s && s.runs.length > 1 ? `${value} (${s.min}-${s.max})` : value;
}

function weekPageRows(wp: Record<string, unknown>, rows: Row[]): void {
  const lat = wp.latency_ms as Record<string, Figures>;
  for (const [name, label] of [
    ['bare', 'bare Express "hello"'],
    ['memory', 'week page, MemoryStore'],
    ['sql', 'week page, SQL (SQLite)'],
    ['azure', 'week page, Azure Tables (Azurite)'],
  ] as const) {
    const x = lat[name]!;
    const notes = [
      x.app_cpu_ms_per_request === null ? '' : `app CPU ${cell(x, 'app_cpu_ms_per_request')} ms/request`,
      x.errors ? `${x.errors} errors` : '',
    ];
    rows.push([label, cell(x, 'rps'), cell(x, 'p50_ms'), cell(x, 'p99_ms'), notes.filter(Boolean).join(', ')]);
  }
  const byCpu = `by app CPU per request: ${wp.ratio_sql_vs_memory_cpu ?? '-'}`;
  rows.push(['ratio SQL / memory', String(wp.ratio_sql_vs_memory), '', '', `goal >= 0.8 (${byCpu})`]);
  rows.push(['ratio Azure Tables / memory', String(wp.ratio_azure_tables_vs_memory), '', '', '']);
}

function flowRows(flow: Record<string, Figures | null>, rows: Row[]): void {
  for (const [name, x] of Object.entries(flow)) {
    if (!x) continue;
    const rss = x.rss_mb as { max: number; median: number } | null;
    const notes = [
      `${x.timesheets_completed} timesheets`,
      `${x.errors} errors`,
      `ERP calls/timesheet ${x.erp_calls_per_timesheet ?? '-'}`,
      `store ops/request ${x.store_ops_per_request ?? '-'} sessions, ${x.store_ops_per_request_all ?? '-'} all`,
      `${x.workers} worker(s)`,
      x.app_cpu_ms_per_request === null
        ? ''
        : `app CPU ${cell(x, 'app_cpu_ms_per_request')} ms/request, machine busy ${x.machine_busy}, app share ${x.app_share_of_busy_cpu}`,
      rss ? `RSS max ${rss.max} MB, median ${rss.median} MB` : '',
    ];
    rows.push([
      `Friday flow, ${name}`,
      cell(x, 'rps'),
      cell(x, 'p50_ms'),
      cell(x, 'p99_ms'),
      notes.filter(Boolean).join(', '),
    ]);
  }
}

function openLoopRows(open: { target: string; rates: Record<string, Figures> }, rows: Row[]): void {
  for (const x of Object.values(open.rates)) {
    const people = x.people as { started: number; unfinished: number };
    const s2r = x.submit_to_receipt_ms as { p50: number; p99: number };
    const steps = Object.entries(x.steps_ms as Record<string, { p50: number; p99: number }>)
      .map(([step, s]) => `${step} ${s.p50}/${s.p99}`)
      .join(', ');
    const notes = [
      `target ${x.target_rps} req/s (${x.people_per_second} people/s x ${x.requests_per_person} requests)`,
      `${people.started} people, ${people.unfinished} unfinished, ${x.errors} errors`,
      `submit to receipt p50/p99 ${s2r.p50}/${s2r.p99} ms`,
      `by step p50/p99 ms: ${steps}`,
    ];
    rows.push([
      `open loop, ${open.target}, ${x.target_rps} req/s`,
      cell(x, 'achieved_rps'),
      cell(x, 'p50_ms'),
      cell(x, 'p99_ms'),
      notes.join('; '),
    ]);
  }
}

export function printTable(results: Record<string, unknown>): void {
  const rows: Row[] = [['run', 'req/s', 'p50 ms', 'p99 ms', 'notes']];
  if (results.week_page) weekPageRows(results.week_page as Record<string, unknown>, rows);
  for (const [store, x] of Object.entries((results.autosave ?? {}) as Record<string, Figures>))
    rows.push([
      `autosave, ${store}`,
      cell(x, 'rps'),
      cell(x, 'p50_ms'),
      cell(x, 'p99_ms'),
      `app CPU ${cell(x, 'app_cpu_ms_per_request')} ms/request${x.errors ? `, ${x.errors} errors` : ''}`,
    ]);
  if (results.friday_flow) flowRows(results.friday_flow as Record<string, Figures | null>, rows);
  if (results.friday_open_loop)
    openLoopRows(results.friday_open_loop as { target: string; rates: Record<string, Figures> }, rows);
  const startup = results.startup_ms as Record<string, StartupFigures> | undefined;
  for (const [pkg, s] of Object.entries(startup ?? {})) {
    const listening = s.listening_runs ? `; listening after ${s.listening_runs.join(', ')} ms` : '';
    rows.push([
      `start of package ${pkg}`,
      '',
      '',
      '',
      `to ${s.until}: best ${s.best} ms, median ${s.median} ms${listening}`,
    ]);
  }
  const costs = results.page_costs as
    Record<string, Record<string, { erp_calls: number; store_ops: number | null }>> | undefined;
  for (const [target, steps] of Object.entries(costs ?? {}))
    rows.push([
      `ERP calls per page, ${target}`,
      '',
      '',
      '',
      Object.entries(steps)
        .map(([step, c]) => `${step} ${c.erp_calls} (store ${c.store_ops ?? '-'})`)
        .join(', '),
    ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: Row) =>
    r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(
    `${line(rows[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.slice(1).map(line).join('\n')}\n`,
  );
  const goals = results.goals as Record<string, { goal: string; value: number | null; met: boolean }> | undefined;
  if (goals) {
    process.stdout.write('\ngoals:\n');
    for (const [k, g] of Object.entries(goals))
      process.stdout.write(`  ${g.met ? 'met   ' : 'MISSED'} ${k} ${g.goal} (measured ${g.value ?? '-'})\n`);
  }
}
