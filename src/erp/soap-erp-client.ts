import soap from 'soap';
import {
  ErpError,
  ErpRejectedError,
  ErpUnavailableError,
  type BookedEntries,
  type BookedWeek,
  type ErpConnector,
  type ErpTimeEntry,
  type SubmitReceipt,
  type TeamMember,
  type WeekContext,
} from '../ports/erp-connector.js';
import { EndpointRotation, type FailoverLogger } from './endpoint-rotation.js';
import { ERP_WSDL_FILE, FAULT_UNAVAILABLE, type ErpOperation } from './erp-wsdl.js';
import {
  bookedEntriesFromSoap,
  bookedWeeksFromSoap,
  entriesFromSoap,
  unbookedWeeksFromSoap,
  faultOf,
  projectsFromSoap,
  receiptFromSoap,
  submitArgs,
  teamFromSoap,
} from './erp-soap-mapping.js';
import { HttpAgents, httpExchange } from './http-exchange.js';
import { NodeTimeoutError, NodeUnavailableError } from './node-errors.js';
import { SoapHttpTransport, type ResponseClassifier } from './soap-http-transport.js';

export interface SoapErpClientOptions {
  /** SOAP endpoint URLs of the ERP farm (or of a relay in front of it), tried in round robin. */
  endpoints: readonly string[];
  /** Deadline of every SOAP call, per node attempt. */
  timeoutMs: number;
  /** Deadline of each ping attempt; defaults to timeoutMs. */
  pingTimeoutMs?: number;
  /**
   * Extra HTTP headers computed for every request (e.g. the relay's ServiceBusAuthorization, whose
   * token expires, hence a function rather than a constant).
   */
  requestHeaders?: (endpoint: string) => Record<string, string>;
  /** What an answer of a gateway in front of the ERP means (erp-relay: the relay's 502/504). */
  classifyResponse?: ResponseClassifier;
  /** WSDL to build the client from; the bundled contract by default. */
  wsdlFile?: string;
  logger?: FailoverLogger;
}

type SoapMethodAsync = (
  args: unknown,
  options?: unknown,
  extraHeaders?: Record<string, string>,
) => Promise<[unknown, ...unknown[]]>;

/**
 * The ERP port over SOAP. Transport-agnostic: erp-direct gives it the farm's URLs, erp-relay the
 * relay's URL and a header. Create it with createSoapErpClient().
 */
export class SoapErpClient implements ErpConnector {
  private closed = false;

  /** Use createSoapErpClient(); the constructor takes the already-built soap clients. */
  constructor(
    private readonly clients: ReadonlyMap<string, soap.Client>,
    private readonly rotation: EndpointRotation,
    private readonly agents: HttpAgents,
    private readonly options: SoapErpClientOptions,
  ) {}

  async getWeekContext(user: string, weekStart: string): Promise<WeekContext> {
    const [projects, entries] = await Promise.all([
      this.call('GetProjects', { user, weekStart }),
      this.call('GetTimeEntries', { user, weekStart }),
    ]);
    const unbookedBefore = unbookedWeeksFromSoap(entries);
    return {
      projects: projectsFromSoap(projects),
      entries: entriesFromSoap(entries),
      // Left out rather than undefined, so records stay plain JSON.
      ...(unbookedBefore ? { unbookedBefore } : {}),
    };
  }

  async submitWeek(
    user: string,
    weekStart: string,
    entries: ErpTimeEntry[],
    submissionId: string,
  ): Promise<SubmitReceipt> {
    // Failing over to another node after a connection error is safe: the ERP books a submissionId once.
    return receiptFromSoap(await this.call('SubmitTimesheet', submitArgs(user, weekStart, entries, submissionId)));
  }

  async getBookedWeeks(user: string, fromWeekStart: string, toWeekStart: string): Promise<BookedWeek[]> {
    return bookedWeeksFromSoap(await this.call('GetBookedWeeks', { user, fromWeekStart, toWeekStart }));
  }

  async getTeamWeek(manager: string | null, weekStart: string): Promise<TeamMember[]> {
    // Everyone is asked by leaving the optional manager out, not by sending it empty (minOccurs=0).
    return teamFromSoap(await this.call('GetTeamWeek', { ...(manager === null ? {} : { manager }), weekStart }));
  }

  async getBookedEntries(user: string, fromDate: string, toDate: string): Promise<BookedEntries> {
    return bookedEntriesFromSoap(await this.call('GetBookedEntries', { user, fromDate, toDate }));
  }

  async ping(): Promise<void> {
    this.assertOpen();
    const timeoutMs = this.options.pingTimeoutMs ?? this.options.timeoutMs;
    // Fetching the WSDL proves the node answers HTTP without running (or counting) an ERP operation.
    await this.rotation.run(
      'ping',
      async (endpoint) => {
        const url = endpoint + (endpoint.includes('?') ? '&wsdl' : '?wsdl');
        const res = await httpExchange(
          { url, method: 'GET', headers: this.headersFor(endpoint), timeoutMs },
          this.agents,
        );
        const classified = this.options.classifyResponse?.({ url, ...res });
        if (classified) throw classified;
        if (res.status !== 200 || !res.body.includes('definitions')) {
          throw new NodeUnavailableError(endpoint, `?wsdl answered HTTP ${res.status}`);
        }
      },
      { failOverOnTimeout: true },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agents.destroy();
  }

  private async call(operation: ErpOperation, args: unknown): Promise<unknown> {
    this.assertOpen();
    return this.rotation.run(operation, async (endpoint) => {
      const method = this.clients.get(endpoint)![`${operation}Async`] as SoapMethodAsync;
      try {
        const [result] = await method(args, { timeout: this.options.timeoutMs }, this.headersFor(endpoint));
        return result;
      } catch (err) {
        throw classifySoapError(err, endpoint);
      }
    });
  }

  private headersFor(endpoint: string): Record<string, string> {
    return this.options.requestHeaders?.(endpoint) ?? {};
  }

  private assertOpen(): void {
    if (this.closed) throw new ErpUnavailableError('The ERP connector is closed');
  }
}

/**
 * A Client fault is the ERP refusing the request itself (retrying elsewhere cannot help); a Server
 * fault ("ERP temporarily unavailable", internal error) is that node failing, so another node may
 * serve the same request.
 */
function classifySoapError(err: unknown, endpoint: string): unknown {
  if (err instanceof ErpError) return err; // already precise (classifyResponse)
  const fault = faultOf(err);
  if (fault) {
    if (fault.code === FAULT_UNAVAILABLE || fault.code.startsWith('Server')) {
      return new NodeUnavailableError(endpoint, fault.message, { cause: err });
    }
    return new ErpRejectedError(fault.code, fault.message, { cause: err });
  }
  const status = (err as { response?: { status?: number } } | null)?.response?.status;
  if (typeof status === 'number' && status >= 500) {
    return new NodeUnavailableError(endpoint, `HTTP ${status} without a SOAP answer`, { cause: err });
  }
  if (err instanceof NodeUnavailableError || err instanceof NodeTimeoutError) return err;
  return new ErpUnavailableError(
    `The ERP answer from ${endpoint} could not be read: ${(err as Error)?.message ?? err}`,
    { cause: err },
  );
}

/**
 * Builds the SOAP client ONCE from the WSDL file (not from ?wsdl, so boot does not depend on the
 * ERP being up) and derives one soap.Client per endpoint from the same parsed WSDL: node-soap binds
 * the endpoint when a Client is built, and a shared setEndpoint() would race between calls.
 */
export async function createSoapErpClient(options: SoapErpClientOptions): Promise<SoapErpClient> {
  if (options.endpoints.length === 0) throw new Error('createSoapErpClient: at least one endpoint is required');
  const agents = new HttpAgents();
  const clientOptions = {
    httpClient: new SoapHttpTransport(agents, options.timeoutMs, options.classifyResponse),
    // node-soap caches WSDLs forever by default; parsing once at boot is all we need.
    disableCache: true,
  };
  const [first, ...rest] = options.endpoints as [string, ...string[]];
  const firstClient = await soap.createClientAsync(options.wsdlFile ?? ERP_WSDL_FILE, clientOptions, first);
  const clients = new Map<string, soap.Client>([[first, firstClient]]);
  for (const endpoint of rest) clients.set(endpoint, new soap.Client(firstClient.wsdl, endpoint, clientOptions));
  return new SoapErpClient(clients, new EndpointRotation(options.endpoints, options.logger), agents, options);
}
