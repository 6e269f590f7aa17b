import { FALSE_ALARM_PROBABILITY, MINUTE_MS, type HourlyCounts, type Sensitivity } from './alerts.types.js';
import { buildBaseline, expectedNegatives, type Baseline, type BaselineModel } from './baseline.js';
import { binomialUpperTail, negativeBinomialUpperTail } from './stats.js';

/** Below this many mentions in the window a share says nothing, whatever minMentions is. */
export const MIN_SHARE_TOTAL = 20;
/** A share rise must also be worth telling a marketer about: at least five points. */
export const MIN_SHARE_LIFT = 0.05;
export const MAX_SCORE = 50;

export type DetectionInput = {
  observed: { negative: number; total: number };
  /** Contiguous hourly buckets before the window, oldest first; up to eight weeks are used. */
  history: readonly HourlyCounts[];
  windowStart: Date;
  windowMinutes: number;
  sensitivity: Sensitivity;
  minMentions: number;
  /** buildBaseline(history, windowStart), when the caller has it already (windows starting in one hour share it). */
  baseline?: Baseline | undefined;
};

export type Detection = {
  fired: boolean;
  reason: 'count' | 'share' | null;
  window: { start: Date; end: Date };
  observed: { negative: number; total: number };
  expected: number;
  expectedShare: number;
  /** The smaller p-value of the two tests (the share test only when its guards pass). */
  pValue: number;
  /** −log10 pValue, capped at MAX_SCORE. */
  score: number;
  baseline: {
    model: BaselineModel;
    cycles: number;
    level: number;
    weeklyTrend: number;
    dispersion: number;
    /** Dispersion of the predictive distribution: hourly noise plus the uncertainty of the baseline itself. */
    predictiveDispersion: number;
    shareCorrelation: number;
    threshold: number;
    countPValue: number;
    sharePValue: number | null;
    /** Why nothing fired although a p-value reached the threshold, or why no test ran. */
    guard: 'minMentions' | 'noBaseline' | null;
    /** Why the share test did not run: too few mentions in the window, or a rise under MIN_SHARE_LIFT. */
    shareSkipped: 'total' | 'lift' | null;
  };
};

export const scoreOf = (p: number): number => (p <= 0 ? MAX_SCORE : Math.min(MAX_SCORE, Math.max(0, -Math.log10(p))));

/**
 * The predictive distribution for the window is negative binomial with mean E and variance
 * (E + αE²)(1 + 1/K): hourly over-dispersion α plus the error of a baseline fitted from K cycles
 * (for Poisson data this is exactly the Poisson–gamma predictive of a rate estimated from K
 * periods). Over a window of several hours α is applied to the window total, i.e. noise within
 * the window is taken as fully correlated — the conservative choice.
 */
function predictiveDispersion(expected: number, dispersion: number, effectiveCycles: number): number {
  return dispersion + (1 / expected + dispersion) / effectiveCycles;
}

export function detectSpike(input: DetectionInput): Detection {
  const { observed, windowStart, windowMinutes, sensitivity, minMentions } = input;
  const threshold = FALSE_ALARM_PROBABILITY[sensitivity];
  const window = { start: windowStart, end: new Date(windowStart.getTime() + windowMinutes * MINUTE_MS) };
  const baseline = input.baseline ?? buildBaseline(input.history, windowStart);
  const explain = {
    model: baseline.model,
    cycles: baseline.cycles,
    level: baseline.level,
    weeklyTrend: baseline.weeklyTrend,
    dispersion: baseline.dispersion,
    shareCorrelation: baseline.shareCorrelation,
    threshold,
  };

  if (baseline.model === 'insufficient') {
    return {
      fired: false,
      reason: null,
      window,
      observed,
      expected: 0,
      expectedShare: 0,
      pValue: 1,
      score: 0,
      baseline: { ...explain, predictiveDispersion: 0, countPValue: 1, sharePValue: null, guard: 'noBaseline', shareSkipped: null },
    };
  }

  const expected = expectedNegatives(baseline, windowStart, windowMinutes);
  const alpha = predictiveDispersion(expected, baseline.dispersion, baseline.effectiveCycles);
  const countPValue = negativeBinomialUpperTail(observed.negative, expected, alpha);

  // Share: binomial tail of the window's negatives given its total, with the sample size shrunk
  // by the design effect 1 + (n−1)ρ for hour-to-hour variation of the share beyond binomial.
  const { total, negative } = observed;
  const q = baseline.share;
  let sharePValue: number | null = null;
  let shareSkipped: Detection['baseline']['shareSkipped'] = null;
  if (total < Math.max(minMentions, MIN_SHARE_TOTAL)) shareSkipped = 'total';
  else if (negative / total < q + MIN_SHARE_LIFT) shareSkipped = 'lift';
  else {
    const effectiveTotal = total / (1 + (total - 1) * baseline.shareCorrelation);
    sharePValue = binomialUpperTail((negative * effectiveTotal) / total, effectiveTotal, q);
  }

  const enough = negative >= minMentions;
  const countFires = enough && countPValue <= threshold;
  const shareFires = enough && sharePValue !== null && sharePValue <= threshold;
  const pValue = Math.min(countPValue, sharePValue ?? 1);
  let reason: Detection['reason'] = null;
  if (countFires || shareFires) reason = shareFires && (!countFires || sharePValue! < countPValue) ? 'share' : 'count';

  const guard = !reason && pValue <= threshold ? 'minMentions' : null;

  return {
    fired: reason !== null,
    reason,
    window,
    observed,
    expected,
    expectedShare: q,
    pValue,
    score: scoreOf(pValue),
    baseline: { ...explain, predictiveDispersion: alpha, countPValue, sharePValue, guard, shareSkipped },
  };
}
