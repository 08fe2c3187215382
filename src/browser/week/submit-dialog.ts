// "Submit week" always asks first (issue 16): the week cannot be changed once the ERP has it. A modal
// dialog (#submit-dialog, views/week.ejs) shows the summary of what is typed now, built by the
// server's own function (src/timesheet/submit-summary.ts) from the live totals: "37.5 h of 40 h",
// "Friday 11 December: 0.5 h under", "Tuesday 8 December: empty". The focus starts on "Go back";
// Escape or "Go back" returns to the week with nothing sent; "Submit week" in the dialog posts
// action=submit-confirmed. Without JavaScript (or <dialog>), the server asks on the page instead.
import type { Autosave } from './autosave';
import { el, type WeekPage } from './page';
import { summaryLines, totalText } from '../../timesheet/submit-summary';
import { pageWords } from './summary-words';
import type { LiveTotals } from './totals';

export function startSubmitDialog(page: WeekPage, autosave: Autosave, totals: LiveTotals): void {
  const { form } = page;
  const dialog = document.getElementById('submit-dialog') as HTMLDialogElement | null;
  const cancel = document.getElementById('submit-cancel');
  const confirm = document.getElementById('submit-confirm');
  const total = document.getElementById('submit-dialog-total');
  const list = document.getElementById('submit-dialog-summary');
  if (!dialog || typeof dialog.showModal !== 'function' || !cancel || !confirm || !total || !list) return;
  const words = pageWords(page);
  let returnTo: HTMLElement | null = null;
  let sent = false;

  form.addEventListener('submit', (event) => {
    const submitter = event.submitter;
    if (event.defaultPrevented || !submitter) return;
    if (submitter === confirm) {
      // One submission: the dialog closes as the post goes (or waits for the connection, as any post).
      if (sent) event.preventDefault();
      sent = true;
      if (dialog.open) dialog.close('sent');
      return;
    }
    if (submitter.getAttribute('name') !== 'action' || submitter.getAttribute('value') !== 'submit') return;
    event.preventDefault();
    const summary = totals.summary();
    total.textContent = totalText(summary, words);
    list.replaceChildren(...summaryLines(summary, words).map((line) => el('li', '', line)));
    // Values that are not hours: the server would refuse the week, so only "Go back" is offered.
    confirm.hidden = summary.invalid > 0;
    returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : submitter;
    dialog.returnValue = '';
    dialog.showModal();
    cancel.focus();
  });
  // Back to this page from the next one (the back-forward cache keeps the script's state): it may submit again.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) sent = false;
  });
  cancel.addEventListener('click', () => dialog.close());
  // "Go back", Escape: back where the person was. The autosave's submit handler stopped its timer, so start it again.
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'sent') return;
    const { state, queue } = autosave;
    if (queue.count() && !state.conflict && !state.blocked) autosave.schedule(0);
    returnTo?.focus();
  });
}
