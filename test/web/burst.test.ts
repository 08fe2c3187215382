// The burst on the on-prem copy: an Admin opens the window, new visitors go to the cloud copy with a
// light redirect, people with a draft in progress stay (drain), and the state is visible at /ops/burst.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { TestBrowser, type Page } from '../../scripts/harness/dev-sts.js';
import { signCopyRequest } from '../../src/copies/copy-token.js';

const CLOUD = 'http://127.0.0.1:9'; // never fetched: the tests only read the Location header
const TOKEN = 'test-only-metrics-token-0123456789abcdef';
let stack: AppStack;
let admin: { browser: TestBrowser; page: Page };
before(async () => {
  stack = await startAppStack(null, {
    overrides: { burst: { mode: 'closed', otherUrl: CLOUD }, metrics: { token: TOKEN } },
  });
  // Signed in before any window opens: /ops is never redirected, so the operator keeps control.
  admin = await stack.signIn('dave', '/week/2026-W50');
});
after(() => stack?.close());

const csrfOf = (page: Page) => /<meta name="csrf-token" content="([^"]+)"/.exec(page.body)![1]!;

async function setMode(mode: string): Promise<Record<string, unknown>> {
  const { browser, page } = admin;
  const res = await fetch(`${stack.url}/ops/burst`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-csrf-token': csrfOf(page),
      cookie: browser.jar.header(stack.url)!,
    },
    body: JSON.stringify({ mode }),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

test('with the window open, a new visitor is sent to the cloud copy on the same path, at no storage cost', async () => {
  await setMode('open');
  try {
    const before = stack.app.storeCounters();
    const res = await new TestBrowser().get(`${stack.url}/week/2026-W50?lang=fr`);
    assert.equal(res.status, 302);
    assert.equal(res.location, `${CLOUD}/week/2026-W50?lang=fr`);
    assert.deepEqual(
      res.headers.getSetCookie().map((c) => c.split('=')[0]),
      ['timesheet.bounced-onprem'],
      'no session cookie',
    );
    assert.deepEqual(stack.app.storeCounters(), before);
  } finally {
    await setMode('closed');
  }
});

test('a person with a draft in progress keeps being served here when the window opens', async () => {
  const { browser, page } = await stack.signIn('alice', '/week/2026-W50');
  const start = page.body.indexOf('<form method="post" action="/week/');
  const key = /name="h:([^"]+)"/.exec(page.body.slice(start))![1]!;
  const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
  const saved = await browser.post(`${stack.url}/week/2026-W50`, {
    _csrf: csrfOf(page),
    version,
    [`h:${key}`]: '4',
    action: 'save',
  });
  assert.equal(saved.status, 303);
  await setMode('open');
  try {
    const again = await browser.get(`${stack.url}/week/2026-W50`);
    assert.equal(again.status, 200);
    assert.match(again.body, /value="4"/);
  } finally {
    await setMode('closed');
  }
});

test('a form post and the health endpoints are never redirected', async () => {
  await setMode('open');
  try {
    const post = await new TestBrowser().post(`${stack.url}/week/2026-W50`, { action: 'save' });
    assert.notEqual(post.status, 302);
    assert.equal((await fetch(`${stack.url}/healthz`, { redirect: 'manual' })).status, 200);
  } finally {
    await setMode('closed');
  }
});

test('the burst state is visible to Admin users only', async () => {
  // 'schedule', the former name of 'auto', is still taken and reported as 'auto'.
  const state = await setMode('schedule');
  assert.equal(state.mode, 'auto');
  assert.ok(['schedule', 'outside-window'].includes(state.reason as string));
  const ops = await admin.browser.get(`${stack.url}/ops/burst`, { accept: 'application/json' });
  assert.equal(ops.status, 200);
  const body = JSON.parse(ops.body) as { redirected: number; drained: number; mode: string };
  assert.equal(body.mode, 'auto');
  assert.ok(body.redirected >= 1 && body.drained >= 1, ops.body);
  const alice = await stack.signIn('alice', '/week/2026-W50');
  const denied = await alice.browser.get(`${stack.url}/ops/burst`);
  assert.equal(denied.status, 403);
});

test('outside the window, a cloud copy that decides alone (no copies secret) sends a new visitor back to the on-prem copy', async () => {
  const cloud = await startAppStack(null, {
    target: 'cloud',
    overrides: { burst: { mode: 'closed', otherUrl: 'http://127.0.0.1:9' }, copies: { secrets: [] } },
  });
  try {
    const res = await new TestBrowser().get(`${cloud.url}/week/2026-W50`);
    assert.equal(res.status, 302);
    assert.equal(res.location, 'http://127.0.0.1:9/week/2026-W50');
  } finally {
    await cloud.close();
  }
});

test('a cloud copy that cannot ask the on-prem copy for the window serves everyone and says why', async () => {
  // Linked (copies secret set), but the relay's link service forwards nothing to an on-prem app here.
  const cloud = await startAppStack(null, {
    target: 'cloud',
    overrides: { burst: { mode: 'closed', otherUrl: 'http://127.0.0.1:9' }, copies: { staleAfterSeconds: 1 } },
  });
  try {
    const res = await new TestBrowser().get(`${cloud.url}/week/2026-W50`);
    assert.equal(res.status, 302);
    assert.match(res.location ?? '', /^\/login/, 'not sent to the on-prem copy it cannot see');
    const dave = await cloud.signIn('dave', '/ops');
    const ops = await dave.browser.get(`${cloud.url}/ops/burst`, { accept: 'application/json' });
    const body = JSON.parse(ops.body) as {
      open: boolean;
      reason: string;
      decidedBy: string;
      follow: { reachable: boolean; lastError: string | null };
    };
    assert.deepEqual(
      [body.open, body.reason, body.decidedBy, body.follow.reachable],
      [true, 'other-copy-unreachable', 'other-copy', false],
    );
    assert.match(body.follow.lastError ?? '', /404|403/);
    // The switch cannot be forwarded: nothing changes, and the operator is told where to go.
    const flip = await dave.browser.post(
      `${cloud.url}/ops/burst`,
      { mode: 'open' },
      { accept: 'application/json', 'x-csrf-token': csrfOf(dave.page) },
    );
    assert.equal(flip.status, 503, flip.body);
    assert.match(flip.body, /on-prem copy/);
  } finally {
    await cloud.close();
  }
});

test('the burst is visible as metrics, to Admin users and to the scraper token only', async () => {
  const admin = await stack.signIn('dave', '/week/2026-W50');
  const page = await admin.browser.get(`${stack.url}/metrics`);
  assert.equal(page.status, 200);
  assert.match(
    page.body,
    /^timesheet_burst_open\{reason="(manual-closed|schedule|outside-window|manual-open)",mode="\w+"\} [01]$/m,
  );
  assert.match(page.body, /^timesheet_burst_redirected_total \d+$/m);
  assert.match(page.body, /^timesheet_burst_drained_total \d+$/m);
  assert.match(page.body, /^timesheet_process_cpu_seconds_total /m);
  assert.equal((await fetch(`${stack.url}/metrics`)).status, 401);
  assert.equal(
    (
      await fetch(`${stack.url}/metrics`, {
        headers: { authorization: 'Bearer wrong-token-wrong-token-wrong-token-00' },
      })
    ).status,
    401,
  );
  const scraped = await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(scraped.status, 200);
  const alice = await stack.signIn('alice', '/week/2026-W50');
  assert.equal((await alice.browser.get(`${stack.url}/metrics`)).status, 403);
});

test("the copies' internal API answers only requests signed with the copies' secret, and is never redirected", async () => {
  await setMode('open');
  try {
    const anonymous = await fetch(`${stack.url}/internal/copy/burst`, { redirect: 'manual' });
    assert.equal(anonymous.status, 401);
    const forged = await fetch(`${stack.url}/internal/copy/drafts/take`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-timesheet-copy': signCopyRequest(
          ['not-the-copies-secret-but-32-characters-long'],
          'POST',
          '/internal/copy/drafts/take',
          '{}',
        ),
      },
      body: '{}',
      redirect: 'manual',
    });
    assert.equal(forged.status, 401);
    const secrets = ['test-only-copies-secret-not-for-production-use'];
    const signed = await fetch(`${stack.url}/internal/copy/burst`, {
      headers: { 'x-timesheet-copy': signCopyRequest(secrets, 'GET', '/internal/copy/burst', '') },
      redirect: 'manual',
    });
    assert.equal(signed.status, 200);
    const body = (await signed.json()) as { open: boolean; mode: string; lastChange: { by: string } };
    assert.deepEqual([body.open, body.mode, body.lastChange.by], [true, 'open', 'dave']);
  } finally {
    await setMode('closed');
  }
});

test('a week opened while the other copy cannot be asked opens here and says the draft may be there', async () => {
  // CLOUD (127.0.0.1:9) refuses connections: the on-prem copy cannot look for a draft there.
  const erin = await stack.signIn('erin', '/week/2026-W49');
  assert.equal(erin.page.status, 200);
  assert.match(
    erin.page.body,
    /Your draft of this week may be on the other copy of the timesheet, which cannot be reached right now/,
  );
  assert.match(erin.page.body, /name="version" value="1"/, 'the week opened here all the same');
});
