import { deflateSync } from 'node:zlib';
import { CHART, PARTIAL_SHADE, chartGeometry } from './digest.chart.js';
import type { DigestDocument } from './digest.types.js';

// A tiny rasteriser and PNG encoder (RGB, no text) so the chart survives mail clients that strip
// SVG, without a native image library. Labels stay in the HTML around it (digest.html.ts
// chartLabels: legend, scale, daily figures, partial days) and in the alt text.

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

class Canvas {
  readonly rgb: Uint8Array;
  constructor(readonly width: number, readonly height: number) {
    this.rgb = new Uint8Array(width * height * 3).fill(255);
  }

  dot(x: number, y: number, color: [number, number, number], size = 1): void {
    for (let dy = 0; dy < size; dy++) {
      for (let dx = 0; dx < size; dx++) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px < 0 || py < 0 || px >= this.width || py >= this.height) continue;
        this.rgb.set(color, (py * this.width + px) * 3);
      }
    }
  }

  fill(x0: number, y0: number, x1: number, y1: number, color: [number, number, number]): void {
    for (let y = Math.round(y0); y <= Math.round(y1); y++) for (let x = Math.round(x0); x <= Math.round(x1); x++) this.dot(x, y, color);
  }

  line(x0: number, y0: number, x1: number, y1: number, color: [number, number, number], size = 1): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let i = 0; i <= steps; i++) this.dot(x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps, color, size);
  }
}

const rgbOf = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/** The trend chart as PNG bytes, drawn from the same geometry as the SVG. */
export function renderTrendPngBytes(doc: DigestDocument): Buffer {
  const g = chartGeometry(doc);
  const canvas = new Canvas(CHART.width, CHART.height);
  const grey: [number, number, number] = [204, 204, 204];
  for (const [x0, x1] of g.partialBands) canvas.fill(x0, g.panels.volume[0], x1, g.panels.net[1], rgbOf(PARTIAL_SHADE));
  for (const y of [g.panels.volume[1], g.yNet(0), g.panels.net[0], g.panels.net[1]]) canvas.line(CHART.left, y, CHART.width - CHART.right, y, grey);
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
    for (let k = 0; k < 10; k++) canvas.line(CHART.left + n * 120, CHART.height - 14 + k, CHART.left + n * 120 + 9, CHART.height - 14 + k, color);
  });
  return encodePng(canvas.width, canvas.height, canvas.rgb);
}

/** The trend chart as a data: URI PNG. */
export function renderTrendPng(doc: DigestDocument): string {
  return `data:image/png;base64,${renderTrendPngBytes(doc).toString('base64')}`;
}
