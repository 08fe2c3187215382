// Where things are in the week grid: its hour inputs, their neighbours, the days and rows they
// belong to. Read from the DOM as it is at each key press, so rows added later need nothing more.

export function isHours(node: EventTarget | Element | null): node is HTMLInputElement {
  return node instanceof HTMLInputElement && node.classList.contains('hours');
}

/** The hours input of a cell, if people can reach it now (closed days have none; hidden ones are skipped too). */
export function bookable(td: Element | undefined | null): HTMLInputElement | null {
  const input = td && td.querySelector<HTMLInputElement>('input.hours');
  return input && !input.disabled && input.getClientRects().length ? input : null;
}

/** The day cells of a row, Monday first. */
export function cellsOf(tr: Element | undefined | null): HTMLTableCellElement[] {
  return tr ? Array.from(tr.children).filter((c): c is HTMLTableCellElement => c.matches('td.cell')) : [];
}

/** The rows of hours of the grid an input is in (project rows and new rows). */
export function rowsAround(input: Element): HTMLTableRowElement[] {
  const body = input.closest('tbody');
  return body
    ? Array.from(body.children).filter((r): r is HTMLTableRowElement => r instanceof HTMLTableRowElement)
    : [];
}

/** Row and day (column) of an input in its grid. */
export function positionOf(
  input: HTMLInputElement,
): { tr: HTMLTableRowElement; td: HTMLTableCellElement; col: number } | null {
  const td = input.closest<HTMLTableCellElement>('td.cell');
  const tr = td?.parentElement;
  if (!td || !(tr instanceof HTMLTableRowElement)) return null;
  return { tr, td, col: cellsOf(tr).indexOf(td) };
}

/** Next bookable input from `input`: dx along its row (days), or dy across rows (same day). */
export function neighbour(input: HTMLInputElement, dx: number, dy: number): HTMLInputElement | null {
  const at = positionOf(input);
  if (!at) return null;
  if (dx) {
    const cells = cellsOf(at.tr);
    for (let i = at.col + dx; i >= 0 && i < cells.length; i += dx) {
      const found = bookable(cells[i]);
      if (found) return found;
    }
    return null;
  }
  const rows = rowsAround(input);
  for (let r = rows.indexOf(at.tr) + dy; r >= 0 && r < rows.length; r += dy) {
    const found = bookable(cellsOf(rows[r])[at.col]);
    if (found) return found;
  }
  return null;
}

/** The last bookable input of a row (where ← from its menu goes back to). */
export function lastInRow(tr: Element): HTMLInputElement | null {
  const cells = cellsOf(tr);
  for (let i = cells.length - 1; i >= 0; i--) {
    const found = bookable(cells[i]);
    if (found) return found;
  }
  return null;
}

/** The toggle of a row's menu ("Remove" and the like), when the row has one. */
export function rowMenuToggle(tr: Element): HTMLElement | null {
  const summary = tr.querySelector<HTMLElement>('td.row-actions details.row-menu > summary');
  return summary && summary.getClientRects().length ? summary : null;
}

/** The grid's head cell of a day column (data-date, data-working, data-long). */
export function headOf(input: HTMLInputElement): HTMLTableCellElement | null {
  const at = positionOf(input);
  const table = input.closest('table');
  const head = table?.tHead?.rows[0];
  if (!at || !head) return null;
  const heads = Array.from(head.cells).filter((th) => th.dataset.date);
  return heads[at.col] ?? null;
}

export function wholeSelected(input: HTMLInputElement): boolean {
  return input.selectionStart === 0 && input.selectionEnd === input.value.length;
}

export function caretAt(input: HTMLInputElement, pos: number): boolean {
  return input.selectionStart === pos && input.selectionEnd === pos;
}
