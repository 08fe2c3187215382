/**
 * Favourite rows: the projects a person stars stay in their grid week after week. They are stored in
 * each week record (WeekRecord.favourites); a new week record takes them from the most recent earlier
 * record that has them, looking back a bounded number of weeks in the draft store (never the ERP: it
 * is called only to open and to submit a week). Pure: the week service does the reading and saving.
 */
import type { WeekRecord } from '../ports/draft-store.js';
import type { WeekContext } from '../ports/erp-connector.js';

/**
 * How many earlier weeks a new week looks back for favourites: two months covers holidays and
 * sick leave, and bounds the draft store reads a new week costs.
 */
export const FAVOURITES_LOOKBACK_WEEKS = 8;

/** More stars than this are not kept (the oldest go first): a favourite list is a short list. */
export const MAX_FAVOURITES = 40;

/**
 * The favourites a new week starts with: those of the newest earlier record that has a favourites
 * list (`earlier` is newest first; null where a week has no record), kept only for projects the ERP
 * allows this week (an ended project drops out of the list). Null when no earlier record has one:
 * the new record then has none either, and later weeks keep looking further back past it.
 */
export function carriedFavourites(
  earlier: ReadonlyArray<Pick<WeekRecord, 'favourites'> | null>,
  context: WeekContext,
): string[] | null {
  const source = earlier.find((r) => Array.isArray(r?.favourites));
  if (!source?.favourites) return null;
  const allowed = new Set(context.projects.map((p) => p.code));
  return unique(source.favourites.filter((code) => allowed.has(code)));
}

/** The rows a new week starts with: its favourites first, then its usual default rows. */
export function startingRows(favourites: readonly string[], defaults: readonly string[]): string[] {
  return unique([...favourites, ...defaults]);
}

/** The favourites list after starring (`on`) or unstarring a project; unchanged lists come back as they were. */
export function withFavourite(favourites: readonly string[], code: string, on: boolean): string[] {
  if (on === favourites.includes(code)) return [...favourites];
  if (!on) return favourites.filter((c) => c !== code);
  return [...favourites, code].slice(-MAX_FAVOURITES);
}

/** `items` with the favourite ones first, each group in its own order (a stable partition). */
export function favouritesFirst<T>(items: readonly T[], isFavourite: (item: T) => boolean): T[] {
  return [...items.filter(isFavourite), ...items.filter((item) => !isFavourite(item))];
}

function unique(codes: readonly string[]): string[] {
  return [...new Set(codes)];
}
