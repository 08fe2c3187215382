// erp-relay's readiness check of the relay namespace itself (the ERP check then goes through it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relayProbe, settingsSchema } from '../../../plugins/erp-relay/index.js';
import { createRelayErpConnector } from '../../../plugins/erp-relay/relay-erp-connector.js';

test('readiness includes the relay: ready when it answers, not when it is unreachable', async (t) => {
  const server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const check = relayProbe(settingsSchema.parse({ relayBaseUrl: `http://127.0.0.1:${port}` }));
  assert.equal(check.name, 'relay');
  await assert.doesNotReject(check.check());
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const down = relayProbe(settingsSchema.parse({ relayBaseUrl: `http://127.0.0.1:${deadPort}` }));
  await assert.rejects(down.check());
});

test('the connector hands /readyz its relay check, probing the relay it sends through', async (t) => {
  let probed = '';
  const fetchSpy: typeof fetch = async (input) => {
    probed = String(input);
    return new Response('relay', { status: 404 });
  };
  const settings = settingsSchema.parse({ relayBaseUrl: 'http://127.0.0.1:9' });
  const connector = await createRelayErpConnector(settings, undefined, fetchSpy);
  t.after(() => connector.close());
  const checks = connector.readinessChecks();
  assert.deepEqual(
    checks.map((c) => c.name),
    ['relay'],
  );
  await checks[0]!.check();
  assert.equal(probed, 'http://127.0.0.1:9/');
});
