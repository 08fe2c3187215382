// What the week page's modules share: the page's elements, its messages, and the autosave state.

/** One cell's value as the server stores it. */
export interface CellValue {
  raw: string;
  comment: string;
}

/** An unsaved cell: its value, the saved value it was typed over (its base) and when it was typed. */
export interface PendingCell extends CellValue {
  key: string;
  base: CellValue;
  at: number;
}

export type Pending = Record<string, PendingCell>;

/** 'signin' (401), 'reload' (403 with a live session), 'stale' (nothing to choose from), 'probing' (asking which). */
export type Blocked = 'signin' | 'reload' | 'stale' | 'probing';

export interface Conflict {
  version: number;
  keys: string[];
}

export interface WeekPage {
  form: HTMLFormElement;
  statusEl: HTMLElement;
  alertEl: HTMLElement;
  versionInput: HTMLInputElement;
  /** The script tag's data-msg-* attributes: the page's messages in the person's language. */
  msg: DOMStringMap;
  csrf: string;
  week: string;
  user: string;
}

export interface SaveState {
  /** key -> what the server holds, as far as this page knows. */
  known: Record<string, CellValue>;
  pending: Pending;
  inFlight: Promise<unknown> | null;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Failed sends in a row (the server answered 5xx or 429): the next retry waits by the project's backoff. */
  retries: number;
  /** Set while the person has to choose. */
  conflict: Conflict | null;
  blocked: Blocked | null;
}

/** The page's elements, or null when there is nothing to autosave (no grid, or a read-only week). */
export function findWeekPage(script: HTMLOrSVGScriptElement | null): WeekPage | null {
  const form = document.getElementById('week-form') as HTMLFormElement | null;
  const statusEl = document.getElementById('save-status');
  const alertEl = document.getElementById('draft-alert');
  if (!form || !statusEl || !alertEl || form.dataset.readonly === 'true') return null;
  return {
    form,
    statusEl,
    alertEl,
    versionInput: document.getElementById('week-version') as HTMLInputElement,
    msg: script instanceof HTMLElement ? script.dataset : {},
    csrf: document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '',
    week: form.dataset.week ?? '',
    user: form.dataset.user ?? '',
  };
}

/** A message with its {placeholders} filled; unknown ones stay as they are. */
export function text(template: string | undefined, params: Record<string, string | number>): string {
  return String(template || '').replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function setStatus(page: WeekPage, value: string | undefined, kind?: string): void {
  page.statusEl.textContent = value ?? '';
  page.statusEl.dataset.kind = kind || '';
}

export function clearAlert(page: WeekPage): void {
  page.alertEl.textContent = '';
  page.alertEl.removeAttribute('data-kind');
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  content?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

/** The element an event came from, when it is an element. */
export function targetElement(event: Event): Element | null {
  return event.target instanceof Element ? event.target : null;
}
