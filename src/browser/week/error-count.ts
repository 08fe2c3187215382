// The values to fix, kept true as one types without moving anything: the action bar's link ("2 values
// to fix", to the first of them) and, in the error summary the page came with, each value fixed since
// is struck through rather than removed (removing would move the grid under it).
import { text, type WeekPage } from './page';

export function startErrorCount(page: WeekPage): void {
  const { form, msg } = page;
  const link = document.getElementById('error-count') as HTMLAnchorElement | null;
  const summary = document.getElementById('error-summary');
  const update = (): void => {
    const wrong = Array.from(form.querySelectorAll<HTMLInputElement>('td.cell.has-error input.hours'));
    if (link) {
      link.hidden = wrong.length === 0;
      link.textContent = text(wrong.length === 1 ? msg.msgFixOne : msg.msgFixMany, { count: wrong.length });
      if (wrong[0]) link.href = '#' + wrong[0].id;
    }
    summary?.querySelectorAll<HTMLElement>('li[data-for]').forEach((li) => {
      const input = document.getElementById(li.dataset.for ?? '');
      li.classList.toggle('fixed', !!input && !input.closest('td.has-error'));
    });
  };
  // The cells' error marks are set by every answer that carries errors (cells.ts showErrors).
  new MutationObserver((records) => {
    if (records.some((r) => r.target instanceof HTMLElement && r.target.matches('td.cell'))) update();
  }).observe(form, { subtree: true, attributes: true, attributeFilter: ['class'] });
}
