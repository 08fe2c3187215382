/**
 * `npm run chaos`: the Friday flow under fire on the whole hybrid stack (two instances per copy behind
 * balancers, every part its own process, 127.0.0.1 only): people arrive at a steady rate while an ERP
 * node, an on-prem instance, PostgreSQL, the link service, the relay, a cloud instance, Azurite and
 * the other ERP node fail one after the other and the burst window opens and closes; then every
 * person's ledger (what the answers acknowledged) is compared with the ERP's database. Prints lost
 * hours and double bookings (goal 0 and 0), the failed share of requests, and per fault the longest
 * wait for a save or a receipt and the recovery time; writes them to bench/chaos.json.
 * Options: --rate <people/s> (1.5), --lead <s> before the window opens (75, rounded up to a minute),
 * --window <min> (2), --tail <s> (30), --down <s> each fault keeps its part down (8), --think <ms>
 * between two changes (300), --seed (1), --out (bench/chaos.json). About 5-6 minutes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config/load-config.js';
import { chaosRun, type ChaosResult } from './chaos/chaos-run.js';
import { postgresMissing } from './harness/postgres-instance.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1.5' },
    lead: { type: 'string', default: '75' },
    window: { type: 'string', default: '2' },
    tail: { type: 'string', default: '30' },
    down: { type: 'string', default: '8' },
    think: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: path.join(PROJECT_ROOT, 'bench', 'chaos.json') },
  },
});

function print(r: ChaosResult): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`\n${r.people} people (${r.completed} with their receipt), ${r.requests} requests to the copies`);
  out(
    `lost hours: ${r.lost_hours}   double bookings: ${r.double_bookings}   booked without a submit: ${r.check.booked_without_submit}`,
  );
  out(
    `acknowledged submits not booked: ${r.check.submitted_not_booked}   cells not as acknowledged: ${r.check.wrong_cells}   people who gave up: ${r.check.gave_up}`,
  );
  out(
    `failed requests (no answer, 5xx, 401): ${r.failed_requests} = ${(r.failure_share * 100).toFixed(2)} %; conflicts answered 409: ${r.conflicts_409}`,
  );
  out('\nat (s)  down (s)  requests  failed  longest save / receipt wait (ms)  recovery (ms)  fault');
  for (const f of r.faults)
    out(
      `${String(f.at_s).padStart(6)}  ${String(f.down_s).padStart(8)}  ${String(f.requests).padStart(8)}  ${String(f.failed).padStart(6)}  ${`${f.longest_save_wait_ms} / ${f.longest_receipt_wait_ms}`.padStart(32)}  ${String(f.recovery_ms).padStart(13)}  ${f.fault}`,
    );
  for (const p of r.check.problems) out(`problem: ${p}`);
}

async function main(): Promise<number> {
  const missing = postgresMissing();
  if (missing) {
    process.stderr.write(`chaos: ${missing}\n`);
    return 2;
  }
  const result = await chaosRun({
    rate: Number(values.rate),
    leadSeconds: Number(values.lead),
    windowMinutes: Number(values.window),
    tailSeconds: Number(values.tail),
    downMs: Number(values.down) * 1000,
    thinkMs: Number(values.think),
    seed: Number(values.seed),
    log: (line) => process.stderr.write(`chaos: ${line}\n`),
  });
  print(result);
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${path.relative(process.cwd(), values.out!)}\n`);
  return result.lost_hours === 0 && result.double_bookings === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
