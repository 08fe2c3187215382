// The week page's layout script (/assets/week-layout.js), for drafts and submitted weeks alike: the
// phone's day view (day-view.ts) and in-page links that put the cursor in the hour input they name.
import { focusLinkedCells } from './cell-links';
import { startDayView } from './day-view';

const script = document.currentScript;
const form = document.getElementById('week-form') as HTMLFormElement | null;
if (form) {
  const msg = script instanceof HTMLElement ? script.dataset : {};
  const dayView = startDayView(form, msg);
  focusLinkedCells(form, (input) => dayView?.showDayOf(input));
}
