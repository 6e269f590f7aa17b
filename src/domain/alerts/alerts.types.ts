/** One hourly rollup of a brand's mentions; `start` is on the hour (UTC). */
export type HourlyCounts = { start: Date; total: number; negative: number };

export type Sensitivity = 'low' | 'medium' | 'high';
export const SENSITIVITIES = ['low', 'medium', 'high'] as const satisfies readonly Sensitivity[];

/**
 * The probability that one evaluation of a quiet brand fires, if the baseline model is right.
 * Medium is the default: with 60-minute windows there are about 24 independent windows a day,
 * so 1e-4 is about one false alarm a year per rule, and four weeks of seasonal noise raise
 * none (test/domain/alerts.detection.test.ts, bench/alerts.bench.ts).
 */
export const FALSE_ALARM_PROBABILITY: Record<Sensitivity, number> = {
  high: 1e-3,
  medium: 1e-4,
  low: 1e-5,
};

export const ALERT_RULE_DEFAULTS = {
  windowMinutes: 60,
  sensitivity: 'medium' as Sensitivity,
  minMentions: 5,
  cooldownMinutes: 60,
} as const;

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
