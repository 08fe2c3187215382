import assert from 'node:assert/strict';
import { test } from 'node:test';
import soap from 'soap';
import { startTestErpFarm } from '../../../../scripts/harness/erp-simulator.js';

test('GET /erp?wsdl serves the WSDL with the address of the node that answered', async (t) => {
  const farm = await startTestErpFarm({ nodes: 2 });
  t.after(() => farm.close());
  for (const url of farm.urls) {
    const res = await fetch(`${url}?wsdl`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /xml/);
    assert.match(await res.text(), new RegExp(`<soap:address location="${url}"/>`));
  }
});

test('the served WSDL parses into a client offering the six operations', async (t) => {
  const farm = await startTestErpFarm({ nodes: 1 });
  t.after(() => farm.close());
  const client = await soap.createClientAsync(`${farm.urls[0]}?wsdl`, { disableCache: true });
  const operations = Object.keys(client.describe().TimesheetService.TimesheetPort).sort();
  assert.deepEqual(operations, [
    'GetBookedEntries',
    'GetBookedWeeks',
    'GetProjects',
    'GetTeamWeek',
    'GetTimeEntries',
    'SubmitTimesheet',
  ]);
});

test('a SOAP call through a client built from the served WSDL reaches the node', async (t) => {
  const farm = await startTestErpFarm({ nodes: 1 });
  t.after(() => farm.close());
  const client = await soap.createClientAsync(`${farm.urls[0]}?wsdl`, { disableCache: true });
  const [result] = await client.GetProjectsAsync({ user: 'carol', weekStart: '2026-11-16' });
  assert.deepEqual(
    result.project.map((p: { code: string }) => p.code),
    ['P-1042', 'P-1090'],
  );
});
