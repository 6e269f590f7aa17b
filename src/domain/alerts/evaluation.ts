import type { Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { buildAlertPayload, resolvedAlert, type SampleMention } from '../webhooks/index.js';
import { HOUR_MS, MINUTE_MS, type Sensitivity } from './alerts.types.js';
import type { AlertRepository, AlertRuleRow } from './alerts.repository.js';
import { judgeWindows, LATE_WINDOW_MINUTES, STORED_SINCE_MARGIN_MS } from './late-windows.js';
import type { OpenIncident } from './incidents.js';

/** History the baseline is fitted on: eight weeks of hours before the window. */
export const HISTORY_HOURS = 8 * 168;

/**
 * A rule's brand's window ending on the minute of `now`, judged with the rule's settings
 * (detectWindow), with `late` the windows before it that got mentions since the last evaluation.
 */
export function detectRuleWindow(
  alertRepository: AlertRepository,
  rule: Pick<AlertRuleRow, 'brand_id' | 'window_minutes' | 'sensitivity' | 'min_mentions'>,
  now: Date,
  late?: LateWindows,
) {
  return detectWindow({
    alertRepository,
    brandId: rule.brand_id,
    windowMinutes: rule.window_minutes,
    sensitivity: rule.sensitivity as Sensitivity,
    minMentions: rule.min_mentions,
    now,
    late,
  });
}

/** Which earlier windows an evaluation judges again (late-windows.ts). */
export type LateWindows = {
  /** The `now` of the rule's last evaluation: mentions stored since then (less the margin) are new. */
  lastEvaluatedAt: Date;
  /** Only windows ending after this are judged again (the last resolution, while no incident is open); null: any within LATE_WINDOW_MINUTES. */
  after: Date | null;
};

/**
 * A brand's window ending on the minute of `now`, judged against the hours before it, as one
 * evaluation of a rule sees it, and with `late` also the earlier windows that got mentions since
 * the last evaluation. `detection` is the window the evaluation goes by, `windowStart` and
 * `windowEnd` those of the window ending now.
 */
export async function detectWindow({
  alertRepository,
  brandId,
  windowMinutes,
  sensitivity,
  minMentions,
  now,
  late,
}: {
  alertRepository: AlertRepository;
  brandId: string;
  windowMinutes: number;
  sensitivity: Sensitivity;
  minMentions: number;
  now: Date;
  late?: LateWindows | undefined;
}) {
  const windowEnd = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  const windowStart = new Date(windowEnd.getTime() - windowMinutes * MINUTE_MS);
  const earliestStart = late ? new Date(windowStart.getTime() - LATE_WINDOW_MINUTES * MINUTE_MS) : windowStart;
  const historyFrom = new Date(Math.floor(earliestStart.getTime() / HOUR_MS) * HOUR_MS - HISTORY_HOURS * HOUR_MS);
  const historyEnd = new Date(Math.floor(windowStart.getTime() / HOUR_MS) * HOUR_MS);
  // Stored since the last evaluation, up to this one: a mention stored after `now` (an evaluation
  // running behind the clock, a replay) is new to the next one.
  const stored = late ? { from: new Date(late.lastEvaluatedAt.getTime() - STORED_SINCE_MARGIN_MS), until: now } : null;
  const [minutes, history] = await Promise.all([
    alertRepository.minuteCounts(brandId, earliestStart, windowEnd, stored),
    alertRepository.hourly(brandId, historyFrom, historyEnd),
  ]);
  const lateAfter = late ? (late.after ?? new Date(0)) : null;
  const { detection } = judgeWindows({ minutes, history, windowEnd, windowMinutes, sensitivity, minMentions, lateAfter });
  return { detection, windowStart, windowEnd };
}

type StoredIncident = Omit<OpenIncident, 'startedAt' | 'lastEvaluatedWindow' | 'lastElevatedAt'> & Record<'startedAt' | 'lastEvaluatedWindow' | 'lastElevatedAt', string>;

/** A rule's stored incident (JSON, its times as strings) as the state machine takes it. */
export function readIncident(stored: unknown): OpenIncident | null {
  if (!stored) return null;
  const incident = stored as StoredIncident;
  return { ...incident, startedAt: new Date(incident.startedAt), lastEvaluatedWindow: new Date(incident.lastEvaluatedWindow), lastElevatedAt: new Date(incident.lastElevatedAt) };
}

/**
 * One event of a rule stored pending delivery, with its webhook body: the window judged, the
 * brand's name, `reason` (null for a resolution: no test fired) and the samples; `text` replaces
 * the body's words (a resolution's), and `resolves`, the incident a resolution closes, adds its
 * opening alert's id, start and peak. False when an event of that id is stored already.
 */
export async function storeAlert(
  trx: Transaction<DB>,
  {
    alertRepository,
    rule,
    brandName,
    eventId,
    type,
    detection,
    reason,
    samples,
    text,
    resolves,
    now,
  }: {
    alertRepository: AlertRepository;
    rule: Pick<AlertRuleRow, 'id' | 'workspace_id' | 'brand_id'>;
    brandName: string | undefined;
    eventId: string;
    type: string;
    detection: Awaited<ReturnType<typeof detectWindow>>['detection'];
    reason: 'count' | 'share' | null;
    samples: readonly SampleMention[];
    text?: string | undefined;
    resolves?: OpenIncident | undefined;
    now: Date;
  },
) {
  const opening = resolves && (await alertRepository.alertFigures(trx, resolves.eventId));
  const payload = buildAlertPayload({
    ruleId: rule.id,
    brand: { id: rule.brand_id, name: brandName ?? rule.brand_id },
    window: detection.window,
    observed: detection.observed,
    expected: detection.expected,
    score: detection.score,
    reason,
    sampleMentions: samples,
    resolves:
      resolves &&
      resolvedAlert({
        alertId: resolves.eventId,
        startedAt: resolves.startedAt,
        peak: opening
          ? {
              window: { start: opening.window_start, end: opening.window_end },
              observed: opening.observed,
              total: opening.total,
              expected: opening.expected,
              score: opening.score,
              reason: opening.reason as 'count' | 'share' | null,
            }
          : null,
      }),
    timestamp: now,
  });
  return alertRepository.insertAlert(trx, {
    id: eventId,
    ruleId: rule.id,
    workspaceId: rule.workspace_id,
    brandId: rule.brand_id,
    type,
    windowStart: detection.window.start,
    windowEnd: detection.window.end,
    observed: detection.observed.negative,
    total: detection.observed.total,
    expected: detection.expected,
    score: detection.score,
    reason,
    sampleMentionIds: samples.map((m) => Number(m.id)),
    payload: text === undefined ? payload : { ...payload, type, text },
  });
}
