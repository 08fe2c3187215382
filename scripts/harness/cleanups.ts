/**
 * What a stack started, as the stops to run: last started, first stopped (the app before the store and
 * the ERP it uses), and a stop that fails does not keep the others from running, so a stack that failed
 * half-way leaves no process behind to keep the test runner alive.
 */
export type Cleanup = () => Promise<unknown>;

export function stopsInReverse(): { stops: Cleanup[]; closeAll(): Promise<void> } {
  const stops: Cleanup[] = [];
  return {
    stops,
    async closeAll() {
      for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
    },
  };
}
