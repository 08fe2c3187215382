import { ERP_OPERATIONS, type ErpOperation } from '../../../src/erp/erp-wsdl.js';
import type { ErpDatabase, Statements } from './erp-database.js';

export type OperationCounts = Record<ErpOperation, number>;

/** What GET /stats answers. Counters live in the shared database so any node reports the farm. */
export interface ErpStats {
  /** The node that answered, `host:port`. */
  node: string;
  /** Calls per operation, all nodes together. */
  calls: OperationCounts;
  /** Calls per operation received by the node that answered. */
  thisNode: OperationCounts;
  callsByNode: Record<string, OperationCounts>;
  totalCalls: number;
  /** Submissions that booked a week (a replayed submissionId does not count again). */
  submissionsBooked: number;
  /** Calls answered with an injected failure (they reach no operation and are not in `calls`). */
  injectedFailures: number;
}

export const SUBMISSIONS_BOOKED = 'submissionsBooked';
const INJECTED_FAILURES = 'injectedFailures';

function zeroCounts(): OperationCounts {
  return Object.fromEntries(ERP_OPERATIONS.map((op) => [op, 0])) as OperationCounts;
}

/** Adds one to a farm-wide counter; runs inside the caller's transaction when given one. */
export async function incrementFarmCounter(s: Statements, name: string): Promise<void> {
  await s.run(
    'INSERT INTO farm_counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1',
    [name],
  );
}

export class CallStats {
  constructor(
    private readonly db: ErpDatabase,
    readonly node: string,
  ) {}

  countCall(operation: ErpOperation): Promise<void> {
    return this.db.serial(async (s) => {
      await s.run(
        'INSERT INTO call_counters (node, operation, count) VALUES (?, ?, 1) ON CONFLICT (node, operation) DO UPDATE SET count = count + 1',
        [this.node, operation],
      );
    });
  }

  countInjectedFailure(): Promise<void> {
    return this.db.serial((s) => incrementFarmCounter(s, INJECTED_FAILURES));
  }

  read(): Promise<ErpStats> {
    return this.db.serial(async (s) => {
      const rows = await s.all<{ node: string; operation: ErpOperation; count: number }>(
        'SELECT node, operation, count FROM call_counters',
      );
      const farm = await s.all<{ name: string; value: number }>('SELECT name, value FROM farm_counters');
      const calls = zeroCounts();
      const callsByNode: Record<string, OperationCounts> = { [this.node]: zeroCounts() };
      for (const row of rows) {
        if (!(row.operation in calls)) continue;
        calls[row.operation] += row.count;
        (callsByNode[row.node] ??= zeroCounts())[row.operation] += row.count;
      }
      const farmValue = (name: string): number => farm.find((f) => f.name === name)?.value ?? 0;
      return {
        node: this.node,
        calls,
        thisNode: callsByNode[this.node]!,
        callsByNode,
        totalCalls: Object.values(calls).reduce((a, b) => a + b, 0),
        submissionsBooked: farmValue(SUBMISSIONS_BOOKED),
        injectedFailures: farmValue(INJECTED_FAILURES),
      };
    });
  }

  /** Zeroes every counter of the farm (used by tests and before a benchmark). */
  reset(): Promise<void> {
    return this.db.transaction(async (s) => {
      await s.run('DELETE FROM call_counters');
      await s.run('DELETE FROM farm_counters');
    });
  }
}
