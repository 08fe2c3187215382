// The ERP link down on a Friday: two cloud replicas (their own processes, one Azurite) behind a
// round-robin balancer, the on-prem link service (its own process) killed. The replicas must stay
// ready (the ERP is a shared dependency, not theirs: were it in the readiness probe, every replica
// would leave the balancer at once), a person in Chromium keeps typing and submits, a week not yet
// opened gets the translated "the ERP cannot be reached" page, and the booking happens, once, with
// exactly the hours typed, when the link service is back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startDevSts, type DevSts } from '../../scripts/stand-ins/dev-sts/dev-sts.js';
import type { RelayEmulator } from '../../scripts/stand-ins/relay-emulator/relay-emulator.js';
import { startAzurite, type AzuriteTable } from '../../scripts/harness/azurite.js';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { spOf } from '../../scripts/harness/dev-idps.js';
import { startTestErpFarm, type TestErpFarm } from '../../scripts/harness/erp-simulator.js';
import { HC, origins, startTestRelay } from '../../scripts/harness/relay.js';
import {
  since,
  startAppProcess,
  startLinkServiceProcess,
  waitUntil,
  withLogsOnFailure,
  type AppProcess,
  type ManagedProcess,
} from '../../scripts/harness/processes.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../scripts/harness/round-robin-proxy.js';
import { erpBookings, erpEntries } from './web.js';
import { readiness, waitForDependencies } from '../../scripts/harness/readiness.js';

let dir: string;
let erp: TestErpFarm;
let azurite: AzuriteTable;
let relay: RelayEmulator;
let link: ManagedProcess;
let sts: DevSts;
let proxy: RoundRobinProxy;
const replicas: AppProcess[] = [];
let chromium: Browser;

before(
  async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'faults-erp-link-'));
    [erp, azurite, relay, sts, proxy, chromium] = await Promise.all([
      startTestErpFarm(),
      startAzurite({ location: path.join(dir, 'azurite') }),
      startTestRelay(),
      startDevSts({ port: 0 }),
      startRoundRobinProxy(),
      launchChromium(),
    ]);
    sts.addServiceProvider(spOf(proxy.url));
    link = await startLinkServiceProcess(relay, origins(erp.urls));
    const env = (name: string) => ({
      TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__CONNECTION_STRING: azurite.connectionString,
      TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__RELAY_BASE_URL: relay.url,
      TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__TIMEOUT_MS: '4000',
      TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__PING_TIMEOUT_MS: '1000',
      TIMESHEET_PLUGIN_SETTINGS__CLOUD_ROLE__INSTANCE_NAME: name,
    });
    // One after the other: the first creates the tables, the second finds them.
    for (const name of ['cloud-1', 'cloud-2'])
      replicas.push(await startAppProcess({ name, target: 'cloud', sts, publicUrl: proxy.url, env: env(name) }));
    proxy.backends = replicas.map((r) => r.url);
  },
  { timeout: 120_000 },
);

after(async () => {
  await chromium?.close();
  for (const r of replicas) await r.proc.stop();
  await link?.stop();
  await proxy?.close();
  await relay?.close();
  await azurite?.stop();
  await erp?.close();
  await sts?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test(
  'ERP link down: both replicas stay ready and report the ERP as a failing dependency; the person keeps typing and submits; the week is booked once, as typed, when the link is back',
  { timeout: 150_000 },
  async (t) => {
    await withLogsOnFailure(
      t,
      () => [...replicas.map((r) => r.proc), link],
      async () => {
        const started = Date.now();
        const week = '2026-W50';
        const context = await chromium.newContext({ locale: 'en-GB' });
        try {
          const page = await context.newPage();
          await page.goto(`${proxy.url}/week/${week}`);
          await page.getByLabel('User name').fill('alice');
          await page.getByLabel('Password').fill('dev-password');
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.waitForURL(`${proxy.url}/week/${week}`);
          const cell = (day: string) => page.getByLabel(`Hours for P-1042 Migration on ${day}`);
          const status = page.locator('#save-status');
          const autosaves = () => proxy.log.filter((e) => e.method === 'POST' && e.path.endsWith('/autosave'));
          const type = async (day: string, value: string) => {
            const before = autosaves().filter((e) => e.status === 200).length;
            await cell(day).fill(value);
            await cell(day).press('Tab');
            await waitUntil(
              `the autosave of ${day}`,
              () => autosaves().filter((e) => e.status === 200).length > before,
              {
                timeoutMs: 15_000,
              },
            );
            await status.filter({ hasText: /^Saved at \d\d:\d\d$/ }).waitFor({ timeout: 15_000 });
          };
          await type('Monday 7 December', '4');
          t.diagnostic(`alice opened ${week} through the balancer (ERP reachable) and typed Monday 4 h`);

          const exit = await link.kill('SIGKILL');
          await waitUntil('the relay to lose its listener', () => relay.listenerCount(HC) === 0, { timeoutMs: 10_000 });
          const killedAt = Date.now();
          const fromKill = proxy.log.length;
          t.diagnostic(`link service SIGKILLed (${exit.signal}) at ${since(started)}; relay listeners: 0`);

          // Each replica's probe: ready all along, and it sees the ERP fail (reported, not decisive).
          const probes = (
            await Promise.all(replicas.map((replica) => waitForDependencies(replica.url, { erp: false }, 20_000)))
          ).flat();

          // The person keeps typing: every autosave lands, on either replica.
          for (const [day, value] of [
            ['Tuesday 8 December', '7.5'],
            ['Wednesday 9 December', '6'],
            ['Monday 7 December', '8'],
          ] as const)
            await type(day, value);
          const savedBy = new Set(
            autosaves()
              .slice(-3)
              .map((e) => replicas[e.backend]!.name),
          );
          t.diagnostic(
            `during the outage 3 autosaves saved (served by ${[...savedBy].join(' and ')}); the page says "${await status.textContent()}"`,
          );

          // A week not in the store needs the ERP: a clear page, in the person's language, nothing lost.
          const other = await context.newPage();
          const unopened = await other.goto(`${proxy.url}/week/2026-W40`);
          assert.equal(unopened?.status(), 503);
          await other.getByText('The ERP cannot be reached right now. Your draft is safe here').waitFor();
          const french = await other.goto(`${proxy.url}/week/2026-W40?lang=fr`);
          assert.equal(french?.status(), 503);
          const frenchText = (await other.locator('main').textContent()) ?? '';
          assert.match(frenchText, /ERP/);
          assert.doesNotMatch(frenchText, /cannot be reached/, 'the French page is in French');
          await other.goto(`${proxy.url}/week/${week}?lang=en`); // the session's language back to English
          await other.close();

          await page.getByRole('button', { name: 'Submit week' }).click();
          await page.getByRole('heading', { name: /^Submitted, waiting for the ERP/ }).waitFor({ timeout: 20_000 });
          const during = proxy.log.slice(fromKill);
          const failed = during.filter((e) => e.status >= 500);
          assert.deepEqual(
            failed.map((e) => `${e.status} ${e.path}`),
            ['503 /week/2026-W40', '503 /week/2026-W40?lang=fr'],
            'the only failures were the week that needs the ERP',
          );
          for (const replica of replicas) assert.equal((await readiness(replica.url)).status, 200);
          t.diagnostic(
            `submitted while the link is down: "Submitted, waiting for the ERP"; ${during.length} requests through the balancer since the kill, ${failed.length} failed (the two 503s of the week not yet opened); ${probes.length} probes, all 200 (${since(started)})`,
          );

          const before = await erp.stats();
          link = await startLinkServiceProcess(relay, origins(erp.urls));
          const back = Date.now();
          const receipt = await page.getByText(/Receipt number RCPT-\d+/).textContent({ timeout: 30_000 });
          t.diagnostic(
            `link service back after ${((back - killedAt) / 1000).toFixed(1)} s down; the page showed "${receipt?.trim()}" ${Date.now() - back} ms later without a reload`,
          );

          const stats = await erp.stats();
          const bookings = await erpBookings(erp.dbFile, 'alice', '2026-12-07');
          assert.equal(bookings.length, 1, 'booked exactly once');
          assert.ok(stats.submissionsBooked - before.submissionsBooked <= 1);
          assert.match(receipt ?? '', new RegExp(bookings[0]!.receipt_number));
          const typed = (await erpEntries(erp.dbFile, 'alice', '2026-12-07'))
            .filter((e) => e.project_code === 'P-1042')
            .map((e) => `${e.date} ${e.hours}`);
          assert.deepEqual(typed, ['2026-12-07 8', '2026-12-08 7.5', '2026-12-09 6'], 'the ERP holds what was typed');
          t.diagnostic(`the ERP holds P-1042: ${typed.join(', ')} (one booking, ${bookings[0]!.receipt_number})`);
        } finally {
          await context.close();
        }
      },
    );
  },
);
