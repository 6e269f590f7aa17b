// Synthetic hourly histories with known structure, from a seeded generator, for the detection
// tests and the alerts benchmark.
import { createRandom, type Random } from '../../../src/infra/seeded-random.js';
import type { HourlyCounts } from '../../../src/domain/alerts/alerts.types.js';

const HOUR_MS = 3_600_000;
/** A Monday, so hour 0 of a series is Monday 00:00 UTC. */
export const SERIES_START = new Date('2026-01-05T00:00:00Z');

function normal(random: Random): number {
  const u = Math.max(random.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/** Marsaglia–Tsang, for shape ≥ 1; mean 1 when scale = 1/shape. */
function gamma(random: Random, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function poisson(random: Random, mean: number): number {
  let count = 0;
  // Knuth's product method, in chunks so exp(-mean) never underflows.
  for (let left = mean; left > 0; left -= 30) {
    const limit = Math.exp(-Math.min(30, left));
    let product = random.next();
    while (product > limit) {
      count++;
      product *= random.next();
    }
  }
  return count;
}

function binomial(random: Random, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (random.next() < p) k++;
  return k;
}

export type SeriesOptions = {
  seed: number;
  hours: number;
  /** Mean mentions an hour before seasonality. */
  meanTotal: number;
  negativeShare: number;
  /** Peak-to-mean swing of the daily cycle (0.6: busiest hour 1.6×, quietest 0.4×). */
  dailyAmplitude?: number;
  /** Saturday and Sunday volume relative to weekdays. */
  weekendFactor?: number;
  /** Gamma shapes of the day-level and hour-level volume shocks (larger = calmer). */
  dayShock?: number;
  hourShock?: number;
  /** Growth of the volume per day, e.g. 0.03 for +3 %/day. */
  driftPerDay?: number;
  /** Multiply negatives (and add them to the total) in [from, from + hours). */
  spike?: { from: number; hours: number; factor: number };
  /** Replace the negative share in [from, from + hours) with a new one, total unchanged. */
  shareRise?: { from: number; hours: number; share: number };
};

export function seasonalSeries(options: SeriesOptions): HourlyCounts[] {
  const random = createRandom(options.seed);
  const amplitude = options.dailyAmplitude ?? 0.6;
  const weekend = options.weekendFactor ?? 0.6;
  const series: HourlyCounts[] = [];
  let dayShock = 1;
  for (let t = 0; t < options.hours; t++) {
    const start = new Date(SERIES_START.getTime() + t * HOUR_MS);
    const hour = start.getUTCHours();
    const day = (start.getUTCDay() + 6) % 7;
    if (hour === 0) dayShock = options.dayShock ? gamma(random, options.dayShock) / options.dayShock : 1;
    const hourShock = options.hourShock ? gamma(random, options.hourShock) / options.hourShock : 1;
    const daily = 1 + amplitude * Math.sin((2 * Math.PI * (hour - 8)) / 24);
    const weekly = day >= 5 ? weekend : 1;
    const drift = (1 + (options.driftPerDay ?? 0)) ** (t / 24);
    const rate = options.meanTotal * daily * weekly * drift * dayShock * hourShock;
    const inShareRise = options.shareRise && t >= options.shareRise.from && t < options.shareRise.from + options.shareRise.hours;
    const share = inShareRise ? options.shareRise!.share : options.negativeShare;
    let total = poisson(random, rate);
    let negative = binomial(random, total, share);
    const spike = options.spike;
    if (spike && t >= spike.from && t < spike.from + spike.hours) {
      const extra = poisson(random, negative * (spike.factor - 1));
      negative += extra;
      total += extra;
    }
    series.push({ start, total, negative });
  }
  return series;
}

/** 0–3 negatives an hour, uniformly, among 0–10 other mentions. */
export function lowVolumeSeries(seed: number, hours: number): HourlyCounts[] {
  const random = createRandom(seed);
  return Array.from({ length: hours }, (_, t) => {
    const negative = random.int(0, 3);
    return { start: new Date(SERIES_START.getTime() + t * HOUR_MS), negative, total: negative + random.int(0, 10) };
  });
}

export const WEEK = 168;
export const SEASONAL_NOISE = { meanTotal: 300, negativeShare: 0.15, dayShock: 40, hourShock: 30 } as const;
