// The week page's script (/assets/week.js): autosave with its offline queue, conflict chooser and
// session handling, then the rows, non-working days and "week complete?" (issue 8). Without this
// script the same buttons post the form and the server does the same work.
//
// The order matters: listeners of the same event run in the order they are added (the autosave's
// submit handler first, the blank rows' after it, the "week complete?" dialog last).
import { startAutosave } from './autosave';
import { startBlankRows } from './blank-rows';
import { startCompleteDialog } from './complete-dialog';
import { startNonWorkingToggle } from './non-working';
import { findWeekPage } from './page';

// Read while the script runs: document.currentScript is null in callbacks.
const page = findWeekPage(document.currentScript);
if (page) {
  const autosave = startAutosave(page);
  startNonWorkingToggle(page);
  startBlankRows(page);
  startCompleteDialog(page, autosave);
}
