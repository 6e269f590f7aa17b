import { createHash } from 'node:crypto';
import { MINUTE_MS } from './alerts.types.js';
import type { Detection } from './detection.js';

export const ALERT_EVENT_TYPE = 'alert.negative_spike';
export const ALERT_RESOLVED_EVENT_TYPE = 'alert.negative_spike.resolved';
/** Evaluations in a row below the threshold before an incident is resolved. */
export const RESOLVE_AFTER_NORMAL_EVALUATIONS = 3;

export type IncidentRule = { id: string; cooldownMinutes: number };

export type OpenIncident = {
  ruleId: string;
  eventId: string;
  /** The start of the first window that fired: with the rule id, it names the incident. */
  startedAt: Date;
  lastEvaluatedWindow: Date;
  lastElevatedAt: Date;
  normalStreak: number;
  peakScore: number;
  peakObserved: number;
};

export type IncidentAction =
  | { kind: 'open'; type: typeof ALERT_EVENT_TYPE; eventId: string; incident: OpenIncident }
  | { kind: 'update'; incident: OpenIncident }
  | { kind: 'resolve'; type: typeof ALERT_RESOLVED_EVENT_TYPE; eventId: string; incident: OpenIncident; resolvedAt: Date }
  | { kind: 'none'; incident: OpenIncident | null; suppressed?: 'cooldown' | 'repeat' };

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** `evt_` + 26 base32 characters (130 bits) of sha256 over the parts: the same incident, the same id. */
export function alertEventId(ruleId: string, incidentStart: Date, suffix = ''): string {
  const digest = createHash('sha256').update(`${ruleId}\n${incidentStart.toISOString()}\n${suffix}`).digest();
  return `evt_${base32(digest).slice(0, 26)}`;
}

/**
 * One evaluation's consequence for a rule. The caller stores the returned incident (or clears it
 * on resolve, remembering resolvedAt for the cooldown) and sends an event for open and resolve.
 * Two processes evaluating the same window with no open incident both answer `open` with the
 * same eventId, so a unique key on it keeps one alert per spike.
 */
export function decideIncident({
  rule,
  incident,
  lastResolvedAt,
  detection,
  evaluatedWindow: windowStart = detection.window.start,
  now,
}: {
  rule: IncidentRule;
  incident: OpenIncident | null;
  lastResolvedAt: Date | null;
  /** The window the evaluation goes by: the one ending now, or an earlier one judged again with mentions stored late. */
  detection: Detection;
  /** The start of the window ending now, which orders evaluations; the detection's unless given. */
  evaluatedWindow?: Date;
  now: Date;
}): IncidentAction {
  if (incident) {
    // A re-run over a window already judged (a retried job) must not move the streak.
    if (windowStart.getTime() <= incident.lastEvaluatedWindow.getTime()) return { kind: 'none', incident, suppressed: 'repeat' };
    if (detection.fired) {
      return {
        kind: 'update',
        incident: {
          ...incident,
          lastEvaluatedWindow: windowStart,
          lastElevatedAt: now,
          normalStreak: 0,
          peakScore: Math.max(incident.peakScore, detection.score),
          peakObserved: Math.max(incident.peakObserved, detection.observed.negative),
        },
      };
    }
    const next = { ...incident, lastEvaluatedWindow: windowStart, normalStreak: incident.normalStreak + 1 };
    if (next.normalStreak < RESOLVE_AFTER_NORMAL_EVALUATIONS) return { kind: 'none', incident: next };
    return {
      kind: 'resolve',
      type: ALERT_RESOLVED_EVENT_TYPE,
      eventId: alertEventId(incident.ruleId, incident.startedAt, 'resolved'),
      incident: next,
      resolvedAt: now,
    };
  }

  if (!detection.fired) return { kind: 'none', incident: null };
  if (lastResolvedAt && now.getTime() < lastResolvedAt.getTime() + rule.cooldownMinutes * MINUTE_MS) {
    return { kind: 'none', incident: null, suppressed: 'cooldown' };
  }
  // Named by the window that fired, which may be earlier than the one ending now.
  const eventId = alertEventId(rule.id, detection.window.start);
  return {
    kind: 'open',
    type: ALERT_EVENT_TYPE,
    eventId,
    incident: {
      ruleId: rule.id,
      eventId,
      startedAt: detection.window.start,
      lastEvaluatedWindow: windowStart,
      lastElevatedAt: now,
      normalStreak: 0,
      peakScore: detection.score,
      peakObserved: detection.observed.negative,
    },
  };
}
