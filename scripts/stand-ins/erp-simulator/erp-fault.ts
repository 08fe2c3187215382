/**
 * A refusal by the ERP, sent as a SOAP 1.1 Fault. `code` extends the standard Client/Server codes
 * with the dotted notation SOAP 1.1 allows (`Client.UnknownUser`), so a client can tell reasons
 * apart without parsing the English message.
 */
export class ErpFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ErpFault';
  }

  /** The shape node-soap's server turns into a <soap:Fault> (a rejected promise carrying `Fault`). */
  toSoapError(): { Fault: { faultcode: string; faultstring: string; statusCode: number } } {
    return { Fault: { faultcode: `soap:${this.code}`, faultstring: this.message, statusCode: 500 } };
  }
}

/** Shorthand for the common case: the request itself is wrong. */
export function clientFault(reason: string, message: string): ErpFault {
  return new ErpFault(`Client.${reason}`, message);
}
