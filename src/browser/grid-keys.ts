// Keyboard speed in the week grid (grid/*), and day captions for the phone layout (grid-captions.ts):
// Tab and arrows from cell to cell, the cursor where typing starts, fills, the comment key, Ctrl+Enter.
// Works on the DOM as it is at each key press, so rows added later by the page need nothing more.
// The keys are documented to the person in views/partials/shortcuts.ejs: keep both in step.
import { captionGrids } from './grid-captions';
import { newCellState, trackConfirmed, watchFocus } from './grid/cell-state';
import { startCopyDayButton } from './grid/copy-day-button';
import { createFills } from './grid/fill';
import { onKeydown, type GridKeys } from './grid/keys';
import { isHours } from './grid/nav';
import { createNote } from './grid/note';
import { cellToCellTabbing, focusWhereTypingStarts } from './grid/tab-order';

// The script tag's data-msg-* attributes: the fills' sentences in the person's language.
// Read while the script runs: document.currentScript is null in callbacks.
const script = document.currentScript;
const msg: DOMStringMap = script instanceof HTMLElement ? script.dataset : {};
const weekForm = document.getElementById('week-form');
if (weekForm) startGridKeys(weekForm);

function startGridKeys(form: HTMLElement): void {
  const state = newCellState(form);
  const fills = createFills(msg, createNote(form));
  const keys: GridKeys = { form, state, fills };
  trackConfirmed(form, state);
  watchFocus(form, state);
  form.addEventListener('keydown', (event) => onKeydown(event, keys));
  // Typing after a fill: Ctrl+Z is the field's own undo again.
  form.addEventListener('input', (event) => {
    if (isHours(event.target) && event.isTrusted) fills.forget();
  });
  cellToCellTabbing(form);
  if (!state.readOnly) startCopyDayButton(form, fills, msg);
  captionGrids(form);
  // After week.js (deferred too, later in the page) has put back what earlier pages had not saved.
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', () => focusWhereTypingStarts(form), { once: true });
  else focusWhereTypingStarts(form);
}
