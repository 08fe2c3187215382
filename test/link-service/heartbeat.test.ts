// The link service's heartbeat for the "no listener" alert: Application Insights events while it
// listens on the relay (the relay emulator, a real WebSocket listener), none once it stops. The
// ingestion endpoint is a local HTTP server on port 0 that answers as Azure Monitor's does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { HEARTBEAT_EVENT, parseConnectionString, startHeartbeat } from '../../src/link-service/heartbeat.js';
import { linkServiceSettingsFromEnv } from '../../src/link-service/settings.js';
import { HC, startTestLinkService, startTestRelay, waitFor } from '../../scripts/harness/relay.js';

interface Envelope {
  name: string;
  iKey: string;
  time: string;
  tags: Record<string, string>;
  data: { baseType: string; baseData: { name: string; properties: Record<string, string> } };
}

/** Collects what POST /v2/track receives; answers like the ingestion endpoint (200 or the given status). */
async function startIngestion(): Promise<{
  url: string;
  received: Envelope[];
  /** Every request, accepted or not. */
  posts: number;
  status: number;
  close(): Promise<void>;
}> {
  const state = { received: [] as Envelope[], status: 200, posts: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      state.posts += 1;
      if (req.method === 'POST' && req.url === '/v2/track' && state.status === 200) {
        const items = JSON.parse(body) as Envelope[];
        state.received.push(...items);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
      } else {
        res.writeHead(state.status === 200 ? 404 : state.status).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    get received() {
      return state.received;
    },
    get posts() {
      return state.posts;
    },
    get status() {
      return state.status;
    },
    set status(s: number) {
      state.status = s;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

test('while the link service listens it sends TimesheetLinkListening events; once it stops listening it sends none', async (t) => {
  const relay = await startTestRelay();
  t.after(() => relay.close());
  const ingestion = await startIngestion();
  t.after(() => ingestion.close());
  const link = startTestLinkService(relay, { erpEndpoints: ['http://127.0.0.1:9'], instanceId: 'onprem-host-1' });
  const heartbeat = startHeartbeat(link, {
    target: parseConnectionString(
      `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=${ingestion.url}`,
    ),
    intervalMs: 100,
    instanceId: 'onprem-host-1',
    hybridConnection: HC,
    logger: pino({ level: 'silent' }),
  });
  t.after(() => heartbeat.stop());
  await link.waitUntilConnected(5000);
  await waitFor(() => ingestion.received.length >= 3, 'three heartbeats', 5000);

  const first = ingestion.received[0]!;
  assert.equal(first.name, 'Microsoft.ApplicationInsights.Event');
  assert.equal(first.iKey, '00000000-0000-0000-0000-000000000001');
  assert.equal(first.data.baseType, 'EventData');
  assert.equal(first.data.baseData.name, HEARTBEAT_EVENT);
  assert.deepEqual(first.data.baseData.properties, { instance: 'onprem-host-1', hybridConnection: HC });
  assert.equal(first.tags['ai.cloud.roleInstance'], 'onprem-host-1');
  assert.ok(Math.abs(Date.parse(first.time) - Date.now()) < 60_000, 'a current timestamp');

  await link.close();
  assert.equal(link.connected(), false);
  const afterClose = ingestion.received.length;
  // Ten intervals of silence: the alert's query sees no listener.
  await new Promise((r) => setTimeout(r, 1000));
  assert.ok(ingestion.received.length <= afterClose + 1, 'at most a beat already on its way, then silence');
  const settled = ingestion.received.length;
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(ingestion.received.length, settled, 'no heartbeat while not listening');
  assert.equal(heartbeat.sent(), settled, 'every beat the endpoint received was counted as accepted');
});

test('a refused heartbeat is logged once per failing stretch and counted as not sent', async (t) => {
  const relay = await startTestRelay();
  t.after(() => relay.close());
  const ingestion = await startIngestion();
  t.after(() => ingestion.close());
  ingestion.status = 400;
  const lines: Array<{ msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as { msg: string }) });
  const link = startTestLinkService(relay, { erpEndpoints: ['http://127.0.0.1:9'] });
  t.after(() => link.close());
  const heartbeat = startHeartbeat(link, {
    target: parseConnectionString(`InstrumentationKey=k;IngestionEndpoint=${ingestion.url}`),
    intervalMs: 50,
    instanceId: 'x',
    hybridConnection: HC,
    logger,
  });
  t.after(() => heartbeat.stop());
  await link.waitUntilConnected(5000);
  await waitFor(() => ingestion.posts >= 4, 'four refused heartbeats', 5000);
  assert.equal(heartbeat.sent(), 0);
  assert.equal(
    lines.filter((l) => l.msg.startsWith('heartbeat not accepted')).length,
    1,
    'one warning, not one per beat',
  );
  ingestion.status = 200;
  await waitFor(() => heartbeat.sent() >= 1, 'a heartbeat accepted again', 5000);
  assert.equal(lines.filter((l) => l.msg === 'heartbeat accepted again').length, 1);
});

test('the heartbeat settings: a connection string without its endpoint is refused by name; the interval is bounded', () => {
  const bad = linkServiceSettingsFromEnv({ LINK_HEARTBEAT_CONNECTION_STRING: 'InstrumentationKey=abc' });
  assert.equal(bad.ok, false);
  assert.match(
    !bad.ok ? bad.problems.join('\n') : '',
    /LINK_HEARTBEAT_CONNECTION_STRING: must be an Application Insights connection string/,
  );
  const fast = linkServiceSettingsFromEnv({ LINK_HEARTBEAT_INTERVAL_SECONDS: '1' });
  assert.equal(fast.ok, false);
  const good = linkServiceSettingsFromEnv({
    LINK_HEARTBEAT_CONNECTION_STRING:
      'InstrumentationKey=abc;IngestionEndpoint=https://francecentral-1.in.applicationinsights.azure.com/;LiveEndpoint=https://x/',
  });
  assert.ok(good.ok);
  assert.equal(good.settings.heartbeatIntervalSeconds, 60);
  assert.deepEqual(parseConnectionString(good.settings.heartbeatConnectionString!), {
    instrumentationKey: 'abc',
    ingestionEndpoint: 'https://francecentral-1.in.applicationinsights.azure.com/',
  });
});
