import { en, type MessageKey } from './messages-en.js';
import { fr } from './messages-fr.js';
import { textMemo } from './text-memo.js';

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

const catalogues: Record<Locale, Record<MessageKey, string>> = { en, fr };

/** The BCP 47 tag used for Intl formatting: British English writes "Monday 16 November". */
export const INTL_TAG: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR' };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * Each message split once at its {placeholders}: [text, name, text, name, text...]. A week page asks
 * for a few hundred messages (each cell's label and comment label); a regular expression per call
 * was a visible share of the page's CPU.
 */
const compiled: Record<Locale, Map<MessageKey, string[]>> = { en: new Map(), fr: new Map() };

function partsOf(locale: Locale, key: MessageKey): string[] {
  let parts = compiled[locale].get(key);
  if (!parts) {
    parts = catalogues[locale][key].split(/\{(\w+)\}/);
    compiled[locale].set(key, parts);
  }
  return parts;
}

export function translator(locale: Locale): Translate {
  return (key, params = {}) => {
    const parts = partsOf(locale, key);
    if (parts.length === 1) return parts[0]!;
    let text = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i]!;
      // An unknown placeholder stays as written, so a missing parameter shows in the page, not as "".
      text += (name in params ? String(params[name]) : `{${name}}`) + parts[i + 1]!;
    }
    return text;
  };
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Picks the first supported language of an Accept-Language header, by quality. */
export function negotiateLocale(header: string | undefined, fallback: Locale): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((x) => x.lang && x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((x) => x.lang).find(isLocale) ?? fallback;
}

/** "Monday 16 November" / "lundi 16 novembre" for a `YYYY-MM-DD` date. */
export function formatDay(date: string, locale: Locale, style: 'long' | 'short' = 'long'): string {
  return dayText(`${locale}|${style}|${date}`);
}

/**
 * Building an Intl formatter costs far more than using one (it was the week page's top CPU cost in
 * the benchmark profile), and a page asks for the same few day names on every view: each name is
 * formatted once, with a formatter made for it.
 */
const dayText = textMemo(5_000, (key) => {
  const [locale, style, date] = key.split('|') as [Locale, 'long' | 'short', string];
  const format = new Intl.DateTimeFormat(INTL_TAG[locale], {
    weekday: style,
    day: 'numeric',
    month: style === 'long' ? 'long' : 'short',
    timeZone: 'UTC',
  });
  return format.format(new Date(`${date}T00:00:00Z`)).replace(',', '');
});
