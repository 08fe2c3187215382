// Which projects a search matches, and where: accent-, case- and punctuation-insensitive, so "migr"
// finds "P-1042 Migration", "cafe" finds "Café", "oeuvres" finds "Œuvres" and "p1042" finds "P-1042".
// Pure (no DOM): project-search.ts draws the list, a unit test checks the matching.

/** Letters that do not decompose into a base letter and accents, written as people type them. */
const SPELLED: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd' };

/** A text folded for matching, with, for each folded character, the index of the character it came from. */
export interface Folded {
  text: string;
  from: number[];
}

/**
 * Lower case, without accents, with punctuation left out and runs of spaces made one: one character
 * at a time, so every folded character can be traced back (the highlighted part of a match).
 */
export function fold(text: string): Folded {
  let out = '';
  const from: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const lower = (text[i] as string).toLowerCase();
    const base = SPELLED[lower] ?? lower.normalize('NFD').replace(/\p{M}/gu, '');
    for (const c of base) {
      const kept = /\s/.test(c) ? ' ' : /[\p{L}\p{N}]/u.test(c) ? c : '';
      if (!kept || (kept === ' ' && (out === '' || out.endsWith(' ')))) continue;
      out += kept;
      from.push(i);
    }
  }
  return { text: out, from };
}

/** The words of a search, folded; empty when it holds no letter or digit. */
export function searchTerms(query: string): string[] {
  return fold(query)
    .text.split(' ')
    .filter((t) => t !== '');
}

/**
 * Where each term occurs in `text` ([start, end) in the original text, merged and in order), or null
 * when a term does not occur: every term must, in any order ("mig 1042" finds "P-1042 Migration").
 */
export function matchRanges(text: string, terms: readonly string[]): Array<[number, number]> | null {
  const folded = fold(text);
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    const at = folded.text.indexOf(term);
    if (at < 0) return null;
    ranges.push([folded.from[at] as number, (folded.from[at + term.length - 1] as number) + 1]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
