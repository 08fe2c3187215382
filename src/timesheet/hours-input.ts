/**
 * What people type into an hours cell: `7.5`, `7,5`, `7:30`, `7h30`, `7h`, `0:45`, `45m`,
 * `1h 15m`; empty means zero. Results are kept exact in quarter hours.
 */

export type HoursError = 'format' | 'not-quarter' | 'too-large';

export type HoursParse = { ok: true; hours: number | null } | { ok: false; error: HoursError };

const MAX_CELL_HOURS = 24;

function fromMinutes(totalMinutes: number): HoursParse {
  if (!Number.isFinite(totalMinutes) || totalMinutes < 0) return { ok: false, error: 'format' };
  if (totalMinutes > MAX_CELL_HOURS * 60) return { ok: false, error: 'too-large' };
  // Compare on minutes, an integer scale, so 7.1 is rejected and 7.25 kept without float drift.
  const rounded = Math.round(totalMinutes * 1000) / 1000;
  if (rounded % 15 !== 0) return { ok: false, error: 'not-quarter' };
  return { ok: true, hours: totalMinutes === 0 ? null : rounded / 60 };
}

export function parseHours(raw: string): HoursParse {
  const s = raw.trim().toLowerCase().replace(/\s+/g, '');
  if (s === '') return { ok: true, hours: null };
  let m: RegExpExecArray | null;
  // Decimal hours, comma or point: 7.5, 7,5, .5
  if ((m = /^(\d{0,2})(?:[.,](\d{1,4}))?$/.exec(s)) && (m[1] || m[2])) {
    const hours = Number(`${m[1] || '0'}.${m[2] ?? '0'}`);
    return fromMinutes(hours * 60);
  }
  // Clock style: 7:30, 0:45
  if ((m = /^(\d{1,2}):(\d{2})$/.exec(s))) {
    const minutes = Number(m[2]);
    if (minutes >= 60) return { ok: false, error: 'format' };
    return fromMinutes(Number(m[1]) * 60 + minutes);
  }
  // Units: 7h, 7h30, 7h30m, 1h15m, 45m, 45min
  if (
    (m = /^(?:(\d{1,2})h)?(?:(\d{1,3})(?:m|min)?)?$/.exec(s)) &&
    (m[1] !== undefined || (m[2] !== undefined && /m(in)?$/.test(s)))
  ) {
    const hours = Number(m[1] ?? 0);
    const minutes = Number(m[2] ?? 0);
    if (m[1] !== undefined && m[2] !== undefined && minutes >= 60) return { ok: false, error: 'format' };
    return fromMinutes(hours * 60 + minutes);
  }
  return { ok: false, error: 'format' };
}

/** One formatter per locale, made once (building Intl formatters is the expensive part). */
const hourFormats = new Map<string, Intl.NumberFormat>();

/** Hours as a person of that language writes them: 7.5 / 7,5; whole numbers without decimals. */
export function formatHours(hours: number, locale: string): string {
  let format = hourFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: 0, maximumFractionDigits: 2 });
    // Bounded: locale comes from a fixed list (INTL_TAG), never from the request as such.
    if (hourFormats.size < 32) hourFormats.set(locale, format);
  }
  return format.format(hours);
}
