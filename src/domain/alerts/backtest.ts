import { HOUR_MS, type HourlyCounts, type Sensitivity } from './alerts.types.js';
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
  return { events, evaluations, fired, windowHours };
}
