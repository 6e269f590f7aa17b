import { deflateSync } from 'node:zlib';
import { CHART, GRID, LABEL, PARTIAL_SHADE, chartGeometry, dayLabelY } from './digest.chart.js';
import type { DigestDocument } from './digest.types.js';

// A tiny rasteriser and PNG encoder (RGB) so the chart survives mail clients that strip SVG,
// without a native image library. It draws its scales and days in a digit font of its own, and no
// other text: a brand name may be Persian, Devanagari or Tamil, which needs a shaping engine and
// fonts to draw, so the names stay in the HTML around it (digest.html.ts chartLabels: the legend
// by colour, the scale in words, the daily figures, partial days) and in the alt text.

/**
 * Pixels per chart unit: the image is drawn at twice the 600 × 220 it is shown at, so that lines
 * and figures stay sharp on high-density screens and when a phone scales it down.
 */
export const PNG_SCALE = 2;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method variants, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rows.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array()),
  ]);
}

type Rgb = [number, number, number];

/** A canvas of image pixels drawn on in chart units (CHART), scaled by PNG_SCALE. */
class Canvas {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
  constructor(width: number, height: number) {
    this.width = width * PNG_SCALE;
    this.height = height * PNG_SCALE;
    this.rgb = new Uint8Array(this.width * this.height * 3).fill(255);
  }

  /** A square of `size` image pixels whose top-left corner is at image pixel (px, py). */
  private block(px: number, py: number, size: number, color: Rgb): void {
    for (let y = Math.max(0, py); y < Math.min(this.height, py + size); y++) {
      for (let x = Math.max(0, px); x < Math.min(this.width, px + size); x++) this.rgb.set(color, (y * this.width + x) * 3);
    }
  }

  /** A dot `size` chart units wide, its top-left corner at (x, y). */
  dot(x: number, y: number, color: Rgb, size = 1): void {
    this.block(Math.round(x * PNG_SCALE), Math.round(y * PNG_SCALE), size * PNG_SCALE, color);
  }

  fill(x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
    for (let y = Math.round(y0 * PNG_SCALE); y < Math.round((y1 + 1) * PNG_SCALE); y++) {
      for (let x = Math.round(x0 * PNG_SCALE); x < Math.round((x1 + 1) * PNG_SCALE); x++) this.block(x, y, 1, color);
    }
  }

  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, size = 1): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)) * PNG_SCALE));
    for (let i = 0; i <= steps; i++) this.dot(x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps, color, size);
  }

  /**
   * A label in the digit font, its middle at `y`: right-aligned to `x` (`end`) or centred on it.
   * Each font pixel is a whole square of image pixels, so every stroke is equally sharp.
   */
  text(label: string, x: number, y: number, anchor: 'end' | 'middle', color: Rgb): void {
    const glyphs = [...label].map((c) => GLYPHS[c] ?? UNKNOWN);
    const width = (glyphs.reduce((w, g) => w + g[0]!.length + 1, 0) - 1) * FONT_PIXEL;
    const left = Math.round((anchor === 'end' ? x - width : x - width / 2) * PNG_SCALE);
    const top = Math.round((y - LABEL.height / 2) * PNG_SCALE);
    const size = FONT_PIXEL * PNG_SCALE;
    let column = 0;
    for (const glyph of glyphs) {
      glyph.forEach((row, r) => {
        for (let c = 0; c < row.length; c++) if (row[c] === '#') this.block(left + (column + c) * size, top + r * size, size, color);
      });
      column += glyph[0]!.length + 1;
    }
  }
}

/** Chart units per font pixel: a digit is 7 font pixels, LABEL.height units, tall. */
const FONT_PIXEL = LABEL.height / 7;

/**
 * The axis labels' font: 5 × 7 digits, signs, the decimal point and the K, M and B of compact
 * counts (digest.chart.ts compactCount). Nothing else is ever drawn.
 */
const GLYPHS: Record<string, readonly string[]> = {
  '0': ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['#####', '...#.', '..#..', '...#.', '....#', '#...#', '.###.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
  '-': ['...', '...', '...', '###', '...', '...', '...'],
  '+': ['.....', '..#..', '..#..', '#####', '..#..', '..#..', '.....'],
  '−': ['.....', '.....', '.....', '#####', '.....', '.....', '.....'],
  '.': ['..', '..', '..', '..', '..', '##', '##'],
  K: ['#...#', '#..#.', '#.#..', '##...', '#.#..', '#..#.', '#...#'],
  M: ['#...#', '##.##', '#.#.#', '#.#.#', '#...#', '#...#', '#...#'],
  B: ['####.', '#...#', '#...#', '####.', '#...#', '#...#', '####.'],
};
/** A character the font lacks: a hollow box, never expected (the labels are figures and dates). */
const UNKNOWN = ['#####', '#...#', '#...#', '#...#', '#...#', '#...#', '#####'];

const rgbOf = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;

/** The trend chart as PNG bytes, drawn from the same geometry as the SVG, at PNG_SCALE. */
export function renderTrendPngBytes(doc: DigestDocument): Buffer {
  const g = chartGeometry(doc);
  const canvas = new Canvas(CHART.width, CHART.height);
  const axis: Rgb = [204, 204, 204];
  const ink = rgbOf(LABEL.color);
  for (const [x0, x1] of g.partialBands) canvas.fill(x0, g.panels.volume[0], x1, g.panels.net[1], rgbOf(PARTIAL_SHADE));
  for (const tick of g.volumeTicks.slice(1)) canvas.line(CHART.left, tick.y, CHART.width - CHART.right, tick.y, rgbOf(GRID));
  for (const y of [g.panels.volume[1], g.yNet(0), g.panels.net[0], g.panels.net[1]]) canvas.line(CHART.left, y, CHART.width - CHART.right, y, axis);
  for (const tick of [...g.volumeTicks, ...g.netTicks]) canvas.text(tick.label, CHART.left - 5, tick.y, 'end', ink);
  for (const day of g.dayLabels) canvas.text(day.label, day.x, dayLabelY(g), 'middle', ink);
  g.series.forEach((s, n) => {
    const color = rgbOf(s.color);
    for (const [values, y] of [[s.volume, g.yVolume], [s.net, g.yNet]] as const) {
      values.forEach((v, i) => {
        if (v === null) return;
        const next = values[i + 1];
        if (next !== undefined && next !== null) canvas.line(g.x(i), y(v), g.x(i + 1), y(next), color, 2);
        else canvas.dot(g.x(i) - 1, y(v) - 1, color, 3);
      });
    }
    canvas.fill(CHART.left + n * 120, CHART.height - 14, CHART.left + n * 120 + 9, CHART.height - 5, color);
  });
  return encodePng(canvas.width, canvas.height, canvas.rgb);
}

/** The trend chart as a data: URI PNG. */
export function renderTrendPng(doc: DigestDocument): string {
  return `data:image/png;base64,${renderTrendPngBytes(doc).toString('base64')}`;
}
