/**
 * The three tables as the store uses them: one TableClient each, every call retried by
 * withRetry, every HTTP request counted (reads: GET of an entity or of a query page; writes:
 * everything else, a batch counting once), and refused after close().
 */
import {
  TableClient,
  type TableEntity,
  type TableEntityResult,
  type TableServiceClientOptions,
} from '@azure/data-tables';
import type { DefaultAzureCredential } from '@azure/identity';
import { isTransient, serviceCode, statusOf, withRetry } from './retry.js';
import { describeConnection, type RetrySettings, type SessionAzureTablesSettings } from './settings.js';

export interface OpCounters {
  reads: number;
  writes: number;
  /** The same, per table name. */
  byTable?: Record<string, { reads: number; writes: number }>;
}

/** An entity as read back: its properties plus the keys and the ETag. */
export type StoredEntity = TableEntityResult<Record<string, unknown>>;

/** A batch may hold at most 100 operations, all in one partition. */
export const MAX_BATCH = 100;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

type PipelinePolicy = Parameters<TableClient['pipeline']['addPolicy']>[0];

function clientOptions(): TableServiceClientOptions {
  // maxRetries 0: withRetry is the only retry loop (see retry.ts).
  return { retryOptions: { maxRetries: 0 } };
}

function tableEndpointOf(connectionString: string): string | undefined {
  const match = /(?:^|;)\s*TableEndpoint\s*=\s*([^;]+)/i.exec(connectionString);
  return match?.[1]?.trim();
}

async function credentialFor(settings: SessionAzureTablesSettings): Promise<DefaultAzureCredential> {
  // Loaded only when used: @azure/identity is large and the connection-string path never needs it.
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential(
    settings.managedIdentityClientId ? { managedIdentityClientId: settings.managedIdentityClientId } : {},
  );
}

/** Builds a client per table name from the settings (connection string, or account URL + managed identity). */
export async function clientFactory(settings: SessionAzureTablesSettings): Promise<(table: string) => TableClient> {
  if (settings.accountUrl !== undefined) {
    const credential = await credentialFor(settings);
    return (table) => new TableClient(settings.accountUrl!, table, credential, clientOptions());
  }
  const connectionString = settings.connectionString!;
  const endpoint = tableEndpointOf(connectionString);
  // Plain http only to this machine (Azurite); anywhere else the SDK refuses it, as it should.
  const loopbackHttp =
    endpoint !== undefined &&
    URL.canParse(endpoint) &&
    new URL(endpoint).protocol === 'http:' &&
    LOOPBACK.has(new URL(endpoint).hostname);
  return (table) =>
    TableClient.fromConnectionString(connectionString, table, {
      ...clientOptions(),
      ...(loopbackHttp ? { allowInsecureConnection: true } : {}),
    });
}

function countingPolicy(counters: OpCounters, table: string): PipelinePolicy {
  return {
    name: 'contosoStorageOperationCounter',
    sendRequest(request, next) {
      const mine = ((counters.byTable ??= {})[table] ??= { reads: 0, writes: 0 });
      if (request.method === 'GET' || request.method === 'HEAD') {
        counters.reads += 1;
        mine.reads += 1;
      } else {
        counters.writes += 1;
        mine.writes += 1;
      }
      return next(request);
    },
  };
}

export interface TableContext {
  retry: RetrySettings;
  counters: OpCounters;
  /** Throws once the handle is closed. */
  assertOpen(): void;
  /** Make a table again when it has gone (settings.createTables). */
  recreateMissing: boolean;
}

export function isTableNotFound(err: unknown): boolean {
  return statusOf(err) === 404 && serviceCode(err) === 'TableNotFound';
}

/** One table. Every method is one storage operation (retries aside), except pages() and deleteBatch(). */
export class Table {
  readonly name: string;
  readonly #client: TableClient;
  readonly #context: TableContext;

  constructor(client: TableClient, context: TableContext) {
    this.name = client.tableName;
    this.#client = client;
    this.#context = context;
    client.pipeline.addPolicy(countingPolicy(context.counters, client.tableName));
  }

  async #run<T>(what: string, operation: (signal: AbortSignal) => Promise<T>) {
    this.#context.assertOpen();
    const label = `${what} (table ${this.name})`;
    try {
      return await withRetry(label, this.#context.retry, operation);
    } catch (err) {
      if (!this.#context.recreateMissing || !isTableNotFound(err)) throw err;
      // The table has gone while the app runs (Azurite restarted without its data, or someone
      // deleted it): make it again and try once more, instead of failing every request until
      // a restart.
      await this.ensureExists();
      return withRetry(label, this.#context.retry, operation);
    }
  }

  /** Creates the table unless it exists (the SDK ignores "already exists"). */
  async ensureExists(): Promise<void> {
    this.#context.assertOpen();
    await withRetry(`create table ${this.name}`, this.#context.retry, (abortSignal) =>
      this.#client.createTable({ abortSignal }),
    );
  }

  /** Deletes the table and everything in it (tests that isolate runs with their own tables). */
  async drop(): Promise<void> {
    await this.#run('delete table', (abortSignal) => this.#client.deleteTable({ abortSignal }));
  }

  /** The entity, or null when there is none. A missing table is an error, not "no entity". */
  async get(partitionKey: string, rowKey: string, what: string): Promise<StoredEntity | null> {
    try {
      const { value } = await this.#run(what, (abortSignal) =>
        this.#client.getEntity(partitionKey, rowKey, { abortSignal }),
      );
      return value;
    } catch (err) {
      if (statusOf(err) === 404 && !isTableNotFound(err)) return null;
      throw err;
    }
  }

  /** Insert; a 409 (it exists) is thrown. `attempts` > 1 means an earlier try may have landed. */
  async create(entity: TableEntity, what: string): Promise<{ etag: string; attempts: number }> {
    const { value, attempts } = await this.#run(what, (abortSignal) =>
      this.#client.createEntity(entity, { abortSignal }),
    );
    return { etag: value.etag!, attempts };
  }

  /** Insert or replace every property (properties not given are removed). */
  async upsert(entity: TableEntity, what: string): Promise<{ etag: string }> {
    const { value } = await this.#run(what, (abortSignal) =>
      this.#client.upsertEntity(entity, 'Replace', { abortSignal }),
    );
    return { etag: value.etag! };
  }

  /**
   * Conditional update: only if the stored entity still has `etag` (412 otherwise, 404 when it is
   * gone). Replace removes properties not given; Merge keeps them.
   */
  async update(
    entity: TableEntity,
    mode: 'Replace' | 'Merge',
    etag: string,
    what: string,
  ): Promise<{ etag: string; attempts: number }> {
    const { value, attempts } = await this.#run(what, (abortSignal) =>
      this.#client.updateEntity(entity, mode, { etag, abortSignal }),
    );
    return { etag: value.etag!, attempts };
  }

  /** Deletes the entity; false when there was none. */
  async delete(partitionKey: string, rowKey: string, what: string): Promise<boolean> {
    try {
      await this.#run(what, (abortSignal) => this.#client.deleteEntity(partitionKey, rowKey, { abortSignal }));
      return true;
    } catch (err) {
      if (statusOf(err) === 404 && !isTableNotFound(err)) return false;
      throw err;
    }
  }

  /** The query's result page by page; each page is one request, retried on its own. */
  async *pages(
    filter: string | undefined,
    select: string[] | undefined,
    what: string,
    pageSize = 1000,
  ): AsyncGenerator<StoredEntity[]> {
    let continuationToken: string | undefined;
    do {
      const token = continuationToken;
      const { value: page } = await this.#run(what, async (abortSignal) => {
        const iterator = this.#client
          .listEntities<Record<string, unknown>>({ queryOptions: { filter, select }, abortSignal })
          .byPage({ maxPageSize: pageSize, continuationToken: token });
        const first = await iterator.next();
        return first.done ? Object.assign([], { continuationToken: undefined }) : first.value;
      });
      yield page;
      continuationToken = page.continuationToken;
    } while (continuationToken);
  }

  /**
   * Deletes these rows of one partition in batches of up to 100 (one request each); returns how
   * many were deleted. A batch fails as a whole when one row is already gone (another deleter got
   * there first): its rows are then deleted one by one, missing ones skipped.
   */
  async deleteBatch(partitionKey: string, rowKeys: string[], what: string): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < rowKeys.length; i += MAX_BATCH) {
      const slice = rowKeys.slice(i, i + MAX_BATCH);
      try {
        await this.#run(what, (abortSignal) =>
          this.#client.submitTransaction(
            slice.map((rowKey) => ['delete', { partitionKey, rowKey }]),
            { abortSignal },
          ),
        );
        deleted += slice.length;
      } catch (err) {
        if (isTransient(err) || statusOf(err) !== 404 || isTableNotFound(err)) throw err;
        for (const rowKey of slice) if (await this.delete(partitionKey, rowKey, what)) deleted += 1;
      }
    }
    return deleted;
  }
}

export interface TableSet {
  sessions: Table;
  drafts: Table;
  lease: Table;
  outbox: Table;
  /** A client on the sessions table that is not counted, for ping(). */
  pingClient: TableClient;
  /** For logs and errors: where the tables are, without secrets. */
  where: string;
}

export async function openTables(settings: SessionAzureTablesSettings, context: TableContext): Promise<TableSet> {
  const client = await clientFactory(settings);
  return {
    sessions: new Table(client(settings.sessionsTable), context),
    drafts: new Table(client(settings.draftsTable), context),
    lease: new Table(client(settings.leaseTable), context),
    outbox: new Table(client(settings.outboxTable), context),
    pingClient: client(settings.sessionsTable),
    where: describeConnection(settings),
  };
}
