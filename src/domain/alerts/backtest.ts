import { HOUR_MS, type HourlyCounts, type Sensitivity } from './alerts.types.js';
import { MIN_DAYS } from './baseline.js';
import { detectSpike, type Detection } from './detection.js';
import { decideIncident, type OpenIncident } from './incidents.js';

const HISTORY_HOURS = 8 * 168;

export type BacktestRule = {
  id: string;
  windowMinutes: number;
  sensitivity: Sensitivity;
  minMentions: number;
  cooldownMinutes: number;
};

export type BacktestEvent = {
  kind: 'open' | 'update' | 'resolve';
  at: Date;
  eventId: string | null;
  window: { start: Date; end: Date };
  observed: { negative: number; total: number };
  expected: number;
  score: number;
  reason: Detection['reason'];
};

export type BacktestResult = {
  events: BacktestEvent[];
  evaluations: number;
  /** Evaluations whose detection fired, whether or not they opened an incident. */
  fired: number;
  /** Evaluations with too little history before their window for a baseline: they cannot fire. */
  withoutBaseline: number;
  /** The hourly window actually replayed: hourly rollups cannot replay sub-hour windows. */
  windowHours: number;
};

/**
 * Replays a rule over hourly rollups, evaluating at every `stepHours` boundary in [since, until)
 * as the scheduler would have at that moment: the window is the whole hours just before the
 * evaluation (windowMinutes rounded up to hours) and the history is everything before the window.
 * `series` must be contiguous and sorted; deterministic for the same input.
 */
export function backtestRule({
  rule,
  series,
  since,
  until,
  stepHours = 1,
}: {
  rule: BacktestRule;
  series: readonly HourlyCounts[];
  since: Date;
  until: Date;
  stepHours?: number;
}): BacktestResult {
  const windowHours = Math.max(1, Math.ceil(rule.windowMinutes / 60));
  const indexOf = new Map(series.map((b, i) => [b.start.getTime(), i]));
  const events: BacktestEvent[] = [];
  let incident: OpenIncident | null = null;
  let lastResolvedAt: Date | null = null;
  let evaluations = 0;
  let fired = 0;
  let withoutBaseline = 0;

  const first = Math.ceil(since.getTime() / HOUR_MS) * HOUR_MS;
  for (let at = first; at < until.getTime(); at += stepHours * HOUR_MS) {
    const windowStart = at - windowHours * HOUR_MS;
    const from = indexOf.get(windowStart);
    if (from === undefined || indexOf.get(at - HOUR_MS) === undefined) continue;
    const window = series.slice(from, from + windowHours);
    const detection = detectSpike({
      observed: {
        negative: window.reduce((n, b) => n + b.negative, 0),
        total: window.reduce((n, b) => n + b.total, 0),
      },
      history: series.slice(Math.max(0, from - HISTORY_HOURS), from),
      windowStart: new Date(windowStart),
      windowMinutes: windowHours * 60,
      sensitivity: rule.sensitivity,
      minMentions: rule.minMentions,
    });
    evaluations++;
    if (detection.fired) fired++;
    if (detection.baseline.guard === 'noBaseline') withoutBaseline++;
    const now = new Date(at);
    const action = decideIncident({ rule, incident, lastResolvedAt, detection, now });
    if (action.kind === 'resolve') {
      incident = null;
      lastResolvedAt = action.resolvedAt;
    } else {
      incident = action.incident;
    }
    if (action.kind === 'none') continue;
    events.push({
      kind: action.kind,
      at: now,
      eventId: action.kind === 'update' ? null : action.eventId,
      window: detection.window,
      observed: detection.observed,
      expected: detection.expected,
      score: detection.score,
      reason: detection.reason,
    });
  }
  return { events, evaluations, fired, withoutBaseline, windowHours };
}

/**
 * Why a replay judged nothing, or part of its span only, in words (the answer's `note`); null
 * when every evaluation could fire. `series` is what backtestRule replayed, asked for from
 * `historyFrom` (the history before `since`) to `until`: it starts at the brand's first mention
 * there, since the hours before it are no history at all.
 */
export function backtestNote({ series, result, historyFrom, until }: { series: readonly HourlyCounts[]; result: BacktestResult; historyFrom: Date; until: Date }): string | null {
  const first = series[0]?.start;
  if (first === undefined) {
    return `nothing to evaluate: the brand has no mentions from ${historyFrom.toISOString()} (the 8 weeks before since, its baseline's history) to until`;
  }
  const since = `the brand's first mention since ${historyFrom.toISOString()} is in the hour from ${first.toISOString()}`;
  if (result.evaluations === 0) return `nothing to evaluate: ${since}, too late for a whole ${result.windowHours}-hour window to end before until`;
  if (result.withoutBaseline === 0) return null;
  const need = `a window is judged against at least ${MIN_DAYS} days of the brand's mentions before it, and ${since}`;
  return result.withoutBaseline === result.evaluations
    ? `not enough history for a baseline: ${need}, so no window of this span could fire`
    : `${result.withoutBaseline} of the ${result.evaluations} evaluations could not fire for want of history: ${need}`;
}
