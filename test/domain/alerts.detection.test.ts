import { describe, expect, it } from 'vitest';
import { ALERT_RULE_DEFAULTS, type HourlyCounts } from '../../src/domain/alerts/alerts.types.js';
import { backtestRule, type BacktestRule } from '../../src/domain/alerts/backtest.js';
import { detectSpike, MIN_SHARE_TOTAL } from '../../src/domain/alerts/detection.js';
import { lowVolumeSeries, SEASONAL_NOISE, seasonalSeries, SERIES_START, WEEK } from './alerts/synthetic.js';

const HOUR_MS = 3_600_000;
const HISTORY_WEEKS = 4;
const TOTAL_HOURS = (HISTORY_WEEKS + 1) * WEEK;
const SEEDS = [1, 2, 3, 4, 5];
const rule: BacktestRule = { id: 'rule_test', ...ALERT_RULE_DEFAULTS };
const hourAt = (t: number) => new Date(SERIES_START.getTime() + t * HOUR_MS);
/** Every hour of the fifth week, each with the four weeks before it as history. */
const heldOutWeek = { since: hourAt(HISTORY_WEEKS * WEEK + 1), until: hourAt(TOTAL_HOURS + 1) };

function detectAt(series: HourlyCounts[], t: number, overrides: Partial<Parameters<typeof detectSpike>[0]> = {}) {
  return detectSpike({
    observed: { negative: series[t]!.negative, total: series[t]!.total },
    history: series.slice(0, t),
    windowStart: series[t]!.start,
    windowMinutes: 60,
    sensitivity: 'medium',
    minMentions: ALERT_RULE_DEFAULTS.minMentions,
    ...overrides,
  });
}

describe('negative-spike detection on synthetic histories', () => {
  it('four weeks of seasonal daily and weekly noise raise no alert in a held-out week at the default sensitivity', () => {
    for (const seed of SEEDS) {
      const series = seasonalSeries({ seed, hours: TOTAL_HOURS, ...SEASONAL_NOISE });
      const result = backtestRule({ rule, series, ...heldOutWeek });
      expect(result.evaluations).toBe(WEEK);
      expect({ seed, fired: result.fired }).toEqual({ seed, fired: 0 });
    }
  });

  it('the baseline follows the seasonality: expected counts track the daily cycle and the weekend dip', () => {
    const series = seasonalSeries({ seed: 7, hours: TOTAL_HOURS, ...SEASONAL_NOISE });
    const t = HISTORY_WEEKS * WEEK; // Monday 00:00
    const night = detectAt(series, t + 2).expected; // Monday 02:00, the trough
    const afternoon = detectAt(series, t + 14).expected; // Monday 14:00, the peak
    const saturday = detectAt(series, t + 5 * 24 + 14).expected;
    expect(afternoon / night).toBeGreaterThan(2.5);
    expect(saturday / afternoon).toBeGreaterThan(0.45);
    expect(saturday / afternoon).toBeLessThan(0.75);
  });

  it('low-volume noise of 0–3 negatives an hour raises no alert, even with minMentions 3', () => {
    for (const seed of SEEDS) {
      const series = lowVolumeSeries(seed, TOTAL_HOURS);
      for (const minMentions of [ALERT_RULE_DEFAULTS.minMentions, 3]) {
        const result = backtestRule({ rule: { ...rule, minMentions }, series, ...heldOutWeek });
        expect({ seed, minMentions, fired: result.fired }).toEqual({ seed, minMentions, fired: 0 });
      }
    }
  });

  it('a 5× spike is detected within two evaluation ticks', () => {
    for (const seed of SEEDS) {
      const from = HISTORY_WEEKS * WEEK + 2 * 24 + 11; // Wednesday 11:00
      const series = seasonalSeries({ seed, hours: TOTAL_HOURS, ...SEASONAL_NOISE, spike: { from, hours: 3, factor: 5 } });
      const result = backtestRule({ rule, series, ...heldOutWeek });
      const opens = result.events.filter((e) => e.kind === 'open');
      expect(opens).toHaveLength(1);
      const ticksAfterSpikeStart = (opens[0]!.at.getTime() - hourAt(from).getTime()) / HOUR_MS;
      expect(ticksAfterSpikeStart).toBeGreaterThanOrEqual(1);
      expect(ticksAfterSpikeStart).toBeLessThanOrEqual(2);
    }
  });

  it('a 5× spike at a quiet night hour is detected too', () => {
    const from = HISTORY_WEEKS * WEEK + 3 * 24 + 3; // Thursday 03:00
    const series = seasonalSeries({ seed: 11, hours: TOTAL_HOURS, ...SEASONAL_NOISE, spike: { from, hours: 1, factor: 5 } });
    expect(detectAt(series, from).fired).toBe(true);
    expect(detectAt(series, from - 24).fired).toBe(false);
  });

  it('a slow drift of +3 %/day raises no spike alert', () => {
    for (const seed of SEEDS) {
      const series = seasonalSeries({ seed, hours: TOTAL_HOURS, ...SEASONAL_NOISE, driftPerDay: 0.03 });
      const result = backtestRule({ rule, series, ...heldOutWeek });
      expect({ seed, fired: result.fired }).toEqual({ seed, fired: 0 });
    }
  });

  it('the drift is divided out of the baseline rather than lagged behind', () => {
    const series = seasonalSeries({ seed: 2, hours: TOTAL_HOURS, ...SEASONAL_NOISE, driftPerDay: 0.03 });
    const t = HISTORY_WEEKS * WEEK + 3 * 24 + 12;
    const detection = detectAt(series, t);
    expect(detection.baseline.weeklyTrend).toBeGreaterThan(1.15);
    expect(detection.baseline.weeklyTrend).toBeLessThan(1.32);
  });

  it('a rise in the negative share with stable volume fires with reason share', () => {
    const from = HISTORY_WEEKS * WEEK + 2 * 24 + 12; // Wednesday noon
    for (const seed of SEEDS) {
      const series = seasonalSeries({ seed, hours: TOTAL_HOURS, ...SEASONAL_NOISE, shareRise: { from, hours: 1, share: 0.3 } });
      const detection = detectAt(series, from);
      expect(detection).toMatchObject({ fired: true, reason: 'share' });
      expect(detection.expectedShare).toBeCloseTo(0.15, 1);
      expect(detection.baseline.sharePValue!).toBeLessThan(detection.baseline.countPValue);
    }
  });

  it('a tiny window total cannot fire on its share, and minMentions guards both tests', () => {
    const series = seasonalSeries({ seed: 3, hours: TOTAL_HOURS, ...SEASONAL_NOISE });
    const t = HISTORY_WEEKS * WEEK + 12;
    const tiny = detectAt(series, t, { observed: { negative: 9, total: MIN_SHARE_TOTAL - 1 }, minMentions: 1 });
    expect(tiny.baseline.shareSkipped).toBe('total');
    expect(tiny.reason).not.toBe('share');

    const huge = detectAt(series, t, { observed: { negative: 500, total: 600 } });
    expect(huge.fired).toBe(true);
    const guarded = detectAt(series, t, { observed: { negative: 500, total: 600 }, minMentions: 501 });
    expect(guarded).toMatchObject({ fired: false, reason: null, baseline: { guard: 'minMentions' } });
  });

  it('with under two weeks of history the baseline falls back to hour of day, and under three days nothing fires', () => {
    const series = seasonalSeries({ seed: 5, hours: 10 * 24 + 1, ...SEASONAL_NOISE });
    const t = 10 * 24;
    const daily = detectAt(series, t, { observed: { negative: 400, total: 700 } });
    expect(daily).toMatchObject({ fired: true, baseline: { model: 'hour-of-day', cycles: 10 } });
    const young = detectAt(series.slice(t - 48), 48, { observed: { negative: 400, total: 700 } });
    expect(young).toMatchObject({ fired: false, baseline: { model: 'insufficient', guard: 'noBaseline' } });
  });

  it('a window is judged against history before it only, pro rata for partial hours', () => {
    const series = seasonalSeries({ seed: 6, hours: TOTAL_HOURS, ...SEASONAL_NOISE });
    const t = HISTORY_WEEKS * WEEK + 30;
    const hour = detectAt(series, t);
    const withFuture = detectSpike({
      observed: { negative: series[t]!.negative, total: series[t]!.total },
      history: series,
      windowStart: series[t]!.start,
      windowMinutes: 60,
      sensitivity: 'medium',
      minMentions: 5,
    });
    expect(withFuture.expected).toBe(hour.expected);
    const half = detectAt(series, t, { windowMinutes: 30 });
    expect(half.expected).toBeCloseTo(hour.expected / 2, 10);
  });

  it('every evaluation within one hour shares the baseline; a window across two hours takes each pro rata', () => {
    const series = seasonalSeries({ seed: 8, hours: TOTAL_HOURS, ...SEASONAL_NOISE });
    const t = HISTORY_WEEKS * WEEK + 40;
    const history = series.slice(0, t);
    const at = (minutes: number, windowMinutes = 60) =>
      detectSpike({
        observed: { negative: 10, total: 100 },
        history,
        windowStart: new Date(series[t]!.start.getTime() + minutes * 60_000),
        windowMinutes,
        sensitivity: 'medium',
        minMentions: 5,
      });
    const onTheHour = at(0);
    const quarterPast = at(15);
    expect(quarterPast.baseline).toMatchObject({ level: onTheHour.baseline.level, dispersion: onTheHour.baseline.dispersion, cycles: 4 });
    const nextSlot = at(0, 120).expected - onTheHour.expected;
    expect(nextSlot).not.toBeCloseTo(onTheHour.expected, 1);
    expect(quarterPast.expected).toBeCloseTo(0.75 * onTheHour.expected + 0.25 * nextSlot, 10);
  });
});
