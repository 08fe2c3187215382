import { z } from 'zod';
import { ERP_OPERATIONS, type ErpOperation } from '../../../src/erp/erp-wsdl.js';

/** How an injected failure looks to the client. */
export const FAILURE_MODES = ['fault', 'http503'] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

const operationTuningSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  failureRate: z.number().min(0).max(1).optional(),
});
export type OperationTuning = z.infer<typeof operationTuningSchema>;

/** Body of POST /control; every key optional, `null` under `operations` drops an override. */
export const controlPatchSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  failureRate: z.number().min(0).max(1).optional(),
  failureMode: z.enum(FAILURE_MODES).optional(),
  down: z.boolean().optional(),
  operations: z.partialRecord(z.enum(ERP_OPERATIONS), operationTuningSchema.nullable()).optional(),
});
export type ControlPatch = z.infer<typeof controlPatchSchema>;

export interface ControlState {
  /** Added to every SOAP answer (the operation has run; the answer is late). */
  latencyMs: number;
  /** Share of SOAP calls refused before they reach the operation, 0..1. */
  failureRate: number;
  failureMode: FailureMode;
  /** Answer 503 to every /erp request (the WSDL too), like a node taken out of the farm. */
  down: boolean;
  /** Per-operation overrides of latencyMs and failureRate. */
  operations: Partial<Record<ErpOperation, OperationTuning>>;
}

export const DEFAULT_CONTROL: ControlState = {
  latencyMs: 0,
  failureRate: 0,
  failureMode: 'fault',
  down: false,
  operations: {},
};

/** The runtime knobs of ONE node, changed by POST /control without restarting it. */
export class NodeControl {
  private current: ControlState;

  constructor(initial: ControlState) {
    this.current = { ...initial, operations: { ...initial.operations } };
  }

  get state(): ControlState {
    return this.current;
  }

  apply(patch: ControlPatch): ControlState {
    const operations = { ...this.current.operations };
    for (const [op, tuning] of Object.entries(patch.operations ?? {}) as Array<
      [ErpOperation, OperationTuning | null]
    >) {
      if (tuning === null) delete operations[op];
      else operations[op] = { ...operations[op], ...tuning };
    }
    const { operations: _ignored, ...scalars } = patch;
    this.current = { ...this.current, ...scalars, operations };
    return this.current;
  }

  latencyFor(op: ErpOperation | undefined): number {
    return (op && this.current.operations[op]?.latencyMs) ?? this.current.latencyMs;
  }

  /** Draws whether this call fails, using the operation's rate when it has one. */
  shouldFail(op: ErpOperation | undefined): boolean {
    const rate = (op && this.current.operations[op]?.failureRate) ?? this.current.failureRate;
    return rate > 0 && Math.random() < rate;
  }
}
