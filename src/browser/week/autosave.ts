// Autosave of the week grid. Each change is sent to the draft (never to the ERP) as JSON with the
// draft version it was based on (send-changes.ts); offline, changes wait (offline-queue.ts) and go
// when the connection is back; a 409 goes to the conflict chooser (conflict.ts), a 401 / 403 to session.ts.
import { empty, readCell } from './cells';
import { createConflicts, type Conflicts } from './conflict';
import { createOfflineQueue, type OfflineQueue } from './offline-queue';
import { setStatus, targetElement, type CellValue, type SaveState, type WeekPage } from './page';
import { flush, showOffline, type Saver } from './send-changes';

export interface Autosave {
  state: SaveState;
  queue: OfflineQueue;
  conflicts: Conflicts;
  /** Sends the unsaved cells after `delay` ms (the last call wins). */
  schedule(delay: number): void;
}

export function startAutosave(page: WeekPage): Autosave {
  const { form } = page;
  const state: SaveState = {
    known: {},
    pending: {},
    inFlight: null,
    timer: undefined,
    retries: 0,
    conflict: null,
    blocked: null,
  };
  const queue = createOfflineQueue(page, state);
  const schedule = (delay: number): void => {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => flush(saver), delay);
  };
  const conflicts = createConflicts(page, state, queue, schedule);
  const saver: Saver = { page, state, queue, conflicts, schedule };

  const onEditEvent = (event: Event): void => onEdit(saver, event);
  form.addEventListener('input', onEditEvent);
  form.addEventListener('change', onEditEvent);
  window.addEventListener('offline', () => {
    if (queue.count() && !state.conflict && !state.blocked) showOffline(saver);
  });
  guardSubmits(saver);

  readRendered(form, state.known);
  restoreUnsaved(saver);
  return { state, queue, conflicts, schedule };
}

function onEdit(s: Saver, event: Event): void {
  const { page, state, queue } = s;
  const td = targetElement(event)?.closest<HTMLTableCellElement>('td.cell');
  if (!td || !td.dataset.key) return;
  const key = td.dataset.key;
  const now = readCell(td);
  const before = state.pending[key];
  const base = before ? before.base : state.known[key] || empty();
  state.pending[key] = {
    key,
    raw: now.raw,
    comment: now.comment,
    base: { raw: base.raw, comment: base.comment },
    at: Date.now(),
  };
  queue.persist();
  if (state.conflict) return s.conflicts.refreshConflict();
  if (state.blocked) return;
  if (page.statusEl.dataset.kind === 'offline') showOffline(s);
  s.schedule(event.type === 'change' ? 0 : 600);
}

/** Whole-form posts: held while the person has to act or the connection is gone, and after the last autosave. */
function guardSubmits(s: Saver): void {
  const { page, state } = s;
  const { form } = page;
  let heldSubmitter: HTMLElement | null | undefined; // undefined: nothing held; null: a post without a button
  window.addEventListener('online', () => {
    state.retries = 0;
    s.schedule(0);
    if (heldSubmitter !== undefined) {
      const submitter = heldSubmitter;
      heldSubmitter = undefined;
      if (submitter) form.requestSubmit(submitter);
      else form.requestSubmit();
    }
  });

  form.addEventListener('submit', (event) => {
    if (state.conflict || state.blocked) {
      // Nothing is sent until the person has chosen (or signed in again): show what to do.
      event.preventDefault();
      const target = document.getElementById(state.conflict ? 'draft-alert-title' : 'draft-alert-action');
      if (target) target.focus();
      return;
    }
    // Offline, a whole-form post (save, submit, a blank row's project, add, remove, copy) would
    // leave the page for the browser's error page, and the hours of a blank row, which only that
    // post saves, with it. Keep the page and post when the connection is back.
    if (navigator.onLine === false) {
      event.preventDefault();
      heldSubmitter = event.submitter || null;
      setStatus(page, page.msg.msgOfflineHeld, 'offline-held');
      return;
    }
    // Let the last autosave land first, so the form's version is current.
    if (state.inFlight) {
      event.preventDefault();
      const submitter = event.submitter;
      state.inFlight.then(() => form.requestSubmit(submitter));
    } else {
      clearTimeout(state.timer);
    }
  });
}

/** What the server holds: the values the page was rendered with. */
function readRendered(form: HTMLFormElement, known: Record<string, CellValue>): void {
  form.querySelectorAll<HTMLTableCellElement>('td.cell[data-key]').forEach((td) => {
    const h = td.querySelector<HTMLInputElement>('input.hours');
    const c = td.querySelector('textarea');
    if (h) known[td.dataset.key as string] = { raw: h.defaultValue, comment: c ? c.defaultValue : '' };
  });
}

// Restore what earlier pages (reload, closed tab, lost connection, ended session) had not saved.
function restoreUnsaved(s: Saver): void {
  const { page, state, queue, conflicts } = s;
  try {
    queue.restore();
    if (conflicts.conflictKeys().length) {
      // Saved elsewhere since those cells were typed: the person chooses, as after a 409.
      state.conflict = { version: Number(page.versionInput.value), keys: [] };
      conflicts.renderConflict();
    } else if (queue.count()) {
      s.schedule(0);
    }
  } catch {
    /* unreadable local copy: nothing to restore */
  }
}
