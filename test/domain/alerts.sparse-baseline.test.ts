import { describe, expect, it } from 'vitest';
import type { HourlyCounts, Sensitivity } from '../../src/domain/alerts/alerts.types.js';
import { buildBaseline } from '../../src/domain/alerts/baseline.js';
import { detectSpike, MAX_SCORE } from '../../src/domain/alerts/detection.js';

// Sparse brands, quiet hours and quiet weeks: the expected count never drops to 0, so a few
// negatives are judged by their p-value (and the sensitivity matters) instead of being "certain".

const HOUR_MS = 3_600_000;
const DAYS = 16;
/** A Monday 00:00 UTC: the first window judged; each test also walks the week after it. */
const FIRST_WINDOW = Date.parse('2026-12-07T00:00:00Z');

/** DAYS of hourly history ending at `end`; `negative(i, start)` for hour i of DAYS * 24. */
function history(end: number, total: (i: number) => number, negative: (i: number, start: Date) => number): HourlyCounts[] {
  const hours = DAYS * 24;
  return Array.from({ length: hours }, (_, i) => {
    const start = new Date(end - (hours - i) * HOUR_MS);
    return { start, total: total(i) + negative(i, start), negative: negative(i, start) };
  });
}

function judge(series: HourlyCounts[], windowStart: number, sensitivity: Sensitivity, negative = 5) {
  return detectSpike({ observed: { negative, total: negative }, history: series, windowStart: new Date(windowStart), windowMinutes: 60, sensitivity, minMentions: 5 });
}

/** Every hour of the week from FIRST_WINDOW, each judged against the DAYS before it. */
const weekOfWindows = Array.from({ length: 168 }, (_, h) => FIRST_WINDOW + h * HOUR_MS);

describe('the baseline of a sparse brand', () => {
  // Tiny Widgets in the audit: a mention every six hours, 7 negatives in 16 days, 2 of them in the last 7.
  const NEGATIVE_HOURS = new Set([20, 75, 130, 181, 200, 250, 330]);
  const sparse = (end: number) => history(end, (i) => (i % 6 === 0 ? 1 : 0), (i) => (NEGATIVE_HOURS.has(i) ? 1 : 0));
  const rate = NEGATIVE_HOURS.size / (DAYS * 24);

  it('five negatives in an hour do not fire at low in any hour of the week, and medium fires exactly when the p-value reaches its threshold', () => {
    for (const start of weekOfWindows) {
      const series = sparse(start);
      const low = judge(series, start, 'low');
      const at = new Date(start).toISOString();
      expect({ at, fired: low.fired }).toEqual({ at, fired: false });
      expect(low.pValue).toBeGreaterThan(1e-6);
      // About what a flat rate of 7 negatives in 16 days gives, not 0 and not "fewer than 0.01".
      expect(low.expected).toBeGreaterThan(rate / 4);
      expect(low.expected).toBeLessThan(rate * 3);
      expect(low.score).toBeLessThan(6);
      const medium = judge(series, start, 'medium');
      expect(medium.fired).toBe(medium.pValue <= 1e-5);
    }
  });

  it('a quiet hour of the day or day of the week is shrunk towards the brand’s rate, not taken as "never"', () => {
    const baseline = buildBaseline(sparse(FIRST_WINDOW), new Date(FIRST_WINDOW));
    expect(baseline.model).toBe('hour-of-week');
    expect(Math.min(...baseline.slotMeans)).toBeGreaterThan(rate / 4);
    expect(baseline.level).toBeGreaterThan(0.3);
  });
});

describe('a brand with no negative mention ever', () => {
  const none = (end: number) => history(end, () => 3, () => 0);

  it('expects one negative over its whole history, so five negatives score about 6 rather than the maximum, and sensitivity decides', () => {
    for (const start of weekOfWindows) {
      const series = none(start);
      const detection = judge(series, start, 'high');
      // Two whole weeks of history are used: one negative in 336 hours.
      expect(detection.expected).toBeCloseTo(1 / 336, 4);
      expect(detection.pValue).toBeGreaterThan(0);
      expect(detection.score).toBeLessThan(7);
      expect(detection.fired).toBe(true);
      // Four negatives (minMentions 4) are no longer "certain": high fires, low does not.
      const four = (sensitivity: Sensitivity) =>
        detectSpike({ observed: { negative: 4, total: 4 }, history: series, windowStart: new Date(start), windowMinutes: 60, sensitivity, minMentions: 4 });
      expect(four('high').fired).toBe(true);
      expect(four('low').fired).toBe(false);
    }
  });
});

describe('a quiet week after busy ones', () => {
  // A negative every hour for 9 days, then none for 7.
  const quietWeek = (end: number) => history(end, () => 10, (i) => (i < 9 * 24 ? 1 : 0));

  it('lowers the level but not to 0: five negatives are a finite score, fired at medium and not at low', () => {
    for (const start of weekOfWindows.filter((_, h) => h % 7 === 0)) {
      const series = quietWeek(start);
      const baseline = buildBaseline(series, new Date(start));
      expect(baseline.level).toBeGreaterThan(0);
      const low = judge(series, start, 'low');
      expect(low.expected).toBeGreaterThan(0.002);
      expect(low.score).toBeLessThan(MAX_SCORE / 5);
      expect(low.fired).toBe(false);
      expect(judge(series, start, 'medium').fired).toBe(true);
    }
  });
});

describe('a larger brand in its quiet hours', () => {
  // About a negative every five hours, none ever between 01:00 and 05:00 UTC.
  const night = (start: Date) => start.getUTCHours() >= 1 && start.getUTCHours() <= 5;
  const nightless = (end: number) => history(end, () => 3, (i, start) => (i % 5 === 0 && !night(start) ? 1 : 0));

  it('still expects some negatives in the hours that never had one', () => {
    for (const start of weekOfWindows.filter((start) => night(new Date(start)))) {
      const series = nightless(start);
      const detection = judge(series, start, 'low');
      expect(detection.expected).toBeGreaterThan(0.01);
      expect(detection.score).toBeLessThan(MAX_SCORE);
    }
  });
});
