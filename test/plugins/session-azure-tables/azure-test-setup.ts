/**
 * Shared set-up of the session-azure-tables tests: one Azurite per test file, unique table names
 * per store so that suites never see each other's rows, and quick retry settings so that an
 * outage is reported in about a second instead of ten.
 */
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { TableClient } from '@azure/data-tables';
import type { SessionData } from 'express-session';
import {
  openAzureSessionStore,
  settingsSchema,
  type AzureSessionStoreHandle,
  type SessionAzureTablesSettings,
} from '../../../plugins/session-azure-tables/index.js';
import { startAzurite, type AzuriteOptions, type AzuriteTable } from '../../../scripts/harness/azurite.js';

export const SESSION_MAX_AGE_MINUTES = 480;

export const FAST_RETRY = {
  maxAttempts: 3,
  baseDelayMs: 50,
  maxDelayMs: 200,
  attemptTimeoutMs: 2000,
  totalTimeoutMs: 3000,
};

/** Starts Azurite before the file's tests and stops it after them; `get()` gives the running one. */
export function useAzurite(options: AzuriteOptions = {}): () => AzuriteTable {
  let azurite: AzuriteTable | undefined;
  before(async () => {
    azurite = await startAzurite(options);
  });
  after(() => azurite?.stop());
  return () => {
    if (!azurite) throw new Error('Azurite is not started yet (use it inside a test or hook)');
    return azurite;
  };
}

/** Three fresh table names (letters and digits, as Azure wants). */
export function uniqueTables(
  label = 't',
): Pick<SessionAzureTablesSettings, 'sessionsTable' | 'draftsTable' | 'leaseTable' | 'outboxTable'> {
  const id = `${label}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  return { sessionsTable: `${id}s`, draftsTable: `${id}d`, leaseTable: `${id}l`, outboxTable: `${id}o` };
}

/** Settings on this Azurite with fresh tables (unless given), the sweeper timer off and quick retries. */
export function testSettings(
  azurite: AzuriteTable,
  overrides: Record<string, unknown> = {},
): SessionAzureTablesSettings {
  return settingsSchema.parse({
    connectionString: azurite.connectionString,
    sweepIntervalSeconds: 0,
    retry: FAST_RETRY,
    ...uniqueTables(),
    ...overrides,
  });
}

export function openStore(settings: SessionAzureTablesSettings, instanceId?: string): Promise<AzureSessionStoreHandle> {
  return openAzureSessionStore(settings, {
    sessionMaxAgeMinutes: SESSION_MAX_AGE_MINUTES,
    ...(instanceId ? { instanceId } : {}),
  });
}

/** A plain SDK client on one table, to look at what the store wrote. */
export function rawTable(azurite: AzuriteTable, table: string): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
}

/** Session data as express-session would store it, expiring in `expiresInMs`. */
export function sessionData(fields: Record<string, unknown>, expiresInMs = 8 * 60 * 60 * 1000): SessionData {
  return {
    cookie: {
      originalMaxAge: 8 * 60 * 60 * 1000,
      expires: new Date(Date.now() + expiresInMs).toISOString(),
      httpOnly: true,
      path: '/',
    },
    ...fields,
  } as unknown as SessionData;
}

/** A new week record as the week page hands it to save(). */
export { newWeekRecord as weekRecord } from '../../../scripts/harness/week-record.js';

export function withoutCookie(sess: SessionData | null | undefined): Record<string, unknown> {
  if (!sess) throw new Error('expected a session');
  const { cookie: _cookie, ...rest } = sess as unknown as Record<string, unknown>;
  return rest;
}
