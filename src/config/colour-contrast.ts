/**
 * WCAG 2.1 contrast of two hex colours (#rgb or #rrggbb), so that a brand colour set in the
 * configuration cannot make the pages unreadable: checked when the configuration is loaded.
 */
export function hexToRgb(hex: string): [number, number, number] {
  let h = hex.replace(/^#/, '');
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  const n = Number.parseInt(h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Relative luminance (WCAG 2.1, 1.4.3). */
function luminance(hex: string): number {
  const [r, g, b] = hexToRgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The same colour with each channel scaled towards black (0 < factor < 1): hover shades. */
export function darken(hex: string, factor: number): string {
  return `#${hexToRgb(hex)
    .map((v) =>
      Math.round(v * factor)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** `hex` moved `amount` (0..1) of the way towards `toward`, channel by channel. */
export function mix(hex: string, toward: string, amount: number): string {
  const to = hexToRgb(toward);
  return `#${hexToRgb(hex)
    .map((v, i) =>
      Math.round(v + (to[i]! - v) * amount)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/**
 * The brand colour made light enough to be read on dark backgrounds (dark mode's links and outlined
 * buttons): mixed with white in small steps until it reaches `ratio` against each of them. The same
 * hue, so the brand stays recognisable; white at worst, which reaches any ratio on a dark background.
 */
export function lightenUntilLegible(hex: string, backgrounds: readonly string[], ratio = 4.5): string {
  for (let step = 0; step <= 20; step++) {
    const candidate = mix(hex, '#ffffff', step / 20);
    if (backgrounds.every((bg) => contrastRatio(candidate, bg) >= ratio)) return candidate;
  }
  return '#ffffff';
}
