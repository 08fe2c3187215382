/**
 * What happened during a chaos run, on one clock (performance.now()): every request a person made to
 * a copy, every wait a person sat through (a save until acknowledged, a submit until its receipt),
 * and every fault (when it was injected, when the part was back). The report reads them per fault.
 */
export interface RequestEntry {
  at: number;
  ms: number;
  step: string;
  /** 0: no answer (connection refused or reset). */
  status: number;
  copy: string;
}

export interface WaitEntry {
  what: 'save' | 'receipt';
  start: number;
  ms: number;
}

export interface FaultEntry {
  name: string;
  /** Which copy's people it hits most: 'onprem', 'cloud' or 'both'. */
  target: string;
  start: number;
  /** When the part answered again (its restart or readiness done). */
  back: number;
}

/** A request that failed as a person sees it: no answer, a server error, or refused as signed out. */
export const failed = (r: RequestEntry): boolean => r.status === 0 || r.status >= 500 || r.status === 401;

export class Journal {
  readonly requests: RequestEntry[] = [];
  readonly waits: WaitEntry[] = [];
  readonly faults: FaultEntry[] = [];
  /** The first answers of each unexpected kind (`409 autosave: {...}`), for the report. */
  readonly samples = new Map<string, string>();
  readonly origin = performance.now();

  request(entry: RequestEntry): void {
    this.requests.push(entry);
  }

  /** Keeps the first body seen for a status and step that a person would not expect. */
  sample(status: number, step: string, body: string): void {
    const key = `${status} ${step}`;
    if (this.samples.has(key) || this.samples.size >= 40) return;
    // A page: the words of its main part, as the person reads them; JSON or text as it came.
    const main = /<main\b[^>]*>([\s\S]*?)<\/main>/i.exec(body)?.[1] ?? body;
    this.samples.set(
      key,
      main
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 300),
    );
  }

  wait(entry: WaitEntry): void {
    this.waits.push(entry);
  }

  fault(entry: FaultEntry): void {
    this.faults.push(entry);
  }

  /** Seconds since the run began, for the printed timeline. */
  seconds(at: number): number {
    return Math.round((at - this.origin) / 100) / 10;
  }
}
