// A blank row's hours are saved with its project: choosing one saves the form (the row becomes a
// project row); typing before choosing says so.
//
// Until the post its project choice makes has landed, a blank row's hours are kept in localStorage
// as well, so a closed tab or a crash loses nothing. A post that landed moves the week's version
// on: what was kept is then dropped; otherwise it is put back into the blank cells still empty.
import { setStatus, targetElement, type WeekPage } from './page';

interface KeptBlank {
  values: Record<string, string>;
  /** The version this page posted its blank rows with, once it has. */
  sentVersion: number | null;
}

export function startBlankRows(page: WeekPage): void {
  const { form, versionInput } = page;
  postOnProjectChoice(page);

  const blankKey = 'timesheet:blank:' + page.user + ':' + page.week;
  let sentVersion: number | null = null;
  restoreBlank(page, blankKey);

  // The project choice posts from its own change listener, before this one runs: sentVersion is
  // then already set and stays in what is kept.
  function onBlankEdit(event: Event): void {
    if (targetElement(event)?.closest('tr.blank-row')) keepBlank(form, blankKey, sentVersion);
  }
  form.addEventListener('input', onBlankEdit);
  form.addEventListener('change', onBlankEdit);
  form.addEventListener('submit', (event) => {
    if (event.defaultPrevented) return;
    sentVersion = Number(versionInput.value);
    keepBlank(form, blankKey, sentVersion);
  });
}

/** Choosing a blank row's project saves the form; typing before choosing says so. */
function postOnProjectChoice(page: WeekPage): void {
  const { form, msg } = page;
  const defaultSave = form.querySelector<HTMLButtonElement>('button.default-save');
  form.addEventListener('change', (event) => {
    const select = targetElement(event)?.closest<HTMLSelectElement>('select.blank-project');
    if (select && select.value && defaultSave) form.requestSubmit(defaultSave);
  });
  form.addEventListener('input', (event) => {
    const tr = targetElement(event)?.closest('tr.blank-row');
    const select = tr && tr.querySelector<HTMLSelectElement>('select.blank-project');
    if (select && !select.value && msg.msgBlankHint) setStatus(page, msg.msgBlankHint, 'hint');
  });
}

function blankValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  form
    .querySelectorAll<HTMLInputElement | HTMLSelectElement>(
      'tr.blank-row input.hours, tr.blank-row select.blank-project',
    )
    .forEach((el) => {
      if (el.value) out[el.name] = el.value;
    });
  return out;
}

function keepBlank(form: HTMLFormElement, blankKey: string, sentVersion: number | null): void {
  try {
    const values = blankValues(form);
    const hasHours = Object.keys(values).some((name) => name.indexOf('np:') !== 0);
    const kept: KeptBlank = { values, sentVersion };
    if (hasHours) localStorage.setItem(blankKey, JSON.stringify(kept));
    else localStorage.removeItem(blankKey);
  } catch {
    /* storage full or disabled: the page still holds the values */
  }
}

function restoreBlank(page: WeekPage, blankKey: string): void {
  const { form, msg, versionInput } = page;
  let kept: Partial<KeptBlank> | null = null;
  try {
    kept = JSON.parse(localStorage.getItem(blankKey) || 'null') as Partial<KeptBlank> | null;
  } catch {
    kept = null;
  }
  if (!kept || !kept.values) return;
  if (typeof kept.sentVersion === 'number' && Number(versionInput.value) > kept.sentVersion) {
    try {
      localStorage.removeItem(blankKey);
    } catch {
      /* nothing to drop */
    }
    return;
  }
  const values = kept.values;
  let restored = 0;
  Object.keys(values).forEach((name) => {
    const el = form.querySelector<HTMLInputElement | HTMLSelectElement>(
      'tr.blank-row [name="' + CSS.escape(name) + '"]',
    );
    if (!el || el.value) return;
    el.value = values[name] as string;
    if (el.tagName === 'INPUT') restored++;
  });
  if (restored && msg.msgBlankRestored) setStatus(page, msg.msgBlankRestored, 'hint');
}
