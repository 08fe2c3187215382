import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Facts about the ERP's SOAP contract shared by the connectors and the simulator.
 * The WSDL file sits next to this module; a build that emits JavaScript must copy it along.
 */
export const ERP_WSDL_FILE = fileURLToPath(new URL('./contoso-erp.wsdl', import.meta.url));

export const ERP_NAMESPACE = 'http://erp.contoso.example/timesheet/v1';

export const ERP_OPERATIONS = [
  'GetProjects',
  'GetTimeEntries',
  'SubmitTimesheet',
  'GetBookedWeeks',
  'GetTeamWeek',
  'GetBookedEntries',
] as const;
export type ErpOperation = (typeof ERP_OPERATIONS)[number];

/** The SOAPAction header value of each operation, as declared in the WSDL binding. */
export function soapActionOf(operation: ErpOperation): string {
  return `${ERP_NAMESPACE}/${operation}`;
}

/** The operation a SOAPAction header names, or undefined (header missing or unknown). */
export function operationOfSoapAction(header: string | undefined): ErpOperation | undefined {
  if (!header) return undefined;
  const action = header.replace(/^"|"$/g, '');
  return ERP_OPERATIONS.find((op) => action === soapActionOf(op));
}

/** The SOAP 1.1 faultcode the ERP uses when it cannot serve a request right now (retry elsewhere). */
export const FAULT_UNAVAILABLE = 'Server.Unavailable';

let cachedWsdl: string | undefined;

/** The bundled WSDL text, with soap:address pointing at `location` when given. */
export function readErpWsdl(location?: string): string {
  cachedWsdl ??= readFileSync(ERP_WSDL_FILE, 'utf8');
  if (!location) return cachedWsdl;
  return cachedWsdl.replace(/(<soap:address\s+location=")[^"]*(")/, `$1${escapeXmlAttribute(location)}$2`);
}

function escapeXmlAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
