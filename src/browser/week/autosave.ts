// Autosave of the week grid. Each change is sent to the draft (never to the ERP) as JSON with the
// draft version it was based on; offline, changes wait (offline-queue.ts) and go when the
// connection is back; a 409 goes to the conflict chooser (conflict.ts), a 401 / 403 to session.ts.
import { empty, readCell, same, showErrors, showTotals, type CellError, type Totals } from './cells';
import { createConflicts, type ConflictBody, type Conflicts } from './conflict';
import { createOfflineQueue, type OfflineQueue } from './offline-queue';
import { setStatus, targetElement, text, type SaveState, type WeekPage } from './page';
import { block, probeSession } from './session';

/** What an autosave answer may carry (200: saved; 409, 401, 403 or an error otherwise). */
interface SaveBody extends Totals, ConflictBody {
  version?: number;
  errors?: CellError[];
  error?: string;
  message?: string;
}

export interface Autosave {
  state: SaveState;
  queue: OfflineQueue;
  conflicts: Conflicts;
  /** Sends the unsaved cells after `delay` ms (the last call wins). */
  schedule(delay: number): void;
}

export function startAutosave(page: WeekPage): Autosave {
  const { form, statusEl, msg } = page;
  const url = '/week/' + encodeURIComponent(page.week) + '/autosave';
  const state: SaveState = {
    known: {},
    pending: {},
    inFlight: null,
    timer: undefined,
    retryDelay: 2000,
    conflict: null,
    blocked: null,
  };
  const queue = createOfflineQueue(page, state);
  const conflicts = createConflicts(page, state, queue, schedule);

  function schedule(delay: number): void {
    clearTimeout(state.timer);
    state.timer = setTimeout(flush, delay);
  }

  function showOffline(): void {
    const n = queue.count();
    setStatus(page, text(n === 1 ? msg.msgOfflineOne : msg.msgOffline, { count: n }), 'offline');
  }

  function retryLater(): void {
    schedule(state.retryDelay);
    state.retryDelay = Math.min(state.retryDelay * 2, 30000);
  }

  function flush(): void {
    if (state.inFlight || state.conflict || state.blocked) return;
    const { pending } = state;
    const changes = Object.keys(pending).map((k) => ({ key: k, raw: pending[k]!.raw, comment: pending[k]!.comment }));
    if (!changes.length) return;
    setStatus(page, msg.msgSaving, 'saving');
    const sentVersion = Number(page.versionInput.value);
    state.inFlight = fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': page.csrf },
      body: JSON.stringify({ version: sentVersion, changes }),
    })
      .then((res) =>
        res
          .json()
          .catch(() => ({}))
          .then((body: SaveBody) => ({ res, body })),
      )
      .then((r): void | Promise<void> => {
        state.inFlight = null;
        const status = r.res.status;
        const body: SaveBody = r.body || {};
        if (r.res.ok) {
          page.versionInput.value = String(body.version);
          changes.forEach((c) => {
            state.known[c.key] = { raw: c.raw, comment: c.comment };
            // Drop what the server now holds, unless it was typed again meanwhile.
            const now = state.pending[c.key];
            if (same(now, c)) delete state.pending[c.key];
            else if (now) now.base = { raw: c.raw, comment: c.comment };
          });
          queue.persist();
          showTotals(form, state.known, body);
          showErrors(form, body.errors || []);
          state.retryDelay = 2000;
          if (queue.count()) schedule(0);
          else setStatus(page, msg.msgSaved, 'saved');
          return;
        }
        if (status === 409 && body.error === 'conflict') return conflicts.onConflict(body, sentVersion);
        // Submitted meanwhile (another tab or device): nothing more can be saved; the values stay kept here.
        if (status === 409 && body.error === 'locked') return block(page, state, 'stale', body.message);
        if (status === 401) return block(page, state, 'signin');
        if (status === 403 && body.error === 'csrf') {
          state.blocked = 'probing';
          return probeSession(page.week).then((kind) => block(page, state, kind));
        }
        setStatus(page, text(msg.msgError, { reason: body.message || 'HTTP ' + status }), 'error');
        if (status >= 500 || status === 429) retryLater();
      })
      .catch(() => {
        state.inFlight = null;
        showOffline();
        retryLater();
      });
  }

  function onEdit(event: Event): void {
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
    if (state.conflict) return conflicts.refreshConflict();
    if (state.blocked) return;
    if (statusEl.dataset.kind === 'offline') showOffline();
    schedule(event.type === 'change' ? 0 : 600);
  }

  form.addEventListener('input', onEdit);
  form.addEventListener('change', onEdit);
  let heldSubmitter: HTMLElement | null | undefined; // undefined: nothing held; null: a post without a button
  window.addEventListener('online', () => {
    state.retryDelay = 2000;
    schedule(0);
    if (heldSubmitter !== undefined) {
      const submitter = heldSubmitter;
      heldSubmitter = undefined;
      if (submitter) form.requestSubmit(submitter);
      else form.requestSubmit();
    }
  });
  window.addEventListener('offline', () => {
    if (queue.count() && !state.conflict && !state.blocked) showOffline();
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
      setStatus(page, msg.msgOfflineHeld, 'offline-held');
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

  // What the server holds: the values the page was rendered with.
  form.querySelectorAll<HTMLTableCellElement>('td.cell[data-key]').forEach((td) => {
    const h = td.querySelector<HTMLInputElement>('input.hours');
    const c = td.querySelector('textarea');
    if (h) state.known[td.dataset.key as string] = { raw: h.defaultValue, comment: c ? c.defaultValue : '' };
  });

  // Restore what earlier pages (reload, closed tab, lost connection, ended session) had not saved.
  try {
    queue.restore();
    if (conflicts.conflictKeys().length) {
      // Saved elsewhere since those cells were typed: the person chooses, as after a 409.
      state.conflict = { version: Number(page.versionInput.value), keys: [] };
      conflicts.renderConflict();
    } else if (queue.count()) {
      schedule(0);
    }
  } catch {
    /* unreadable local copy: nothing to restore */
  }

  return { state, queue, conflicts, schedule };
}
