import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHART, LABEL, chartGeometry, compactCount, dayLabelY, volumeScale } from '../../src/domain/digests/digest.chart.js';
import { PNG_SCALE } from '../../src/domain/digests/digest.png.js';
import { renderHtml, renderTrendPngBytes, renderTrendSvg, type DigestDocument } from '../../src/domain/digests/index.js';
import { digestDocument } from './digests/document.js';

// The trend chart's scales and days, in the PNG an e-mail carries and in the SVG of the API's
// page: a reader must tell 3 mentions a day from 3,000, and which day is which.

/** The PNG's pixels, in image pixels (PNG_SCALE per chart unit). */
function decode(png: Buffer) {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat = png.indexOf('IDAT');
  const rows = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  const at = (x: number, y: number) => y * (width * 3 + 1) + 1 + x * 3; // filter type 0 on every row
  return {
    width,
    height,
    hex: (x: number, y: number) => `#${[...rows.subarray(at(x, y), at(x, y) + 3)].map((b) => b.toString(16).padStart(2, '0')).join('')}`.toUpperCase(),
  };
}

/** Runs of consecutive indexes (rows or columns) holding ink, merged across gaps shorter than `gap`. */
function runs(indexes: number[], gap = 1): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const i of indexes) {
    const last = out[out.length - 1];
    if (last && i - last[1] <= gap) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

/** The rows (or columns) of the region where the label colour is drawn. */
function ink(png: ReturnType<typeof decode>, region: { x0: number; x1: number; y0: number; y1: number }, axis: 'rows' | 'columns'): number[] {
  const found = new Set<number>();
  for (let y = Math.max(0, Math.floor(region.y0)); y < Math.min(png.height, Math.ceil(region.y1)); y++) {
    for (let x = Math.max(0, Math.floor(region.x0)); x < Math.min(png.width, Math.ceil(region.x1)); x++) {
      if (png.hex(x, y) === LABEL.color) found.add(axis === 'rows' ? y : x);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** The digest with every day's mentions multiplied by `factor`, the same shape at another scale. */
function scaled(doc: DigestDocument, factor: number): DigestDocument {
  return { ...doc, sentimentTrend: doc.sentimentTrend.map((s) => ({ ...s, days: s.days.map((d) => ({ ...d, mentions: d.mentions * factor })) })) };
}

/** Days 0 to 3 mentions: a scale of 0, 1, 2, 3. */
function smallDocument(): DigestDocument {
  const doc = digestDocument();
  return { ...doc, sentimentTrend: doc.sentimentTrend.map((s) => ({ ...s, days: s.days.map((d, i) => ({ ...d, mentions: i % 4 })) })) };
}

/** A 31-day period. */
function monthDocument(): DigestDocument {
  const doc = digestDocument();
  const days = Array.from({ length: 31 }, (_, i) => ({ date: `2026-10-${String(i + 1).padStart(2, '0')}`, mentions: 40 + (i % 7) * 5, netSentiment: 0.1 }));
  return { ...doc, sentimentTrend: doc.sentimentTrend.map((s) => ({ ...s, days })) };
}

describe('the scale of the volume panel', () => {
  it('takes round steps, whole numbers, at most four of them', () => {
    expect(volumeScale(1)).toEqual([0, 1]);
    expect(volumeScale(3)).toEqual([0, 1, 2, 3]);
    expect(volumeScale(7)).toEqual([0, 2, 4, 6, 8]);
    expect(volumeScale(9)).toEqual([0, 5, 10]);
    expect(volumeScale(2873)).toEqual([0, 1000, 2000, 3000]);
    expect(volumeScale(150_001)).toEqual([0, 50_000, 100_000, 150_000, 200_000]);
  });

  it('writes its values in at most four characters', () => {
    expect([0, 900, 1000, 1500, 20_000, 150_000, 2_000_000, 2_500_000_000].map(compactCount)).toEqual(['0', '900', '1K', '1.5K', '20K', '150K', '2M', '2.5B']);
  });
});

/**
 * The widest blank between two inked columns of one label, in image pixels: "11" has three
 * blank font pixels (of 7 to a digit's height) between its strokes. Labels are further apart.
 */
const WITHIN_LABEL = Math.ceil((4 * LABEL.height * PNG_SCALE) / 7);

describe('the PNG chart', () => {
  const volumeRows = (g: ReturnType<typeof chartGeometry>) => ({ y0: (g.panels.volume[0] - LABEL.height) * PNG_SCALE, y1: (g.panels.volume[1] + LABEL.height / 2 + 1) * PNG_SCALE });

  it('tells 3 mentions a day from 3,000: the same lines, another scale', () => {
    const doc = digestDocument();
    const few = decode(renderTrendPngBytes(doc));
    const many = decode(renderTrendPngBytes(scaled(doc, 1000)));
    const left = CHART.left * PNG_SCALE;
    let plotDiffers = false;
    let scaleDiffers = false;
    for (let y = 0; y < few.height; y++) {
      for (let x = 0; x < few.width; x++) {
        if (few.hex(x, y) === many.hex(x, y)) continue;
        if (x >= left) plotDiffers = true;
        else scaleDiffers = true;
      }
    }
    expect({ plotDiffers, scaleDiffers }).toEqual({ plotDiffers: false, scaleDiffers: true });
  });

  it('labels each value of its scale beside its line, each a label as tall as 10 px text where it is shown (600 px wide)', () => {
    const doc = smallDocument();
    const g = chartGeometry(doc);
    expect(g.volumeTicks.map((t) => t.label)).toEqual(['0', '1', '2', '3']);
    const png = decode(renderTrendPngBytes(doc));
    expect(png.width).toBe(600 * PNG_SCALE);
    const labels = runs(ink(png, { x0: 0, x1: CHART.left * PNG_SCALE, ...volumeRows(g) }, 'rows'));
    expect(labels).toHaveLength(4);
    // Top to bottom: 3, 2, 1, 0, each centred on its value's line.
    const ticks = [...g.volumeTicks].reverse();
    labels.forEach(([top, bottom], i) => {
      expect(bottom - top + 1, `label ${ticks[i]!.label}`).toBeGreaterThanOrEqual(10 * PNG_SCALE);
      expect(Math.abs((top + bottom + 1) / 2 - ticks[i]!.y * PNG_SCALE), `label ${ticks[i]!.label}`).toBeLessThanOrEqual(PNG_SCALE);
    });
    // The net sentiment panel's +1, 0 and −1.
    const net = runs(ink(png, { x0: 0, x1: CHART.left * PNG_SCALE, y0: (g.panels.net[0] - LABEL.height / 2 - 1) * PNG_SCALE, y1: CHART.height * PNG_SCALE }, 'rows'));
    expect(net).toHaveLength(3);
  });

  it('names every day of a week under the volume panel, each under its point', () => {
    const doc = digestDocument();
    const g = chartGeometry(doc);
    expect(g.dayLabels.map((d) => d.label)).toEqual(['11-09', '11-10', '11-11', '11-12', '11-13', '11-14', '11-15']);
    const png = decode(renderTrendPngBytes(doc));
    const band = { x0: 0, x1: png.width, y0: (dayLabelY(g) - LABEL.height / 2 - 1) * PNG_SCALE, y1: (dayLabelY(g) + LABEL.height / 2 + 1) * PNG_SCALE };
    const labels = runs(ink(png, band, 'columns'), WITHIN_LABEL);
    expect(labels).toHaveLength(7);
    labels.forEach(([x0, x1], i) => expect(Math.abs((x0 + x1 + 1) / 2 - g.dayLabels[i]!.x * PNG_SCALE)).toBeLessThanOrEqual(PNG_SCALE));
    // The middle days' labels are centred on their points; the first and last stay inside the chart.
    expect(g.dayLabels.slice(1, -1).map((d) => d.x)).toEqual(g.dates.slice(1, -1).map((_, i) => g.x(i + 1)));
    expect(labels[0]![0]).toBeGreaterThanOrEqual((CHART.left - 5) * PNG_SCALE);
    expect(labels[6]![1]).toBeLessThan(png.width);
  });

  it('names every few days of a month, no two labels touching', () => {
    const doc = monthDocument();
    const g = chartGeometry(doc);
    const png = decode(renderTrendPngBytes(doc));
    const band = { x0: 0, x1: png.width, y0: (dayLabelY(g) - LABEL.height / 2 - 1) * PNG_SCALE, y1: (dayLabelY(g) + LABEL.height / 2 + 1) * PNG_SCALE };
    const labels = runs(ink(png, band, 'columns'), WITHIN_LABEL);
    expect(labels.length).toBe(g.dayLabels.length);
    expect(labels.length).toBeGreaterThanOrEqual(8);
    expect(g.dayLabels[0]!.label).toBe('10-01');
    for (let i = 1; i < labels.length; i++) expect(labels[i]![0] - labels[i - 1]![1], `between labels ${i - 1} and ${i}`).toBeGreaterThanOrEqual(LABEL.advance * PNG_SCALE);
  });

  it('draws no brand name, so names in Persian, Devanagari or Tamil never turn into boxes: they are the HTML legend\'s, in any script', () => {
    const latin = digestDocument();
    const native = digestDocument({ names: { acme: 'کافه آروما', beta: 'चायवाला एक्सप्रेस', gamma: 'மதுரை காபி' } });
    expect(renderTrendPngBytes(native).equals(renderTrendPngBytes(latin))).toBe(true);
    const html = renderHtml(native, { chart: { cid: 'trend' } });
    for (const name of ['کافه آروما', 'चायवाला एक्सप्रेस', 'மதுரை காபி']) expect(html).toContain(`&nbsp;<bdi>${name}</bdi></span>`);
  });
});

describe('the SVG chart', () => {
  it('has the same scale and days as the PNG, and the brand names as text in their own script', () => {
    const doc = scaled(digestDocument({ names: { acme: 'کافه آروما', gamma: 'மதுரை காபி' } }), 1000);
    const svg = renderTrendSvg(doc);
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/gu)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(['0', '5K', '10K', '+1', '−1', '11-09', '11-10', '11-11', '11-12', '11-13', '11-14', '11-15', 'کافه آروما', 'மதுரை காபி']));
    // A light line at each round value but 0, which is the axis.
    expect(svg.match(/stroke="#E4E4E4"/gu)).toHaveLength(2);
  });
});
