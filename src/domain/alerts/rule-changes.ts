import type { Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import type { BrandRepository } from '../brands/brands.repository.js';
import { closedText } from '../webhooks/index.js';
import { MINUTE_MS, type Sensitivity } from './alerts.types.js';
import type { AlertRepository, AlertRuleRow, RuleFields } from './alerts.repository.js';
import { detectRuleWindow, readIncident, storeAlert } from './evaluation.js';
import { ALERT_RESOLVED_EVENT_TYPE, alertEventId, type OpenIncident } from './incidents.js';

/**
 * What an edit of a rule does to its incident, in the transaction that saves the edit, with the
 * rule's row locked (so the incident is the one the last evaluation saved).
 *
 * A new brand: the incident and the cooldown were the old brand's. The incident is closed with a
 * resolution naming the old brand, stored pending like any alert (the next evaluation's sweep of
 * pending alerts sends it): a receiver that opened an incident for that brand gets it closed,
 * instead of holding it open for ever or reading a "resolved" for a brand that never had an
 * alert. A paused or disabled rule sends nothing, so there the incident is just dropped. The
 * cooldown is forgotten, and the fires it held back: the new brand never had an incident.
 *
 * A new window length, same brand: the same spike goes on, so the incident stays open (closing
 * and reopening it would page twice for one spike). Its last judged window is kept by its end,
 * not its start: a longer window starts earlier, and by its start every evaluation for that many
 * minutes would look like a re-run of a window already judged (`suppressed: 'repeat'`).
 */
export async function followRuleChange({
  trx,
  before,
  patch,
  now,
  alertRepository,
  brandRepository,
}: {
  trx: Transaction<DB>;
  before: AlertRuleRow;
  patch: Partial<RuleFields>;
  now: Date;
  alertRepository: AlertRepository;
  brandRepository: BrandRepository;
}): Promise<void> {
  const incident = readIncident(before.incident);
  if (patch.brandId !== undefined && patch.brandId !== before.brand_id) {
    if (incident && before.enabled && patch.enabled !== false) await closeForOldBrand({ trx, rule: before, incident, now, alertRepository, brandRepository });
    await alertRepository.saveIncident(trx, before.id, { incident: null, lastResolvedAt: null, forgetSuppressed: 'all' });
    return;
  }
  if (incident && patch.windowMinutes !== undefined && patch.windowMinutes !== before.window_minutes) {
    const lastEvaluatedWindow = new Date(incident.lastEvaluatedWindow.getTime() + (before.window_minutes - patch.windowMinutes) * MINUTE_MS);
    await alertRepository.saveIncident(trx, before.id, { incident: { ...incident, lastEvaluatedWindow } });
  }
}

/**
 * The resolution of an incident whose rule stopped watching its brand: the old brand's window as
 * of now, no reason and no samples like any resolution, and the id the incident's own resolution
 * would have had (it can never have both).
 */
async function closeForOldBrand({
  trx,
  rule,
  incident,
  now,
  alertRepository,
  brandRepository,
}: {
  trx: Transaction<DB>;
  rule: AlertRuleRow;
  incident: OpenIncident;
  now: Date;
  alertRepository: AlertRepository;
  brandRepository: BrandRepository;
}): Promise<void> {
  const brand = await brandRepository.get(rule.workspace_id, rule.brand_id);
  const { detection } = await detectRuleWindow(alertRepository, rule, now);
  await storeAlert(trx, {
    alertRepository,
    rule,
    brandName: brand?.name,
    eventId: alertEventId(incident.ruleId, incident.startedAt, 'resolved'),
    type: ALERT_RESOLVED_EVENT_TYPE,
    detection,
    reason: null,
    samples: [],
    text: closedText(brand?.name ?? 'the brand'),
    resolves: incident,
    now,
  });
}
