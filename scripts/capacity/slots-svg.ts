/**
 * The simulation as an SVG chart, written by code (no chart library: one bar per slot and two step
 * lines do not need one): requests/s as bars (red where p99 is over the target), the replicas of the
 * rules given and of the recommendation as step lines (a rise shows the scale-out delay), the window
 * shaded, both axes labelled. Pure: returns the SVG text.
 */
import { num } from './format.js';
import type { SlotResult } from './scale-simulation.js';
import type { FridaySimulation } from './simulate-command.js';
import { clock, SLOT_MINUTES, SLOT_SECONDS } from './simulation-inputs.js';

const W = 960;
const H = 460;
const PAD = { left: 70, right: 70, top: 100, bottom: 56 };
const COLORS = {
  bar: '#4e79a7',
  over: '#e15759',
  given: '#f28e2b',
  advised: '#2e8b57',
  window: '#f1f1f1',
  grid: '#dddddd',
};

/** A round step giving about `count` ticks up to `max`: 1, 2 or 5 × a power of ten. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const f1 = (x: number) => Number(x.toFixed(1));

interface Frame {
  x: (minutes: number) => number;
  yRps: (rps: number) => number;
  yReplicas: (replicas: number) => number;
  from: number;
  to: number;
  rpsMax: number;
  rpsStep: number;
  replicasMax: number;
  replicasStep: number;
}

/** The scales: time across, requests/s on the left, replicas on the right, both from 0 to a round top. */
function frame(sim: FridaySimulation): Frame {
  const all = [...sim.slots, ...(sim.recommendation.slots ?? [])];
  const from = Math.min(...all.map((s) => s.start));
  const to = Math.max(...all.map((s) => s.start)) + SLOT_MINUTES;
  const rpsPeak = Math.max(...all.map((s) => s.rps));
  const replicasPeak = Math.max(...all.map((s) => s.replicas));
  const rpsStep = niceStep(rpsPeak);
  const rpsMax = Math.max(rpsStep, Math.ceil(rpsPeak / rpsStep) * rpsStep);
  const replicasStep = Math.max(1, Math.round(niceStep(replicasPeak)));
  // one step of headroom, so that the line at the top count stays inside the plot
  const replicasMax = Math.max(replicasStep, Math.ceil((replicasPeak + 1) / replicasStep) * replicasStep);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  return {
    x: (m) => f1(PAD.left + ((m - from) / (to - from)) * plotW),
    yRps: (r) => f1(PAD.top + plotH - (r / rpsMax) * plotH),
    yReplicas: (r) => f1(PAD.top + plotH - (r / replicasMax) * plotH),
    from,
    to,
    rpsMax,
    rpsStep,
    replicasMax,
    replicasStep,
  };
}

/** Grid lines, the left (requests/s) and right (replicas) scales, time labels every 30 minutes. */
function axes(fr: Frame): string[] {
  const out: string[] = [];
  const [left, right, bottom] = [PAD.left, W - PAD.right, H - PAD.bottom];
  for (let r = 0; r <= fr.rpsMax + 1e-9; r += fr.rpsStep) {
    out.push(`<line x1="${left}" x2="${right}" y1="${fr.yRps(r)}" y2="${fr.yRps(r)}" stroke="${COLORS.grid}"/>`);
    out.push(`<text x="${left - 8}" y="${fr.yRps(r) + 4}" text-anchor="end">${num(r)}</text>`);
  }
  for (let r = 0; r <= fr.replicasMax; r += fr.replicasStep)
    out.push(`<text x="${right + 8}" y="${fr.yReplicas(r) + 4}">${r}</text>`);
  for (let m = Math.ceil(fr.from / 30) * 30; m <= fr.to; m += 30) {
    out.push(`<line x1="${fr.x(m)}" x2="${fr.x(m)}" y1="${bottom}" y2="${bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${fr.x(m)}" y="${bottom + 20}" text-anchor="middle">${clock(m)}</text>`);
  }
  out.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#333"/>`);
  out.push(`<line x1="${left}" x2="${left}" y1="${PAD.top}" y2="${bottom}" stroke="#333"/>`);
  out.push(`<line x1="${right}" x2="${right}" y1="${PAD.top}" y2="${bottom}" stroke="#333"/>`);
  const mid = (PAD.top + bottom) / 2;
  out.push(`<text x="18" y="${mid}" text-anchor="middle" transform="rotate(-90 18 ${mid})">requests/s (bars)</text>`);
  out.push(
    `<text x="${W - 16}" y="${mid}" text-anchor="middle" transform="rotate(90 ${W - 16} ${mid})">replicas (lines)</text>`,
  );
  out.push(
    `<text x="${(left + right) / 2}" y="${H - 12}" text-anchor="middle">time on the Friday (5-minute slots)</text>`,
  );
  return out;
}

function bars(fr: Frame, slots: readonly SlotResult[]): string[] {
  return slots
    .filter((s) => s.rps > 0)
    .map((s) => {
      const [x0, x1] = [fr.x(s.start), fr.x(s.start + SLOT_MINUTES)];
      const y = fr.yRps(s.rps);
      const fill = s.overTarget ? COLORS.over : COLORS.bar;
      return `<rect x="${f1(x0 + 0.5)}" y="${y}" width="${f1(x1 - x0 - 1)}" height="${f1(H - PAD.bottom - y)}" fill="${fill}"/>`;
    });
}

/** Replicas as a step line; inside a slot the count changes after the scale-out delay. */
function replicasPath(fr: Frame, slots: readonly SlotResult[], color: string, dashed: boolean): string {
  const points: string[] = [];
  for (const s of slots) {
    const [x0, x1] = [fr.x(s.start), fr.x(s.start + SLOT_MINUTES)];
    const xm = fr.x(s.start + (s.firstPartSeconds / SLOT_SECONDS) * SLOT_MINUTES);
    if (s.firstPartSeconds > 0)
      points.push(`${x0},${fr.yReplicas(s.replicasFirst)}`, `${xm},${fr.yReplicas(s.replicasFirst)}`);
    points.push(`${xm},${fr.yReplicas(s.replicas)}`, `${x1},${fr.yReplicas(s.replicas)}`);
  }
  const dash = dashed ? ' stroke-dasharray="7 4"' : '';
  return `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2.5"${dash}/>`;
}

function legend(sim: FridaySimulation): string[] {
  const i = sim.inputs;
  const rec = sim.recommendation;
  const items: [string, string, string][] = [
    ['rect', COLORS.bar, 'requests/s'],
    ['rect', COLORS.over, `p99 over ${num(i.p99TargetMs)} ms`],
    ['line', COLORS.given, `replicas, rules given (${i.prewarmReplicas} from ${clock(i.prewarmTime)})`],
  ];
  if (rec.slots) {
    const what =
      rec.prewarmTime === undefined ? 'no pre-warm' : `${rec.prewarmReplicas} from ${clock(rec.prewarmTime)}`;
    items.push(['dash', COLORS.advised, `recommended for p99 (${what})`]);
  }
  let x = PAD.left;
  return items.map(([kind, color, text]) => {
    const mark =
      kind === 'rect'
        ? `<rect x="${x}" y="70" width="14" height="12" fill="${color}"/>`
        : `<line x1="${x}" x2="${x + 22}" y1="76" y2="76" stroke="${color}" stroke-width="2.5"${kind === 'dash' ? ' stroke-dasharray="7 4"' : ''}/>`;
    const item = `${mark}<text x="${x + 28}" y="80">${esc(text)}</text>`;
    x += 44 + text.length * 6.2;
    return item;
  });
}

/** The chart as a standalone SVG document. */
export function slotsSvg(sim: FridaySimulation): string {
  const fr = frame(sim);
  const i = sim.inputs;
  const [open, close] = [i.windowStart, i.windowStart + sim.windowHours * 60];
  const title = `A Friday slot by slot: ${num(sim.people)} people, window ${clock(open)}-${clock(close)}`;
  const subtitle =
    `${num(i.cpuMsPerRequest)} ms of app CPU per request, ${num(i.requestsPerPerson, 2)} requests per person, ` +
    `replicas of ${num(i.vcpuPerReplica)} vCPU, HTTP rule ${num(i.httpConcurrency)} per replica, ${num(i.scaleOutDelaySeconds)} s to start`;
  const body = [
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<rect x="${fr.x(open)}" y="${PAD.top}" width="${f1(fr.x(close) - fr.x(open))}" height="${H - PAD.top - PAD.bottom}" fill="${COLORS.window}"/>`,
    `<text x="${fr.x(open) + 4}" y="${PAD.top + 14}" fill="#666">window</text>`,
    ...axes(fr),
    ...bars(fr, sim.slots),
    replicasPath(fr, sim.slots, COLORS.given, false),
    ...(sim.recommendation.slots ? [replicasPath(fr, sim.recommendation.slots, COLORS.advised, true)] : []),
    `<text x="${PAD.left}" y="28" font-size="17" font-weight="bold">${esc(title)}</text>`,
    `<text x="${PAD.left}" y="50" font-size="13" fill="#555">${esc(subtitle)}</text>`,
    ...legend(sim),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#222">`,
    `<title>${esc(title)}</title>`,
    ...body.map((line) => `  ${line}`),
    '</svg>',
    '',
  ].join('\n');
}
