/** One hourly rollup of a brand's mentions; `start` is on the hour (UTC). */
export type HourlyCounts = { start: Date; total: number; negative: number };

export type Sensitivity = 'low' | 'medium' | 'high';
export const SENSITIVITIES = ['low', 'medium', 'high'] as const satisfies readonly Sensitivity[];

/**
 * The probability that one evaluation of a quiet brand fires, if the baseline model were exact.
 * The measured tail is heavier (6× nominal at 1e-4 on seasonal noise with day-level shocks;
 * docs/alerts.md), so the default, medium, is 1e-5: one or two false alarms a year per rule by
 * that measure, none in 20 seeded weeks of seasonal noise or drift (bench/alerts.bench.ts),
 * while a 5× spike still scores far beyond it.
 */
export const FALSE_ALARM_PROBABILITY: Record<Sensitivity, number> = {
  high: 1e-4,
  medium: 1e-5,
  low: 1e-6,
};

export const ALERT_RULE_DEFAULTS = {
  windowMinutes: 60,
  sensitivity: 'medium' as Sensitivity,
  minMentions: 5,
  cooldownMinutes: 60,
} as const;

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
