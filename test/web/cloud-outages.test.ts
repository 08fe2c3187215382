// The cloud copy when what it depends on fails: the link service gone (no listener on the relay),
// the table store down. People get a clear page; the process keeps running and recovers by itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { origins, startTestLinkService, waitFor } from '../../scripts/harness/relay.js';
import { waitForDependencies } from '../../scripts/harness/readiness.js';

let stack: AppStack;
before(async () => {
  stack = await startAppStack(null, { target: 'cloud' });
});
after(() => stack?.close());

test('with no link service listening, opening a week says the ERP cannot be reached, and works again once it is back', async () => {
  const { browser } = await stack.signIn('alice', '/week/2026-W48');
  const cloud = stack.cloud!;
  await cloud.link.close();
  await waitFor(() => cloud.relay.listenerCount('erp') === 0, 'the listener to leave');
  const down = await browser.get(`${stack.url}/week/2026-W40`);
  assert.equal(down.status, 503);
  assert.match(down.body, /The ERP cannot be reached right now\. Your draft is safe here/);
  assert.doesNotMatch(down.body, /at \w+ \(|Error:/, 'no stack trace');
  // The link is every replica's shared dependency: /readyz stays 200 and reports it failing.
  await waitForDependencies(stack.url, { erp: false });

  const link = startTestLinkService(cloud.relay, { erpEndpoints: origins(stack.erp.urls) });
  try {
    await link.waitUntilConnected(10_000);
    const back = await browser.get(`${stack.url}/week/2026-W40`);
    assert.equal(back.status, 200);
    await waitForDependencies(stack.url, { erp: true, relay: true });
  } finally {
    stack.cloud!.link = link;
  }
});

test('with the table store down, requests get a clear 503 page and the app recovers when it returns', async () => {
  const { browser } = await stack.signIn('bob', '/week/2026-W48');
  await stack.cloud!.azurite.stop();
  try {
    const down = await browser.get(`${stack.url}/week/2026-W48`);
    assert.equal(down.status, 503);
    assert.match(down.body, /temporarily unavailable\. Nothing you saved is lost/);
    assert.equal((await fetch(`${stack.url}/healthz`)).status, 200, 'the process is alive');
    assert.equal((await fetch(`${stack.url}/readyz`)).status, 503);
  } finally {
    await stack.cloud!.azurite.restart();
  }
  // The storage kept its data through the outage: the same session goes on, no new sign-in.
  await waitFor(async () => (await fetch(`${stack.url}/readyz`)).status === 200, 'readiness to come back', 20_000);
  const again = await browser.get(`${stack.url}/week/2026-W48`);
  assert.equal(again.status, 200);
  assert.match(again.body, /<h1>.*<span class="week-no">Week 48<\/span><\/h1>/);
});
