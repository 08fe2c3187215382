/** Percentiles and the printed table of a benchmark run. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

type Row = [string, string, string, string, string];

export function printTable(results: Record<string, unknown>): void {
  const rows: Row[] = [['run', 'req/s', 'p50 ms', 'p99 ms', 'notes']];
  const wp = results.week_page as Record<string, unknown> | undefined;
  if (wp) {
    const lat = wp.latency_ms as Record<
      string,
      { rps: number; p50_ms: number; p99_ms: number; errors: number; app_cpu_ms_per_request: number | null }
    >;
    for (const [name, label] of [
      ['bare', 'bare Express "hello"'],
      ['memory', 'week page, MemoryStore'],
      ['sql', 'week page, SQL (SQLite)'],
      ['azure', 'week page, Azure Tables (Azurite)'],
    ] as const) {
      const x = lat[name]!;
      const notes = [
        x.app_cpu_ms_per_request === null ? '' : `app CPU ${x.app_cpu_ms_per_request} ms/request`,
        x.errors ? `${x.errors} errors` : '',
      ];
      rows.push([label, String(x.rps), String(x.p50_ms), String(x.p99_ms), notes.filter(Boolean).join(', ')]);
    }
    rows.push([
      'ratio SQL / memory',
      String(wp.ratio_sql_vs_memory),
      '',
      '',
      `goal >= 0.8 (by app CPU per request: ${wp.ratio_sql_vs_memory_cpu ?? '-'})`,
    ]);
    rows.push(['ratio Azure Tables / memory', String(wp.ratio_azure_tables_vs_memory), '', '', '']);
  }
  const flow = results.friday_flow as Record<string, Record<string, unknown> | null> | undefined;
  if (flow) {
    for (const [name, x] of Object.entries(flow)) {
      if (!x) continue;
      const notes = [
        `${x.timesheets_completed} timesheets`,
        `${x.errors} errors`,
        `ERP calls/timesheet ${x.erp_calls_per_timesheet ?? '-'}`,
        `store ops/request ${x.store_ops_per_request ?? '-'} sessions, ${x.store_ops_per_request_all ?? '-'} all`,
        `${x.workers} worker(s)`,
        x.app_cpu_ms_per_request === null
          ? ''
          : `app CPU ${x.app_cpu_ms_per_request} ms/request, machine busy ${x.machine_busy}, app share ${x.app_share_of_busy_cpu}`,
      ]
        .filter(Boolean)
        .join(', ');
      rows.push([`Friday flow, ${name}`, String(x.rps), String(x.p50_ms), String(x.p99_ms), notes]);
    }
  }
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
