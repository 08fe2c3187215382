import assert from 'node:assert/strict';
import http from 'node:http';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it, type TestContext } from 'node:test';
import { pino } from 'pino';
import { createRelayErpConnector } from '../../plugins/erp-relay/relay-erp-connector.js';
import { settingsSchema } from '../../plugins/erp-relay/settings.js';
import type { LinkService, LinkServiceOptions } from '../../src/link-service/link-service.js';
import { DEVELOPMENT_LISTEN_KEY } from '../../src/relay/development-keys.js';
import type { RelayEmulator } from '../../scripts/stand-ins/relay-emulator/relay-emulator.js';
import { startTestErpFarm } from '../../scripts/harness/erp-simulator.js';
import {
  HC,
  origins,
  sendToken,
  startTestLinkService,
  startTestRelay,
  startUpstream,
  waitFor,
} from '../../scripts/harness/relay.js';

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with its path exactly as written (fetch would resolve `..` before sending). */
function rawRequest(relay: RelayEmulator, method: string, path: string, body = ''): Promise<RawAnswer> {
  const { port } = new URL(relay.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ServiceBusAuthorization: sendToken(relay), 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A base URL on which nothing listens: a port the OS gave us and we closed again. */
async function refusedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function relayAndLink(
  t: TestContext,
  erpEndpoints: string[],
  options: Partial<LinkServiceOptions> = {},
): Promise<{ relay: RelayEmulator; link: LinkService }> {
  const relay = await startTestRelay();
  t.after(() => relay.close());
  const link = startTestLinkService(relay, { erpEndpoints, ...options });
  t.after(() => link.close());
  await link.waitUntilConnected();
  return { relay, link };
}

async function erpThroughRelay(t: TestContext, relay: RelayEmulator) {
  const connector = await createRelayErpConnector(settingsSchema.parse({ relayBaseUrl: relay.url, timeoutMs: 3000 }));
  t.after(() => connector.close());
  return connector;
}

describe('link service', () => {
  it('refuses targets outside the allow-list without calling the ERP', async (t) => {
    const upstream = await startUpstream((_req, res) => void res.end('should not be reached'));
    t.after(() => upstream.close());
    const { relay, link } = await relayAndLink(t, [upstream.url]);
    const cases: Array<[string, string, number]> = [
      ['POST', `/${HC}/admin`, 404],
      ['POST', `/${HC}/erp/../admin`, 404],
      ['POST', `/${HC}/erp%2F..%2Fadmin`, 404],
      ['GET', `/${HC}/erp`, 403],
      ['GET', `/${HC}/erp?wsdl=x`, 403],
      ['DELETE', `/${HC}/erp`, 403],
    ];
    for (const [method, path, status] of cases) {
      const answer = await rawRequest(relay, method, path, method === 'POST' ? '<x/>' : '');
      assert.equal(answer.status, status, `${method} ${path}`);
      assert.equal(answer.headers['x-erp-link-error'], 'refused');
    }
    assert.equal(upstream.requests.length, 0);
    assert.equal(link.stats().refused, cases.length);
  });

  it('serves every call from the other ERP node while one node is down', async (t) => {
    const farm = await startTestErpFarm({ nodes: 2 });
    t.after(() => farm.close());
    const { relay } = await relayAndLink(t, origins(farm.urls));
    const erp = await erpThroughRelay(t, relay);
    await farm.control({ down: true }, 0);
    for (let i = 0; i < 4; i++) assert.equal((await erp.getWeekContext('alice', '2026-11-16')).projects.length, 5);
    const stats = await farm.stats();
    assert.equal(stats.callsByNode[farm.nodes[1]!.name]?.GetProjects, 4);
    assert.equal(stats.callsByNode[farm.nodes[0]!.name]?.GetProjects ?? 0, 0);
  });

  it('skips an ERP node that refuses connections', async (t) => {
    const farm = await startTestErpFarm({ nodes: 1 });
    t.after(() => farm.close());
    const { relay } = await relayAndLink(t, [await refusedOrigin(), ...origins(farm.urls)]);
    const erp = await erpThroughRelay(t, relay);
    const contexts = await Promise.all([1, 2, 3].map(() => erp.getWeekContext('alice', '2026-11-16')));
    assert.ok(contexts.every((c) => c.entries.length === 15));
  });

  it('answers 503 marked erp-unavailable, naming every node, when no ERP node answers', async (t) => {
    const endpoints = [await refusedOrigin(), await refusedOrigin()];
    const { relay, link } = await relayAndLink(t, endpoints);
    const answer = await rawRequest(relay, 'POST', `/${HC}/erp`, '<x/>');
    assert.equal(answer.status, 503);
    assert.equal(answer.headers['x-erp-link-error'], 'erp-unavailable');
    for (const endpoint of endpoints) assert.ok(answer.body.includes(endpoint), answer.body);
    assert.equal(link.stats().failed, 1);
  });

  it('does not try another node after a timeout (the slow node may have booked) and says it timed out', async (t) => {
    const slow = await startUpstream(async (_req, res) => {
      await delay(1000);
      res.end('late');
    });
    const other = await startUpstream((_req, res) => void res.end('fast'));
    t.after(() => Promise.all([slow.close(), other.close()]));
    const { relay } = await relayAndLink(t, [slow.url, other.url], { timeoutMs: 200 });
    const answer = await rawRequest(relay, 'POST', `/${HC}/erp`, '<x/>');
    assert.equal(answer.status, 503);
    assert.equal(answer.headers['x-erp-link-error'], 'erp-timeout');
    assert.equal(other.requests.length, 0);
  });

  it('reconnects after the relay drops its control channel, and serves the next request', async (t) => {
    const upstream = await startUpstream((req, res) => void res.end(req.body));
    t.after(() => upstream.close());
    const { relay, link } = await relayAndLink(t, [upstream.url]);
    const dropped = Date.now();
    relay.dropListeners(HC);
    await waitFor(() => link.stats().connects === 2 && relay.listenerCount(HC) === 1, 'the link service to reconnect');
    t.diagnostic(`reconnected ${Date.now() - dropped} ms after the drop (first backoff step 50 ms in this test)`);
    assert.equal((await rawRequest(relay, 'POST', `/${HC}/erp`, 'again')).body, 'again');
    assert.equal(link.stats().disconnects, 1);
  });

  it('keeps retrying while the relay is down and connects once it is back', async (t) => {
    const upstream = await startUpstream((req, res) => void res.end(req.body));
    t.after(() => upstream.close());
    const first = await startTestRelay();
    const port = Number(new URL(first.url).port);
    const link = startTestLinkService(first, { erpEndpoints: [upstream.url] });
    t.after(() => link.close());
    await link.waitUntilConnected();
    await first.close();
    await waitFor(() => !link.connected(), 'the link service to notice the relay is gone');
    const second = await startTestRelay({ port });
    t.after(() => second.close());
    await waitFor(() => second.listenerCount(HC) === 1, 'the link service to connect to the restarted relay', 10_000);
    assert.equal((await rawRequest(second, 'POST', `/${HC}/erp`, 'back')).body, 'back');
  });

  it('renews its token on the open channel before it expires, without reconnecting', async (t) => {
    const upstream = await startUpstream((req, res) => void res.end(req.body));
    t.after(() => upstream.close());
    const firstExpiryMs = (Math.floor(Date.now() / 1000) + 3) * 1000;
    const { relay, link } = await relayAndLink(t, [upstream.url], { tokenTtlSeconds: 3 });
    // The relay closes a channel with 1008 at expiry unless renewToken came first. (+1.2 s: the
    // link's `se` may fall in the next whole second.)
    await waitFor(() => Date.now() > firstExpiryMs + 1200, 'the first token to have expired', 6000);
    assert.ok(link.stats().tokenRenewals >= 1, 'at least one renewal before the first token expired');
    assert.ok(relay.stats().tokenRenewals >= 1, 'the relay accepted the renewal');
    assert.equal(link.stats().connects, 1);
    assert.equal(link.stats().disconnects, 0);
    assert.equal((await rawRequest(relay, 'POST', `/${HC}/erp`, 'still here')).status, 200);
  });

  it('writes neither its key nor any token to its logs', async (t) => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const upstream = await startUpstream((req, res) => void res.end(req.body));
    t.after(() => upstream.close());
    const { relay, link } = await relayAndLink(t, [upstream.url], {
      tokenTtlSeconds: 2,
      logger: pino({ level: 'trace' }, sink),
    });
    await rawRequest(relay, 'POST', `/${HC}/erp`, 'x');
    await rawRequest(relay, 'POST', `/${HC}/admin`, 'x');
    relay.dropListeners(HC);
    await waitFor(
      () => link.stats().connects === 2 && link.stats().tokenRenewals >= 1,
      'a reconnection and a renewal',
      5000,
    );
    const log = lines.join('');
    assert.match(log, /ERP request relayed/);
    assert.ok(!log.includes(DEVELOPMENT_LISTEN_KEY), 'the key is in the logs');
    assert.doesNotMatch(log, /SharedAccessSignature|sig=/);
  });
});
