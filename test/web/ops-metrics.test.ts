// What /metrics says about the running app (HTTP by route pattern, ERP outcomes, store operations,
// active sessions, relay listener) and the /ops page's series, against the real app of each target.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import type { Page, TestBrowser } from '../../scripts/harness/dev-sts.js';
import { autosave, versionOf } from '../../scripts/harness/week-page.js';
import { origins, startTestLinkService, waitFor } from '../../scripts/harness/relay.js';
import { waitForDependencies } from '../../scripts/harness/readiness.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (enough for prom-client's output). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

const sum = (samples: Sample[], name: string, where: Record<string, string | RegExp> = {}) =>
  samples
    .filter(
      (s) =>
        s.name === name &&
        Object.entries(where).every(([k, v]) =>
          typeof v === 'string' ? s.labels[k] === v : v.test(s.labels[k] ?? ''),
        ),
    )
    .reduce((n, s) => n + s.value, 0);

async function scrape(stack: AppStack, admin: TestBrowser): Promise<Sample[]> {
  const page = await admin.get(`${stack.url}/metrics`);
  assert.equal(page.status, 200);
  return parseExposition(page.body);
}

describe('on-prem', () => {
  let stack: AppStack;
  let admin: { browser: TestBrowser; page: Page };
  before(async () => {
    stack = await startAppStack(null, { overrides: { burst: { mode: 'closed' } } });
    admin = await stack.signIn('dave', '/week/2026-W50');
  });
  after(() => stack?.close());

  test('the HTTP histogram is labelled by route pattern, method and status, never by raw URL', async () => {
    const { browser, page } = await stack.signIn('alice', '/week/2026-W49');
    const key = /name="h:([^"]+)"/.exec(page.body)![1]!;
    const saved = await autosave(stack.url, browser, page, '2026-W49', versionOf(page), [{ key, raw: '7,5' }]);
    assert.equal(saved.status, 200);
    assert.equal((await browser.get(`${stack.url}/week/2026-W47`)).status, 200);
    assert.equal((await browser.get(`${stack.url}/no/such/page-12345`)).status, 404);
    const samples = await scrape(stack, admin.browser);
    const routes = new Set(
      samples.filter((s) => s.name === 'timesheet_http_request_duration_seconds_count').map((s) => s.labels.route!),
    );
    assert.ok(routes.has('/week/:weekId'), [...routes].join(' '));
    assert.ok(routes.has('/week/:weekId/autosave'));
    assert.ok(routes.has('/saml/acs'));
    assert.ok(routes.has('unmatched'));
    for (const route of routes) assert.doesNotMatch(route, /2026-W|page-12345/, `raw URL in a label: ${route}`);
    assert.ok(
      sum(samples, 'timesheet_http_request_duration_seconds_count', {
        route: '/week/:weekId',
        method: 'GET',
        status_code: '200',
      }) >= 3,
    );
    assert.equal(
      sum(samples, 'timesheet_http_request_duration_seconds_count', {
        route: '/week/:weekId/autosave',
        method: 'POST',
        status_code: '200',
      }),
      1,
    );
    assert.ok(
      sum(samples, 'timesheet_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' }) >= 1,
    );
    const buckets = samples.filter(
      (s) => s.name === 'timesheet_http_request_duration_seconds_bucket' && s.labels.route === '/week/:weekId/autosave',
    );
    assert.ok(
      buckets.some((b) => b.labels.le === '2'),
      'the p95 alert threshold (2 s) is a bucket bound',
    );
  });

  test('ERP calls are counted by port method and outcome; the outcome changes when the ERP fails', async () => {
    const { browser } = await stack.signIn('bob', '/week/2026-W45');
    const before = await scrape(stack, admin.browser);
    assert.ok(sum(before, 'timesheet_erp_calls_total', { operation: 'getWeekContext', outcome: 'ok' }) >= 1);
    await stack.erp.control({ down: true });
    try {
      assert.equal((await browser.get(`${stack.url}/week/2026-W44`)).status, 503);
    } finally {
      await stack.erp.resetControl();
    }
    const after = await scrape(stack, admin.browser);
    const unavailable = (s: Sample[]) =>
      sum(s, 'timesheet_erp_calls_total', { operation: 'getWeekContext', outcome: 'unavailable' });
    assert.equal(unavailable(after), unavailable(before) + 1);
    assert.ok(
      sum(after, 'timesheet_erp_call_duration_seconds_count', {
        operation: 'getWeekContext',
        outcome: 'unavailable',
      }) >= 1,
    );
    for (const s of after.filter((x) => x.name === 'timesheet_erp_calls_total')) {
      assert.ok(
        ['getWeekContext', 'submitWeek', 'getBookedWeeks', 'getTeamWeek', 'getBookedEntries', 'ping'].includes(
          s.labels.operation!,
        ),
        s.labels.operation,
      );
      assert.ok(['ok', 'unavailable', 'timeout', 'rejected', 'error'].includes(s.labels.outcome!), s.labels.outcome);
    }
  });

  test('store operations are timed by store, operation and outcome; storeCounters() still counts', async () => {
    const counters = stack.app.storeCounters();
    const { browser, page } = await stack.signIn('erin', '/week/2026-W43');
    const key = /name="h:([^"]+)"/.exec(page.body)![1]!;
    assert.equal(
      (await autosave(stack.url, browser, page, '2026-W43', versionOf(page), [{ key, raw: '2' }])).status,
      200,
    );
    const after = stack.app.storeCounters();
    assert.ok(after.reads > counters.reads && after.writes > counters.writes);
    const samples = await scrape(stack, admin.browser);
    for (const [store, operation] of [
      ['session', 'get'],
      ['session', 'set'],
      ['draft', 'load'],
      ['draft', 'save'],
    ] as const) {
      assert.ok(
        sum(samples, 'timesheet_store_operation_duration_seconds_count', { store, operation, outcome: 'ok' }) >= 1,
        `${store}.${operation}`,
      );
    }
  });

  test('active sessions: signed-in sessions seen here in the last 15 minutes, per target', async () => {
    const samples = await scrape(stack, admin.browser);
    const active = samples.find((s) => s.name === 'timesheet_active_sessions');
    assert.equal(active?.labels.target, 'onprem');
    assert.ok(active!.value >= 3, `${active?.value}`);
    assert.equal(
      samples.find((s) => s.name === 'timesheet_relay_listener_up'),
      undefined,
      'no relay on-prem',
    );
    assert.equal(sum(samples, 'timesheet_readiness_check_up', { check: 'session-store' }), 1);
    assert.equal(sum(samples, 'timesheet_dependency_up', { dependency: 'erp' }), 1);
    assert.equal(
      samples.find((s) => s.name === 'timesheet_readiness_check_up' && s.labels.check === 'erp'),
      undefined,
      'the ERP is a dependency, not a readiness check',
    );
  });

  test('/ops/series: the last hour per 10 s (or per minute, per 5 minutes), Admin only', async () => {
    const series = await admin.browser.get(`${stack.url}/ops/series`, { accept: 'application/json' });
    assert.equal(series.status, 200);
    assert.equal(series.headers.get('cache-control'), 'no-store');
    const body = JSON.parse(series.body) as {
      slotSeconds: number;
      step: number;
      target: string;
      points: Array<{ t: number; requests: number; rps: number; p95Ms: number | null }>;
    };
    assert.equal(body.slotSeconds, 10);
    assert.equal(body.step, 10);
    assert.equal(body.target, 'onprem');
    assert.equal(body.points.length, 360);
    assert.ok(
      body.points.every((p, i) => i === 0 || p.t - body.points[i - 1]!.t === 10_000),
      'consecutive 10 s slots',
    );
    const total = body.points.reduce((n, p) => n + p.requests, 0);
    assert.ok(total >= 10, `requests in the last hour: ${total}`);
    assert.ok(body.points.some((p) => p.p95Ms !== null && p.p95Ms > 0));
    assert.ok(body.points.every((p) => (p.requests === 0) === (p.p95Ms === null)));
    const perFive = JSON.parse(
      (await admin.browser.get(`${stack.url}/ops/series?step=300`, { accept: 'application/json' })).body,
    ) as { points: Array<{ requests: number }> };
    assert.equal(perFive.points.length, 12);
    assert.equal(
      perFive.points.reduce((n, p) => n + p.requests, 0),
      total,
      'the same requests, merged (the series polling itself is left out)',
    );
    const alice = await stack.signIn('alice', '/week/2026-W50');
    assert.equal((await alice.browser.get(`${stack.url}/ops/series`, { accept: 'application/json' })).status, 403);
    assert.equal((await alice.browser.get(`${stack.url}/ops`)).status, 403);
    const anonymous = await fetch(`${stack.url}/ops/series`, { redirect: 'manual' });
    assert.notEqual(anonymous.status, 200);
  });

  test('/ops renders for Admin users with the burst state, the outbox and the series tables', async () => {
    const page = await admin.browser.get(`${stack.url}/ops`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1>Operations<\/h1>/);
    assert.match(page.body, /id="burst-state" class="state state-closed">Closed</);
    assert.match(page.body, /id="outbox-pending">0</);
    assert.match(page.body, /<caption>Requests per second, per 5 minutes<\/caption>/);
    assert.match(page.body, /<script src="\/assets\/ops.js" defer><\/script>/);
    assert.doesNotMatch(page.body, /<script>|style="/, 'nothing inline: the CSP forbids it');
    const fr = await admin.browser.get(`${stack.url}/ops?lang=fr`);
    assert.match(fr.body, /<h1>Exploitation<\/h1>/);
    assert.match(fr.body, /Fermée/);
    await admin.browser.get(`${stack.url}/ops?lang=en`);
  });
});

describe('cloud', () => {
  let stack: AppStack;
  before(async () => {
    stack = await startAppStack(null, { target: 'cloud', overrides: { burst: { mode: 'closed' } } });
  });
  after(() => stack?.close());

  test('the relay listener gauge follows the link service', async () => {
    const { browser: admin } = await stack.signIn('dave', '/week/2026-W50');
    const up = await scrape(stack, admin);
    assert.equal(sum(up, 'timesheet_relay_listener_up'), 1);
    assert.equal(sum(up, 'timesheet_active_sessions', { target: 'cloud' }), 1);
    const cloud = stack.cloud!;
    await cloud.link.close();
    await waitFor(() => cloud.relay.listenerCount('erp') === 0, 'the listener to leave');
    // /readyz stays 200 (the link is a shared dependency) and reports the ERP failing once it checked.
    await waitForDependencies(stack.url, { erp: false, relay: true });
    const down = await scrape(stack, admin);
    assert.equal(sum(down, 'timesheet_relay_listener_up'), 0);
    assert.equal(sum(down, 'timesheet_dependency_up', { dependency: 'relay' }), 1, 'the relay itself answers');
    assert.equal(sum(down, 'timesheet_dependency_up', { dependency: 'erp' }), 0);
    assert.equal(sum(down, 'timesheet_readiness_check_up', { check: 'session-store' }), 1);
    const ops = await admin.get(`${stack.url}/ops`);
    assert.match(
      ops.body,
      /<tr id="relay-listener"><th scope="row">Relay listener \(on-prem link service\)<\/th><td class="bad">No listener<\/td>/,
    );
    const link = startTestLinkService(cloud.relay, { erpEndpoints: origins(stack.erp.urls) });
    stack.cloud!.link = link;
    await link.waitUntilConnected(10_000);
    await waitForDependencies(stack.url, { erp: true, relay: true });
    assert.equal(sum(await scrape(stack, admin), 'timesheet_relay_listener_up'), 1);
  });
});
