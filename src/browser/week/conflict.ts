// Never a silent overwrite: each unsaved cell remembers the saved value it was typed over (its
// base). When the server answers 409 (saved elsewhere: another tab or device), cells the person
// did not touch take the saved values; a cell typed here whose saved value changed elsewhere is a
// conflict, shown side by side until the person chooses "Keep mine" or "Use the saved version".
import {
  cellOf,
  empty,
  hoursOf,
  labelOf,
  readCell,
  same,
  setCellError,
  showTotals,
  writeCell,
  type Totals,
} from './cells';
import type { OfflineQueue } from './offline-queue';
import { clearAlert, el, setStatus, text, type CellValue, type SaveState, type WeekPage } from './page';
import { savedText } from './saved-text';
import { block } from './session';

/** A 409 answer: the draft as saved now, on its current version. */
export interface ConflictBody extends Totals {
  currentVersion?: unknown;
  draft?: Record<string, CellValue>;
  cells?: Record<string, CellValue>;
  status?: string;
}

export type Choice = 'mine' | 'saved';

export interface Conflicts {
  /** Unsaved cells whose saved value changed elsewhere since they were typed, and differs from mine. */
  conflictKeys(): string[];
  renderConflict(): void;
  /** While the person has not chosen, typing here updates "In this tab" (and may end the conflict). */
  refreshConflict(): void;
  /** choice: 'mine' (deliberate overwrite), 'saved' (take the saved values), null (nothing left to choose). */
  resolveConflict(choice: Choice | null): void;
  /** The server's 409 for an autosave sent on `sentVersion`. */
  onConflict(body: ConflictBody, sentVersion: number): void;
}

/** What the chooser works on: the page, the autosave state and queue, and the autosave's timer. */
interface Chooser {
  page: WeekPage;
  state: SaveState;
  queue: OfflineQueue;
  schedule: (delay: number) => void;
}

export function createConflicts(
  page: WeekPage,
  state: SaveState,
  queue: OfflineQueue,
  schedule: (delay: number) => void,
): Conflicts {
  const c: Chooser = { page, state, queue, schedule };

  // "Keep mine" / "Use the saved version".
  page.alertEl.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLElement>('button[data-choice]') : null;
    if (!button || !state.conflict) return;
    resolveConflict(c, button.dataset.choice === 'mine' ? 'mine' : 'saved');
  });

  return {
    conflictKeys: () => conflictKeys(state),
    renderConflict: () => renderConflict(c),
    refreshConflict: () => refreshConflict(c),
    resolveConflict: (choice) => resolveConflict(c, choice),
    onConflict: (body, sentVersion) => onConflict(c, body, sentVersion),
  };
}

function conflictKeys(state: SaveState): string[] {
  return Object.keys(state.pending).filter((k) => {
    const srv = state.known[k] || empty();
    const mine = state.pending[k];
    return !same(srv, mine) && !same(srv, mine?.base || srv);
  });
}

function shown(msg: DOMStringMap, value: CellValue): string {
  const hours = value.raw.trim() === '' ? msg.msgConflictEmpty : value.raw;
  return value.comment
    ? text(msg.msgConflictWithComment, { hours: hours ?? '', comment: value.comment })
    : (hours ?? '');
}

function renderConflict(c: Chooser): void {
  const { page, state } = c;
  const { alertEl, msg } = page;
  const keys = conflictKeys(state);
  if (!keys.length) return resolveConflict(c, null);
  if (state.conflict) state.conflict.keys = keys;
  clearAlert(page);
  alertEl.dataset.kind = 'conflict';
  const title = el('h2', 'draft-alert-title', msg.msgConflictTitle);
  title.id = 'draft-alert-title';
  title.tabIndex = -1;
  alertEl.appendChild(title);
  alertEl.appendChild(el('p', '', msg.msgConflictIntro));
  const list = el('ul', 'conflict-list');
  keys.forEach((k) => list.appendChild(conflictItem(c, k)));
  alertEl.appendChild(list);
  alertEl.appendChild(choiceButtons(msg));
  setStatus(page, msg.msgChoose, 'conflict');
}

/** One disputed cell: its name, then mine and the saved value side by side. */
function conflictItem(c: Chooser, k: string): HTMLLIElement {
  const { page, state } = c;
  const { form, msg } = page;
  const td = cellOf(form, k);
  const item = el('li', 'conflict-item');
  item.dataset.key = k;
  item.appendChild(el('span', 'conflict-cell', td ? labelOf(form, td) : k));
  const pair = el('span', 'conflict-pair');
  pair.appendChild(
    el('span', 'conflict-mine', text(msg.msgConflictMine, { value: shown(msg, state.pending[k] as CellValue) })),
  );
  pair.appendChild(
    el('span', 'conflict-theirs', text(msg.msgConflictTheirs, { value: shown(msg, state.known[k] || empty()) })),
  );
  item.appendChild(pair);
  return item;
}

function choiceButtons(msg: DOMStringMap): HTMLDivElement {
  const actions = el('div', 'conflict-actions');
  const mine = el('button', 'primary', msg.msgKeepMine);
  mine.type = 'button';
  mine.dataset.choice = 'mine';
  const theirs = el('button', 'secondary', msg.msgUseSaved);
  theirs.type = 'button';
  theirs.dataset.choice = 'saved';
  actions.appendChild(mine);
  actions.appendChild(theirs);
  return actions;
}

function refreshConflict(c: Chooser): void {
  const { page, state } = c;
  const { alertEl, msg } = page;
  const keys = conflictKeys(state);
  if (keys.join('\n') !== (state.conflict?.keys ?? []).join('\n')) return renderConflict(c);
  keys.forEach((k) => {
    const item = alertEl.querySelector('li[data-key="' + CSS.escape(k) + '"] .conflict-mine');
    const now = text(msg.msgConflictMine, { value: shown(msg, state.pending[k] as CellValue) });
    if (item && item.textContent !== now) item.textContent = now;
  });
}

function focusCell(form: HTMLFormElement, key: string | undefined): void {
  const td = key && cellOf(form, key);
  const input = td && hoursOf(td);
  if (input) input.focus();
}

function resolveConflict(c: Chooser, choice: Choice | null): void {
  const { page, state, queue } = c;
  const { form, msg } = page;
  const { conflict, pending, known } = state;
  const keys = conflict ? conflict.keys : [];
  if (conflict) page.versionInput.value = String(conflict.version);
  state.conflict = null;
  clearAlert(page);
  keys.forEach((k) => {
    const cell = pending[k];
    if (!cell) return;
    if (choice === 'mine') {
      cell.base = { raw: (known[k] || empty()).raw, comment: (known[k] || empty()).comment };
    } else if (choice === 'saved') {
      const td = cellOf(form, k);
      if (td) {
        writeCell(td, known[k] || empty());
        setCellError(td, []);
      }
      delete pending[k];
    }
  });
  queue.persist();
  // The saved values just written into cells: the totals follow them (an empty body: the page's own sums).
  if (choice === 'saved') showTotals(form, known, {});
  if (choice) focusCell(form, keys[0]);
  if (queue.count()) {
    c.schedule(0);
  } else if (choice === 'saved') {
    setStatus(page, msg.msgTookSaved, 'saved');
  } else {
    setStatus(page, savedText(page), 'saved');
  }
}

function onConflict(c: Chooser, body: ConflictBody, sentVersion: number): void {
  const { page, state, queue } = c;
  const version = Number(body.currentVersion);
  if (
    !body.draft ||
    !Number.isInteger(version) ||
    version === sentVersion ||
    (body.status && body.status !== 'draft')
  ) {
    return block(page, state, 'stale');
  }
  // What the server holds now: the whole draft (cells absent from it are empty).
  const known: Record<string, CellValue> = {};
  state.known = known;
  const { draft } = body;
  const cells = body.cells || {};
  Object.keys(draft).forEach((k) => {
    known[k] = draft[k] as CellValue;
  });
  Object.keys(cells).forEach((k) => {
    known[k] = cells[k] as CellValue;
  });
  mergeSaved(page.form, state);
  showTotals(page.form, state.known, body);
  queue.persist();
  state.conflict = { version, keys: [] };
  if (conflictKeys(state).length) return renderConflict(c);
  // Cells I typed were not changed elsewhere: a merge cell by cell, then saved on the new version.
  resolveConflict(c, null);
}

/** Brings the grid and the unsaved cells in line with `state.known`, just taken from a 409. */
function mergeSaved(form: HTMLFormElement, state: SaveState): void {
  const { known } = state;
  form.querySelectorAll<HTMLTableCellElement>('td.cell[data-key]').forEach((td) => {
    const k = td.dataset.key as string;
    if (!hoursOf(td)) return;
    if (state.pending[k]) {
      // Already saved with my value (by me in another tab, or typed alike): nothing to send.
      if (same(known[k] || empty(), state.pending[k])) delete state.pending[k];
      return;
    }
    // Not touched here: simply show what was saved elsewhere.
    const srv = known[k] || empty();
    if (!same(readCell(td), srv)) writeCell(td, srv);
  });
}
