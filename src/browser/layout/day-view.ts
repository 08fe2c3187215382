// The phone's day view: on a narrow screen (the media query of grid-phone.css) the grid shows one day
// at a time, every project of that day on its own line, and a day switcher above it names each day
// with its total. Only classes and a data-day attribute change: the inputs stay where they are, so
// autosave, the totals and the keys work as on a wide screen. Without this script a narrow screen
// shows one card per project (grid-phone.css).
import { initialDay, localToday, type DayInfo } from './day-choice';

const NARROW = '(max-width: 45em)';

export interface DayView {
  /** Shows the day of `input` (a link or a key leading to a cell of another day). */
  showDayOf(input: HTMLInputElement): void;
}

interface Switcher {
  root: HTMLElement;
  buttons: HTMLButtonElement[];
  totals: HTMLElement[];
}

export function startDayView(form: HTMLFormElement, msg: DOMStringMap): DayView | null {
  const table = form.querySelector<HTMLTableElement>('table.grid');
  const heads = Array.from(form.querySelectorAll<HTMLTableCellElement>('thead th[data-date]'));
  const scroll = form.querySelector('.grid-scroll');
  if (!table || heads.length === 0 || !scroll) return null;
  const dayTotals = heads.map((th) =>
    form.querySelector<HTMLElement>(`[data-day-total="${CSS.escape(th.dataset.date ?? '')}"]`),
  );
  const switcher = buildSwitcher(heads, msg);
  scroll.before(switcher.root);

  const select = (index: number): void => {
    form.dataset.day = String(index);
    switcher.buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(i === index)));
  };
  const sync = (): void => syncSwitcher(switcher, heads, dayTotals, msg);
  switcher.buttons.forEach((b, i) => b.addEventListener('click', () => select(i)));
  sync();
  // The totals change as one types (totals.ts) and after each save; hidden days with "Hide non-working days".
  new MutationObserver(sync).observe(table, {
    subtree: true,
    childList: true,
    characterData: true,
    attributeFilter: ['class'],
  });

  const days: DayInfo[] = heads.map((th, i) => ({
    date: th.dataset.date ?? '',
    working: th.dataset.working !== 'false',
    total: dayTotals[i]?.textContent ?? '',
  }));
  select(initialDay(days, localToday()));
  const media = window.matchMedia(NARROW);
  const apply = (): void => {
    form.classList.toggle('day-view', media.matches);
  };
  media.addEventListener('change', apply);
  apply();

  return {
    showDayOf(input) {
      const td = input.closest('td');
      const row = td?.parentElement;
      if (!td || !row) return;
      const index = Array.from(row.querySelectorAll(':scope > td.cell')).indexOf(td);
      if (index >= 0) select(index);
    },
  };
}

function buildSwitcher(heads: HTMLTableCellElement[], msg: DOMStringMap): Switcher {
  const root = document.createElement('div');
  root.className = 'day-switcher';
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', msg.msgDays ?? '');
  const weekday = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    weekday: 'short',
    timeZone: 'UTC',
  });
  const buttons: HTMLButtonElement[] = [];
  const totals: HTMLElement[] = [];
  for (const th of heads) {
    const date = th.dataset.date ?? '';
    const button = document.createElement('button');
    button.type = 'button'; // never submits the form
    button.className = 'day-tab';
    const name = document.createElement('span');
    name.className = 'day-tab-name';
    name.textContent = weekday.format(new Date(`${date}T00:00:00Z`));
    const day = document.createElement('span');
    day.className = 'day-tab-date';
    day.textContent = String(Number(date.slice(8)));
    const total = document.createElement('span');
    total.className = 'day-tab-total';
    button.append(name, ' ', day, ' ', total);
    buttons.push(button);
    totals.push(total);
    root.append(button);
  }
  return { root, buttons, totals };
}

/** Each day's total, its state against the expected hours (under, over, ok) and whether it is hidden. */
function syncSwitcher(
  switcher: Switcher,
  heads: HTMLTableCellElement[],
  dayTotals: Array<HTMLElement | null>,
  msg: DOMStringMap,
): void {
  heads.forEach((th, i) => {
    const button = switcher.buttons[i]!;
    const cell = dayTotals[i]?.closest('td');
    const words = (msg.msgDayHours ?? '{total}').replace('{total}', (dayTotals[i]?.textContent ?? '').trim() || '0');
    if (switcher.totals[i]!.textContent !== words) switcher.totals[i]!.textContent = words;
    for (const state of ['under', 'over', 'ok', 'empty'])
      button.classList.toggle(state, !!cell?.classList.contains(state));
    button.classList.toggle('nonworking', th.dataset.working === 'false');
    button.classList.toggle('hideable', th.classList.contains('hideable'));
  });
}
