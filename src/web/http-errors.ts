/**
 * Maps every failure the week pages can meet to a status and a message key, so the person
 * always reads what happened and what to do, and never a stack trace.
 */
import { ErpError } from '../ports/erp-connector.js';
import { DraftConflictError } from '../ports/draft-store.js';
import { InvalidChangeError, WeekLockedError, WeekNotReadyError } from '../timesheet/week-service.js';
import type { MessageKey } from '../i18n/messages-en.js';
import { CsrfError } from './csrf.js';

export interface HttpFailure {
  status: number;
  code: string;
  key: MessageKey;
  params: Record<string, string | number>;
}

/** Errors of the storage behind sessions and drafts that mean "down", not "bug". */
export function isStorageOutage(err: unknown): boolean {
  const e = err as { name?: string; code?: string; statusCode?: number; parent?: { code?: string } } | null;
  if (!e) return false;
  if (
    typeof e.name === 'string' &&
    /^Sequelize(Connection|HostNotReachable|ConnectionRefused|ConnectionTimedOut|AccessDenied|Timeout)/.test(e.name)
  )
    return true;
  const code = e.code ?? e.parent?.code;
  if (
    code &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'SQLITE_BUSY', 'SQLITE_CANTOPEN', 'SQLITE_IOERR'].includes(code)
  )
    return true;
  return e.statusCode === 503 || (e.statusCode === 500 && e.name === 'RestError');
}

export function classify(err: unknown): HttpFailure {
  if (err instanceof ErpError) {
    if (err.kind === 'rejected')
      return { status: 422, code: 'erp-rejected', key: 'errors.erp.rejected', params: { message: err.message } };
    return {
      status: 503,
      code: `erp-${err.kind}`,
      key: err.kind === 'timeout' ? 'errors.erp.timeout' : 'errors.erp.unavailable',
      params: {},
    };
  }
  if (err instanceof DraftConflictError) return { status: 409, code: 'conflict', key: 'errors.conflict', params: {} };
  if (err instanceof WeekLockedError) return { status: 409, code: 'locked', key: 'errors.locked', params: {} };
  if (err instanceof WeekNotReadyError)
    return { status: 422, code: 'week-not-ready', key: 'errors.weekNotReady', params: {} };
  if (err instanceof InvalidChangeError)
    return {
      status: 400,
      code: 'bad-input',
      key: 'errors.badInput',
      params: { detail: `${err.reason}: ${err.key.slice(0, 80)}` },
    };
  if (err instanceof CsrfError) return { status: 403, code: 'csrf', key: 'errors.csrf', params: {} };
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string };
  const status =
    typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (e && status !== undefined && status >= 400 && status < 500) {
    // http-errors from Express's own parts: body-parser (entity.too.large, entity.parse.failed,
    // bad charset or compression), the router (malformed %-escape in the path), serve-static.
    if (status === 404 || status === 403) return { status: 404, code: 'not-found', key: 'errors.notFound', params: {} };
    return { status, code: 'bad-input', key: 'errors.badInput', params: { detail: e.type ?? 'malformed request' } };
  }
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'SessionTooLargeError' || name === 'EntityTooLargeError') {
    // The store refused to keep that much: a clear 413, never a generic failure.
    return { status: 413, code: 'too-large', key: 'errors.badInput', params: { detail: 'too large to store' } };
  }
  if (isStorageOutage(err))
    return { status: 503, code: 'store-unavailable', key: 'errors.storeUnavailable', params: {} };
  return { status: 500, code: 'internal', key: 'errors.generic', params: {} };
}
