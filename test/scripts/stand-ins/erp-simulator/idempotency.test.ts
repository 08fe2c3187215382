import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestErpFarm, type TestErpFarm } from '../../../../scripts/harness/erp-simulator.js';
import { RawSoapClient } from './raw-soap-client.js';

const cell = (projectCode: string, date: string, hours: number) => ({ projectCode, date, hours, comment: '' });

describe('SubmitTimesheet across the two nodes of the farm', () => {
  let farm: TestErpFarm;
  let nodeA: RawSoapClient;
  let nodeB: RawSoapClient;

  before(async () => {
    farm = await startTestErpFarm({ nodes: 2 });
    nodeA = await RawSoapClient.on(farm.urls[0]!);
    nodeB = await RawSoapClient.on(farm.urls[1]!);
  });
  after(() => farm?.close());
  beforeEach(() => farm.resetStats());

  it('books a submissionId sent to both nodes at the same moment once, with one receipt', async () => {
    const request = {
      user: 'bob',
      weekStart: '2026-02-02',
      submissionId: randomUUID(),
      entry: [cell('P-1021', '2026-02-02', 8)],
    };
    const [a, b] = await Promise.all([nodeA.call('SubmitTimesheet', request), nodeB.call('SubmitTimesheet', request)]);
    assert.equal(a.fault, undefined);
    assert.deepEqual(b.result, a.result);
    assert.equal((await farm.stats()).submissionsBooked, 1);
    assert.deepEqual(await nodeA.bookedCells('bob', '2026-02-02'), [['P-1021', '2026-02-02', 8]]);
  });

  it('answers a replay on the other node with the first receipt', async () => {
    const request = {
      user: 'bob',
      weekStart: '2026-02-09',
      submissionId: randomUUID(),
      entry: [cell('P-1021', '2026-02-09', 8)],
    };
    const first = await nodeA.call('SubmitTimesheet', request);
    const replay = await nodeB.call('SubmitTimesheet', request);
    assert.deepEqual(replay.result, first.result);
    assert.equal((await farm.stats()).submissionsBooked, 1);
  });

  it('keeps the first booking when a replayed submissionId carries other entries', async () => {
    const submissionId = randomUUID();
    await nodeA.call('SubmitTimesheet', {
      user: 'bob',
      weekStart: '2026-02-16',
      submissionId,
      entry: [cell('P-1021', '2026-02-16', 8)],
    });
    await nodeB.call('SubmitTimesheet', {
      user: 'bob',
      weekStart: '2026-02-16',
      submissionId,
      entry: [cell('P-1039', '2026-02-17', 2)],
    });
    assert.deepEqual(await nodeA.bookedCells('bob', '2026-02-16'), [['P-1021', '2026-02-16', 8]]);
  });

  it('replaces a booked week when a new submissionId corrects it', async () => {
    await nodeA.call('SubmitTimesheet', {
      user: 'bob',
      weekStart: '2026-02-23',
      submissionId: randomUUID(),
      entry: [cell('P-1021', '2026-02-23', 8)],
    });
    const correction = await nodeB.call('SubmitTimesheet', {
      user: 'bob',
      weekStart: '2026-02-23',
      submissionId: randomUUID(),
      entry: [cell('P-1039', '2026-02-24', 6)],
    });
    assert.equal(correction.fault, undefined);
    assert.deepEqual(await nodeA.bookedCells('bob', '2026-02-23'), [['P-1039', '2026-02-24', 6]]);
    assert.equal((await farm.stats()).submissionsBooked, 2);
  });

  it('gives each booking its own receipt number', async () => {
    const submit = (weekStart: string) =>
      nodeA.call('SubmitTimesheet', {
        user: 'dave',
        weekStart,
        submissionId: randomUUID(),
        entry: [cell('P-1001', weekStart, 1)],
      });
    const [a, b] = [await submit('2026-03-02'), await submit('2026-03-09')];
    assert.notEqual(a.result.receiptNumber, b.result.receiptNumber);
  });

  it('refuses a submissionId already used for another week and leaves that week alone', async () => {
    const submissionId = randomUUID();
    await nodeA.call('SubmitTimesheet', {
      user: 'bob',
      weekStart: '2026-03-02',
      submissionId,
      entry: [cell('P-1021', '2026-03-02', 8)],
    });
    const reuse = await nodeB.call('SubmitTimesheet', {
      user: 'bob',
      weekStart: '2026-03-09',
      submissionId,
      entry: [cell('P-1021', '2026-03-09', 8)],
    });
    assert.equal(reuse.fault?.faultcode, 'soap:Client.SubmissionIdReused');
    assert.deepEqual(await nodeA.bookedCells('bob', '2026-03-09'), []);
  });
});
