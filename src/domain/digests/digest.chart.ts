import { escapeHtml, excerpt } from './digest.escape.js';
import { partialDays } from './digest.format.js';
import type { DigestDocument } from './digest.types.js';

export const CHART = { width: 600, height: 220, left: 40, right: 12, top: 12, gap: 28, legend: 22 } as const;
/** Colour-blind-safe (Okabe–Ito); the own brand comes first. */
/** The background of a day the period cuts (digest.format.ts partialDays), whose figures cover part of it. */
export const PARTIAL_SHADE = '#EEEEEE';
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

export interface ChartSeries { name: string; color: string; volume: number[]; net: Array<number | null> }

export interface ChartGeometry {
  dates: string[];
  series: ChartSeries[];
  maxVolume: number;
  x(i: number): number;
  /** Top panel: mentions per day. */
  yVolume(v: number): number;
  /** Bottom panel: net sentiment, −1..1. */
  yNet(v: number): number;
  panels: { volume: [number, number]; net: [number, number] };
  /** [x0, x1] of the band behind each partial day: its lines dip because it is not a whole day. */
  partialBands: Array<[number, number]>;
}

/** One geometry for the SVG and the PNG, so both charts show the same thing. */
export function chartGeometry(doc: DigestDocument): ChartGeometry {
  const dates = [...new Set(doc.sentimentTrend.flatMap((s) => s.days.map((d) => d.date)))].sort();
  const names = new Map(doc.brands.map((b) => [b.brandId, b.name]));
  const order = [...doc.sentimentTrend].sort((a, b) => {
    const own = (id: string) => (doc.brands.find((x) => x.brandId === id)?.role === 'own' ? 0 : 1);
    return own(a.brandId) - own(b.brandId) || (a.brandId < b.brandId ? -1 : a.brandId > b.brandId ? 1 : 0);
  });
  const series = order.map((s, i) => {
    const byDate = new Map(s.days.map((d) => [d.date, d]));
    return {
      name: names.get(s.brandId) ?? s.brandId,
      color: PALETTE[i % PALETTE.length]!,
      volume: dates.map((d) => byDate.get(d)?.mentions ?? 0),
      net: dates.map((d) => byDate.get(d)?.netSentiment ?? null),
    };
  });
  const maxVolume = Math.max(1, ...series.flatMap((s) => s.volume));
  const plotBottom = CHART.height - CHART.legend;
  const panelHeight = (plotBottom - CHART.top - CHART.gap) / 2;
  const volume: [number, number] = [CHART.top, CHART.top + panelHeight];
  const net: [number, number] = [volume[1] + CHART.gap, plotBottom];
  const span = CHART.width - CHART.left - CHART.right;
  const x = (i: number) => CHART.left + (dates.length > 1 ? (i * span) / (dates.length - 1) : span / 2);
  const half = dates.length > 1 ? span / (dates.length - 1) / 2 : span / 2;
  const partial = new Set(partialDays(doc).map((p) => p.date));
  const partialBands = dates.flatMap((d, i): Array<[number, number]> => (partial.has(d)
    ? [[Math.max(CHART.left, x(i) - half), Math.min(CHART.width - CHART.right, x(i) + half)]]
    : []));
  return {
    dates,
    series,
    maxVolume,
    x,
    yVolume: (v) => volume[1] - (v / maxVolume) * panelHeight,
    yNet: (v) => net[1] - ((v + 1) / 2) * panelHeight,
    panels: { volume, net },
    partialBands,
  };
}

const fixed = (n: number) => n.toFixed(1);

function polylines(g: ChartGeometry, pick: (s: ChartSeries) => Array<number | null>, y: (v: number) => number): string {
  return g.series.map((s) => {
    // A day without scored mentions breaks the line rather than drawing it through zero.
    const runs: string[][] = [[]];
    pick(s).forEach((v, i) => (v === null ? runs.push([]) : runs[runs.length - 1]!.push(`${fixed(g.x(i))},${fixed(y(v))}`)));
    return runs.filter((r) => r.length).map((r) => (r.length === 1
      ? `<circle cx="${r[0]!.split(',')[0]}" cy="${r[0]!.split(',')[1]}" r="2" fill="${s.color}"/>`
      : `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${r.join(' ')}"/>`)).join('');
  }).join('');
}

/**
 * The daily volume (top) and net sentiment (bottom) per brand as SVG. `standalone` adds the XML
 * namespace a file needs; inline in HTML it is left out, so the digest holds no foreign URL.
 */
export function renderTrendSvg(doc: DigestDocument, { standalone = false } = {}): string {
  const g = chartGeometry(doc);
  const { width, height, left, right } = CHART;
  const text = (x: number, y: number, body: string, anchor = 'start') =>
    `<text x="${fixed(x)}" y="${fixed(y)}" font-family="Arial,Helvetica,sans-serif" font-size="10" fill="#555" text-anchor="${anchor}">${escapeHtml(body)}</text>`;
  const axis = (y: number) => `<line x1="${left}" x2="${width - right}" y1="${fixed(y)}" y2="${fixed(y)}" stroke="#ccc" stroke-width="1"/>`;
  const legend = g.series.map((s, i) => {
    const x = left + i * 120;
    return `<rect x="${x}" y="${height - 14}" width="10" height="10" fill="${s.color}"/>${text(x + 14, height - 5, excerpt(s.name, 16))}`;
  }).join('');
  const labels = g.dates.length
    ? text(left, g.panels.volume[1] + 12, g.dates[0]!) + text(width - right, g.panels.volume[1] + 12, g.dates[g.dates.length - 1]!, 'end')
    : '';
  return [
    // Inline, it shrinks with a narrow page (viewBox keeps its proportions) instead of cutting it off.
    `<svg ${standalone ? 'xmlns="http://www.w3.org/2000/svg" ' : 'style="max-width:100%;height:auto;" '}width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Daily mentions and net sentiment per brand">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...g.partialBands.map(([x0, x1]) => `<rect x="${fixed(x0)}" y="${fixed(g.panels.volume[0])}" width="${fixed(x1 - x0)}" height="${fixed(g.panels.net[1] - g.panels.volume[0])}" fill="${PARTIAL_SHADE}"><title>partial day</title></rect>`),
    axis(g.panels.volume[1]), axis(g.yNet(0)), axis(g.panels.net[0]), axis(g.panels.net[1]),
    text(left - 4, g.panels.volume[0] + 8, String(g.maxVolume), 'end'), text(left - 4, g.panels.volume[1], '0', 'end'),
    text(left - 4, g.panels.net[0] + 8, '+1', 'end'), text(left - 4, g.yNet(0) + 3, '0', 'end'), text(left - 4, g.panels.net[1], '−1', 'end'),
    labels,
    polylines(g, (s) => s.volume, g.yVolume),
    polylines(g, (s) => s.net, g.yNet),
    legend,
    '</svg>',
  ].join('');
}
