import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it, test } from 'node:test';
import { startTestErpFarm, type TestErpFarm } from '../../../../scripts/harness/erp-simulator.js';
import { RawSoapClient } from './raw-soap-client.js';

const SOAP_GET_PROJECTS = (user: string) =>
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://erp.contoso.example/timesheet/v1"><soap:Body>' +
  `<t:GetProjectsRequest><t:user>${user}</t:user><t:weekStart>2026-11-16</t:weekStart></t:GetProjectsRequest></soap:Body></soap:Envelope>`;

/** A SOAP call by hand, to see the HTTP status and body exactly as the node sends them. */
function postGetProjects(url: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: '"http://erp.contoso.example/timesheet/v1/GetProjects"',
    },
    body: SOAP_GET_PROJECTS('alice'),
  });
}

describe('the stats and control endpoints of the simulator', () => {
  let farm: TestErpFarm;
  let nodes: RawSoapClient[];

  before(async () => {
    farm = await startTestErpFarm({ nodes: 2 });
    nodes = await Promise.all(farm.urls.map((url) => RawSoapClient.on(url)));
  });
  after(() => farm?.close());
  beforeEach(() => farm.resetStats());
  afterEach(() => farm.resetControl());

  it('reports the calls of the whole farm from every node', async () => {
    await nodes[0]!.call('GetProjects', { user: 'alice', weekStart: '2026-11-16' });
    await nodes[1]!.call('GetTimeEntries', { user: 'alice', weekStart: '2026-11-16' });
    const fromB = await farm.stats(1);
    assert.deepEqual(fromB.calls, {
      GetProjects: 1,
      GetTimeEntries: 1,
      SubmitTimesheet: 0,
      GetBookedWeeks: 0,
      GetTeamWeek: 0,
      GetBookedEntries: 0,
    });
    assert.deepEqual(fromB.callsByNode[farm.nodes[0]!.name], {
      GetProjects: 1,
      GetTimeEntries: 0,
      SubmitTimesheet: 0,
      GetBookedWeeks: 0,
      GetTeamWeek: 0,
      GetBookedEntries: 0,
    });
    assert.deepEqual(fromB.thisNode, {
      GetProjects: 0,
      GetTimeEntries: 1,
      SubmitTimesheet: 0,
      GetBookedWeeks: 0,
      GetTeamWeek: 0,
      GetBookedEntries: 0,
    });
  });

  it('counts a call that the ERP refused with a fault', async () => {
    await nodes[0]!.call('GetProjects', { user: 'nobody', weekStart: '2026-11-16' });
    assert.equal((await farm.stats()).calls.GetProjects, 1);
  });

  it('counts booked submissions, not replays', async () => {
    const request = {
      user: 'dave',
      weekStart: '2026-04-06',
      submissionId: randomUUID(),
      entry: [{ projectCode: 'P-1001', date: '2026-04-06', hours: 2, comment: '' }],
    };
    await nodes[0]!.call('SubmitTimesheet', request);
    await nodes[1]!.call('SubmitTimesheet', request);
    const stats = await farm.stats();
    assert.equal(stats.calls.SubmitTimesheet, 2);
    assert.equal(stats.submissionsBooked, 1);
  });

  it('zeroes every counter of the farm on POST /stats/reset', async () => {
    await nodes[0]!.call('GetProjects', { user: 'alice', weekStart: '2026-11-16' });
    await farm.resetStats();
    const stats = await farm.stats(1);
    assert.equal(stats.totalCalls, 0);
    assert.equal(stats.submissionsBooked, 0);
  });

  it('does not count the WSDL as a call', async () => {
    await fetch(`${farm.urls[0]}?wsdl`).then((r) => r.text());
    assert.equal((await farm.stats()).totalCalls, 0);
  });

  it('answers 503 to SOAP calls and to ?wsdl on a node marked down', async () => {
    await farm.control({ down: true }, 0);
    assert.equal((await postGetProjects(farm.urls[0]!)).status, 503);
    assert.equal((await fetch(`${farm.urls[0]}?wsdl`)).status, 503);
    assert.equal((await postGetProjects(farm.urls[1]!)).status, 200);
  });

  it('keeps answering /stats and /control on a node marked down, so it can be brought back', async () => {
    await farm.control({ down: true }, 0);
    assert.equal((await fetch(farm.statsUrls[0]!)).status, 200);
    await farm.control({ down: false }, 0);
    assert.equal((await postGetProjects(farm.urls[0]!)).status, 200);
  });

  it('answers the SOAP fault "ERP temporarily unavailable" when failureRate is 1', async () => {
    await farm.control({ failureRate: 1 }, 0);
    const { fault } = await nodes[0]!.call('GetProjects', { user: 'alice', weekStart: '2026-11-16' });
    assert.deepEqual(fault, { faultcode: 'soap:Server.Unavailable', faultstring: 'ERP temporarily unavailable' });
  });

  it('books nothing when it injects a failure into a submission', async () => {
    await farm.control({ failureRate: 1 }, 0);
    const request = {
      user: 'dave',
      weekStart: '2026-04-13',
      submissionId: randomUUID(),
      entry: [{ projectCode: 'P-1001', date: '2026-04-13', hours: 2, comment: '' }],
    };
    await nodes[0]!.call('SubmitTimesheet', request);
    assert.deepEqual(await nodes[1]!.bookedCells('dave', '2026-04-13'), []);
    assert.equal((await farm.stats()).injectedFailures, 1);
  });

  it('answers HTTP 503 instead when failureMode is http503', async () => {
    await farm.control({ failureRate: 1, failureMode: 'http503' }, 0);
    const res = await postGetProjects(farm.urls[0]!);
    assert.equal(res.status, 503);
    assert.equal(await res.text(), 'ERP temporarily unavailable');
  });

  it('breaks only the operation given a per-operation failure rate', async () => {
    await farm.control({ operations: { GetTimeEntries: { failureRate: 1 } } }, 0);
    assert.equal((await nodes[0]!.call('GetProjects', { user: 'alice', weekStart: '2026-11-16' })).fault, undefined);
    assert.equal(
      (await nodes[0]!.call('GetTimeEntries', { user: 'alice', weekStart: '2026-11-16' })).fault?.faultstring,
      'ERP temporarily unavailable',
    );
  });

  it('delays the answer by latencyMs', async () => {
    await farm.control({ latencyMs: 300 }, 0);
    const started = performance.now();
    await nodes[0]!.call('GetProjects', { user: 'alice', weekStart: '2026-11-16' });
    assert.ok(performance.now() - started >= 290, `answered after ${Math.round(performance.now() - started)} ms`);
  });

  it('refuses a /control body with an unknown key or an out-of-range value', async () => {
    for (const body of [{ latency: 5 }, { failureRate: 2 }]) {
      const res = await fetch(farm.controlUrls[0]!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
  });
});

test('applies the latency and failure rate given at start to every node', async (t) => {
  const farm = await startTestErpFarm({ nodes: 2, latencyMs: 25, failureRate: 0.5 });
  t.after(() => farm.close());
  for (const url of farm.controlUrls) {
    const state = (await (await fetch(url)).json()) as { latencyMs: number; failureRate: number };
    assert.deepEqual([state.latencyMs, state.failureRate], [25, 0.5]);
  }
});
