// SIGTERM to a real on-prem app process while a request is in flight (the ERP is slow to answer the
// week it opens): the request completes, readiness says 503 before the process exits, exit code 0.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startDevSts, type DevSts } from '../../scripts/stand-ins/dev-sts/dev-sts.js';
import { spOf } from '../../scripts/harness/dev-idps.js';
import { startTestErpFarm, type TestErpFarm } from '../../scripts/harness/erp-simulator.js';
import {
  since,
  startAppProcess,
  statusOf,
  waitUntil,
  withLogsOnFailure,
  type AppProcess,
  type Exit,
} from '../../scripts/harness/processes.js';
import { signIn } from './web.js';

let dir: string;
let erp: TestErpFarm;
let sts: DevSts;
const apps: AppProcess[] = [];

before(
  async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'faults-sigterm-'));
    [erp, sts] = await Promise.all([startTestErpFarm(), startDevSts({ port: 0 })]);
  },
  { timeout: 60_000 },
);

after(async () => {
  for (const app of apps) await app.proc.kill('SIGKILL');
  await erp?.close();
  await sts?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function startInstance(name: string): Promise<{ app: AppProcess; cookie: string }> {
  const app = await startAppProcess({
    name,
    target: 'onprem',
    sts,
    env: {
      TIMESHEET_PLUGIN_SETTINGS__SESSION_SQL__URL: `sqlite:${path.join(dir, `${name}.db`)}`,
      TIMESHEET_PLUGIN_SETTINGS__ERP_DIRECT__ENDPOINTS: JSON.stringify(erp.urls),
    },
  });
  apps.push(app);
  sts.addServiceProvider(spOf(app.url));
  const { browser } = await signIn(app.url, 'alice', '/');
  return { app, cookie: browser.jar.header(app.url)! };
}

/** Makes the ERP slow to open a week and waits until `start()`'s request is at the ERP: it is then in flight in the app. */
async function inFlight<T>(start: () => T): Promise<{ started: T }> {
  const before = (await erp.stats()).calls.GetProjects;
  await erp.control({ operations: { GetProjects: { latencyMs: 2500 } } });
  const started = start();
  await waitUntil('the request to reach the ERP', async () => (await erp.stats()).calls.GetProjects > before, {
    timeoutMs: 10_000,
    intervalMs: 20,
  });
  // Wrapped: returning a promise itself would make the caller wait for the whole request.
  return { started };
}

/** Resolves with the exit, or undefined when the process is still running after `ms`. */
function exitWithin(app: AppProcess, ms: number): Promise<Exit | undefined> {
  return Promise.race([app.proc.exited, delay(ms).then(() => undefined)]);
}

test(
  'SIGTERM: the request in flight completes, /readyz answers 503 before the exit, exit code 0',
  { timeout: 90_000 },
  async (t) => {
    const { app, cookie } = await startInstance('app-sigterm');
    await withLogsOnFailure(
      t,
      () => [app.proc],
      async () => {
        // One keep-alive connection, as a load balancer holds: the slow request first, then a probe.
        const socket = net.connect(app.port, '127.0.0.1');
        let received = '';
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString('latin1');
        });
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        await inFlight(() =>
          socket.write(
            `GET /week/2026-W45 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nCookie: ${cookie}\r\n\r\n`,
          ),
        );
        const signalled = Date.now();
        app.proc.child.kill('SIGTERM');
        t.diagnostic('GET /week/2026-W45 in flight (the ERP holds GetProjects 2.5 s); SIGTERM sent');
        await waitUntil(
          'the app to log its shutdown',
          () => app.logLines().some((l) => String(l.msg).startsWith('shutting down')),
          { timeoutMs: 5000, intervalMs: 20 },
        );
        // The probe on the same connection; it asks to close the connection after its answer.
        socket.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
        const fresh = await statusOf(`${app.url}/readyz`, 1000);
        t.diagnostic(
          `during the drain a NEW connection to /readyz gets ${fresh === undefined ? 'no answer (connection refused: the listener is closed at once)' : `HTTP ${fresh}`}`,
        );
        await closed;
        const answered = Date.now();

        const statuses = [...received.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
        assert.deepEqual(statuses, [200, 503], 'the in-flight page 200, then the probe 503');
        assert.match(
          received,
          /<h1>.*<span class="week-no">Week 45<\/span><\/h1>/,
          'the in-flight request got its whole page',
        );
        const probe = JSON.parse(/\{"status":"not ready".*\}\s*$/s.exec(received)?.[0] ?? '{}') as {
          shuttingDown?: boolean;
        };
        assert.equal(probe.shuttingDown, true, '/readyz says shuttingDown');

        const exit = await exitWithin(app, 15_000);
        assert.ok(exit, 'the process exits within 15 s of its last connection closing');
        assert.deepEqual(exit, { code: 0, signal: null }, 'exit code 0');
        await erp.resetControl();
        t.diagnostic(
          `the in-flight request answered 200 after ${answered - signalled} ms, /readyz answered 503 {shuttingDown: true} on the open connection, the process exited with code 0 ${since(signalled)} after SIGTERM`,
        );
      },
    );
  },
);

test(
  'SIGTERM with a browser-like keep-alive connection: /readyz 503 to new probes while draining, and exit code 0 within 10 s',
  { timeout: 90_000 },
  async (t) => {
    const { app, cookie } = await startInstance('app-keepalive');
    await withLogsOnFailure(
      t,
      () => [app.proc],
      async () => {
        const problems: string[] = [];
        // Node's fetch keeps its connection open after the answer (Keep-Alive: timeout=65), as browsers and balancers do.
        const { started: page } = await inFlight(() =>
          fetch(`${app.url}/week/2026-W44`, { headers: { cookie, accept: 'text/html' } }).then(async (r) => ({
            status: r.status,
            body: await r.text(),
          })),
        );
        const signalled = Date.now();
        app.proc.child.kill('SIGTERM');
        await waitUntil(
          'the app to log its shutdown',
          () => app.logLines().some((l) => String(l.msg).startsWith('shutting down')),
          { timeoutMs: 5000, intervalMs: 20 },
        );
        const probe = await statusOf(`${app.url}/readyz`, 1000);
        if (probe !== 503)
          problems.push(
            `a new probe of /readyz during the drain got ${probe === undefined ? 'connection refused' : `HTTP ${probe}`}, not 503`,
          );
        const answer = await page;
        const answeredAt = Date.now();
        assert.equal(answer.status, 200, 'the in-flight request completed');
        assert.match(answer.body, /<h1>.*<span class="week-no">Week 44<\/span><\/h1>/);
        await erp.resetControl();
        const exit = await exitWithin(app, 10_000);
        if (!exit)
          problems.push(
            `still running ${since(signalled)} after SIGTERM, ${since(answeredAt)} after its only request was answered: server.close() waits for the idle keep-alive connection (the 25 s watchdog then exits with code 1)`,
          );
        else if (exit.code !== 0) problems.push(`exit ${JSON.stringify(exit)}`);
        t.diagnostic(
          `in-flight request 200; new probe: ${probe ?? 'refused'}; exit: ${exit ? JSON.stringify(exit) : 'none within 10 s'}`,
        );
        assert.deepEqual(problems, []);
      },
    );
  },
);
