// The star in a row's menu, toggled in place: POST /week/:id/favourite (JSON), then the button's
// aria-pressed, its glyph, the mark by the project name and the name the button would post without
// JavaScript all follow. The answer says which version the toggle was applied on: the page moves its
// own version on only when it was on that one (otherwise its next autosave merges as after any save
// made elsewhere). Without this script the same button posts the form (name favourite / unfavourite).
import { el, targetElement, text, type WeekPage } from './page';

interface FavouriteAnswer {
  version?: number;
  basedOn?: number;
  message?: string;
}

export function startFavourites(page: WeekPage): void {
  const live = el('p', 'visually-hidden');
  live.id = 'favourite-note';
  live.setAttribute('role', 'status');
  page.form.appendChild(live);
  page.form.addEventListener('click', (event) => {
    const button = targetElement(event)?.closest<HTMLButtonElement>('button.favourite-toggle');
    if (!button) return;
    event.preventDefault();
    if (button.getAttribute('aria-busy') === 'true') return;
    void toggle(page, button, live);
  });
}

async function toggle(page: WeekPage, button: HTMLButtonElement, live: HTMLElement): Promise<void> {
  const { msg } = page;
  const on = button.getAttribute('aria-pressed') !== 'true';
  const project = button.value;
  const title = button.closest('tr')?.querySelector('th.project-col')?.firstChild?.textContent?.trim() || project;
  button.setAttribute('aria-busy', 'true');
  live.textContent = '';
  try {
    const sentVersion = Number(page.versionInput.value);
    const res = await fetch('/week/' + encodeURIComponent(page.week) + '/favourite', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': page.csrf },
      body: JSON.stringify({ project, favourite: on }),
    });
    const body = (await res.json().catch(() => ({}))) as FavouriteAnswer;
    if (!res.ok) throw new Error(body.message || 'HTTP ' + res.status);
    // Moved on only when no other save changed the page's version while this one was under way.
    if (body.basedOn === sentVersion && Number(page.versionInput.value) === sentVersion && body.version !== undefined)
      page.versionInput.value = String(body.version);
    showFavourite(button, on);
    live.textContent = text(on ? msg.msgFavouriteAdded : msg.msgFavouriteRemoved, { project: title });
  } catch (err) {
    const reason = err instanceof TypeError ? msg.msgFavouriteOffline : (err as Error).message;
    live.textContent = text(msg.msgFavouriteFailed, { reason: reason ?? '' });
  } finally {
    button.removeAttribute('aria-busy');
  }
}

/** The row as the server would now draw it: the button's state and post name, the star by the name. */
function showFavourite(button: HTMLButtonElement, on: boolean): void {
  button.setAttribute('aria-pressed', on ? 'true' : 'false');
  button.name = on ? 'unfavourite' : 'favourite';
  const star = button.querySelector('.star');
  if (star) star.textContent = on ? '★' : '☆';
  const row = button.closest('tr');
  const th = row?.querySelector('th.project-col');
  if (!row || !th) return;
  if (on) row.setAttribute('data-favourite', 'true');
  else row.removeAttribute('data-favourite');
  const mark = th.querySelector('.favourite-mark');
  if (on && !mark) {
    const star = el('span', 'favourite-mark', '★');
    star.setAttribute('aria-hidden', 'true');
    star.title = (button.textContent ?? '').replace(/[★☆]/g, '').trim();
    th.appendChild(star);
  } else if (!on && mark) {
    mark.remove();
  }
}
