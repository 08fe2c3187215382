// The grid's day columns: which hold typed hours (the non-working toggle asks).

/** The header cells of the grid, one per column (project, days, total...). */
export function headCells(form: HTMLFormElement): HTMLTableCellElement[] {
  return Array.from(form.querySelectorAll<HTMLTableCellElement>('thead th'));
}

/** Every input of a day column that holds something typed. */
export function dayHasTyping(form: HTMLFormElement, date: string | undefined): boolean {
  return Array.from(
    form.querySelectorAll<HTMLInputElement>('input.hours[data-date="' + CSS.escape(String(date)) + '"]'),
  ).some((input) => input.value.trim() !== '');
}
