// The operations page's two charts (requests per second, p95 response time) for the last hour, drawn
// as small SVG line charts from /ops/series and redrawn every 10 seconds. No library and nothing
// inline (the CSP allows scripts and styles from this origin only): presentation is in app.css.
// Without JavaScript the tables under the charts carry the same figures.
(function () {
  'use strict';
  var section = document.getElementById('traffic');
  if (!section) return;
  var charts = section.querySelectorAll('.chart[data-series]');
  if (charts.length === 0) return;
  var SVG = 'http://www.w3.org/2000/svg';
  var W = 640, H = 200, L = 52, R = 10, T = 12, B = 26;
  var lang = document.documentElement.lang || 'en';
  var zone = section.dataset.timeZone || undefined;
  var timeFormat;
  try {
    timeFormat = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', timeZone: zone });
  } catch (e) {
    timeFormat = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });
  }
  var numberFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) node.setAttribute(k, String(attrs[k]));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A round upper bound for the axis: 1, 2 or 5 times a power of ten. */
  function niceCeil(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (v <= steps[i] * p) return steps[i] * p;
    return 10 * p;
  }

  function draw(container, points) {
    var key = container.dataset.series;
    var values = points.map(function (p) { return p[key]; });
    var known = values.filter(function (v) { return typeof v === 'number'; });
    var top = niceCeil(Math.max.apply(null, known.concat([0])));
    var n = points.length;
    var x = function (i) { return L + (n > 1 ? (i * (W - L - R)) / (n - 1) : 0); };
    var y = function (v) { return T + (H - T - B) * (1 - v / top); };

    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'chart-svg', role: 'img', 'aria-label': container.dataset.label || '', focusable: 'false' });
    svg.appendChild(el('title', {}, container.dataset.label || ''));
    [0, 0.5, 1].forEach(function (f) {
      var v = top * f;
      svg.appendChild(el('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'chart-grid' }));
      svg.appendChild(el('text', { x: L - 6, y: y(v) + 4, class: 'chart-text chart-y' }, numberFormat.format(v)));
    });
    if (n > 0) {
      [0, Math.floor((n - 1) / 2), n - 1].forEach(function (i, k) {
        var anchor = k === 0 ? 'start' : k === 2 ? 'end' : 'middle';
        svg.appendChild(el('text', { x: x(i), y: H - 6, class: 'chart-text chart-x-' + anchor }, timeFormat.format(new Date(points[i].t))));
      });
    }
    // One path; a period without a value (no request: no p95) breaks the line.
    var d = '';
    var pen = false;
    values.forEach(function (v, i) {
      if (typeof v !== 'number') { pen = false; return; }
      d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1);
      pen = true;
    });
    var line = el('path', { d: d, class: 'chart-line' });
    svg.appendChild(line);
    // Lone points (a value between two gaps) would be invisible as a path: a dot each.
    values.forEach(function (v, i) {
      if (typeof v === 'number' && typeof values[i - 1] !== 'number' && typeof values[i + 1] !== 'number') {
        svg.appendChild(el('circle', { cx: x(i), cy: y(v), r: 2.5, class: 'chart-dot' }));
      }
    });
    svg.setAttribute('data-points', String(known.length));
    container.replaceChildren(svg);
  }

  var delay = 10000;
  function refresh() {
    fetch(section.dataset.seriesUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (body) {
        if (body && Array.isArray(body.points)) {
          for (var i = 0; i < charts.length; i++) draw(charts[i], body.points);
        }
      })
      .catch(function () { /* keep the last drawing; the tables still show the page's figures */ })
      .then(function () { setTimeout(refresh, delay); });
  }
  refresh();
})();
