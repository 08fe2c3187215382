// The grid's keys, one keydown listener on the week form. The person reads them in
// views/partials/shortcuts.ejs (data-keys per entry): keep both in step.
import { restoreSaved, startEditing, type CellState } from './cell-state';
import { closeComment, isCommentArea, isCommentKey, openComment } from './comment';
import type { Fills } from './fill';
import { caretAt, isHours, lastInRow, neighbour, positionOf, rowMenuToggle, wholeSelected } from './nav';

export interface GridKeys {
  form: HTMLElement;
  state: CellState;
  fills: Fills;
}

function move(target: HTMLElement | null, event: Event): void {
  event.preventDefault();
  if (target) target.focus();
}

/** Ctrl, or ⌘ on a Mac, alone (no Alt: Ctrl+Alt is AltGr on Windows keyboards that type with it). */
function primary(event: KeyboardEvent): boolean {
  return event.ctrlKey !== event.metaKey && !event.altKey;
}

/** Ctrl+Enter: "Submit week" pressed, so the same confirmation comes first. */
function submitWeek(form: HTMLElement, event: KeyboardEvent): void {
  event.preventDefault();
  const button = Array.from(document.querySelectorAll<HTMLButtonElement>('button[name="action"][value="submit"]')).find(
    (b) => b.form === form && !b.disabled,
  );
  if (button) button.click();
}

export function onKeydown(event: KeyboardEvent, keys: GridKeys): void {
  const target = event.target;
  if (event.isComposing || !(target instanceof HTMLElement)) return;
  if (event.key === 'Enter' && primary(event) && !event.shiftKey && (isHours(target) || isCommentArea(target)))
    return submitWeek(keys.form, event);
  if (isCommentArea(target)) {
    if ((isCommentKey(event) || (event.key === 'Escape' && !event.altKey)) && closeComment(target))
      event.preventDefault();
    return;
  }
  if (target.closest('details.row-menu')) return rowMenuKeys(event, target);
  if (!isHours(target)) return;
  if (isCommentKey(event)) {
    if (openComment(target)) event.preventDefault();
    return;
  }
  if (primary(event)) return chordKeys(event, target, keys);
  if (!event.altKey && !event.ctrlKey && !event.metaKey) plainKeys(event, target, keys.state);
}

/** Ctrl+R, Ctrl+Shift+R, Ctrl+D, Ctrl+Z (⌘ on a Mac). Not in a read-only week: nothing to fill there. */
function chordKeys(event: KeyboardEvent, input: HTMLInputElement, keys: GridKeys): void {
  if (keys.state.readOnly || input.readOnly) return;
  const key = event.key.toLowerCase();
  if (key === 'r') {
    event.preventDefault(); // the browser's reload: the hours are autosaved anyway; F5 still reloads
    if (event.shiftKey) {
      const at = positionOf(input);
      if (at) keys.fills.daySplit(keys.form, at.col);
    } else keys.fills.right(input);
  } else if (key === 'd' && !event.shiftKey) {
    event.preventDefault(); // the browser's bookmark
    keys.fills.down(input);
  } else if (key === 'z' && !event.shiftKey) {
    if (keys.fills.undo()) event.preventDefault(); // else the field's own undo
  }
}

function plainKeys(event: KeyboardEvent, input: HTMLInputElement, state: CellState): void {
  const sideways = state.mode === 'enter' || wholeSelected(input);
  switch (event.key) {
    case 'ArrowLeft':
    case 'ArrowRight': {
      const left = event.key === 'ArrowLeft';
      if (event.shiftKey)
        state.mode = 'edit'; // selecting text: editing in place
      else if (sideways || caretAt(input, left ? 0 : input.value.length)) {
        const next = neighbour(input, left ? -1 : 1, 0);
        const menu = !next && !left ? rowMenuToggle(input.closest('tr') as Element) : null;
        move(next ?? menu, event);
      }
      break;
    }
    case 'ArrowUp':
    case 'ArrowDown':
      if (!event.shiftKey) move(neighbour(input, 0, event.key === 'ArrowUp' ? -1 : 1), event);
      break;
    case 'Enter':
      // Never the browser's implicit submission: the week is submitted with its button (or Ctrl+Enter).
      move(neighbour(input, 0, event.shiftKey ? -1 : 1), event);
      break;
    case 'Escape':
      event.preventDefault();
      restoreSaved(input, state);
      break;
    case 'F2':
      event.preventDefault();
      startEditing(input, state);
      break;
    case 'Home':
    case 'End':
      state.mode = 'edit';
      break;
  }
}

/** A row's menu: ← back to the row's last day; Escape closes it, back on its toggle. */
function rowMenuKeys(event: KeyboardEvent, target: HTMLElement): void {
  const details = target.closest<HTMLDetailsElement>('details.row-menu');
  const summary = details?.querySelector<HTMLElement>(':scope > summary');
  if (!details || !summary || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.key === 'Escape' && details.open) {
    event.preventDefault();
    details.open = false;
    summary.focus();
  } else if (event.key === 'ArrowLeft' && target === summary) {
    const tr = details.closest('tr');
    move(tr && lastInRow(tr), event);
  }
}
