// Unsaved changes kept in localStorage (per user, week and page) until the server has them, so a
// network blip, a reload or an ended session loses nothing.
//
// One key per page, so two tabs of the same week never overwrite each other's unsaved cells; a
// page that opens the week adopts what earlier pages left (legacy key: the prefix alone).
import { cellOf, same, writeCell } from './cells';
import type { PendingCell, SaveState, WeekPage } from './page';

export interface OfflineQueue {
  /** This page's own key. */
  storageKey: string;
  count(): number;
  /** Writes the unsaved cells to localStorage (or removes the key when there are none). */
  persist(): void;
  /**
   * Puts back into the grid what earlier pages (reload, closed tab, lost connection, ended
   * session) had not saved, adopting their keys. Call once `state.known` holds the rendered values.
   */
  restore(): void;
}

export function createOfflineQueue(page: WeekPage, state: SaveState): OfflineQueue {
  const storagePrefix = 'timesheet:pending:' + page.user + ':' + page.week;
  const storageKey = storagePrefix + ':' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);

  const count = () => Object.keys(state.pending).length;

  function persist(): void {
    try {
      if (count()) localStorage.setItem(storageKey, JSON.stringify(state.pending));
      else localStorage.removeItem(storageKey);
    } catch {
      /* private mode or full: the in-page copy still holds the values */
    }
  }

  function restore(): void {
    const stored: Record<string, Partial<PendingCell>> = {};
    const adopted: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const name = localStorage.key(i);
      if (name !== storagePrefix && (!name || name.indexOf(storagePrefix + ':') !== 0)) continue;
      adopted.push(name);
      const entries = JSON.parse(localStorage.getItem(name) || '{}') as Record<string, Partial<PendingCell> | null>;
      Object.keys(entries).forEach((k) => {
        const e = entries[k];
        if (!e || typeof e.raw !== 'string' || typeof e.comment !== 'string') return;
        const before = stored[k];
        if (!before || (e.at || 0) >= (before.at || 0)) stored[k] = e;
      });
    }
    Object.keys(stored).forEach((key) => {
      const td = cellOf(page.form, key);
      const known = state.known[key];
      const want = stored[key] as PendingCell;
      if (!td || !known) return;
      if (same(known, want)) return; // the server has it
      const base = want.base && typeof want.base.raw === 'string' ? want.base : known;
      writeCell(td, want);
      state.pending[key] = {
        key,
        raw: want.raw,
        comment: want.comment,
        base: { raw: base.raw, comment: base.comment || '' },
        at: want.at || Date.now(),
      };
    });
    persist();
    adopted.forEach((name) => {
      if (name !== storageKey) localStorage.removeItem(name);
    });
  }

  // Another page of this week adopted my unsaved cells and removed my key: write it back, so
  // closing that page before it saves them loses nothing.
  window.addEventListener('storage', (event) => {
    if (event.key === storageKey && event.newValue === null && count()) persist();
  });

  return { storageKey, count, persist, restore };
}
