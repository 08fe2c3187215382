import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it, type TestContext } from 'node:test';
import { WebSocket } from 'ws';
import { DEVELOPMENT_LISTEN_KEY, DEVELOPMENT_LISTEN_KEY_NAME } from '../../../../src/relay/development-keys.js';
import { relayResourceUri } from '../../../../src/relay/relay-urls.js';
import { createSasToken, parseSasToken } from '../../../../src/relay/sas-token.js';
import type { LinkService } from '../../../../src/link-service/link-service.js';
import type { RelayEmulator } from '../../../../scripts/stand-ins/relay-emulator/relay-emulator.js';
import {
  HC,
  patternBytes,
  sendToken,
  startTestLinkService,
  startTestRelay,
  startUpstream,
  waitFor,
  type Upstream,
  type UpstreamRequest,
} from '../../../../scripts/harness/relay.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * Stands in for an ERP node: POST /erp echoes the body (or answers `x-answer-bytes` bytes, streamed
 * without Content-Length), GET /erp?wsdl answers a tiny WSDL, `x-delay-ms` delays the answer.
 */
async function echo(req: UpstreamRequest, res: ServerResponse): Promise<void> {
  const wait = Number(req.headers['x-delay-ms'] ?? 0);
  if (wait) await delay(wait);
  res.setHeader('X-Seen-Url', req.url);
  res.setHeader('X-Seen-Sha256', sha(req.body));
  if (req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'text/xml' }).end('<definitions/>');
    return;
  }
  const answerBytes = Number(req.headers['x-answer-bytes'] ?? 0);
  if (!answerBytes) {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(req.body);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
  const body = patternBytes(answerBytes, 3);
  for (let i = 0; i < body.length; i += 16 * 1024) res.write(body.subarray(i, i + 16 * 1024));
  res.end();
}

async function relayWithLink(
  t: TestContext,
  relayOptions: Parameters<typeof startTestRelay>[0] = {},
  links = 1,
): Promise<{ relay: RelayEmulator; upstream: Upstream; links: LinkService[] }> {
  const upstream = await startUpstream(echo);
  t.after(() => upstream.close());
  const relay = await startTestRelay(relayOptions);
  t.after(() => relay.close());
  const started = Array.from({ length: links }, (_, i) =>
    startTestLinkService(relay, { erpEndpoints: [upstream.url], instanceId: `link-${i + 1}` }),
  );
  t.after(() => Promise.all(started.map((l) => l.close())));
  await Promise.all(started.map((l) => l.waitUntilConnected()));
  await waitFor(() => relay.listenerCount(HC) === links, `${links} listener(s) on the relay`);
  return { relay, upstream, links: started };
}

function post(relay: RelayEmulator, body: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${relay.sendUrl(HC)}/erp`, {
    method: 'POST',
    headers: { ServiceBusAuthorization: sendToken(relay), ...headers },
    body: new Uint8Array(body),
  });
}

describe('relay emulator: SAS checks', () => {
  let relay: RelayEmulator;
  before(async () => {
    relay = await startTestRelay();
  });
  after(() => relay.close());

  const send = (token: string | undefined, path = `/${HC}/erp`): Promise<Response> =>
    fetch(`${relay.url}${path}`, {
      method: 'POST',
      headers: token ? { ServiceBusAuthorization: token } : {},
      body: 'x',
    });

  it('refuses a sender without a token with 401', async () => {
    const res = await send(undefined);
    assert.equal(res.status, 401);
    assert.match(await res.text(), /no SharedAccessSignature token/);
  });

  it('refuses a token signed with the wrong key with 401', async () => {
    assert.equal((await send(sendToken(relay, { key: 'wrong' }))).status, 401);
  });

  it('refuses an expired token with 401', async () => {
    const res = await send(sendToken(relay, { ttlSeconds: -5 }));
    assert.equal(res.status, 401);
    assert.match(await res.text(), /expired/);
  });

  it('refuses a token for another resource with 401', async () => {
    assert.equal((await send(sendToken(relay, { resourceUri: `${relay.url}/payroll` }))).status, 401);
  });

  it('refuses a Listen key used to send with 401', async () => {
    const res = await send(sendToken(relay, { keyName: DEVELOPMENT_LISTEN_KEY_NAME, key: DEVELOPMENT_LISTEN_KEY }));
    assert.equal(res.status, 401);
    assert.match(await res.text(), /does not grant Send/);
  });

  it('answers 404 for an unknown hybrid connection, whatever the token', async () => {
    assert.equal((await send(sendToken(relay, { hybridConnection: 'payroll' }), '/payroll/erp')).status, 404);
  });

  it('refuses a listener that presents a Send key with 401', async () => {
    const ws = new WebSocket(relay.listenUrl(HC), { headers: { ServiceBusAuthorization: sendToken(relay) } });
    const [err] = (await once(ws, 'error')) as [Error];
    assert.match(err.message, /401/);
  });

  it('refuses a listener on an unknown hybrid connection with 404', async () => {
    const ws = new WebSocket(relay.listenUrl('payroll'), { headers: { ServiceBusAuthorization: sendToken(relay) } });
    const [err] = (await once(ws, 'error')) as [Error];
    assert.match(err.message, /404/);
  });

  it('answers 502 when no listener is connected', async () => {
    const res = await send(sendToken(relay));
    assert.equal(res.status, 502);
    assert.equal(res.headers.get('via'), null, "the relay's own answers carry no Via");
    assert.match(await res.text(), /No listener is connected to hybrid connection "erp"/);
  });
});

describe('relay emulator: listener control channel', () => {
  const listenToken = (relay: RelayEmulator, ttlSeconds: number): string =>
    createSasToken({
      resourceUri: relayResourceUri(relay.url, HC),
      keyName: DEVELOPMENT_LISTEN_KEY_NAME,
      key: DEVELOPMENT_LISTEN_KEY,
      expiresAt: Math.floor(Date.now() / 1000) + ttlSeconds,
    });

  it('closes a control channel with 1008 when its token expires', async (t) => {
    const relay = await startTestRelay();
    t.after(() => relay.close());
    // Expiry is in whole seconds: a 2 s token lives 1 to 2 s, so it is valid when the channel opens
    // (a 1 s one could be expired already on a busy machine) and expires soon after.
    const ws = new WebSocket(relay.listenUrl(HC), { headers: { ServiceBusAuthorization: listenToken(relay, 2) } });
    const [code] = (await once(ws, 'close')) as [number];
    assert.equal(code, 1008);
  });

  it('closes a control channel with 1008 when renewToken brings a bad token', async (t) => {
    const relay = await startTestRelay();
    t.after(() => relay.close());
    const ws = new WebSocket(`${relay.listenUrl(HC)}&sb-hc-token=${encodeURIComponent(listenToken(relay, 600))}`);
    await once(ws, 'open');
    ws.send(JSON.stringify({ renewToken: { token: sendToken(relay) } }));
    const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
    assert.equal(code, 1008);
    assert.match(reason.toString(), /does not grant Listen/);
  });

  it('keeps a control channel whose token is renewed in time', async (t) => {
    const relay = await startTestRelay();
    t.after(() => relay.close());
    const firstToken = listenToken(relay, 2);
    const firstExpiryMs = parseSasToken(firstToken)!.expiresAt * 1000;
    const ws = new WebSocket(relay.listenUrl(HC), { headers: { ServiceBusAuthorization: firstToken } });
    t.after(() => ws.terminate());
    await once(ws, 'open');
    ws.send(JSON.stringify({ renewToken: { token: listenToken(relay, 600) } }));
    await waitFor(() => relay.stats().tokenRenewals === 1, 'the renewal');
    await waitFor(
      () => Date.now() > firstExpiryMs + 300 || ws.readyState !== WebSocket.OPEN,
      'the first token to expire',
    );
    assert.equal(ws.readyState, WebSocket.OPEN);
  });
});

describe('relay emulator: requests through a listener', () => {
  it('relays a small request and its answer, and marks the answer with Via', async (t) => {
    const { relay, upstream } = await relayWithLink(t);
    const body = Buffer.from('<soap:Envelope>hello</soap:Envelope>');
    const res = await post(relay, body, { 'Content-Type': 'text/xml', SOAPAction: '"urn:x"' });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), body);
    assert.match(res.headers.get('via') ?? '', /^1\.1 127\.0\.0\.1:\d+$/);
    const seen = upstream.requests[0]!;
    assert.equal(seen.headers.soapaction, '"urn:x"');
    assert.equal(seen.headers.servicebusauthorization, undefined, 'the token never reaches the listener');
    assert.equal(relay.stats().rendezvous, 0, 'a small exchange stays on the control channel');
  });

  it('keeps ?wsdl as ?wsdl and strips sb-hc- parameters', async (t) => {
    const { relay, upstream } = await relayWithLink(t);
    const res = await fetch(`${relay.sendUrl(HC)}/erp?wsdl&sb-hc-token=${encodeURIComponent(sendToken(relay))}`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '<definitions/>');
    assert.equal(upstream.requests[0]!.url, '/erp?wsdl');
  });

  it('carries a 200 KB request and a 300 KB answer over rendezvous sockets, byte for byte', async (t) => {
    const { relay, upstream } = await relayWithLink(t);
    const body = patternBytes(200 * 1024);
    const res = await post(relay, body, { 'X-Answer-Bytes': String(300 * 1024) });
    assert.equal(res.status, 200);
    const answer = Buffer.from(await res.arrayBuffer());
    assert.equal(answer.length, 300 * 1024);
    assert.equal(sha(answer), sha(patternBytes(300 * 1024, 3)));
    assert.equal(res.headers.get('x-seen-sha256'), sha(body));
    assert.equal(upstream.requests[0]!.body.length, 200 * 1024);
    assert.ok(relay.stats().rendezvous >= 1);
  });

  it('carries a small request with a 300 KB answer (the listener upgrades to a rendezvous)', async (t) => {
    const { relay } = await relayWithLink(t);
    const res = await post(relay, Buffer.from('small'), { 'X-Answer-Bytes': String(300 * 1024) });
    assert.equal(Buffer.from(await res.arrayBuffer()).length, 300 * 1024);
    assert.equal(relay.stats().rendezvous, 1);
  });

  it('carries a 200 KB request with a small answer', async (t) => {
    const { relay } = await relayWithLink(t);
    const body = patternBytes(200 * 1024, 11);
    const res = await post(relay, body);
    assert.equal(sha(Buffer.from(await res.arrayBuffer())), sha(body));
    assert.equal(relay.stats().rendezvous, 1);
  });

  it('serves 25 concurrent requests, each with its own answer', async (t) => {
    const { relay } = await relayWithLink(t);
    const bodies = Array.from({ length: 25 }, (_, i) => patternBytes(1000 + i * 97, i));
    const answers = await Promise.all(bodies.map(async (b) => Buffer.from(await (await post(relay, b)).arrayBuffer())));
    answers.forEach((a, i) => assert.equal(sha(a), sha(bodies[i]!), `request ${i}`));
    assert.equal(relay.stats().requests, 25);
  });

  it('answers 504 when the listener has not answered within the configured timeout', async (t) => {
    const { relay } = await relayWithLink(t, { listenerResponseTimeoutMs: 300 });
    const started = Date.now();
    const res = await post(relay, Buffer.from('slow'), { 'X-Delay-Ms': '1500' });
    assert.equal(res.status, 504);
    assert.equal(res.headers.get('via'), null);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 1400, `504 after ${elapsed} ms`);
  });

  it('spreads requests over two listeners in turn', async (t) => {
    const { relay } = await relayWithLink(t, {}, 2);
    const served: string[] = [];
    for (let i = 0; i < 10; i++) served.push((await post(relay, Buffer.from(`r${i}`))).headers.get('x-erp-link') ?? '');
    assert.deepEqual(relay.stats().requestsByListener, { 'link-1': 5, 'link-2': 5 });
    assert.equal(new Set(served).size, 2);
  });

  it('answers 502 to a request whose listener drops before answering, and serves the next one after it reconnects', async (t) => {
    const { relay, links } = await relayWithLink(t);
    const pending = post(relay, Buffer.from('slow'), { 'X-Delay-Ms': '800' });
    await waitFor(() => relay.stats().requests === 1, 'the request to reach the listener');
    assert.equal(relay.dropListeners(HC), 1);
    assert.equal((await pending).status, 502);
    await waitFor(
      () => links[0]!.stats().connects === 2 && relay.listenerCount(HC) === 1,
      'the link service to reconnect',
    );
    assert.equal((await post(relay, Buffer.from('again'))).status, 200);
  });
});
