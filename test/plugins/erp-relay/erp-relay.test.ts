import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { Container } from 'inversify';
import erpRelay, { provides, relayErpEndpoint, settingsSchema } from '../../../plugins/erp-relay/index.js';
import { APP_CONFIG, type AppConfig } from '../../../src/config/app-config-schema.js';
import { DEVELOPMENT_SEND_KEY } from '../../../src/relay/development-keys.js';
import {
  ERP_CONNECTOR,
  ErpTimeoutError,
  ErpUnavailableError,
  type ErpConnector,
} from '../../../src/ports/erp-connector.js';
import type { RelayEmulator } from '../../../scripts/stand-ins/relay-emulator/relay-emulator.js';
import { runErpConnectorContract } from '../../contract/erp-connector.contract.js';
import { startTestErpFarm, type TestErpFarm } from '../../../scripts/harness/erp-simulator.js';
import {
  HC,
  origins,
  startTestLinkService,
  startTestRelay,
  startUpstream,
  waitFor,
} from '../../../scripts/harness/relay.js';

/** The connector exactly as the app gets it: the plugin's module in a container, settings validated. */
async function connectorFromPlugin(
  settings: Record<string, unknown>,
): Promise<{ connector: ErpConnector; container: Container }> {
  // Only the keys the plugin reads; the rest of AppConfig belongs to other parts of the app.
  const config = {
    log: { level: 'silent' },
    pluginSettings: { 'erp-relay': settingsSchema.parse(settings) },
  } as unknown as AppConfig;
  const container = new Container();
  container.bind(APP_CONFIG).toConstantValue(config);
  container.load(erpRelay);
  return { connector: await container.getAsync<ErpConnector>(ERP_CONNECTOR), container };
}

interface RelayedErp {
  farm: TestErpFarm;
  relay: RelayEmulator;
  connector: ErpConnector;
  close(): Promise<void>;
}

/** Emulator + link service + a simulator farm, and the plugin's connector pointed at the emulator with its default keys. */
async function relayedErp(
  settings: Record<string, unknown> = {},
  relayOptions: Parameters<typeof startTestRelay>[0] = {},
): Promise<RelayedErp> {
  const farm = await startTestErpFarm({ nodes: 2 });
  const relay = await startTestRelay(relayOptions);
  const link = startTestLinkService(relay, { erpEndpoints: origins(farm.urls) });
  await link.waitUntilConnected();
  const { connector } = await connectorFromPlugin({ relayBaseUrl: relay.url, ...settings });
  return {
    farm,
    relay,
    connector,
    async close() {
      await connector.close();
      await link.close();
      await relay.close();
      await farm.close();
    },
  };
}

runErpConnectorContract('erp-relay', async ({ timeoutMs }) => {
  const { farm, connector, close } = await relayedErp({ timeoutMs });
  return { connector, simulator: { statsUrl: farm.statsUrls[0]!, controlUrls: farm.controlUrls }, teardown: close };
});

async function withRelayedErp(
  t: TestContext,
  settings: Record<string, unknown> = {},
  relayOptions: Parameters<typeof startTestRelay>[0] = {},
): Promise<RelayedErp> {
  const stack = await relayedErp(settings, relayOptions);
  t.after(() => stack?.close());
  return stack;
}

describe('erp-relay plugin', () => {
  it('declares that it provides the ERP connector', () => {
    assert.deepEqual(provides, [ERP_CONNECTOR]);
  });

  it('defaults to the local relay emulator, hybrid connection "erp" and the development Send key', () => {
    assert.deepEqual(settingsSchema.parse({}), {
      relayBaseUrl: 'http://127.0.0.1:3300',
      hybridConnection: 'erp',
      keyName: 'timesheet-send',
      key: DEVELOPMENT_SEND_KEY,
      tokenTtlSeconds: 3600,
      timeoutMs: 10_000,
      pingTimeoutMs: 3000,
      relayProbeTimeoutMs: 2000,
    });
    assert.equal(relayErpEndpoint(settingsSchema.parse({})), 'http://127.0.0.1:3300/erp/erp');
  });

  it('refuses the development key for a relay that is not on this machine', () => {
    const result = settingsSchema.safeParse({ relayBaseUrl: 'https://contoso-relay.servicebus.windows.net' });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['key']);
  });

  it('refuses plain http to a relay that is not on this machine', () => {
    const result = settingsSchema.safeParse({
      relayBaseUrl: 'http://contoso-relay.servicebus.windows.net',
      key: 'real-key',
    });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['relayBaseUrl']);
  });

  it('accepts an Azure namespace over https with a real key', () => {
    const settings = settingsSchema.parse({
      relayBaseUrl: 'https://contoso-relay.servicebus.windows.net/',
      key: 'real-key',
    });
    assert.equal(relayErpEndpoint(settings), 'https://contoso-relay.servicebus.windows.net/erp/erp');
  });

  it('refuses an unknown settings key', () => {
    assert.equal(settingsSchema.safeParse({ endpoints: [] }).success, false);
  });

  it('gives the same connector to every caller of the container', async (t) => {
    const { connector, container } = await connectorFromPlugin({});
    t.after(() => connector.close());
    assert.equal(await container.getAsync(ERP_CONNECTOR), connector);
  });

  it('says the ERP link is down when no link service listens on the relay', async (t) => {
    const relay = await startTestRelay();
    t.after(() => relay.close());
    const { connector } = await connectorFromPlugin({ relayBaseUrl: relay.url });
    t.after(() => connector.close());
    for (const call of [() => connector.getWeekContext('alice', '2026-11-16'), () => connector.ping()]) {
      await assert.rejects(call(), (err: unknown) => {
        assert.ok(err instanceof ErpUnavailableError, String(err));
        assert.match(
          err.message,
          /^The ERP link is down: no link service is listening on the relay's hybrid connection "erp"/,
        );
        return true;
      });
    }
  });

  it('says the relay refused its token when the key is wrong', async (t) => {
    const relay = await startTestRelay();
    t.after(() => relay.close());
    const { connector } = await connectorFromPlugin({ relayBaseUrl: relay.url, key: 'not-the-key' });
    t.after(() => connector.close());
    await assert.rejects(connector.getWeekContext('alice', '2026-11-16'), (err: unknown) => {
      assert.ok(err instanceof ErpUnavailableError);
      assert.match(err.message, /The relay refused the Send token .* \(HTTP 401\): check keyName and key/);
      return true;
    });
  });

  it('gives ErpTimeoutError when the relay answers 504 before the connector gives up', async (t) => {
    // The relay's own deadline (300 ms) is shorter than the connector's (3 s): the 504 decides.
    const slowErp = await startUpstream(() => undefined);
    t.after(() => slowErp.close());
    const relay = await startTestRelay({ listenerResponseTimeoutMs: 300 });
    t.after(() => relay.close());
    const link = startTestLinkService(relay, { erpEndpoints: [slowErp.url] });
    t.after(() => link.close());
    await link.waitUntilConnected();
    const { connector } = await connectorFromPlugin({ relayBaseUrl: relay.url, timeoutMs: 3000 });
    t.after(() => connector.close());
    await assert.rejects(
      connector.submitWeek(
        'alice',
        '2026-05-04',
        [{ projectCode: 'P-1042', date: '2026-05-04', hours: 1, comment: '' }],
        randomUUID(),
      ),
      (err: unknown) => {
        assert.ok(err instanceof ErpTimeoutError, String(err));
        assert.match(err.message, /relay gave up waiting for the link service/);
        return true;
      },
    );
  });

  it('reaches the ERP simulator through the relay: its /stats count the calls', async (t) => {
    const { farm, relay, connector } = await withRelayedErp(t);
    await farm.resetStats();
    await connector.getWeekContext('alice', '2026-11-16');
    await connector.submitWeek(
      'alice',
      '2026-06-01',
      [{ projectCode: 'P-1042', date: '2026-06-01', hours: 2, comment: 'via relay' }],
      randomUUID(),
    );
    const stats = await farm.stats();
    assert.deepEqual(stats.calls, {
      GetProjects: 1,
      GetTimeEntries: 1,
      SubmitTimesheet: 1,
      GetBookedWeeks: 0,
      GetTeamWeek: 0,
      GetBookedEntries: 0,
    });
    assert.equal(stats.submissionsBooked, 1);
    assert.equal(relay.stats().requests, 3);
  });

  it('keeps working after the link service reconnects', async (t) => {
    const { relay, connector } = await withRelayedErp(t);
    await connector.getWeekContext('alice', '2026-11-16');
    relay.dropListeners(HC);
    await waitFor(() => relay.listenerCount(HC) === 1, 'the link service to reconnect');
    assert.equal((await connector.getWeekContext('alice', '2026-11-16')).entries.length, 15);
  });
});
