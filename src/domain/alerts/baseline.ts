import { HOUR_MS, type HourlyCounts } from './alerts.types.js';

// The expected negative count for a window: a per-slot (hour-of-week, or hour-of-day with less
// history) profile of hourly negatives, shrunk towards a day × hour product model so that slots
// seen only a few times stay sensible, and scaled by the level of the last seven days.
//
// With weekly cycles the history is first detrended: a log-linear trend through the weekly
// totals is divided out, bringing every week to the level at the window start. Without it a
// steady growth would show in every week as "Sunday is busier than Monday" and the forecast
// would lag the growth by about a week (+3 %/day → about 20 % too low).

const WEEK_HOURS = 168;
const MAX_WEEKS = 8;
const MIN_WEEKS_FOR_WEEKLY = 2;
/** Days of a brand's history a window needs before it to be judged at all (the hour-of-day baseline). */
export const MIN_DAYS = 3;
/** Pseudo-cycles of the product model added to each slot's own observations. */
const PRIOR_CYCLES = 2;
/**
 * The least prior weight, in negatives, behind each day and hour factor, each slot's shrinkage
 * towards the product model, and the level. A few quiet hours of a brand that has a negative a
 * week say nothing: without this an hour of the day, a slot or a week with no negatives of its own
 * would expect none, and any few negatives there would be "certain" (p = 0).
 */
const PRIOR_NEGATIVES = 1;
/** An hour above this multiple of its product-model value (plus a floor) counts as an outlier, e.g. a past incident. */
const CLIP_FACTOR = 3;
const CLIP_FLOOR = 5;
const LEVEL_HOURS = 168;
const MAX_DISPERSION = 10;
const MAX_SHARE_CORRELATION = 0.5;
/** Weekly growth beyond this (either way) is a level shift, not a trend: the level handles it. */
const MAX_WEEKLY_TREND = Math.log(1.5);

export type BaselineModel = 'hour-of-week' | 'hour-of-day' | 'insufficient';

export type Baseline = {
  model: BaselineModel;
  /** Whole weeks (hour-of-week) or days (hour-of-day) of history used. */
  cycles: number;
  hoursUsed: number;
  /** Shrunk mean negatives per hour for each slot, before the level. */
  slotMeans: number[];
  /** (Last seven days' negatives + PRIOR_NEGATIVES) / (what the profile predicts for them + PRIOR_NEGATIVES). */
  level: number;
  /** The least expected negatives an hour: one negative over the whole history used. */
  floorRate: number;
  /** Negative-binomial dispersion of hourly negatives around the profile (0 = Poisson). */
  dispersion: number;
  /** Negatives over all mentions in the last seven days. */
  share: number;
  /** Beta-binomial intra-hour correlation of the share (0 = binomial). */
  shareCorrelation: number;
  /**
   * Observations behind each slot mean, including PRIOR_CYCLES pseudo-cycles (a sparse slot shrunk
   * with more is still counted with these: the predictive errs on the wide side).
   */
  effectiveCycles: number;
  /** Growth of weekly negatives divided out of the history (1.1 = +10 %/week); 1 for the hour-of-day model. */
  weeklyTrend: number;
};

/** The epoch began on a Thursday, 72 hours after the Monday 00:00 UTC that starts slot 0. */
const EPOCH_HOUR_OF_WEEK = 72;

/** Hour of the week from Monday 00:00 UTC (period 168) or hour of the day (period 24). */
export function slotOf(date: Date, period: number): number {
  const hours = Math.floor(date.getTime() / HOUR_MS) + EPOCH_HOUR_OF_WEEK;
  return ((hours % period) + period) % period;
}

const sum = (values: readonly number[]): number => values.reduce((acc, v) => acc + v, 0);

function insufficient(hoursUsed: number): Baseline {
  return {
    model: 'insufficient',
    cycles: 0,
    hoursUsed,
    slotMeans: [],
    level: 1,
    floorRate: 0,
    dispersion: 0,
    share: 0,
    shareCorrelation: 0,
    effectiveCycles: 0,
    weeklyTrend: 1,
  };
}

/** Negatives brought to the level at the end of the history by a log-linear fit through the weekly totals. */
function detrend(buckets: readonly HourlyCounts[], period: number, cycles: number): { values: number[]; weeklyTrend: number } {
  const raw = buckets.map((b) => b.negative);
  if (period !== WEEK_HOURS) return { values: raw, weeklyTrend: 1 };
  const logs = Array.from({ length: cycles }, (_, c) => Math.log(Math.max(1, sum(raw.slice(c * period, (c + 1) * period)))));
  const meanX = (cycles - 1) / 2;
  const meanY = sum(logs) / cycles;
  let covariance = 0;
  let variance = 0;
  logs.forEach((y, x) => {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  });
  const slope = Math.max(-MAX_WEEKLY_TREND, Math.min(MAX_WEEKLY_TREND, covariance / variance));
  const perHour = slope / period;
  return { values: raw.map((v, i) => v * Math.exp(perHour * (raw.length - i - 0.5))), weeklyTrend: Math.exp(slope) };
}

/**
 * The day × hour product model every slot is shrunk towards; flat for the hour-of-day model.
 * Each factor is (its negatives + PRIOR_NEGATIVES) / (what a flat rate gives it + PRIOR_NEGATIVES):
 * a factor estimated from thousands of negatives is its own, one estimated from none is 1, never 0.
 */
function productPrior(slots: readonly number[], values: readonly number[], period: number, mean: number): number[] {
  const observedMean = sum(values) / values.length;
  if (period === 24 || observedMean <= 0) return new Array<number>(period).fill(mean);
  const hourSums = new Array<number>(24).fill(0);
  const hourCounts = new Array<number>(24).fill(0);
  const daySums = new Array<number>(7).fill(0);
  const dayCounts = new Array<number>(7).fill(0);
  slots.forEach((slot, i) => {
    const hour = slot % 24;
    const day = Math.floor(slot / 24);
    hourSums[hour]! += values[i]!;
    hourCounts[hour]! += 1;
    daySums[day]! += values[i]!;
    dayCounts[day]! += 1;
  });
  const factor = (sums: number[], counts: number[], i: number) => (sums[i]! + PRIOR_NEGATIVES) / (counts[i]! * observedMean + PRIOR_NEGATIVES);
  return Array.from({ length: period }, (_, slot) => {
    const hour = slot % 24;
    const day = Math.floor(slot / 24);
    return mean * factor(hourSums, hourCounts, hour) * factor(daySums, dayCounts, day);
  });
}

/** The hourly buckets a baseline may use: whole cycles ending before the window starts. */
function usableHistory(history: readonly HourlyCounts[], windowStart: Date): { buckets: HourlyCounts[]; period: number; cycles: number } {
  // Cycles end at the last whole hour before the window, so every evaluation within one hour
  // sees the same baseline (and a caller may compute it once an hour).
  const end = Math.floor(windowStart.getTime() / HOUR_MS) * HOUR_MS;
  const earliest = end - MAX_WEEKS * WEEK_HOURS * HOUR_MS;
  const before = history.filter((b) => b.start.getTime() + HOUR_MS <= end && b.start.getTime() >= earliest);
  const spanHours = before.length ? Math.round((end - before[0]!.start.getTime()) / HOUR_MS) : 0;
  const weeks = Math.floor(spanHours / WEEK_HOURS);
  const [period, cycles] = weeks >= MIN_WEEKS_FOR_WEEKLY ? [WEEK_HOURS, weeks] : [24, Math.floor(spanHours / 24)];
  const from = end - cycles * period * HOUR_MS;
  return { buckets: before.filter((b) => b.start.getTime() >= from), period, cycles };
}

function shareStatistics(buckets: readonly HourlyCounts[], recent: readonly HourlyCounts[], period: number) {
  const recentTotal = sum(recent.map((b) => b.total));
  const share = (sum(recent.map((b) => b.negative)) + 0.5) / (recentTotal + 1);
  // Method of moments for the beta-binomial correlation, against each cycle's own share so a
  // slow change in the share is not mistaken for hour-to-hour over-dispersion.
  let excess = 0;
  let scale = 0;
  for (let i = 0; i < buckets.length; i += period) {
    const cycle = buckets.slice(i, i + period);
    const q = (sum(cycle.map((b) => b.negative)) + 0.5) / (sum(cycle.map((b) => b.total)) + 1);
    for (const { total, negative } of cycle) {
      if (total < 2) continue;
      excess += (negative - total * q) ** 2 - total * q * (1 - q);
      scale += total * (total - 1) * q * (1 - q);
    }
  }
  const shareCorrelation = scale > 0 ? Math.min(MAX_SHARE_CORRELATION, Math.max(0, excess / scale)) : 0;
  return { share, shareCorrelation };
}

export function buildBaseline(history: readonly HourlyCounts[], windowStart: Date): Baseline {
  const { buckets, period, cycles } = usableHistory(history, windowStart);
  if (period === 24 && cycles < MIN_DAYS) return insufficient(buckets.length);

  const hours = buckets.length;
  // A brand with no negatives at all still gets a rate: one negative over the whole history. The
  // same rate floors every window's expectation (expectedNegatives).
  const { values, weeklyTrend } = detrend(buckets, period, cycles);
  const floorRate = 1 / hours;
  const mean = Math.max(sum(values) / hours, floorRate);
  const slots = buckets.map((b) => slotOf(b.start, period));
  const prior = productPrior(slots, values, period, mean);
  const clipped = slots.map((slot, i) => Math.min(values[i]!, CLIP_FACTOR * prior[slot]! + CLIP_FLOOR));

  const slotSums = new Array<number>(period).fill(0);
  const slotCounts = new Array<number>(period).fill(0);
  slots.forEach((slot, i) => {
    slotSums[slot]! += clipped[i]!;
    slotCounts[slot]! += 1;
  });
  // The prior weighs PRIOR_CYCLES cycles, or PRIOR_NEGATIVES negatives where that is more: two
  // quiet cycles of a slot that expects a negative a month are no evidence that it expects none.
  const slotMeans = prior.map((p, slot) => {
    const priorCycles = Math.max(PRIOR_CYCLES, PRIOR_NEGATIVES / p);
    return (slotSums[slot]! + priorCycles * p) / (slotCounts[slot]! + priorCycles);
  });
  const fitted = slots.map((slot) => slotMeans[slot]!);

  // A quiet week lowers the level, never to 0: PRIOR_NEGATIVES at the profile's own level.
  const recentFrom = Math.max(0, hours - LEVEL_HOURS);
  const level = (sum(clipped.slice(recentFrom)) + PRIOR_NEGATIVES) / (sum(fitted.slice(recentFrom)) + PRIOR_NEGATIVES);

  // Method of moments for the negative-binomial dispersion: Var = μ + αμ². Residuals are taken
  // against each cycle's own level (so a slow drift is not read as noise) and inflated by
  // K/(K−1) because each slot mean was fitted from the same K observations.
  let excess = 0;
  let scale = 0;
  const correction = cycles / (cycles - 1);
  for (let i = 0; i < hours; i += period) {
    const fit = fitted.slice(i, i + period);
    const obs = clipped.slice(i, i + period);
    const fitSum = sum(fit);
    const cycleLevel = fitSum > 0 ? sum(obs) / fitSum : 1;
    fit.forEach((f, j) => {
      const mu = f * cycleLevel;
      excess += (obs[j]! - mu) ** 2 * correction - mu;
      scale += mu * mu;
    });
  }
  const dispersion = scale > 0 ? Math.min(MAX_DISPERSION, Math.max(0, excess / scale)) : 0;

  return {
    model: period === WEEK_HOURS ? 'hour-of-week' : 'hour-of-day',
    cycles,
    hoursUsed: hours,
    slotMeans,
    level,
    floorRate,
    dispersion,
    ...shareStatistics(buckets, buckets.slice(recentFrom), period),
    effectiveCycles: cycles + PRIOR_CYCLES,
    weeklyTrend,
  };
}

/**
 * Expected negatives in [start, start + minutes): slot means × level, pro rata for partial hours,
 * and never below the floor rate ("one negative over the whole history"), so the test never
 * takes an expectation of 0, which would make any negatives certain.
 */
export function expectedNegatives(baseline: Baseline, windowStart: Date, windowMinutes: number): number {
  if (baseline.model === 'insufficient') return 0;
  const period = baseline.model === 'hour-of-week' ? WEEK_HOURS : 24;
  const start = windowStart.getTime();
  const end = start + windowMinutes * 60_000;
  let expected = 0;
  for (let hour = Math.floor(start / HOUR_MS) * HOUR_MS; hour < end; hour += HOUR_MS) {
    const overlap = (Math.min(end, hour + HOUR_MS) - Math.max(start, hour)) / HOUR_MS;
    expected += overlap * Math.max(baseline.level * baseline.slotMeans[slotOf(new Date(hour), period)]!, baseline.floorRate);
  }
  return expected;
}
