// The operations page's two charts (requests per second, p95 response time) for the last hour,
// drawn from /ops/series (charts.ts) and redrawn every 10 seconds. Without JavaScript the tables
// under the charts carry the same figures.
import { draw, type ChartFormats, type SeriesPoint } from './charts';

(function () {
  const section = document.getElementById('traffic');
  if (!section) return;
  const charts = section.querySelectorAll<HTMLElement>('.chart[data-series]');
  if (charts.length === 0) return;
  const lang = document.documentElement.lang || 'en';
  const zone = section.dataset.timeZone || undefined;
  let time: Intl.DateTimeFormat;
  try {
    time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', timeZone: zone });
  } catch {
    time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });
  }
  const formats: ChartFormats = { time, number: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }) };

  const delay = 10000;
  function refresh(): void {
    fetch(section?.dataset.seriesUrl ?? '', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((res) => (res.ok ? (res.json() as Promise<{ points?: unknown } | null>) : null))
      .then((body) => {
        if (body && Array.isArray(body.points)) {
          for (let i = 0; i < charts.length; i++) draw(charts[i]!, body.points as SeriesPoint[], formats);
        }
      })
      .catch(() => {
        /* keep the last drawing; the tables still show the page's figures */
      })
      .then(() => {
        setTimeout(refresh, delay);
      });
  }
  refresh();
})();
