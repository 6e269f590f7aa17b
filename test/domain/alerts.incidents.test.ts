import { describe, expect, it } from 'vitest';
import { ALERT_RULE_DEFAULTS } from '../../src/domain/alerts/alerts.types.js';
import { backtestRule } from '../../src/domain/alerts/backtest.js';
import type { Detection } from '../../src/domain/alerts/detection.js';
import {
  alertEventId,
  decideIncident,
  RESOLVE_AFTER_NORMAL_EVALUATIONS,
  type IncidentAction,
  type OpenIncident,
} from '../../src/domain/alerts/incidents.js';
import { SEASONAL_NOISE, seasonalSeries, SERIES_START, WEEK } from './alerts/synthetic.js';

const MINUTE_MS = 60_000;
const rule = { id: 'rule_1', cooldownMinutes: 60 };
const t0 = new Date('2026-03-02T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE_MS);

/** A detection for the 60-minute window ending `minutes` after t0. */
function detection(minutes: number, fired: boolean): Detection {
  const end = at(minutes);
  return {
    fired,
    reason: fired ? 'count' : null,
    window: { start: new Date(end.getTime() - 60 * MINUTE_MS), end },
    observed: { negative: fired ? 90 : 20, total: 400 },
    expected: 20,
    expectedShare: 0.15,
    pValue: fired ? 1e-9 : 0.4,
    score: fired ? 9 : 0.4,
    baseline: {} as Detection['baseline'],
  };
}

/** Runs the state machine as a scheduler would: one evaluation a minute, state carried over. */
function run(pattern: boolean[], start = 0, state: { incident: OpenIncident | null; lastResolvedAt: Date | null } = { incident: null, lastResolvedAt: null }) {
  const actions: IncidentAction[] = [];
  pattern.forEach((fired, i) => {
    const now = at(start + i);
    const action = decideIncident({ rule, ...state, detection: detection(start + i, fired), now });
    actions.push(action);
    if (action.kind === 'resolve') state = { incident: null, lastResolvedAt: action.resolvedAt };
    else state = { ...state, incident: action.incident };
  });
  return { actions, state };
}

describe('alert incidents', () => {
  it('one spike opens exactly one incident, updates while elevated, and resolves after three normal evaluations', () => {
    const { actions } = run([false, true, true, true, false, true, false, false, false, false]);
    expect(actions.map((a) => a.kind)).toEqual(['none', 'open', 'update', 'update', 'none', 'update', 'none', 'none', 'resolve', 'none']);
    const open = actions[1] as Extract<IncidentAction, { kind: 'open' }>;
    expect(open.type).toBe('alert.negative_spike');
    expect(open.eventId).toMatch(/^evt_[a-z2-7]{26}$/);
    const resolve = actions[8] as Extract<IncidentAction, { kind: 'resolve' }>;
    expect(resolve.type).toBe('alert.negative_spike.resolved');
    expect(resolve.eventId).not.toBe(open.eventId);
    expect(resolve.incident.peakObserved).toBe(90);
    expect(RESOLVE_AFTER_NORMAL_EVALUATIONS).toBe(3);
  });

  it('re-evaluating the same window never alerts twice and never moves the resolve streak', () => {
    const first = decideIncident({ rule, incident: null, lastResolvedAt: null, detection: detection(5, true), now: at(5) });
    expect(first.kind).toBe('open');
    const again = decideIncident({ rule, incident: first.incident, lastResolvedAt: null, detection: detection(5, true), now: at(5.5) });
    expect(again).toMatchObject({ kind: 'none', suppressed: 'repeat' });
    let incident = first.incident!;
    for (let i = 0; i < 5; i++) {
      const normal = decideIncident({ rule, incident, lastResolvedAt: null, detection: detection(6, false), now: at(6) });
      expect(normal.kind).toBe('none');
      incident = normal.incident!;
    }
    expect(incident.normalStreak).toBe(1);
  });

  it('two schedulers that both see no open incident for the same window produce the same event id', () => {
    const a = decideIncident({ rule, incident: null, lastResolvedAt: null, detection: detection(7, true), now: at(7) });
    const b = decideIncident({ rule, incident: null, lastResolvedAt: null, detection: detection(7, true), now: at(7.4) });
    expect(a.kind).toBe('open');
    expect(b.kind).toBe('open');
    expect((a as { eventId: string }).eventId).toBe((b as { eventId: string }).eventId);
    expect(alertEventId('rule_2', at(-53))).not.toBe((a as { eventId: string }).eventId);
    expect(alertEventId(rule.id, at(-52))).not.toBe((a as { eventId: string }).eventId);
  });

  it('no new incident opens within the cooldown after a resolution, and one opens after it', () => {
    const first = run([true, false, false, false]);
    expect(first.actions.at(-1)!.kind).toBe('resolve');
    const resolvedAt = first.state.lastResolvedAt!;
    const during = run([true, true], 30, first.state);
    expect(during.actions).toMatchObject([
      { kind: 'none', suppressed: 'cooldown' },
      { kind: 'none', suppressed: 'cooldown' },
    ]);
    const afterMinutes = (resolvedAt.getTime() - t0.getTime()) / MINUTE_MS + rule.cooldownMinutes;
    const after = run([true], afterMinutes, during.state);
    expect(after.actions[0]!.kind).toBe('open');
  });
});

describe('backtest', () => {
  const HOUR_MS = 3_600_000;
  const hours = 5 * WEEK;
  const from = 4 * WEEK + 2 * 24 + 11;
  const series = seasonalSeries({ seed: 21, hours, ...SEASONAL_NOISE, spike: { from, hours: 4, factor: 5 } });
  const window = { since: new Date(SERIES_START.getTime() + 4 * WEEK * HOUR_MS), until: new Date(SERIES_START.getTime() + hours * HOUR_MS) };
  const rule = { id: 'rule_bt', ...ALERT_RULE_DEFAULTS };

  it('replays a spike as one open, updates while it lasts and one resolve, deterministically', () => {
    const result = backtestRule({ rule, series, ...window });
    const kinds = result.events.map((e) => e.kind);
    expect(kinds[0]).toBe('open');
    expect(kinds.filter((k) => k === 'open')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'update').length).toBeGreaterThanOrEqual(2);
    expect(kinds.at(-1)).toBe('resolve');
    expect(result.events[0]!.eventId).toBe(alertEventId(rule.id, new Date(SERIES_START.getTime() + from * HOUR_MS)));
    expect(result.events[0]!.observed.negative).toBeGreaterThan(3 * result.events[0]!.expected);
    expect(backtestRule({ rule, series, ...window })).toEqual(result);
  });

  it('rounds sub-hour windows up to the hourly rollups it can replay and skips hours it has no data for', () => {
    const result = backtestRule({ rule: { ...rule, windowMinutes: 15 }, series, ...window });
    expect(result.windowHours).toBe(1);
    const beyond = backtestRule({ rule, series, since: window.until, until: new Date(window.until.getTime() + 5 * HOUR_MS) });
    expect(beyond.evaluations).toBe(1);
  });

  it('a less sensitive rule fires no more often than a more sensitive one', () => {
    const quiet = seasonalSeries({ seed: 22, hours, ...SEASONAL_NOISE });
    const fired = (['high', 'medium', 'low'] as const).map((sensitivity) => backtestRule({ rule: { ...rule, sensitivity }, series: quiet, ...window }).fired);
    expect(fired[0]).toBeGreaterThanOrEqual(fired[1]!);
    expect(fired[1]).toBeGreaterThanOrEqual(fired[2]!);
  });
});
