// Reading and writing the grid's cells: hours, comment, the error next to a field; the server's totals handed on.
import type { CellValue } from './page';

export interface CellError {
  key: string;
  message: string;
}

/** The totals an autosave or a 409 answer carries: written for the page, and the day and week sums as numbers. */
export interface Totals {
  dayTotals?: Record<string, string>;
  rowTotals?: Record<string, string>;
  weekTotal?: string;
  dayHours?: Record<string, number>;
  weekHours?: number;
}

export function empty(): CellValue {
  return { raw: '', comment: '' };
}

export function same(a: CellValue | null | undefined, b: CellValue | null | undefined): boolean {
  return !!a && !!b && a.raw === b.raw && a.comment === b.comment;
}

export function hoursOf(td: Element): HTMLInputElement | null {
  return td.querySelector<HTMLInputElement>('input.hours');
}

export function cellOf(form: HTMLFormElement, key: string): HTMLTableCellElement | null {
  return form.querySelector<HTMLTableCellElement>('td[data-key="' + CSS.escape(key) + '"]');
}

export function readCell(td: HTMLElement): CellValue & { key: string | undefined } {
  const h = hoursOf(td);
  const c = td.querySelector('textarea');
  return { key: td.dataset.key, raw: h ? h.value : '', comment: c ? c.value : '' };
}

export function writeCell(td: HTMLElement, value: CellValue): void {
  const h = hoursOf(td);
  const c = td.querySelector('textarea');
  if (h) h.value = value.raw;
  if (c) c.value = value.comment;
  const d = td.querySelector('details.comment');
  if (d) {
    if (value.comment) d.setAttribute('data-has-comment', 'true');
    else d.removeAttribute('data-has-comment');
  }
}

/** The cell's accessible name ("Hours for P-1042 Migration on Monday 16 November"), else its key. */
export function labelOf(form: HTMLFormElement, td: HTMLElement): string {
  const h = hoursOf(td);
  const l = h && form.querySelector('label[for="' + CSS.escape(h.id) + '"]');
  return l ? (l.textContent ?? '').trim() : (td.dataset.key ?? '');
}

export function setCellError(td: HTMLElement, messages: string[]): void {
  const input = hoursOf(td);
  let p = td.querySelector<HTMLElement>('.field-error');
  if (!input) return;
  if (messages.length) {
    if (!p) {
      p = document.createElement('p');
      p.className = 'field-error';
      p.id = 'err-' + input.id;
      td.appendChild(p);
    }
    p.textContent = messages.join(' ');
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'input-help ' + p.id);
    td.classList.add('has-error');
  } else {
    if (p) p.remove();
    input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', 'input-help');
    td.classList.remove('has-error');
  }
}

export function showErrors(form: HTMLFormElement, errors: CellError[]): void {
  form.querySelectorAll<HTMLTableCellElement>('td.cell').forEach((td) => {
    setCellError(
      td,
      errors.filter((e) => e.key === td.dataset.key).map((e) => e.message),
    );
  });
}

/**
 * Runs after every answer that changed `known` (saved, 409 merge): grid-keys.js keeps it for Escape,
 * and the live totals (totals.ts) take the server's sums, the server being the judge.
 */
export function showTotals(form: HTMLFormElement, known: Record<string, CellValue>, body: Totals): void {
  form.dispatchEvent(new CustomEvent('timesheet:confirmed', { detail: known }));
  form.dispatchEvent(new CustomEvent('timesheet:server-totals', { detail: body }));
}
