// An expired session or page token: the typed hours stay kept; the page offers "Sign in again" or
// "Reload the page" and sends nothing more.
import { clearAlert, el, setStatus, type Blocked, type SaveState, type WeekPage } from './page';

/** kind: 'signin' (401), 'reload' (403 with a live session), 'stale' (nothing to choose from: reload). */
export function block(page: WeekPage, state: SaveState, kind: Exclude<Blocked, 'probing'>, message?: string): void {
  const { msg, alertEl, week } = page;
  state.blocked = kind;
  clearTimeout(state.timer);
  clearAlert(page);
  alertEl.dataset.kind = kind;
  const p = el(
    'p',
    '',
    message || (kind === 'signin' ? msg.msgSessionEnded : kind === 'reload' ? msg.msgPageExpired : msg.msgConflict),
  );
  alertEl.appendChild(p);
  const link = el('a', 'draft-alert-action', kind === 'signin' ? msg.msgSignIn : msg.msgReload);
  link.href =
    kind === 'signin' ? '/login?returnTo=/week/' + encodeURIComponent(week) : '/week/' + encodeURIComponent(week);
  link.id = 'draft-alert-action';
  alertEl.appendChild(el('p')).appendChild(link);
  setStatus(page, msg.msgNotSaved, 'error');
}

/** A 403 for the CSRF token: the session ended (sign in again) or only this page's token is stale (reload). */
export function probeSession(week: string): Promise<'signin' | 'reload'> {
  return fetch('/week/' + encodeURIComponent(week), {
    credentials: 'same-origin',
    redirect: 'manual',
    headers: { Accept: 'text/html' },
  })
    .then((res): 'signin' | 'reload' => (res.type === 'opaqueredirect' || res.status === 401 ? 'signin' : 'reload'))
    .catch((): 'reload' => 'reload');
}
