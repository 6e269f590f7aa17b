import type { Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { buildAlertPayload, type SampleMention } from '../webhooks/index.js';
import { HOUR_MS, MINUTE_MS, type Sensitivity } from './alerts.types.js';
import type { AlertRepository, AlertRuleRow } from './alerts.repository.js';
import { detectSpike } from './detection.js';
import type { OpenIncident } from './incidents.js';

/** History the baseline is fitted on: eight weeks of hours before the window. */
export const HISTORY_HOURS = 8 * 168;

/** A rule's brand's window ending on the minute of `now`, judged with the rule's settings (detectWindow). */
export function detectRuleWindow(
  alertRepository: AlertRepository,
  rule: Pick<AlertRuleRow, 'brand_id' | 'window_minutes' | 'sensitivity' | 'min_mentions'>,
  now: Date,
) {
  return detectWindow({
    alertRepository,
    brandId: rule.brand_id,
    windowMinutes: rule.window_minutes,
    sensitivity: rule.sensitivity as Sensitivity,
    minMentions: rule.min_mentions,
    now,
  });
}

/**
 * A brand's window ending on the minute of `now`, judged against the hours before it, as one
 * evaluation of a rule sees it.
 */
export async function detectWindow({
  alertRepository,
  brandId,
  windowMinutes,
  sensitivity,
  minMentions,
  now,
}: {
  alertRepository: AlertRepository;
  brandId: string;
  windowMinutes: number;
  sensitivity: Sensitivity;
  minMentions: number;
  now: Date;
}) {
  const windowEnd = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  const windowStart = new Date(windowEnd.getTime() - windowMinutes * MINUTE_MS);
  const historyEnd = new Date(Math.floor(windowStart.getTime() / HOUR_MS) * HOUR_MS);
  const [observed, history] = await Promise.all([
    alertRepository.windowCounts(brandId, windowStart, windowEnd),
    alertRepository.hourly(brandId, new Date(historyEnd.getTime() - HISTORY_HOURS * HOUR_MS), historyEnd),
  ]);
  const detection = detectSpike({ observed, history, windowStart, windowMinutes, sensitivity, minMentions });
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
 * the body's words (a resolution's). False when an event of that id is stored already.
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
    now: Date;
  },
) {
  const payload = buildAlertPayload({
    ruleId: rule.id,
    brand: { id: rule.brand_id, name: brandName ?? rule.brand_id },
    window: detection.window,
    observed: detection.observed,
    expected: detection.expected,
    score: detection.score,
    reason,
    sampleMentions: samples,
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
