// What a fill did, said once: in a polite live region that sighted people see too, in the action
// bar when the page has one (it stays on screen while typing), else right after the grid.

export interface Note {
  say(text: string): void;
}

const SHOWN_MS = 10_000;

export function createNote(form: HTMLElement): Note {
  const p = document.createElement('p');
  p.id = 'grid-note';
  p.className = 'grid-note help';
  p.setAttribute('role', 'status');
  p.setAttribute('aria-live', 'polite');
  const bar = document.getElementById('action-bar');
  const grid = form.querySelector('.grid-scroll') ?? form.querySelector('table.grid');
  if (bar) bar.appendChild(p);
  else if (grid) grid.after(p);
  else form.appendChild(p);
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    say(text: string): void {
      clearTimeout(timer);
      // Emptied first, so that the same sentence twice is read twice.
      p.textContent = '';
      setTimeout(() => {
        p.textContent = text;
      }, 30);
      timer = setTimeout(() => {
        p.textContent = '';
      }, SHOWN_MS);
    },
  };
}

/** A message with its {placeholders} filled; unknown ones stay as they are. */
export function fillIn(template: string | undefined, params: Record<string, string>): string {
  return String(template || '').replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** "Tuesday, Wednesday and Friday" in the page's language. */
export function listOf(items: string[]): string {
  const lang = document.documentElement.lang || 'en';
  const ListFormat = (Intl as unknown as { ListFormat?: new (l: string, o: object) => { format(i: string[]): string } })
    .ListFormat;
  return ListFormat ? new ListFormat(lang, { type: 'conjunction' }).format(items) : items.join(', ');
}

/** "Monday" for 2026-11-30, in the page's language. */
export function weekdayOf(date: string | undefined): string {
  if (!date) return '';
  const lang = document.documentElement.lang || 'en';
  return new Date(date + 'T12:00:00Z').toLocaleDateString(lang, { weekday: 'long', timeZone: 'UTC' });
}
