// The week page's script (/assets/week.js): autosave with its offline queue, conflict chooser and
// session handling, then the totals as one types, non-working days, the rows and the confirmation
// before a submit (issues 8 and 16). Without this script the same buttons post the form and the
// server does the same work (totals on each post, the confirmation as a panel).
//
// The order matters: listeners of the same event run in the order they are added (the autosave's
// submit handler first: a submit waits for the last autosave or the connection, then asks; the
// submit dialog's before the blank rows', which then see a submit the dialog stopped as not sent).
import { startAutosave } from './autosave';
import { startBlankRows } from './blank-rows';
import { startErrorCount } from './error-count';
import { startNonWorkingToggle } from './non-working';
import { findWeekPage } from './page';
import { startFavourites } from './favourites';
import { startProjectSearch } from './project-search';
import { startSubmitDialog } from './submit-dialog';
import { startLiveTotals } from './totals';

// Read while the script runs: document.currentScript is null in callbacks.
const page = findWeekPage(document.currentScript);
if (page) {
  const autosave = startAutosave(page);
  const totals = startLiveTotals(page, autosave.state);
  startNonWorkingToggle(page);
  startSubmitDialog(page, autosave, totals);
  startBlankRows(page);
  // Hours the blank rows put back from localStorage count in the totals from the start.
  totals.refresh();
  // After the blank rows: a project they put back from localStorage shows in its search box.
  startProjectSearch(page);
  startFavourites(page);
  startErrorCount(page);
}
