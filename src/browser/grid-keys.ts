// Keyboard speed in the week grid, and day captions for the phone layout (grid-captions.ts).
// Works on the DOM as it is at each key press, so rows added later by the page need nothing more.
// The keys are documented to the person in views/partials/shortcuts.ejs: keep both in step.
import { captionGrids } from './grid-captions';

/** What Escape needs, kept from one event to the next. */
interface EscapeState {
  readOnly: boolean;
  // Cell key -> raw hours the server holds, as far as this page knows: the rendered values, then
  // what week.js reports after each save or merge (its `timesheet:confirmed` event).
  confirmed: Record<string, string>;
  escapeTo: string | null; // value Escape restores in the focused cell: confirmed when the person entered it
  typedSinceFocus: boolean;
}

const weekForm = document.getElementById('week-form');
if (weekForm) startGridKeys(weekForm);

function startGridKeys(form: HTMLElement): void {
  const escape: EscapeState = {
    readOnly: form.dataset.readonly === 'true',
    confirmed: {},
    escapeTo: null,
    typedSinceFocus: false,
  };
  trackConfirmed(form, escape);
  form.addEventListener('keydown', (event) => onKeydown(event, escape));
  selectOnEntry(form, escape);
  captionGrids(form);
}

// ---- Where a key moves ----

function isHours(node: EventTarget | Element | null): node is HTMLInputElement {
  return node instanceof HTMLInputElement && node.classList.contains('hours');
}

/** The hours input of a cell, if people can book it now (closed days have none; hidden ones are skipped too). */
function bookable(td: Element | undefined): HTMLInputElement | null {
  const input = td && td.querySelector<HTMLInputElement>('input.hours');
  return input && !input.disabled && input.getClientRects().length ? input : null;
}

function cellsOf(tr: Element | undefined): Element[] {
  return tr ? Array.from(tr.children).filter((c) => c.matches('td.cell')) : [];
}

/** Next bookable input from `input`: dx along its row (days), or dy across rows (same day). */
function neighbour(input: HTMLInputElement, dx: number, dy: number): HTMLInputElement | null {
  const td = input.closest('td.cell');
  const tr = td?.parentElement;
  if (!td || !tr) return null;
  const col = cellsOf(tr).indexOf(td);
  if (dx) {
    const cells = cellsOf(tr);
    for (let i = col + dx; i >= 0 && i < cells.length; i += dx) {
      const found = bookable(cells[i]);
      if (found) return found;
    }
    return null;
  }
  const rows = tr.parentElement ? Array.from(tr.parentElement.children) : [tr];
  for (let r = rows.indexOf(tr) + dy; r >= 0 && r < rows.length; r += dy) {
    const found = bookable(cellsOf(rows[r])[col]);
    if (found) return found;
  }
  return null;
}

function wholeSelected(input: HTMLInputElement): boolean {
  return input.selectionStart === 0 && input.selectionEnd === input.value.length;
}

function caretAt(input: HTMLInputElement, pos: number): boolean {
  return input.selectionStart === pos && input.selectionEnd === pos;
}

// ---- Escape: back to what the server last confirmed ----

function keyOf(input: HTMLInputElement): string {
  const td = input.closest<HTMLElement>('td.cell');
  return (td && td.dataset.key) || ''; // none in a new row without a project: not autosaved
}

function savedValue(input: HTMLInputElement, escape: EscapeState): string {
  const key = keyOf(input);
  return key && Object.prototype.hasOwnProperty.call(escape.confirmed, key)
    ? (escape.confirmed[key] as string)
    : input.defaultValue;
}

function trackConfirmed(form: HTMLElement, escape: EscapeState): void {
  form.addEventListener('timesheet:confirmed', (event) => {
    const known = (event as CustomEvent<Record<string, { raw: string } | undefined>>).detail || {};
    form.querySelectorAll<HTMLInputElement>('input.hours').forEach((input) => {
      const k = keyOf(input);
      if (k) escape.confirmed[k] = known[k] ? known[k].raw : '';
    });
    // A cell entered before the save landed and not typed in yet: its saved value is the new one.
    const active = document.activeElement;
    if (isHours(active) && !escape.typedSinceFocus) escape.escapeTo = savedValue(active, escape);
  });
}

function restoreSaved(input: HTMLInputElement, escape: EscapeState): void {
  const { escapeTo } = escape;
  if (escape.readOnly || input.readOnly || escapeTo === null || input.value === escapeTo) return;
  input.value = escapeTo;
  input.select();
  // An edit like any other for week.js, so the server ends with this value even when the
  // typed one was already sent; other cells are not touched.
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

// ---- Keys ----

function move(target: HTMLInputElement | null, event: Event): void {
  event.preventDefault();
  if (target) target.focus();
}

function onKeydown(event: KeyboardEvent, escape: EscapeState): void {
  const input = event.target;
  if (!isHours(input) || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
  switch (event.key) {
    case 'ArrowLeft':
      if (!event.shiftKey && (caretAt(input, 0) || wholeSelected(input))) move(neighbour(input, -1, 0), event);
      break;
    case 'ArrowRight':
      if (!event.shiftKey && (caretAt(input, input.value.length) || wholeSelected(input)))
        move(neighbour(input, 1, 0), event);
      break;
    case 'ArrowUp':
      if (!event.shiftKey) move(neighbour(input, 0, -1), event);
      break;
    case 'ArrowDown':
      if (!event.shiftKey) move(neighbour(input, 0, 1), event);
      break;
    case 'Enter':
      // Never the browser's implicit submission: the week is submitted with its button only.
      move(neighbour(input, 0, event.shiftKey ? -1 : 1), event);
      break;
    case 'Escape':
      event.preventDefault();
      restoreSaved(input, escape);
      break;
  }
}

// Typing replaces: a cell reached by keyboard or mouse has its whole value selected.
function selectOnEntry(form: HTMLElement, escape: EscapeState): void {
  let clickFocus = false;
  form.addEventListener('focusin', (event) => {
    if (!isHours(event.target)) return;
    escape.escapeTo = savedValue(event.target, escape);
    escape.typedSinceFocus = false;
    event.target.select();
  });
  form.addEventListener('input', (event) => {
    if (isHours(event.target) && event.isTrusted) escape.typedSinceFocus = true;
  });
  // Chromium and WebKit drop the selection on the mouseup of the click that focused the input.
  form.addEventListener('mousedown', (event) => {
    clickFocus = isHours(event.target) && event.target !== document.activeElement;
  });
  form.addEventListener('mouseup', (event) => {
    if (clickFocus && isHours(event.target)) event.preventDefault();
    clickFocus = false;
  });
}
