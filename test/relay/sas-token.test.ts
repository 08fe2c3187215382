import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkSasToken, createSasToken, parseSasToken, type SasRule } from '../../src/relay/sas-token.js';

const RULES: SasRule[] = [
  { keyName: 'send', key: 'send-key', rights: ['Send'] },
  { keyName: 'listen', key: 'listen-key', rights: ['Listen'] },
  { keyName: 'manage', key: 'manage-key', rights: ['Manage'] },
];
const NOW = 1_800_000_000;
const RESOURCE = 'https://contoso.servicebus.windows.net/erp';

function token(
  overrides: Partial<{ resourceUri: string; keyName: string; key: string; expiresAt: number }> = {},
): string {
  return createSasToken({
    resourceUri: RESOURCE,
    keyName: 'send',
    key: 'send-key',
    expiresAt: NOW + 3600,
    ...overrides,
  });
}

const check = (
  text: string | undefined,
  right: 'Send' | 'Listen' = 'Send',
  resource = 'contoso.servicebus.windows.net/erp',
) => checkSasToken(text, { rules: RULES, resource, right, nowSeconds: NOW });

describe('SAS tokens', () => {
  it('builds the documented format and parses back to the same fields', () => {
    const text = token();
    assert.match(
      text,
      /^SharedAccessSignature sr=https%3A%2F%2Fcontoso\.servicebus\.windows\.net%2Ferp&sig=[^&]+&se=1800003600&skn=send$/,
    );
    const parsed = parseSasToken(text);
    assert.equal(parsed?.resourceUri, RESOURCE);
    assert.equal(parsed?.expiresAt, NOW + 3600);
    assert.equal(parsed?.keyName, 'send');
  });

  it('signs the url-encoded resource, a newline and the expiry with the key as UTF-8 bytes', () => {
    const expected = createHmac('sha256', Buffer.from('send-key', 'utf8'))
      .update(`${encodeURIComponent(RESOURCE)}\n${NOW + 3600}`)
      .digest('base64');
    assert.equal(parseSasToken(token())?.signature, expected);
  });

  it('accepts a valid token for the right it grants', () => {
    assert.deepEqual(check(token()), { ok: true, keyName: 'send', expiresAt: NOW + 3600 });
  });

  it('refuses a token signed with another key', () => {
    const result = check(token({ key: 'not-the-key' }));
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /signature does not match/);
  });

  it('refuses an expired token', () => {
    const result = check(token({ expiresAt: NOW - 1 }));
    assert.match(!result.ok ? result.reason : '', /expired/);
  });

  it('refuses a token for another hybrid connection', () => {
    const result = check(token({ resourceUri: 'https://contoso.servicebus.windows.net/payroll' }));
    assert.match(!result.ok ? result.reason : '', /not for/);
  });

  it('does not let a token for "er" cover "erp"', () => {
    assert.equal(check(token({ resourceUri: 'https://contoso.servicebus.windows.net/er' })).ok, false);
  });

  it('refuses a Send key used to listen', () => {
    const result = check(token(), 'Listen');
    assert.match(!result.ok ? result.reason : '', /does not grant Listen/);
  });

  it('lets a Manage key send and listen', () => {
    assert.equal(check(token({ keyName: 'manage', key: 'manage-key' }), 'Listen').ok, true);
    assert.equal(check(token({ keyName: 'manage', key: 'manage-key' }), 'Send').ok, true);
  });

  it('refuses an unknown key name, a malformed token and no token, with a reason that holds no secret', () => {
    for (const bad of [token({ keyName: 'nobody' }), 'SharedAccessSignature sr=x', 'Bearer abc', undefined]) {
      const result = check(bad);
      assert.equal(result.ok, false);
      assert.doesNotMatch(!result.ok ? result.reason : '', /send-key|sig=/);
    }
  });

  it('takes a namespace-wide token for any of its hybrid connections, ignoring scheme, case and trailing slash', () => {
    const text = token({ resourceUri: 'http://CONTOSO.servicebus.windows.net/' });
    assert.equal(check(text).ok, true);
  });

  it('checks the signature over the resource as the token spells it (lower-case escapes from .NET)', () => {
    const sr = 'https%3a%2f%2fcontoso.servicebus.windows.net%2ferp';
    const sig = createHmac('sha256', 'send-key')
      .update(`${sr}\n${NOW + 60}`)
      .digest('base64');
    const text = `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&se=${NOW + 60}&skn=send`;
    assert.equal(check(text).ok, true);
  });
});
