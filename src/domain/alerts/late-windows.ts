import { HOUR_MS, MINUTE_MS, type HourlyCounts, type Sensitivity } from './alerts.types.js';
import { buildBaseline, type Baseline } from './baseline.js';
import { detectSpike, type Detection } from './detection.js';

// A window counts mentions by when they were published, as the baseline's hourly rollups do. But
// sources are polled every few minutes (15 by default) and feeds publish late, so a mention is
// often stored after the windows holding it were judged: judged only then, a 5-minute window
// would never see a spike that arrives by a 15-minute poll. So each evaluation judges the window
// ending now and, again, every earlier window that ended at most LATE_WINDOW_MINUTES ago and holds
// a mention stored since the last evaluation. A window's count only grows as its mentions arrive,
// so judging it again with them is judging it once with all of them, as a backtest does: a window
// is not tested more often than before, only with what it really held.

/** How long after a window ended it is judged again when mentions published in it are stored. */
export const LATE_WINDOW_MINUTES = 120;

/**
 * A mention's `created_at` is when the transaction storing it began, by the database's clock; one
 * that began before an evaluation and committed after it was not seen by it. Mentions stored up to
 * this long before the last evaluation count as new too (judging a window again with nothing new
 * changes nothing), which also covers a few seconds' difference between the two clocks.
 */
export const STORED_SINCE_MARGIN_MS = 2 * MINUTE_MS;

/** A brand's mentions published in one minute: negatives, all, and whether one was stored since the last evaluation. */
export type MinuteCounts = { minute: Date; negative: number; total: number; storedSince: boolean };

/**
 * The window ending at `windowEnd` and, when `lateAfter` is given, each earlier one ending after it
 * (and at most LATE_WINDOW_MINUTES before `windowEnd`) that holds a mention stored since the last
 * evaluation. `detection` is what the evaluation goes by: of the windows that fired, the one with
 * the smallest p-value (the latest of equals), or else the current one; `current` is the window
 * ending at `windowEnd` itself.
 */
export function judgeWindows({
  minutes,
  history,
  windowEnd,
  windowMinutes,
  sensitivity,
  minMentions,
  lateAfter,
}: {
  /** The brand's mentions by minute of publication, over [windowEnd − windowMinutes − LATE_WINDOW_MINUTES, windowEnd). */
  minutes: readonly MinuteCounts[];
  /** Hourly rollups before the current window's hour, as for detectSpike. */
  history: readonly HourlyCounts[];
  windowEnd: Date;
  windowMinutes: number;
  sensitivity: Sensitivity;
  minMentions: number;
  /** Earlier windows are judged again only if they end after this; null: none is. */
  lateAfter: Date | null;
}): { detection: Detection; current: Detection } {
  const span = windowMinutes + LATE_WINDOW_MINUTES;
  const first = windowEnd.getTime() - span * MINUTE_MS;
  // Running sums by minute: sums[k] counts the minutes before minute k of the span.
  const negative = new Array<number>(span + 1).fill(0);
  const total = new Array<number>(span + 1).fill(0);
  const stored = new Array<number>(span + 1).fill(0);
  for (const m of minutes) {
    const k = Math.floor((m.minute.getTime() - first) / MINUTE_MS);
    if (k < 0 || k >= span) continue;
    negative[k + 1]! += m.negative;
    total[k + 1]! += m.total;
    stored[k + 1]! += m.storedSince ? 1 : 0;
  }
  for (let k = 1; k <= span; k++) {
    negative[k]! += negative[k - 1]!;
    total[k]! += total[k - 1]!;
    stored[k]! += stored[k - 1]!;
  }

  const baselines = new Map<number, Baseline>();
  /** The window ending at minute `k` of the span. */
  const judge = (k: number): Detection => {
    const windowStart = new Date(first + (k - windowMinutes) * MINUTE_MS);
    const hour = Math.floor(windowStart.getTime() / HOUR_MS);
    if (!baselines.has(hour)) baselines.set(hour, buildBaseline(history, windowStart));
    return detectSpike({
      observed: { negative: negative[k]! - negative[k - windowMinutes]!, total: total[k]! - total[k - windowMinutes]! },
      history,
      baseline: baselines.get(hour),
      windowStart,
      windowMinutes,
      sensitivity,
      minMentions,
    });
  };

  const current = judge(span);
  let detection = current.fired ? current : null;
  if (lateAfter) {
    const from = Math.max(windowMinutes, Math.floor((lateAfter.getTime() - first) / MINUTE_MS) + 1);
    for (let k = from; k < span; k++) {
      if (stored[k]! === stored[k - windowMinutes]!) continue;
      const late = judge(k);
      if (late.fired && (!detection || late.pValue < detection.pValue || (late.pValue === detection.pValue && detection !== current))) detection = late;
    }
  }
  return { detection: detection ?? current, current };
}
