// The focused cell's state between key presses: what Escape puts back, and whether ← / → move to
// the next day or move the caret (the spreadsheet's "enter" and "edit" modes).
import { isHours } from './nav';

export interface CellState {
  readOnly: boolean;
  // Cell key -> raw hours the server holds, as far as this page knows: the rendered values, then
  // what week.js reports after each save or merge (its `timesheet:confirmed` event).
  confirmed: Record<string, string>;
  escapeTo: string | null; // value Escape restores in the focused cell: confirmed when the person entered it
  typedSinceFocus: boolean;
  // 'enter': the cell was reached (its value selected) or typed over: ← / → go to the next day.
  // 'edit': F2, Home / End or a click inside the text: ← / → move the caret, and leave at its ends.
  mode: 'enter' | 'edit';
}

export function newCellState(form: HTMLElement): CellState {
  return {
    readOnly: form.dataset.readonly === 'true',
    confirmed: {},
    escapeTo: null,
    typedSinceFocus: false,
    mode: 'enter',
  };
}

function keyOf(input: HTMLInputElement): string {
  const td = input.closest<HTMLElement>('td.cell');
  return (td && td.dataset.key) || ''; // none in a new row without a project: not autosaved
}

function savedValue(input: HTMLInputElement, state: CellState): string {
  const key = keyOf(input);
  return key && Object.prototype.hasOwnProperty.call(state.confirmed, key)
    ? (state.confirmed[key] as string)
    : input.defaultValue;
}

export function trackConfirmed(form: HTMLElement, state: CellState): void {
  form.addEventListener('timesheet:confirmed', (event) => {
    const known = (event as CustomEvent<Record<string, { raw: string } | undefined>>).detail || {};
    form.querySelectorAll<HTMLInputElement>('input.hours').forEach((input) => {
      const k = keyOf(input);
      if (k) state.confirmed[k] = known[k] ? known[k].raw : '';
    });
    // A cell entered before the save landed and not typed in yet: its saved value is the new one.
    const active = document.activeElement;
    if (isHours(active) && !state.typedSinceFocus) state.escapeTo = savedValue(active, state);
  });
}

/** Sets a cell as if typed: week.js autosaves it, the totals follow. */
export function writeTyped(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

export function restoreSaved(input: HTMLInputElement, state: CellState): void {
  const { escapeTo } = state;
  if (state.readOnly || input.readOnly || escapeTo === null || input.value === escapeTo) return;
  // An edit like any other for week.js, so the server ends with this value even when the
  // typed one was already sent; other cells are not touched.
  writeTyped(input, escapeTo);
  input.select();
  state.mode = 'enter';
}

/** F2, as in a spreadsheet: edit the value in place, the caret at its end. */
export function startEditing(input: HTMLInputElement, state: CellState): void {
  state.mode = 'edit';
  const end = input.value.length;
  input.setSelectionRange(end, end);
}

// Typing replaces: a cell reached by keyboard or mouse has its whole value selected.
export function watchFocus(form: HTMLElement, state: CellState): void {
  let clickFocus = false;
  form.addEventListener('focusin', (event) => {
    if (!isHours(event.target)) return;
    state.escapeTo = savedValue(event.target, state);
    state.typedSinceFocus = false;
    state.mode = 'enter';
    event.target.select();
  });
  form.addEventListener('input', (event) => {
    if (isHours(event.target) && event.isTrusted) state.typedSinceFocus = true;
  });
  // Chromium and WebKit drop the selection on the mouseup of the click that focused the input.
  // A click in a cell that has the focus already places the caret: editing in place.
  form.addEventListener('mousedown', (event) => {
    clickFocus = isHours(event.target) && event.target !== document.activeElement;
    if (isHours(event.target) && !clickFocus) state.mode = 'edit';
  });
  form.addEventListener('mouseup', (event) => {
    if (clickFocus && isHours(event.target)) event.preventDefault();
    clickFocus = false;
  });
}
