import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestError } from '@azure/data-tables';
import {
  isTransient,
  serviceCode,
  StorageUnavailableError,
  withRetry,
} from '../../../plugins/session-azure-tables/retry.js';
import { isStorageOutage } from '../../../src/web/http-errors.js';

const settings = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40, attemptTimeoutMs: 500, totalTimeoutMs: 2000 };
const restError = (statusCode: number, errorCode?: string) =>
  Object.assign(new RestError(`status ${statusCode}`, { statusCode }), errorCode ? { details: { errorCode } } : {});
const networkError = (code: string) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { name: 'RestError', code });

describe('session-azure-tables retries', () => {
  it('server busy, server errors, timeouts and network failures are transient; other 4xx are not', () => {
    for (const status of [408, 429, 500, 502, 503, 504])
      assert.equal(isTransient(restError(status)), true, String(status));
    for (const status of [400, 401, 403, 404, 409, 412, 413, 501, 505])
      assert.equal(isTransient(restError(status)), false, String(status));
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN'])
      assert.equal(isTransient(networkError(code)), true, code);
    assert.equal(isTransient(Object.assign(new Error('aborted'), { name: 'AbortError' })), true);
    assert.equal(isTransient(new TypeError('a bug')), false);
  });

  it('the service error code is read from the error or from its details', () => {
    assert.equal(serviceCode(restError(404, 'TableNotFound')), 'TableNotFound');
    assert.equal(serviceCode(Object.assign(new Error('x'), { code: 'ResourceNotFound' })), 'ResourceNotFound');
    assert.equal(serviceCode(new Error('x')), undefined);
  });

  it('a transient failure is retried until the operation succeeds', async () => {
    let calls = 0;
    const outcome = await withRetry('test op', settings, async () => {
      calls += 1;
      if (calls < 3) throw restError(503);
      return 'done';
    });
    assert.deepEqual(outcome, { value: 'done', attempts: 3 });
  });

  it('a 4xx answer is thrown at once, as it is', async () => {
    let calls = 0;
    const conflict = restError(409, 'EntityAlreadyExists');
    await assert.rejects(
      withRetry('test op', settings, async () => {
        calls += 1;
        throw conflict;
      }),
      (err) => err === conflict,
    );
    assert.equal(calls, 1);
  });

  it('retries stop after maxAttempts with an error the app treats as a storage outage', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry('read session (table s)', settings, async () => {
        calls += 1;
        throw networkError('ECONNREFUSED');
      }),
      (err: Error) => {
        assert.ok(err instanceof StorageUnavailableError);
        assert.equal(isStorageOutage(err), true);
        assert.match(
          err.message,
          /^Table Storage unavailable: read session \(table s\) failed 4 times in \d+ ms \(connect ECONNREFUSED 127\.0\.0\.1:1\)$/,
        );
        assert.equal((err.cause as { code: string }).code, 'ECONNREFUSED');
        return true;
      },
    );
    assert.equal(calls, 4);
  });

  it('a try that hangs is abandoned after attemptTimeoutMs, and the whole operation after totalTimeoutMs', async () => {
    const started = Date.now();
    let calls = 0;
    const hang = (signal: AbortSignal) =>
      new Promise<never>((_resolve, reject) => {
        calls += 1;
        signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      });
    await assert.rejects(
      withRetry(
        'slow op',
        { maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 10, attemptTimeoutMs: 100, totalTimeoutMs: 350 },
        hang,
      ),
      StorageUnavailableError,
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 300 && elapsed < 1500, `took ${elapsed} ms`);
    assert.ok(calls >= 3 && calls <= 4, `${calls} tries`);
  });
});
