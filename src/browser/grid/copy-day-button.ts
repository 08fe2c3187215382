// The mouse's way to copy a day's split ("Copy Monday to the empty days"): one button under the
// grid, for the day of the last cell the person was in or the day the phone shows (else the first
// day with hours). The keyboard has Ctrl+Shift+R in a cell. Made here: without JavaScript there is
// nothing to copy with.
import type { Fills } from './fill';
import { isHours, positionOf } from './nav';
import { fillIn, weekdayOf } from './note';

export function startCopyDayButton(form: HTMLElement, fills: Fills, msg: DOMStringMap): void {
  const heads = Array.from(form.querySelectorAll<HTMLElement>('table.grid thead th[data-date]'));
  if (!heads.length || !form.querySelector('table.grid tbody > tr[data-project]') || !msg.msgSplitButton) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'copy-day';
  button.className = 'secondary copy-day';
  let col = firstDayWithHours(form);
  const label = (): void => {
    button.textContent = fillIn(msg.msgSplitButton, { day: weekdayOf(heads[col]?.dataset.date) });
  };
  label();
  form.addEventListener('focusin', (event) => {
    const at = isHours(event.target) ? positionOf(event.target) : null;
    if (at && at.tr.hasAttribute('data-project') && at.col !== col) {
      col = at.col;
      label();
    }
  });
  // The phone's day view (layout/day-view.ts) says which day it shows in the form's data-day.
  new MutationObserver(() => {
    const shown = Number(form.dataset.day);
    if (Number.isInteger(shown) && shown >= 0 && shown < heads.length && shown !== col) {
      col = shown;
      label();
    }
  }).observe(form, { attributes: true, attributeFilter: ['data-day'] });
  button.addEventListener('click', () => fills.daySplit(form, col));
  const tools = form.querySelector('.row-tools');
  const grid = form.querySelector('.grid-scroll') ?? form.querySelector('table.grid');
  if (tools) tools.prepend(button);
  else if (grid) grid.after(button);
}

function firstDayWithHours(form: HTMLElement): number {
  const rows = Array.from(form.querySelectorAll('table.grid tbody > tr[data-project]'));
  const days = Math.max(0, ...rows.map((tr) => tr.querySelectorAll('td.cell').length));
  for (let d = 0; d < days; d++) {
    const typed = rows.some((tr) => {
      const input = tr.querySelectorAll('td.cell')[d]?.querySelector<HTMLInputElement>('input.hours');
      return !!input && input.value.trim() !== '';
    });
    if (typed) return d;
  }
  return 0;
}
