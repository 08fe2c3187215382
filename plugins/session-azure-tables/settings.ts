import { z } from 'zod';

/** What `{}` connects to: Azurite's Table service on 127.0.0.1:10002 (the dev stack starts it). */
export const DEV_CONNECTION_STRING = 'UseDevelopmentStorage=true';

const CONNECTION_FORMS =
  'UseDevelopmentStorage=true, AccountName=…;AccountKey=…;TableEndpoint=… (or DefaultEndpointsProtocol=https;…;EndpointSuffix=…), or TableEndpoint=…;SharedAccessSignature=…';

/** The connection string's keys, lower-cased; values are never echoed (they hold the key). */
function connectionStringKeys(value: string): Map<string, string> | undefined {
  const keys = new Map<string, string>();
  for (const part of value.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    keys.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return keys;
}

/** Returns why a connection string cannot be used, or undefined when it can. */
export function connectionStringProblem(value: string): string | undefined {
  const keys = connectionStringKeys(value);
  if (!keys || keys.size === 0) return `is not a connection string; use ${CONNECTION_FORMS}`;
  if (keys.get('usedevelopmentstorage')?.toLowerCase() === 'true') return undefined;
  const endpoint = keys.get('tableendpoint');
  if (endpoint !== undefined && !URL.canParse(endpoint)) return 'has a TableEndpoint that is not a URL';
  if (keys.has('sharedaccesssignature')) {
    return endpoint !== undefined ? undefined : 'has a SharedAccessSignature but no TableEndpoint';
  }
  if (!keys.get('accountname') || !keys.get('accountkey')) {
    return `names no account: it needs AccountName and AccountKey (or a SharedAccessSignature); use ${CONNECTION_FORMS}`;
  }
  if (endpoint === undefined && !keys.get('defaultendpointsprotocol')) {
    return 'needs TableEndpoint=… or DefaultEndpointsProtocol=https (with EndpointSuffix for another cloud)';
  }
  return undefined;
}

function accountUrlProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return `"${value}" is not a URL; use https://<account>.table.core.windows.net`;
  const url = new URL(value);
  // DefaultAzureCredential sends a bearer token: the SDK refuses that over plain http.
  if (url.protocol !== 'https:')
    return `"${value}" must be an https URL (a managed identity token is never sent over http)`;
  if (url.search !== '' || url.username !== '' || url.password !== '') {
    return 'must hold no query or credentials; a SAS goes in connectionString (TableEndpoint=…;SharedAccessSignature=…)';
  }
  return undefined;
}

/** Azure's table-name rule: 3–63 letters and digits, starting with a letter; "tables" is reserved. */
const tableName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'a table name has 3 to 63 letters and digits and starts with a letter')
  .refine((name) => name.toLowerCase() !== 'tables', '"tables" is a reserved table name');

const retrySchema = z.strictObject({
  /** Tries of one storage operation in all (1 = no retry). Only transient failures are retried. */
  maxAttempts: z.number().int().min(1).max(10).default(4),
  /** First backoff delay; doubled on each retry (with jitter) up to maxDelayMs. */
  baseDelayMs: z.number().int().min(0).default(200),
  maxDelayMs: z.number().int().min(0).default(2000),
  /** One try is abandoned (and counts as a transient failure) after this. */
  attemptTimeoutMs: z.number().int().min(100).default(5000),
  /** No operation takes longer than this, retries included; then the store reports an outage. */
  totalTimeoutMs: z.number().int().min(100).default(10_000),
});

const fields = z.strictObject({
  /**
   * Azurite, an Azure Storage account (key or SAS) or Cosmos DB for Table. Default (when
   * accountUrl is not set either): Azurite on 127.0.0.1:10002. Give this or accountUrl, not both.
   */
  connectionString: z.string().nullable().optional(),
  /** https://<account>.table.core.windows.net, reached with a managed identity (DefaultAzureCredential). */
  accountUrl: z.string().nullable().optional(),
  /** Client id of a user-assigned managed identity (with accountUrl); default: the system-assigned one. */
  managedIdentityClientId: z.string().min(1).optional(),
  sessionsTable: tableName.default('timesheetsessions'),
  draftsTable: tableName.default('timesheetdrafts'),
  /** Holds the sweep lease (one row), so that one replica at a time purges expired rows. */
  leaseTable: tableName.default('timesheetleases'),
  /** Week submissions waiting for delivery to the ERP (the outbox). */
  outboxTable: tableName.default('timesheetoutbox'),
  /** Row key of the lease: replicas sharing it take turns. */
  leaseName: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'use 1 to 100 letters, digits, dots, dashes and underscores')
    .default('expired-row-sweep'),
  /**
   * How long a sweep's lease lasts. It is left to run out after the sweep, so replicas whose
   * timers fire meanwhile skip the scan; a dead holder's lease lapses after this.
   */
  leaseSeconds: z.number().int().min(1).default(300),
  /** An unmodified request writes the session's new expiry only when the stored one is older than this. */
  touchAfterSeconds: z.number().int().min(0).default(300),
  /** How often this instance calls sweepExpired(); 0 = never (e.g. when plugins/cloud-role schedules it). */
  sweepIntervalSeconds: z.number().int().min(0).default(300),
  /** A draft not saved for this long is deleted by the sweep. */
  draftRetentionDays: z.number().int().min(1).default(90),
  /**
   * Largest session accepted, in bytes as Table Storage counts them: 2 per character of the
   * stored JSON, where a non-ASCII character is stored as a 6-character \u escape (see
   * chunked-json.ts). A bigger one is refused with an error. At most 1,000,000: the entity limit is 1 MiB.
   */
  maxSessionBytes: z
    .number()
    .int()
    .min(1024)
    .max(1_000_000)
    .default(512 * 1024),
  /** Create the three tables at start-up when they do not exist (turn off when Terraform owns them). */
  createTables: z.boolean().default(true),
  retry: retrySchema.prefault({}),
});

/**
 * `pluginSettings.session-azure-tables`. Every key has a default, so `{}` is a working
 * development configuration (Azurite on 127.0.0.1:10002).
 */
export const settingsSchema = fields
  .superRefine((s, ctx) => {
    const hasString = typeof s.connectionString === 'string' && s.connectionString.trim() !== '';
    const hasUrl = typeof s.accountUrl === 'string';
    if (hasString && hasUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['accountUrl'],
        message: 'give either connectionString (key, SAS, Azurite) or accountUrl (managed identity), not both',
      });
    } else if (!hasUrl && s.connectionString !== undefined && !hasString) {
      // Set explicitly to null or "": the operator meant to give something and gave nothing.
      ctx.addIssue({
        code: 'custom',
        path: ['connectionString'],
        message:
          'is empty: give a connection string, or accountUrl for a managed identity (leave both out for Azurite)',
      });
    }
    if (hasString) {
      const problem = connectionStringProblem(s.connectionString!);
      if (problem) ctx.addIssue({ code: 'custom', path: ['connectionString'], message: problem });
    }
    if (hasUrl) {
      const problem = accountUrlProblem(s.accountUrl!);
      if (problem) ctx.addIssue({ code: 'custom', path: ['accountUrl'], message: problem });
    }
    if (s.managedIdentityClientId !== undefined && !hasUrl) {
      ctx.addIssue({ code: 'custom', path: ['managedIdentityClientId'], message: 'only applies with accountUrl' });
    }
    const names = [s.sessionsTable, s.draftsTable, s.leaseTable, s.outboxTable].map((n) => n.toLowerCase());
    if (new Set(names).size !== names.length) {
      // Table names are case-insensitive; a shared table would let one kind's purge delete the other's rows.
      ctx.addIssue({
        code: 'custom',
        path: ['draftsTable'],
        message: 'sessionsTable, draftsTable, leaseTable and outboxTable must be different tables',
      });
    }
  })
  .transform(({ connectionString, accountUrl, ...rest }) => {
    const connection =
      typeof accountUrl === 'string'
        ? { accountUrl, connectionString: undefined }
        : { connectionString: connectionString ?? DEV_CONNECTION_STRING, accountUrl: undefined };
    return { ...connection, ...rest };
  });

export type SessionAzureTablesSettings = z.output<typeof settingsSchema>;
export type RetrySettings = SessionAzureTablesSettings['retry'];

/** The connection described for logs and errors: the endpoint, never a key or a SAS. */
export function describeConnection(
  settings: Pick<SessionAzureTablesSettings, 'connectionString' | 'accountUrl'>,
): string {
  if (settings.accountUrl !== undefined) return `${settings.accountUrl} (managed identity)`;
  const keys = connectionStringKeys(settings.connectionString ?? '') ?? new Map<string, string>();
  if (keys.get('usedevelopmentstorage')?.toLowerCase() === 'true') return 'Azurite (UseDevelopmentStorage=true)';
  const endpoint = keys.get('tableendpoint');
  if (endpoint !== undefined)
    return URL.canParse(endpoint) ? new URL(endpoint).origin + new URL(endpoint).pathname : 'TableEndpoint';
  return `account ${keys.get('accountname') ?? '?'}`;
}
