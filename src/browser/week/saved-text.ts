// The save status once a save landed: when ("Saved at 14:32"), and how many typed values the server
// found wrong, so the status never says "Saved" alone while cells hold values to fix.
import { text, type WeekPage } from './page';

/** "14:32" in the page's language. */
function clockTime(now: Date): string {
  // 24-hour in both languages, as the rest of the app writes times (British English included).
  return now.toLocaleTimeString(document.documentElement.lang || undefined, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

/** The status after a save; reads the cells' error marks, so call it after the errors were shown. */
export function savedText(page: WeekPage, now = new Date()): string {
  const { msg } = page;
  const count = page.form.querySelectorAll('td.cell.has-error').length;
  const template = count === 0 ? msg.msgSavedAt : count === 1 ? msg.msgSavedFixOne : msg.msgSavedFixMany;
  return text(template || msg.msgSaved, { time: clockTime(now), count });
}
