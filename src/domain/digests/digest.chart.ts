import type { DigestLanguage } from '../i18n/languages.js';
import { escapeHtml, excerpt } from './digest.escape.js';
import { partialDays } from './digest.format.js';
import { digestLocale } from './digest.locale.js';
import type { DigestDocument } from './digest.types.js';

export const CHART = { width: 600, height: 220, left: 44, right: 12, top: 12, gap: 28, legend: 22 } as const;
/**
 * The axis labels: figures and dates only, so the PNG can draw them in its own digit font
 * (digest.png.ts). `height` is a digit's in chart units; `advance` a character's at most, which
 * thins the day labels so they never touch.
 */
export const LABEL = { height: 10.5, advance: 9, color: '#555555' } as const;
/** The background of a day the period cuts (digest.format.ts partialDays), whose figures cover part of it. */
export const PARTIAL_SHADE = '#EEEEEE';
/** The lines of the scale's round values, lighter than the axes. */
export const GRID = '#E4E4E4';
/** Colour-blind-safe (Okabe–Ito); the own brand comes first. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

export interface ChartSeries { name: string; color: string; volume: number[]; net: Array<number | null> }

/** A labelled value of a scale, at its height in the chart. */
export interface ChartTick { label: string; y: number }

export interface ChartGeometry {
  dates: string[];
  series: ChartSeries[];
  /** The most mentions a brand had in a day (at least 1). */
  maxVolume: number;
  /** The top of the volume scale: its last round value, at or above maxVolume. */
  volumeTop: number;
  x(i: number): number;
  /** Top panel: mentions per day. */
  yVolume(v: number): number;
  /** Bottom panel: net sentiment, −1..1. */
  yNet(v: number): number;
  panels: { volume: [number, number]; net: [number, number] };
  /** [x0, x1] of the band behind each partial day: its lines dip because it is not a whole day. */
  partialBands: Array<[number, number]>;
  /** Round values of the volume scale, 0 to volumeTop ("0", "1K", "2K", "3K"), right-aligned left of the panel. */
  volumeTicks: ChartTick[];
  /** +1, 0 and −1, left of the net sentiment panel. */
  netTicks: ChartTick[];
  /** The days named under the volume panel ("11-09"), centred on their points; every day unless they would touch. */
  dayLabels: Array<{ label: string; x: number }>;
}

/** At most this many steps from 0 to the top of the volume scale. */
const MAX_STEPS = 4;

/**
 * Round steps for a scale from 0 to at least `max`: 1, 2 or 5 times a power of ten, whole
 * numbers (mentions are counted), at most MAX_STEPS of them, so their labels stand apart in the
 * panel. 3 → 0, 1, 2, 3; 2,873 → 0, 1,000, 2,000, 3,000; 7 → 0, 2, 4, 6, 8; 9 → 0, 5, 10.
 */
export function volumeScale(max: number): number[] {
  for (let power = 1; ; power *= 10) {
    for (const factor of [1, 2, 5]) {
      const step = factor * power;
      const steps = Math.max(1, Math.ceil(max / step));
      if (steps <= MAX_STEPS) return Array.from({ length: steps + 1 }, (_, i) => i * step);
    }
  }
}

/** A scale value in at most four characters: 900, 1.5K, 20K, 150K, 2M. */
export function compactCount(n: number): string {
  const [unit, size] = n >= 1e9 ? ['B', 1e9] : n >= 1e6 ? ['M', 1e6] : n >= 1e3 ? ['K', 1e3] : ['', 1];
  return `${Number((n / size).toFixed(1))}${unit}`;
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
  const scale = volumeScale(maxVolume);
  const volumeTop = scale[scale.length - 1]!;
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
  const yVolume = (v: number) => volume[1] - (v / volumeTop) * panelHeight;
  const yNet = (v: number) => net[1] - ((v + 1) / 2) * panelHeight;
  // Every day is named when the labels fit side by side; else every second, third… day.
  const labelWidth = 5 * LABEL.advance;
  // The first starts at the panel's edge, clear of the scale's labels left of it, and the last
  // ends inside the chart: each is moved inwards, by less than half a label. Labels are a
  // character apart besides.
  const inwards = labelWidth / 2 - 4;
  const every = dates.length > 1 ? Math.max(1, Math.ceil((labelWidth + LABEL.advance + inwards) / (2 * half))) : 1;
  const dayLabels = dates.flatMap((d, i) => (i % every === 0
    ? [{ label: d.slice(5), x: Math.min(Math.max(x(i), CHART.left - 4 + labelWidth / 2), CHART.width - labelWidth / 2 - 2) }]
    : []));
  return {
    dates,
    series,
    maxVolume,
    volumeTop,
    x,
    yVolume,
    yNet,
    panels: { volume, net },
    partialBands,
    volumeTicks: scale.map((v) => ({ label: compactCount(v), y: yVolume(v) })),
    netTicks: [{ label: '+1', y: yNet(1) }, { label: '0', y: yNet(0) }, { label: '−1', y: yNet(-1) }],
    dayLabels,
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

/** Where the day labels' centre line is: in the gap under the volume panel. */
export const dayLabelY = (g: ChartGeometry) => g.panels.volume[1] + CHART.gap / 2;

/**
 * The daily volume (top) and net sentiment (bottom) per brand as SVG, with the scales and days
 * the PNG draws too. `standalone` adds the XML namespace a file needs; inline in HTML it is left
 * out, so the digest holds no foreign URL. Brand names are text for the browser to lay out, in
 * any script and direction; the axes hold figures and dates only, the same in every language (the
 * PNG's digit font draws them). Its label and the partial days' titles are in the digest's
 * language (or `lang`); in a right-to-left page it stays left to right (`direction`), time running
 * left to right as the PNG's does.
 */
export function renderTrendSvg(doc: DigestDocument, { standalone = false, lang }: { standalone?: boolean; lang?: DigestLanguage | undefined } = {}): string {
  const l = digestLocale(doc, lang);
  const g = chartGeometry(doc);
  const { width, height, left, right } = CHART;
  // A label's y is its baseline: half a digit's height below the line it names.
  const text = (x: number, y: number, body: string, { anchor = 'start', size = 13 } = {}) =>
    `<text x="${fixed(x)}" y="${fixed(y)}" font-family="Arial,Helvetica,sans-serif" font-size="${size}" fill="${LABEL.color}" text-anchor="${anchor}">${escapeHtml(body)}</text>`;
  const rule = (y: number, color: string) => `<line x1="${left}" x2="${width - right}" y1="${fixed(y)}" y2="${fixed(y)}" stroke="${color}" stroke-width="1"/>`;
  const legend = g.series.map((s, i) => {
    const x = left + i * 120;
    return `<rect x="${x}" y="${height - 14}" width="10" height="10" fill="${s.color}"/>${text(x + 14, height - 5, excerpt(s.name, 16), { size: 11 })}`;
  }).join('');
  const centre = LABEL.height / 2 - 0.5;
  return [
    // Inline, it shrinks with a narrow page (viewBox keeps its proportions) instead of cutting it off.
    `<svg ${standalone ? 'xmlns="http://www.w3.org/2000/svg" ' : 'style="max-width:100%;height:auto;" '}width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"${l.dir === 'rtl' ? ' direction="ltr"' : ''} role="img" aria-label="${escapeHtml(l.m.chart.alt)}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...g.partialBands.map(([x0, x1]) => `<rect x="${fixed(x0)}" y="${fixed(g.panels.volume[0])}" width="${fixed(x1 - x0)}" height="${fixed(g.panels.net[1] - g.panels.volume[0])}" fill="${PARTIAL_SHADE}"><title>${escapeHtml(l.m.chart.partialDay)}</title></rect>`),
    ...g.volumeTicks.slice(1).map((t) => rule(t.y, GRID)),
    rule(g.panels.volume[1], '#ccc'), rule(g.yNet(0), '#ccc'), rule(g.panels.net[0], '#ccc'), rule(g.panels.net[1], '#ccc'),
    ...[...g.volumeTicks, ...g.netTicks].map((t) => text(left - 5, t.y + centre, t.label, { anchor: 'end' })),
    ...g.dayLabels.map((d) => text(d.x, dayLabelY(g) + centre, d.label, { anchor: 'middle' })),
    polylines(g, (s) => s.volume, g.yVolume),
    polylines(g, (s) => s.net, g.yNet),
    legend,
    '</svg>',
  ].join('');
}
