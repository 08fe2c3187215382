import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkServiceSettingsFromEnv } from '../../src/link-service/settings.js';
import { DEVELOPMENT_LISTEN_KEY } from '../../src/relay/development-keys.js';

describe('link service settings', () => {
  it('defaults to the relay emulator, the ERP simulator farm and the development listen key', () => {
    const parsed = linkServiceSettingsFromEnv({});
    assert.ok(parsed.ok);
    const { instanceId, ...rest } = parsed.settings;
    assert.ok(instanceId.length > 0);
    assert.deepEqual(rest, {
      relayUrl: 'http://127.0.0.1:3300',
      hybridConnection: 'erp',
      keyName: 'link-listen',
      key: DEVELOPMENT_LISTEN_KEY,
      tokenTtlSeconds: 3600,
      erpEndpoints: ['http://127.0.0.1:3200', 'http://127.0.0.1:3201'],
      allowedPaths: ['/erp'],
      appEndpoints: [],
      timeoutMs: 30_000,
      heartbeatIntervalSeconds: 60,
      logLevel: 'info',
    });
  });

  it('reads lists and numbers from the environment', () => {
    const parsed = linkServiceSettingsFromEnv({
      LINK_RELAY_URL: 'https://contoso-relay.servicebus.windows.net',
      LINK_KEY: 'real-key',
      LINK_ERP_ENDPOINTS: 'http://erp1:8080, http://erp2:8080',
      LINK_TIMEOUT_MS: '20000',
    });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.settings.erpEndpoints, ['http://erp1:8080', 'http://erp2:8080']);
    assert.equal(parsed.settings.timeoutMs, 20_000);
  });

  it('refuses the development key for a relay that is not on this machine', () => {
    const parsed = linkServiceSettingsFromEnv({ LINK_RELAY_URL: 'https://contoso-relay.servicebus.windows.net' });
    assert.equal(parsed.ok, false);
    assert.match(!parsed.ok ? parsed.problems.join('\n') : '', /^LINK_KEY: the DEVELOPMENT ONLY key/m);
  });

  it('refuses plain http to a relay that is not on this machine', () => {
    const parsed = linkServiceSettingsFromEnv({ LINK_RELAY_URL: 'http://relay.example', LINK_KEY: 'k' });
    assert.equal(parsed.ok, false);
    assert.match(
      !parsed.ok ? parsed.problems.join('\n') : '',
      /^LINK_RELAY_URL: a relay that is not on this machine must be reached over https/m,
    );
  });

  it('reports every invalid variable at once, under its name', () => {
    const parsed = linkServiceSettingsFromEnv({
      LINK_TIMEOUT_MS: '90000',
      LINK_ERP_ENDPOINTS: 'ftp://erp',
      LINK_HYBRID_CONNECTION: '../x',
    });
    assert.equal(parsed.ok, false);
    const problems = !parsed.ok ? parsed.problems.join('\n') : '';
    assert.match(problems, /^LINK_TIMEOUT_MS:/m);
    assert.match(problems, /^LINK_ERP_ENDPOINTS:/m);
    assert.match(problems, /^LINK_HYBRID_CONNECTION:/m);
  });
});
