// Small SVG line charts, drawn without a library and without inline styles (the CSP allows styles
// from this origin only): presentation is in app.css.

const SVG = 'http://www.w3.org/2000/svg';
const W = 640,
  H = 200,
  L = 52,
  R = 10,
  T = 12,
  B = 26;

/** One period of /ops/series: its start (ms) and the figures, a series' value missing when there is none. */
export interface SeriesPoint {
  t: number;
  [series: string]: number | null | undefined;
}

export interface ChartFormats {
  time: Intl.DateTimeFormat;
  number: Intl.NumberFormat;
}

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, name) as SVGElement;
  for (const k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) node.setAttribute(k, String(attrs[k]));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A round upper bound for the axis: 1, 2 or 5 times a power of ten. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const step of [1, 2, 5, 10]) if (v <= step * p) return step * p;
  return 10 * p;
}

/** Draws the series named by the container's data-series, labelled by its data-label, in place of what it held. */
export function draw(container: HTMLElement, points: SeriesPoint[], formats: ChartFormats): void {
  const key = container.dataset.series ?? '';
  const values = points.map((p) => p[key]);
  const known = values.filter((v): v is number => typeof v === 'number');
  const top = niceCeil(Math.max(...known, 0));
  const n = points.length;
  const x = (i: number) => L + (n > 1 ? (i * (W - L - R)) / (n - 1) : 0);
  const y = (v: number) => T + (H - T - B) * (1 - v / top);

  const svg = el('svg', {
    viewBox: '0 0 ' + W + ' ' + H,
    class: 'chart-svg',
    role: 'img',
    'aria-label': container.dataset.label || '',
    focusable: 'false',
  });
  svg.appendChild(el('title', {}, container.dataset.label || ''));
  [0, 0.5, 1].forEach((f) => {
    const v = top * f;
    svg.appendChild(el('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'chart-grid' }));
    svg.appendChild(el('text', { x: L - 6, y: y(v) + 4, class: 'chart-text chart-y' }, formats.number.format(v)));
  });
  if (n > 0) {
    [0, Math.floor((n - 1) / 2), n - 1].forEach((i, k) => {
      const anchor = k === 0 ? 'start' : k === 2 ? 'end' : 'middle';
      svg.appendChild(
        el(
          'text',
          { x: x(i), y: H - 6, class: 'chart-text chart-x-' + anchor },
          formats.time.format(new Date(points[i]!.t)),
        ),
      );
    });
  }
  // One path; a period without a value (no request: no p95) breaks the line.
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (typeof v !== 'number') {
      pen = false;
      return;
    }
    d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1);
    pen = true;
  });
  svg.appendChild(el('path', { d, class: 'chart-line' }));
  // Lone points (a value between two gaps) would be invisible as a path: a dot each.
  values.forEach((v, i) => {
    if (typeof v === 'number' && typeof values[i - 1] !== 'number' && typeof values[i + 1] !== 'number') {
      svg.appendChild(el('circle', { cx: x(i), cy: y(v), r: 2.5, class: 'chart-dot' }));
    }
  });
  svg.setAttribute('data-points', String(known.length));
  container.replaceChildren(svg);
}
