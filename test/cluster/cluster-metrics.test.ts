// /metrics of an instance running as two cluster workers (a real `src/server.ts` process): whichever
// worker a scrape lands on, it reports the whole instance (every worker's requests summed), and the
// counters never go backwards between scrapes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDevSts, type DevSts } from '../../scripts/stand-ins/dev-sts/dev-sts.js';
import { startTestErpFarm, type TestErpFarm } from '../../scripts/harness/erp-simulator.js';
import { startAppProcess, waitUntil, withLogsOnFailure, type AppProcess } from '../../scripts/harness/processes.js';

const TOKEN = 'cluster-metrics-test-token-0123456789abcdef';
const REQUESTS = 40;

let dir: string;
let erp: TestErpFarm;
let sts: DevSts;
let app: AppProcess | undefined;

before(
  async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cluster-metrics-'));
    [erp, sts] = await Promise.all([startTestErpFarm(), startDevSts({ port: 0 })]);
  },
  { timeout: 60_000 },
);

after(async () => {
  await app?.proc.kill('SIGKILL');
  await erp?.close();
  await sts?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The count of `timesheet_http_request_duration_seconds` for GET `route` answered 200, as scraped. */
async function scrapeCount(route: string): Promise<number> {
  const res = await fetch(`${app!.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200);
  const text = await res.text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('timesheet_http_request_duration_seconds_count{') &&
        l.includes(`route="${route}"`) &&
        l.includes('status_code="200"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

test('with two workers, every scrape counts the requests of both workers', { timeout: 120_000 }, async (t) => {
  app = await startAppProcess({
    name: 'app-two-workers',
    target: 'onprem',
    sts,
    env: {
      TIMESHEET_APP__WORKERS: '2',
      TIMESHEET_METRICS__TOKEN: TOKEN,
      TIMESHEET_PLUGIN_SETTINGS__SESSION_SQL__URL: `sqlite:${path.join(dir, 'store.db')}`,
      TIMESHEET_PLUGIN_SETTINGS__ERP_DIRECT__ENDPOINTS: JSON.stringify(erp.urls),
    },
  });
  await withLogsOnFailure(
    t,
    () => [app?.proc],
    async () => {
      // /readyz answered 200 from one worker; the other may still be building its app (and answer 503
      // "starting"): measure once both say they listen with the app built.
      await waitUntil('both workers to have built the app', () => {
        const built = new Set(
          app!
            .logLines()
            .filter((l) => /listening on/.test(String(l.msg)))
            .map((l) => l.pid),
        );
        return built.size >= 2;
      });
      const pids = new Set<string>();
      const before = await scrapeCount('/login');
      for (let i = 0; i < REQUESTS; i++) {
        // A new connection each time, so the primary spreads them over the workers.
        const res = await fetch(`${app!.url}/login?choose=1`, { headers: { connection: 'close' } });
        assert.equal(res.status, 200);
        await res.arrayBuffer();
      }
      for (const line of app!.logLines())
        if (typeof line.pid === 'number' && line.port !== undefined) pids.add(String(line.pid));
      assert.ok(pids.size >= 2, `two workers listening (pids seen in the log: ${[...pids].join(', ')})`);
      const counts: number[] = [];
      for (let i = 0; i < 6; i++) counts.push((await scrapeCount('/login')) - before);
      for (const count of counts)
        assert.equal(count, REQUESTS, `each scrape counts all ${REQUESTS} requests: ${counts.join(', ')}`);
    },
  );
});
