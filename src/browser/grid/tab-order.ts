// Tab goes from cell to cell: the comment toggles (✎) and the row menus leave the Tab sequence.
// Set here, by the script, so that without JavaScript they stay reachable with Tab; with it, Alt+C
// opens a comment and → past a row's last day reaches its menu (keys.ts). They keep their roles and
// names, so screen readers' element lists and a click still find them.

const OUT_OF_SEQUENCE = 'details.comment > summary, details.row-menu > summary';

function takeOut(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>(OUT_OF_SEQUENCE).forEach((summary) => {
    summary.tabIndex = -1;
  });
}

export function cellToCellTabbing(form: HTMLElement): void {
  takeOut(form);
  // Rows the page adds later (a new row, a merge) too.
  new MutationObserver((records) => {
    if (records.some((r) => r.addedNodes.length)) takeOut(form);
  }).observe(form, { childList: true, subtree: true });
}

/**
 * On load, the cursor goes where typing starts: the first working day without hours (its first
 * project), else the first empty working-day cell; nowhere when the week is full or read-only.
 * The page's own place wins: an autofocus (a question the page asks), an error summary (focused, as
 * it says what to fix first), a #fragment the address points to, or whatever already has the focus.
 * Not on touch screens, where it would open the on-screen keyboard over the page.
 */
export function focusWhereTypingStarts(form: HTMLElement): void {
  if (document.activeElement && document.activeElement !== document.body) return;
  // A question the page asks (the confirmation without the dialog): the browser would skip its
  // autofocus once the focus is elsewhere, so it is given here.
  const asked = Array.from(document.querySelectorAll<HTMLElement>('[autofocus]')).find(
    (el) => el.getClientRects().length > 0,
  );
  if (asked) return asked.focus();
  const summary = document.getElementById('error-summary');
  if (summary && summary.getClientRects().length) return summary.focus();
  if (location.hash.length > 1 || form.dataset.readonly === 'true') return;
  if (window.matchMedia && window.matchMedia('(hover: none) and (pointer: coarse)').matches) return;
  const target = firstEmptyWorkingCell(form);
  if (target) target.focus();
}

function firstEmptyWorkingCell(form: HTMLElement): HTMLInputElement | null {
  const rows = Array.from(form.querySelectorAll('table.grid tbody > tr'));
  const grid = rows.map((tr) =>
    Array.from(tr.querySelectorAll<HTMLTableCellElement>('td.cell')).map((td) => {
      const input = td.querySelector<HTMLInputElement>('input.hours');
      const usable =
        input &&
        !input.disabled &&
        !input.readOnly &&
        !td.classList.contains('nonworking') &&
        input.getClientRects().length;
      return usable ? input : null;
    }),
  );
  const days = Math.max(0, ...grid.map((r) => r.length));
  for (let d = 0; d < days; d++) {
    const column = grid.map((r) => r[d]).filter((i): i is HTMLInputElement => !!i);
    if (column.length && column.every((i) => i.value.trim() === '')) return column[0] as HTMLInputElement;
  }
  for (const row of grid) for (const input of row) if (input && input.value.trim() === '') return input;
  return null;
}
