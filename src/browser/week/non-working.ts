// Hide non-working days at once (no reload) and remember it in the session, as the plain button
// does without JavaScript.
import { dayHasTyping, headCells } from './days';
import type { WeekPage } from './page';

export function startNonWorkingToggle(page: WeekPage): void {
  const { form, msg } = page;
  const toggle = document.getElementById('toggle-nonworking');
  const note = document.getElementById('nonworking-note');
  if (!toggle) return;
  const heads = headCells(form);
  toggle.addEventListener('click', (event) => {
    event.preventDefault();
    const hide = !form.classList.contains('hide-nonworking');
    // A column typed into since the page loaded stays visible: nothing typed is ever hidden.
    heads.forEach((th, col) => {
      if (th.dataset.working !== 'false') return;
      const keep = dayHasTyping(form, th.dataset.date);
      form.querySelectorAll('tr').forEach((tr) => {
        const cell = tr.children[col];
        if (cell) cell.classList.toggle('hideable', !keep);
      });
    });
    form.classList.toggle('hide-nonworking', hide);
    toggle.setAttribute('aria-pressed', hide ? 'true' : 'false');
    toggle.textContent = (hide ? toggle.dataset.labelShow : toggle.dataset.labelHide) ?? null;
    if (note) note.textContent = hide ? msg.msgNonworkingHidden || '' : '';
    // keepalive: a click on "Next week" right after this must not cancel the request that remembers it.
    fetch('/week/' + encodeURIComponent(page.week) + '/view', {
      method: 'POST',
      keepalive: true,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': page.csrf },
      body: JSON.stringify({ hideNonWorking: hide }),
    }).catch(() => {
      /* the view still changed; only the memory of it is lost */
    });
  });
}
