// Phone layout: each cell says its day (grid-phone.css shows data-caption on narrow screens).
// An attribute, not a child: week.js rewrites the totals' text, which would wipe a child node.

/** Captions every grid of the week form, and keeps captioning the rows added to it. */
export function captionGrids(form: HTMLElement): void {
  form.querySelectorAll<HTMLTableElement>('table.grid').forEach(captionTable);
}

function captionTable(table: HTMLTableElement): void {
  const headRow = table.tHead && table.tHead.rows[0];
  if (!headRow) return;
  const headers = Array.from(headRow.cells);
  const all = () => {
    table.querySelectorAll<HTMLTableRowElement>('tbody > tr, tfoot > tr').forEach((tr) => captionRow(tr, headers));
  };
  all();
  table.classList.add('has-captions');
  // Rows the page adds later (add a project, copy last week) get their captions too.
  new MutationObserver((records) => {
    if (records.some((r) => Array.from(r.addedNodes).some((n) => n.nodeName === 'TR' || n.nodeName === 'TBODY'))) all();
  }).observe(table, { childList: true, subtree: true });
}

function captionRow(tr: HTMLTableRowElement, headers: HTMLTableCellElement[]): void {
  Array.from(tr.children).forEach((cell, i) => {
    const head = headers[i];
    // Hours and totals only: a row's buttons carry their own names.
    if (cell instanceof HTMLElement && cell.matches('td.cell, td.total') && head && !cell.dataset.caption) {
      // The header's words for a non-working day ("Weekend", a holiday) too: not the hatching alone.
      const marker = head.querySelector('.day-marker');
      const day = head.getAttribute('abbr') || (head.textContent ?? '').trim();
      const words = marker ? (marker.textContent ?? '').trim() : '';
      cell.dataset.caption = words ? day + ' · ' + words : day;
    }
  });
}
