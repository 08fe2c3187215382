// In-page links to an hour input (the error summary's, the action bar's "2 values to fix") put the
// cursor in it, as well as scrolling to it. `beforeFocus` lets the day view show the input's day first.

export function focusLinkedCells(form: HTMLElement, beforeFocus: (input: HTMLInputElement) => void): void {
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>('a[href^="#"]') : null;
    const id = link ? decodeURIComponent(link.hash.slice(1)) : '';
    const input = id ? document.getElementById(id) : null;
    if (!(input instanceof HTMLInputElement) || !form.contains(input)) return;
    event.preventDefault();
    beforeFocus(input);
    input.focus();
    input.scrollIntoView({ block: 'center' });
  });
}
