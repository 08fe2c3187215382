import { readFileSync } from 'node:fs';
import ejs from 'ejs';
import { escapeHtml } from '../auth/html.js';

/**
 * An EJS file rendered without Express (an e-mail, the page answered before the app exists, a
 * stand-in's pages): read and compiled on first use, then kept. `<%= %>` escapes with escapeHtml
 * (`&quot;` and `&#39;`, the same entities as the HTML written by hand elsewhere); includes are
 * resolved relative to the file.
 */
export function viewFile<Data extends object>(file: string): (data: Data) => string {
  let template: ejs.TemplateFunction | undefined;
  return (data) => {
    template ??= ejs.compile(readFileSync(file, 'utf8'), {
      filename: file,
      escape: (value: unknown) => (value === undefined || value === null ? '' : escapeHtml(String(value))),
      compileDebug: process.env.NODE_ENV !== 'production',
    });
    return template(data);
  };
}
