// One autosave request: the unsaved cells as JSON with the draft version they are based on, and
// what its answer means for the page: saved, a conflict (conflict.ts), an ended session
// (session.ts), an error, or no connection (retried later).
import { same, showErrors, showTotals, type CellError, type Totals } from './cells';
import type { ConflictBody, Conflicts } from './conflict';
import type { OfflineQueue } from './offline-queue';
import { setStatus, text, type CellValue, type SaveState, type WeekPage } from './page';
import { block, probeSession } from './session';
import { savedText } from './saved-text';
import { backoffDelay } from '../../resilience/backoff';

/** What an autosave answer may carry (200: saved; 409, 401, 403 or an error otherwise). */
interface SaveBody extends Totals, ConflictBody {
  version?: number;
  errors?: CellError[];
  error?: string;
  message?: string;
}

type Change = CellValue & { key: string };

/** What sending needs: the page, the autosave's state and modules, and its timer. */
export interface Saver {
  page: WeekPage;
  state: SaveState;
  queue: OfflineQueue;
  conflicts: Conflicts;
  schedule(delay: number): void;
}

/** Sends the unsaved cells, unless a request is under way or the person has to choose or sign in first. */
export function flush(s: Saver): void {
  const { page, state } = s;
  if (state.inFlight || state.conflict || state.blocked) return;
  const { pending } = state;
  const changes = Object.keys(pending).map((k) => ({ key: k, raw: pending[k]!.raw, comment: pending[k]!.comment }));
  if (!changes.length) return;
  setStatus(page, page.msg.msgSaving, 'saving');
  const sentVersion = Number(page.versionInput.value);
  state.inFlight = post(page, sentVersion, changes)
    .then((r): void | Promise<void> => {
      state.inFlight = null;
      const body: SaveBody = r.body || {};
      if (r.res.ok) return onSaved(s, changes, body);
      return onRefused(s, r.res.status, body, sentVersion);
    })
    .catch(() => {
      state.inFlight = null;
      showOffline(s);
      retryLater(s);
    });
}

function post(page: WeekPage, sentVersion: number, changes: Change[]): Promise<{ res: Response; body: SaveBody }> {
  return fetch('/week/' + encodeURIComponent(page.week) + '/autosave', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': page.csrf },
    body: JSON.stringify({ version: sentVersion, changes }),
  }).then((res) =>
    res
      .json()
      .catch(() => ({}))
      .then((body: SaveBody) => ({ res, body })),
  );
}

function onSaved(s: Saver, changes: Change[], body: SaveBody): void {
  const { page, state, queue } = s;
  page.versionInput.value = String(body.version);
  changes.forEach((c) => {
    state.known[c.key] = { raw: c.raw, comment: c.comment };
    // Drop what the server now holds, unless it was typed again meanwhile.
    const now = state.pending[c.key];
    if (same(now, c)) delete state.pending[c.key];
    else if (now) now.base = { raw: c.raw, comment: c.comment };
  });
  queue.persist();
  showTotals(page.form, state.known, body);
  showErrors(page.form, body.errors || []);
  state.retries = 0;
  if (queue.count()) s.schedule(0);
  else setStatus(page, savedText(page), 'saved');
}

function onRefused(s: Saver, status: number, body: SaveBody, sentVersion: number): void | Promise<void> {
  const { page, state } = s;
  if (status === 409 && body.error === 'conflict') return s.conflicts.onConflict(body, sentVersion);
  // Submitted meanwhile (another tab or device): nothing more can be saved; the values stay kept here.
  if (status === 409 && body.error === 'locked') return block(page, state, 'stale', body.message);
  if (status === 401) return block(page, state, 'signin');
  if (status === 403 && body.error === 'csrf') {
    state.blocked = 'probing';
    return probeSession(page.week).then((kind) => block(page, state, kind));
  }
  setStatus(page, text(page.msg.msgError, { reason: body.message || 'HTTP ' + status }), 'error');
  if (status >= 500 || status === 429) retryLater(s);
}

export function showOffline(s: Saver): void {
  const { msg } = s.page;
  const n = s.queue.count();
  setStatus(s.page, text(n === 1 ? msg.msgOfflineOne : msg.msgOffline, { count: n }), 'offline');
}

/** 2 s, 4 s... up to 30 s, half of it random: pages that failed together do not come back in step. */
const SAVE_RETRY = { initialDelayMs: 2000, maxDelayMs: 30000 };

function retryLater(s: Saver): void {
  s.schedule(backoffDelay(s.state.retries, SAVE_RETRY));
  s.state.retries += 1;
}
