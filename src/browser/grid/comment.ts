// A cell's comment from the keyboard: Alt+C in the hours opens it and moves into it; Alt+C or Escape
// in the comment closes it and goes back to the hours. Its ✎ toggle is out of the Tab sequence
// (tab-order.ts), so this is the keyboard's way in; a click on ✎ still works.
//
// Why Alt+C: C for comment and for "commentaire"; Ctrl+Shift+C opens the developer tools' element
// picker in Chrome, Edge and Firefox; Alt+C is no menu key in Chrome, Edge or Firefox (their menus
// are Alt+F, E, V, S, B, T, H, D); NVDA and JAWS use Insert / Caps Lock, VoiceOver Ctrl+Option.
// On a Mac, Option+C types "ç", which an hours field has no use for: the key is matched on its
// physical position (event.code) there.

export function isCommentKey(event: KeyboardEvent): boolean {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return false;
  return event.key.toLowerCase() === 'c' || (event.code === 'KeyC' && !/^[a-z]$/i.test(event.key));
}

/** Opens the comment of the cell of `input` and moves into it; false when the cell has none. */
export function openComment(input: HTMLInputElement): boolean {
  const details = input.closest('td.cell')?.querySelector<HTMLDetailsElement>('details.comment');
  const area = details?.querySelector('textarea');
  if (!details || !area) return false;
  details.open = true;
  area.focus();
  return true;
}

/** From inside a comment: closes it and goes back to its cell's hours. */
export function closeComment(area: HTMLTextAreaElement): boolean {
  const details = area.closest<HTMLDetailsElement>('details.comment');
  const hours = area.closest('td.cell')?.querySelector<HTMLInputElement>('input.hours');
  if (!details || !hours) return false;
  hours.focus(); // first: closing the details with the focus inside would drop it to the page
  details.open = false;
  return true;
}

export function isCommentArea(node: EventTarget | null): node is HTMLTextAreaElement {
  return node instanceof HTMLTextAreaElement && !!node.closest('details.comment');
}
