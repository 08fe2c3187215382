import { AsyncLocalStorage } from 'node:async_hooks';
import soap from 'soap';
import { FAULT_UNAVAILABLE, type ErpOperation } from '../../../src/erp/erp-wsdl.js';
import type { CallStats } from './call-stats.js';
import { ErpFault } from './erp-fault.js';
import type { ErpOperations } from './erp-operations.js';

/** What one SOAP call did, collected while node-soap runs it, for the log line. */
export interface CallRecord {
  operation?: ErpOperation;
  user?: string;
  fault?: string;
}

const currentCall = new AsyncLocalStorage<CallRecord>();

export interface SoapAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * node-soap's server side, used "serverless" (processRequest) so that our express routes keep
 * control of the HTTP exchange: the down switch, injected failures and latency wrap it.
 */
export class SoapEndpoint {
  private constructor(private readonly server: soap.Server) {}

  static async create(wsdlXml: string, operations: ErpOperations, stats: CallStats): Promise<SoapEndpoint> {
    const run =
      (operation: ErpOperation, work: (args: Record<string, unknown>) => Promise<unknown>) =>
      async (args: unknown): Promise<unknown> => {
        const record = currentCall.getStore();
        const input = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
        if (record) {
          record.operation = operation;
          record.user = typeof input.user === 'string' ? input.user : undefined;
        }
        await stats.countCall(operation);
        try {
          return await work(input);
        } catch (err) {
          if (record) record.fault = err instanceof ErpFault ? err.code : 'Server';
          // node-soap sends an error carrying `Fault` as a <soap:Fault>; anything else as a Server fault.
          throw err instanceof ErpFault ? err.toSoapError() : err;
        }
      };
    const services = {
      TimesheetService: {
        TimesheetPort: {
          GetProjects: run('GetProjects', (a) => operations.getProjects(a)),
          GetTimeEntries: run('GetTimeEntries', (a) => operations.getTimeEntries(a)),
          SubmitTimesheet: run('SubmitTimesheet', (a) => operations.submitTimesheet(a)),
          GetBookedWeeks: run('GetBookedWeeks', (a) => operations.getBookedWeeks(a)),
          GetTeamWeek: run('GetTeamWeek', (a) => operations.getTeamWeek(a)),
          GetBookedEntries: run('GetBookedEntries', (a) => operations.getBookedEntries(a)),
        },
      },
    };
    const server = await new Promise<soap.Server>((resolve, reject) => {
      const s = soap.listen(null, {
        path: '/erp',
        services,
        xml: wsdlXml,
        callback: (err: unknown) => (err ? reject(err) : resolve(s)),
      });
    });
    return new SoapEndpoint(server);
  }

  /** Runs one SOAP request; `record` receives the operation and user it named. */
  async handle(
    xml: string,
    headers: Record<string, string | string[] | undefined>,
    record: CallRecord,
  ): Promise<SoapAnswer> {
    const answer = await currentCall.run(record, () =>
      this.server.processRequest(xml, { method: 'POST', url: '/erp', headers }),
    );
    const contentType = answer.headers['content-type'];
    return {
      status: answer.statusCode,
      contentType: typeof contentType === 'string' ? contentType : 'text/xml; charset=utf-8',
      body: answer.body,
    };
  }
}

/** The fault an injected failure answers with. */
export function unavailableFaultXml(): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>' +
    `<faultcode>soap:${FAULT_UNAVAILABLE}</faultcode><faultstring>ERP temporarily unavailable</faultstring>` +
    '</soap:Fault></soap:Body></soap:Envelope>'
  );
}
