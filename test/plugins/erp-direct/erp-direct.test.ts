import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { Container } from 'inversify';
import erpDirect, { settingsSchema, provides } from '../../../plugins/erp-direct/index.js';
import { APP_CONFIG, type AppConfig } from '../../../src/config/app-config-schema.js';
import {
  ERP_CONNECTOR,
  ErpTimeoutError,
  ErpUnavailableError,
  type ErpConnector,
} from '../../../src/ports/erp-connector.js';
import { runErpConnectorContract } from '../../contract/erp-connector.contract.js';
import { startTestErpFarm, type TestErpFarm } from '../../../scripts/harness/erp-simulator.js';

/** The connector exactly as the app gets it: the plugin's module in a container, settings validated. */
async function connectorFromPlugin(
  settings: Record<string, unknown>,
): Promise<{ connector: ErpConnector; container: Container }> {
  // Only the keys the plugin reads; the rest of AppConfig belongs to other parts of the app.
  const config = {
    log: { level: 'silent' },
    pluginSettings: { 'erp-direct': settingsSchema.parse(settings) },
  } as unknown as AppConfig;
  const container = new Container();
  container.bind(APP_CONFIG).toConstantValue(config);
  container.load(erpDirect);
  return { connector: await container.getAsync<ErpConnector>(ERP_CONNECTOR), container };
}

/** A URL on which nothing listens: a port the OS gave us and we closed again. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/erp`;
}

async function farmWithConnector(
  t: TestContext,
  settings: Record<string, unknown> = {},
): Promise<{ farm: TestErpFarm; connector: ErpConnector }> {
  const farm = await startTestErpFarm();
  t.after(() => farm.close());
  const { connector } = await connectorFromPlugin({ endpoints: farm.urls, timeoutMs: 2000, ...settings });
  t.after(() => connector.close());
  return { farm, connector };
}

runErpConnectorContract('erp-direct', async ({ timeoutMs }) => {
  const farm = await startTestErpFarm({ nodes: 2 });
  const { connector } = await connectorFromPlugin({ endpoints: farm.urls, timeoutMs });
  return {
    connector,
    simulator: { statsUrl: farm.statsUrls[0]!, controlUrls: farm.controlUrls },
    async teardown() {
      await connector.close();
      await farm.close();
    },
  };
});

describe('erp-direct plugin', () => {
  it('declares that it provides the ERP connector', () => {
    assert.deepEqual(provides, [ERP_CONNECTOR]);
  });

  it('defaults to the two local ERP nodes with a 5 s timeout', () => {
    assert.deepEqual(settingsSchema.parse({}), {
      endpoints: ['http://127.0.0.1:3200/erp', 'http://127.0.0.1:3201/erp'],
      timeoutMs: 5000,
      pingTimeoutMs: 2000,
    });
  });

  it('refuses an endpoint that is not an http URL', () => {
    const result = settingsSchema.safeParse({ endpoints: ['ftp://erp/erp'] });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['endpoints', 0]);
  });

  it('refuses an unknown settings key', () => {
    assert.equal(settingsSchema.safeParse({ timeout: 5000 }).success, false);
  });

  it('gives the same connector to every caller of the container', async (t) => {
    const { connector, container } = await connectorFromPlugin({});
    t.after(() => connector.close());
    assert.equal(await container.getAsync(ERP_CONNECTOR), connector);
  });

  it('boots while no ERP node is up and reports it through ping', async (t) => {
    const { connector } = await connectorFromPlugin({ endpoints: [await refusedUrl()] });
    t.after(() => connector.close());
    await assert.rejects(connector.ping(), ErpUnavailableError);
  });

  it('spreads calls over both nodes in round robin', async (t) => {
    const { farm, connector } = await farmWithConnector(t);
    await connector.getWeekContext('alice', '2026-11-16');
    await connector.getWeekContext('bob', '2026-11-16');
    await connector.submitWeek(
      'alice',
      '2026-05-11',
      [{ projectCode: 'P-1042', date: '2026-05-11', hours: 1, comment: '' }],
      randomUUID(),
    );
    await connector.submitWeek(
      'alice',
      '2026-05-11',
      [{ projectCode: 'P-1042', date: '2026-05-12', hours: 1, comment: '' }],
      randomUUID(),
    );
    const stats = await farm.stats();
    const totalOf = (node: string): number => Object.values(stats.callsByNode[node] ?? {}).reduce((a, b) => a + b, 0);
    assert.deepEqual(
      farm.nodes.map((n) => totalOf(n.name)),
      [3, 3],
    );
  });

  it('serves every call from the other node while one node is down', async (t) => {
    const { farm, connector } = await farmWithConnector(t);
    await farm.control({ down: true }, 0);
    for (let i = 0; i < 3; i++) await connector.getWeekContext('alice', '2026-11-16');
    const stats = await farm.stats();
    assert.equal(stats.callsByNode[farm.nodes[1]!.name]?.GetProjects, 3);
    assert.equal(stats.callsByNode[farm.nodes[0]!.name]?.GetProjects ?? 0, 0);
  });

  it('skips a node that refuses connections', async (t) => {
    const farm = await startTestErpFarm({ nodes: 1 });
    t.after(() => farm.close());
    const { connector } = await connectorFromPlugin({
      endpoints: [await refusedUrl(), farm.urls[0]!],
      timeoutMs: 2000,
    });
    t.after(() => connector.close());
    const contexts = await Promise.all([1, 2, 3].map(() => connector.getWeekContext('alice', '2026-11-16')));
    assert.ok(contexts.every((c) => c.projects.length === 5));
  });

  it('books a submission once when it fails over after an HTTP 503', async (t) => {
    const { farm, connector } = await farmWithConnector(t);
    // A fresh connector starts its round robin on node 0, which refuses every call.
    await farm.control({ failureRate: 1, failureMode: 'http503' }, 0);
    const entries = [{ projectCode: 'P-1042', date: '2026-05-04', hours: 8, comment: '' }];
    await connector.submitWeek('alice', '2026-05-04', entries, randomUUID());
    const stats = await farm.stats();
    assert.equal(stats.injectedFailures, 1);
    assert.equal(stats.calls.SubmitTimesheet, 1);
    assert.equal(stats.submissionsBooked, 1);
  });

  it('fails over when a node answers "ERP temporarily unavailable"', async (t) => {
    const { farm, connector } = await farmWithConnector(t);
    await farm.control({ failureRate: 1, failureMode: 'fault' }, 1);
    const contexts = await Promise.all([1, 2].map(() => connector.getWeekContext('alice', '2026-11-16')));
    assert.deepEqual(
      contexts.map((c) => c.entries.length),
      [15, 15],
    );
  });

  it('does not retry a timed-out submission on the other node, and a retry with its id returns the booking it made', async (t) => {
    const { farm, connector } = await farmWithConnector(t, { timeoutMs: 300 });
    // A fresh connector starts on node 0, which books and then answers too late.
    await farm.control({ latencyMs: 1500 }, 0);
    const entries = [{ projectCode: 'P-1042', date: '2026-05-18', hours: 8, comment: '' }];
    const submissionId = randomUUID();
    await assert.rejects(connector.submitWeek('alice', '2026-05-18', entries, submissionId), ErpTimeoutError);
    assert.equal((await farm.stats()).calls.SubmitTimesheet, 1);
    const receipt = await connector.submitWeek('alice', '2026-05-18', entries, submissionId);
    assert.equal(receipt.submissionId, submissionId);
    assert.equal((await farm.stats()).submissionsBooked, 1);
  });

  it('refuses calls after close', async () => {
    const { connector } = await connectorFromPlugin({});
    await connector.close();
    await assert.rejects(connector.getWeekContext('alice', '2026-11-16'), ErpUnavailableError);
  });
});
