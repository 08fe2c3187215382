import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTarget } from '../../src/link-service/allow-list.js';

const check = (target: string, method = 'POST') => checkTarget(target, method, 'erp', ['/erp']);

describe('link service allow-list', () => {
  it('forwards SOAP calls: POST /{hc}/erp', () => {
    assert.deepEqual(check('/erp/erp'), { ok: true, path: '/erp', pathAndQuery: '/erp', to: 'erp' });
  });

  it('forwards the WSDL request with its query untouched: GET /{hc}/erp?wsdl', () => {
    assert.deepEqual(check('/erp/erp?wsdl', 'GET'), { ok: true, path: '/erp', pathAndQuery: '/erp?wsdl', to: 'erp' });
  });

  it('refuses other paths with 404', () => {
    for (const target of [
      '/erp/admin',
      '/erp/erp/',
      '/erp/erp/../admin',
      '/erp/erp%2F..%2Fadmin',
      '/erp//erp',
      '/erp',
      '/erp/ERP',
    ]) {
      const result = check(target);
      assert.equal(result.ok ? 0 : result.status, 404, target);
    }
  });

  it('refuses a request addressed to another hybrid connection with 404', () => {
    const result = check('/erpx/erp');
    assert.equal(result.ok ? 0 : result.status, 404);
  });

  it('refuses other methods and queries on an allowed path with 403', () => {
    for (const [target, method] of [
      ['/erp/erp', 'GET'],
      ['/erp/erp', 'DELETE'],
      ['/erp/erp?wsdl', 'POST'],
      ['/erp/erp?wsdl=1', 'GET'],
      ['/erp/erp?x=1', 'POST'],
    ] as const) {
      const result = check(target, method);
      assert.equal(result.ok ? 0 : result.status, 403, `${method} ${target}`);
    }
  });

  it("forwards the copies' internal paths to the on-prem app only when given, GET or POST without a query", () => {
    const app = ['/internal/copy/burst', '/internal/copy/drafts/take'];
    const withApp = (target: string, method = 'POST') => checkTarget(target, method, 'erp', ['/erp'], app);
    assert.deepEqual(withApp('/erp/internal/copy/burst', 'GET'), {
      ok: true,
      path: '/internal/copy/burst',
      pathAndQuery: '/internal/copy/burst',
      to: 'app',
    });
    assert.deepEqual(withApp('/erp/internal/copy/drafts/take'), {
      ok: true,
      path: '/internal/copy/drafts/take',
      pathAndQuery: '/internal/copy/drafts/take',
      to: 'app',
    });
    for (const [target, method] of [
      ['/erp/internal/copy/burst', 'DELETE'],
      ['/erp/internal/copy/burst?x=1', 'GET'],
    ] as const) {
      const result = withApp(target, method);
      assert.equal(result.ok ? 0 : result.status, 403, `${method} ${target}`);
    }
    for (const target of [
      '/erp/internal/copy',
      '/erp/internal/copy/drafts',
      '/erp/internal/copy/burst/',
      '/erp/internal/copy/../copy/burst',
    ]) {
      const result = withApp(target);
      assert.equal(result.ok ? 0 : result.status, 404, target);
    }
    // Without the app's address, the same paths are not forwarded at all.
    const result = check('/erp/internal/copy/burst', 'GET');
    assert.equal(result.ok ? 0 : result.status, 404);
  });
});
