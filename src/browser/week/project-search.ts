// A search box over a long project choice ("Add a project", a blank row's project): type part of a
// code or name and the list narrows at once (project-match.ts); ↑ ↓ move, Enter or a click picks,
// Escape closes. An ARIA 1.2 combobox with a listbox popup; the number of matches is said in a polite
// live region. Progressive enhancement: the <select> stays in the form (hidden) and carries the
// choice, so the server and the other modules see what they always saw, and without JavaScript the
// plain <select> works as before. Short lists keep their plain <select>: a search there only slows.
//
// Picking acts as choosing in the <select> did: a blank row's project posts the form (blank-rows.ts
// listens for its change); "Add a project" adds the row at once, so its button is not needed.
import { matchRanges, searchTerms } from './project-match';
import { el, text, type WeekPage } from './page';

/** A list with fewer choices than this keeps its plain <select>. */
export const SEARCH_MIN_CHOICES = 8;
/** The matches are announced once typing pauses this long (one announcement, not one per key). */
const ANNOUNCE_DELAY_MS = 400;

interface Choice {
  value: string;
  label: string;
  /** The <optgroup> it is in ("Favourites"), or null. */
  group: string | null;
}

/** One enhanced <select>: its elements and what the list shows now. */
interface Search {
  page: WeekPage;
  select: HTMLSelectElement;
  input: HTMLInputElement;
  list: HTMLElement;
  live: HTMLElement;
  choices: Choice[];
  shown: Choice[];
  active: number;
  /** Called once a choice is made (the <select> already holds it). */
  onPick: () => void;
  announceTimer: ReturnType<typeof setTimeout> | undefined;
}

export function startProjectSearch(page: WeekPage): void {
  const { form } = page;
  const add = form.querySelector<HTMLSelectElement>('#add-project');
  const addButton = form.querySelector<HTMLButtonElement>('button[name="action"][value="add-row"]');
  // Picking adds the row at once: the button goes, and nothing is chosen until something is picked
  // (the <select> would otherwise hold, and the button add, whichever project came first).
  if (add && addButton && enhance(page, add, () => form.requestSubmit(addButton), true)) addButton.hidden = true;
  form.querySelectorAll<HTMLSelectElement>('select.blank-project').forEach((select) => {
    enhance(page, select, () => select.dispatchEvent(new Event('change', { bubbles: true })));
  });
}

function choicesOf(select: HTMLSelectElement): Choice[] {
  return Array.from(select.options)
    .filter((o) => o.value !== '')
    .map((o) => ({
      value: o.value,
      label: (o.textContent ?? '').trim(),
      group: o.parentElement instanceof HTMLOptGroupElement ? o.parentElement.label : null,
    }));
}

/** Puts the search box in place of the <select>; false when the list is short enough to keep it. */
function enhance(page: WeekPage, select: HTMLSelectElement, onPick: () => void, startEmpty = false): boolean {
  const choices = choicesOf(select);
  if (choices.length < SEARCH_MIN_CHOICES) return false;
  if (startEmpty) select.selectedIndex = -1;
  const { msg } = page;
  const id = select.id + '-search';
  const label = select.id
    ? page.form.querySelector<HTMLLabelElement>('label[for="' + CSS.escape(select.id) + '"]')
    : null;
  const wrap = el('div', 'project-search');
  const input = el('input', 'project-search-input');
  input.type = 'text';
  input.id = id;
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.placeholder = msg.msgSearchPlaceholder ?? '';
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', id + '-list');
  input.setAttribute('aria-describedby', id + '-hint');
  const list = el('div', 'project-search-list');
  list.id = id + '-list';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', (label?.textContent ?? '').trim());
  list.hidden = true;
  const hint = el('span', 'visually-hidden', msg.msgSearchHint);
  hint.id = id + '-hint';
  const live = el('span', 'visually-hidden');
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');
  wrap.append(input, hint, live);
  select.before(wrap);
  // The list lives at the end of the page, placed in the window (fixed): no frame or stacking of
  // the grid (its scrolling frame, its sticky first column) can cut it or cover it.
  document.body.appendChild(list);
  select.classList.add('project-search-native');
  if (label) label.htmlFor = id;
  const s: Search = {
    page,
    select,
    input,
    list,
    live,
    choices,
    shown: [],
    active: -1,
    onPick,
    announceTimer: undefined,
  };
  input.value = chosenLabel(s);
  listen(s);
  return true;
}

function chosenLabel(s: Search): string {
  return s.choices.find((c) => c.value === s.select.value && s.select.selectedIndex >= 0)?.label ?? '';
}

function listen(s: Search): void {
  const { input, list } = s;
  // The search box's own events are not edits of the week: autosave and the blank rows never see them.
  input.addEventListener('input', (event) => {
    event.stopPropagation();
    open(s, input.value);
  });
  input.addEventListener('change', (event) => event.stopPropagation());
  input.addEventListener('keydown', (event) => onKey(s, event));
  input.addEventListener('click', () =>
    list.hidden ? open(s, input.value === chosenLabel(s) ? '' : input.value) : close(s),
  );
  input.addEventListener('focus', () => input.select());
  input.addEventListener('blur', () => {
    close(s);
    // Left without picking: the box shows the choice there is, not a half-typed search.
    input.value = chosenLabel(s);
  });
  // The list is placed in the window (fixed): it follows the box when the page or the grid scrolls.
  const follow = (): void => {
    if (!list.hidden) place(s);
  };
  window.addEventListener('scroll', follow, true);
  window.addEventListener('resize', follow);
  // Keeps the focus in the box while an option is clicked.
  list.addEventListener('mousedown', (event) => event.preventDefault());
  list.addEventListener('click', (event) => {
    const option = event.target instanceof Element ? event.target.closest<HTMLElement>('[role="option"]') : null;
    if (option) pick(s, Number(option.dataset.index));
  });
}

function onKey(s: Search, event: KeyboardEvent): void {
  const { list } = s;
  // Chords are the page's shortcuts (Ctrl+Enter submits the week): not the search's business.
  if (event.ctrlKey || event.metaKey) return;
  const handled = (): void => {
    event.preventDefault();
    event.stopPropagation();
  };
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    handled();
    if (list.hidden) return open(s, s.input.value === chosenLabel(s) ? '' : s.input.value);
    if (!event.altKey) setActive(s, s.active + (event.key === 'ArrowDown' ? 1 : -1));
  } else if (event.key === 'Enter') {
    // Never the form's default button: Enter in the search picks, or opens the list.
    handled();
    if (!list.hidden && s.active >= 0) pick(s, s.active);
    else if (list.hidden) open(s, s.input.value === chosenLabel(s) ? '' : s.input.value);
  } else if (event.key === 'Escape' && (!list.hidden || s.input.value !== chosenLabel(s))) {
    handled();
    if (!list.hidden) close(s);
    else s.input.value = chosenLabel(s);
  } else if (event.key === 'Tab') {
    close(s);
  }
}

/** Shows the choices that match `query`, the first one active (Enter picks it). */
function open(s: Search, query: string): void {
  const terms = searchTerms(query);
  const matched = s.choices
    .map((choice) => ({ choice, ranges: matchRanges(choice.label, terms) }))
    .filter((m): m is { choice: Choice; ranges: Array<[number, number]> } => m.ranges !== null);
  s.shown = matched.map((m) => m.choice);
  s.list.textContent = '';
  let group: HTMLElement = s.list;
  let groupName: string | null = null;
  matched.forEach((m, i) => {
    if (m.choice.group !== groupName) {
      groupName = m.choice.group;
      group = groupName === null ? s.list : groupOf(s, groupName, i);
    }
    group.appendChild(optionOf(s, m.choice, m.ranges, i));
  });
  s.list.hidden = false;
  s.input.setAttribute('aria-expanded', 'true');
  place(s);
  setActive(s, s.shown.length ? 0 : -1);
  announce(s, query, s.shown.length);
}

function groupOf(s: Search, name: string, index: number): HTMLElement {
  const group = el('div', 'project-search-group');
  group.setAttribute('role', 'group');
  const title = el('div', 'project-search-group-title', name);
  title.id = s.input.id + '-group-' + index;
  title.setAttribute('role', 'presentation');
  group.setAttribute('aria-labelledby', title.id);
  group.appendChild(title);
  s.list.appendChild(group);
  return group;
}

/** One choice, the matched parts marked. */
function optionOf(s: Search, choice: Choice, ranges: Array<[number, number]>, index: number): HTMLElement {
  const option = el('div', 'project-search-option');
  option.id = s.input.id + '-option-' + index;
  option.dataset.index = String(index);
  option.setAttribute('role', 'option');
  option.setAttribute('aria-selected', 'false');
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) option.appendChild(document.createTextNode(choice.label.slice(at, start)));
    option.appendChild(el('mark', '', choice.label.slice(start, end)));
    at = end;
  }
  if (at < choice.label.length) option.appendChild(document.createTextNode(choice.label.slice(at)));
  return option;
}

function setActive(s: Search, index: number): void {
  const previous = s.list.querySelector('[aria-selected="true"]');
  previous?.setAttribute('aria-selected', 'false');
  s.active = s.shown.length ? Math.max(0, Math.min(index, s.shown.length - 1)) : -1;
  const option = s.active >= 0 ? document.getElementById(s.input.id + '-option-' + s.active) : null;
  if (!option) return s.input.removeAttribute('aria-activedescendant');
  option.setAttribute('aria-selected', 'true');
  s.input.setAttribute('aria-activedescendant', option.id);
  option.scrollIntoView({ block: 'nearest' });
}

function close(s: Search): void {
  s.list.hidden = true;
  s.input.setAttribute('aria-expanded', 'false');
  s.input.removeAttribute('aria-activedescendant');
  s.active = -1;
}

function pick(s: Search, index: number): void {
  const choice = s.shown[index];
  if (!choice) return;
  s.select.value = choice.value;
  s.input.value = choice.label;
  close(s);
  s.onPick();
}

/**
 * Fixed under the box (or over it when the window has more room there): the list must not be cut
 * by the grid's scrolling frame, nor hidden under the action bar.
 */
function place(s: Search): void {
  const box = s.input.getBoundingClientRect();
  const below = window.innerHeight - box.bottom;
  const up = below < 220 && box.top > below;
  const room = Math.max(120, (up ? box.top : below) - 12);
  s.list.style.left = Math.max(4, Math.min(box.left, window.innerWidth - s.list.offsetWidth - 4)) + 'px';
  s.list.style.maxHeight = Math.min(room, 320) + 'px';
  s.list.style.top = up ? '' : box.bottom + 2 + 'px';
  s.list.style.bottom = up ? window.innerHeight - box.top + 2 + 'px' : '';
  s.list.style.minWidth = box.width + 'px';
}

function announce(s: Search, query: string, count: number): void {
  const { msg } = s.page;
  clearTimeout(s.announceTimer);
  s.announceTimer = setTimeout(() => {
    s.live.textContent =
      count === 0
        ? text(msg.msgSearchNone, { query: query.trim() })
        : count === 1
          ? (msg.msgSearchCountOne ?? '')
          : text(msg.msgSearchCount, { count });
  }, ANNOUNCE_DELAY_MS);
}
