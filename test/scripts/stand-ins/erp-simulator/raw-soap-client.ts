import soap from 'soap';
import { ERP_OPERATIONS, ERP_WSDL_FILE } from '../../../../src/erp/erp-wsdl.js';

export interface RawFault {
  faultcode: string;
  faultstring: string;
}

/**
 * A plain node-soap client on one simulator node, so that the simulator's tests do not depend on
 * the connector under development. Faults come back as values, other errors throw.
 */
export class RawSoapClient {
  private constructor(private readonly client: soap.Client) {}

  static async on(endpoint: string): Promise<RawSoapClient> {
    return new RawSoapClient(await soap.createClientAsync(ERP_WSDL_FILE, { disableCache: true }, endpoint));
  }

  // The raw SOAP result as node-soap parses it: its shape is what these tests look into.
  async call(
    operation: (typeof ERP_OPERATIONS)[number],
    args: Record<string, unknown>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ result?: any; fault?: RawFault }> {
    try {
      const [result] = (await this.client[`${operation}Async`](args, { timeout: 5000 })) as [unknown];
      return { result };
    } catch (err) {
      const fault = (err as { root?: { Envelope?: { Body?: { Fault?: RawFault } } } }).root?.Envelope?.Body?.Fault;
      if (fault) return { fault };
      throw err;
    }
  }

  /** The entries booked for a user's week, as [projectCode, date, hours] triples. */
  async bookedCells(user: string, weekStart: string): Promise<Array<[string, string, number]>> {
    const { result, fault } = await this.call('GetTimeEntries', { user, weekStart });
    if (fault) throw new Error(fault.faultstring);
    const entries = result?.entry === undefined ? [] : Array.isArray(result.entry) ? result.entry : [result.entry];
    return entries.map((e: { projectCode: string; date: string; hours: number }) => [
      e.projectCode,
      e.date,
      Number(e.hours),
    ]);
  }
}
