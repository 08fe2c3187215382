import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SasTokenProvider } from '../../src/relay/sas-token-provider.js';
import { parseSasToken } from '../../src/relay/sas-token.js';

function provider(clock: { now: number }, ttlSeconds = 3600): SasTokenProvider {
  return new SasTokenProvider({
    resourceUri: 'http://127.0.0.1:3300/erp',
    keyName: 'k',
    key: 'secret',
    ttlSeconds,
    now: () => clock.now,
  });
}

describe('SasTokenProvider', () => {
  it('hands out the same token until half of its lifetime has passed', () => {
    const clock = { now: 1_800_000_000_000 };
    const tokens = provider(clock);
    const first = tokens.token();
    clock.now += 1799 * 1000;
    assert.equal(tokens.token(), first);
  });

  it('issues a new token at half-life, long before the old one expires', () => {
    const clock = { now: 1_800_000_000_000 };
    const tokens = provider(clock);
    const first = tokens.token();
    const firstExpiry = parseSasToken(first)!.expiresAt * 1000;
    clock.now = tokens.renewAtMs();
    const second = tokens.token();
    assert.notEqual(second, first);
    assert.ok(firstExpiry - clock.now >= 1800 * 1000 - 1000, 'the old token still had half its life');
    assert.ok(parseSasToken(second)!.expiresAt * 1000 > firstExpiry);
  });

  it('renews a short-lived token before it expires even though expiry is in whole seconds', () => {
    const clock = { now: 1_800_000_000_999 };
    const tokens = provider(clock, 2);
    tokens.token();
    assert.ok(tokens.renewAtMs() < tokens.expiresAtMs());
    assert.ok(tokens.renewAtMs() > clock.now);
  });

  it('issues a new token after invalidate()', () => {
    const clock = { now: 1_800_000_000_000 };
    const tokens = provider(clock);
    const first = tokens.token();
    clock.now += 1000;
    tokens.invalidate();
    assert.notEqual(tokens.token(), first);
  });
});
