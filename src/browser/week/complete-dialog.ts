// "Week complete?": submitting a week whose working days with expected hours have nothing typed
// lists those days in a modal dialog first. Without JavaScript the server asks on a page.
import type { Autosave } from './autosave';
import { dayHasTyping, headCells } from './days';
import type { WeekPage } from './page';

export function startCompleteDialog(page: WeekPage, autosave: Autosave): void {
  const { form } = page;
  const { state, queue } = autosave;
  const heads = headCells(form);
  const dialog = document.getElementById('complete-dialog') as HTMLDialogElement | null;
  const dayList = document.getElementById('complete-dialog-days');
  const cancel = document.getElementById('complete-cancel');
  let submitButton: HTMLElement | null = null;
  form.addEventListener('submit', (event) => {
    const submitter = event.submitter as HTMLButtonElement | null;
    if (
      event.defaultPrevented ||
      !dialog ||
      typeof dialog.showModal !== 'function' ||
      !submitter ||
      submitter.value !== 'submit'
    )
      return;
    const missing = heads.filter(
      (th) => th.dataset.working === 'true' && th.dataset.expected === 'true' && !dayHasTyping(form, th.dataset.date),
    );
    if (!missing.length) return;
    event.preventDefault();
    submitButton = submitter;
    if (dayList) {
      dayList.textContent = '';
      missing.forEach((th) => {
        const li = document.createElement('li');
        li.textContent = th.dataset.long ?? null;
        dayList.appendChild(li);
      });
    }
    dialog.showModal();
  });
  // Back to the week: the autosave's submit handler stopped its timer, so start it again.
  function backToWeek(): void {
    if (queue.count() && !state.conflict && !state.blocked) autosave.schedule(0);
    if (submitButton) submitButton.focus();
  }
  if (cancel && dialog) {
    cancel.addEventListener('click', () => {
      dialog.close();
      backToWeek();
    });
  }
  if (dialog) dialog.addEventListener('cancel', backToWeek);
}
