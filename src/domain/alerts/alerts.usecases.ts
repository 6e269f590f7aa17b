import type { Kysely } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import type { HttpClient } from '../../infra/http/index.js';
import type { BrandRepository } from '../brands/brands.repository.js';
import { AppError, notFound } from '../errors.js';
import { apiScore } from '../mentions/mentions.usecases.js';
import { cursorCodec, cursorMicroTime, invalidCursor, pageByCreation, toPage, type CreatedAfter, type CursorKeys, type Page } from '../pagination/cursor.js';
import { validationError } from '../validation.js';
import { deliverWebhook, generateSecret, isSealedSecret, MAX_ATTEMPTS, MAX_SAMPLE_MENTIONS, resolvedText, sampleText, SEAL_BATCH, type WebhookSecrets } from '../webhooks/index.js';
import { ALERT_RULE_DEFAULTS, HOUR_MS, type Sensitivity } from './alerts.types.js';
import { backtestNote, backtestRule } from './backtest.js';
import { detectRuleWindow, HISTORY_HOURS, readIncident, storeAlert } from './evaluation.js';
import { ALERT_EVENT_TYPE, ALERT_RESOLVED_EVENT_TYPE, decideIncident, type OpenIncident } from './incidents.js';
import { followRuleChange } from './rule-changes.js';
import { pickSamples, SAMPLE_CANDIDATES_PER_LANGUAGE } from './samples.js';
import type { AlertFilter, AlertRepository, AlertRow, AlertRuleRow, RuleFields } from './alerts.repository.js';

export function toRule(row: AlertRuleRow) {
  const incident = row.incident as OpenIncident | null;
  return {
    id: row.id,
    brandId: row.brand_id,
    webhookUrl: row.webhook_url,
    windowMinutes: row.window_minutes,
    sensitivity: row.sensitivity as Sensitivity,
    minMentions: row.min_mentions,
    cooldownMinutes: row.cooldown_minutes,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    openIncident: incident ? { eventId: incident.eventId, startedAt: new Date(incident.startedAt).toISOString() } : null,
    suppressedCount: row.suppressed_count,
    lastSuppressedAt: row.last_suppressed_at?.toISOString() ?? null,
    lastDelivery: row.last_delivery && {
      outcome: row.last_delivery.outcome as DeliveryOutcome,
      status: row.last_delivery.status,
      error: row.last_delivery.error,
      attemptedAt: new Date(row.last_delivery.attemptedAt).toISOString(),
    },
    previousSecretExpiresAt: row.previous_secret_signs_until?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toAlert(row: AlertRow) {
  return {
    id: row.id,
    ruleId: row.rule_id,
    brandId: row.brand_id,
    type: row.type as AlertType,
    window: { start: row.window_start.toISOString(), end: row.window_end.toISOString() },
    observed: row.observed,
    total: row.total,
    expected: Math.round(row.expected * 100) / 100,
    score: Math.round(row.score * 100) / 100,
    reason: row.reason as 'count' | 'share' | null,
    sampleMentionIds: row.sample_mention_ids.map(String),
    deliveryStatus: row.delivery_status as DeliveryStatus,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The events an alert can be: an incident's opening and its resolution. */
export const ALERT_TYPES = [ALERT_EVENT_TYPE, ALERT_RESOLVED_EVENT_TYPE] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** How one delivery attempt ended (the deliveries log's `outcome`): `failed` is the last attempt failing. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed' | 'gone' | 'refused';

/** Where an alert's delivery stands; every status but `pending` is final. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'gone' | 'refused' | 'cancelled';

export interface AlertDeps {
  alertRepository: AlertRepository;
  brandRepository: BrandRepository;
  /** Save-time webhook URL check (scheme, credentials, private addresses); throws with a reason naming `field`. */
  checkUrl: (url: string, field?: string) => Promise<void>;
  /** Seals a new signing secret for storage when the server has a SECRET_KEY. */
  webhookSecrets: WebhookSecrets;
}

/** The workspace's brand of this id, or a 404. */
async function assertBrand(deps: Pick<AlertDeps, 'brandRepository'>, workspaceId: string, brandId: string) {
  const brand = await deps.brandRepository.get(workspaceId, brandId);
  if (!brand) throw notFound('brands', 'brand');
  return brand;
}

async function checkWebhookUrl(deps: AlertDeps, url: string) {
  try {
    await deps.checkUrl(url, 'webhookUrl');
  } catch (err) {
    // The policy's reason, under this module's code, naming the field as `fields` does everywhere.
    if (err instanceof AppError) throw new AppError('alert_rules.url_not_allowed', 400, err.message, err.details);
    throw err;
  }
}

export async function createRule({ workspaceId, input, ...deps }: AlertDeps & { workspaceId: string; input: Partial<RuleFields> & { brandId: string; webhookUrl: string } }) {
  await assertBrand(deps, workspaceId, input.brandId);
  await checkWebhookUrl(deps, input.webhookUrl);
  const secret = generateSecret();
  const row = await deps.alertRepository.insertRule(workspaceId, { ...ALERT_RULE_DEFAULTS, enabled: true, ...input, secret: deps.webhookSecrets.store(secret) });
  // The one time the secret is shown: the value just made, never one read back from storage.
  return { ...toRule(row), secret };
}

/**
 * An edit of a rule, with what it does to the rule's open incident (a new brand closes it:
 * followRuleChange), under the row lock an evaluation takes, so an evaluation never works on
 * half of it.
 */
export async function updateRule({ workspaceId, id, patch, now = new Date(), ...deps }: AlertDeps & { workspaceId: string; id: string; patch: Partial<RuleFields>; now?: Date }) {
  if (!(await deps.alertRepository.getRule(workspaceId, id))) throw notFound('alert_rules', 'alert rule');
  if (patch.brandId !== undefined) await assertBrand(deps, workspaceId, patch.brandId);
  if (patch.webhookUrl !== undefined) await checkWebhookUrl(deps, patch.webhookUrl);
  const row = await deps.alertRepository.transaction(async (trx) => {
    const before = await deps.alertRepository.lockRule(trx, id);
    if (!before || before.workspace_id !== workspaceId) return undefined;
    await followRuleChange({ trx, before, patch, now, alertRepository: deps.alertRepository, brandRepository: deps.brandRepository });
    return deps.alertRepository.updateRule(workspaceId, id, patch, trx);
  });
  if (!row) throw notFound('alert_rules', 'alert rule');
  // A paused rule's alerts still waiting are cancelled, not held: enabling it again forgets its
  // incident, and a spike still going then raises a new alert.
  if (patch.enabled === false) await deps.alertRepository.cancelPendingAlerts(id);
  return toRule(row);
}

/** How long a rotated-out signing secret still signs beside the new one. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * A new signing secret for a rule, shown once. For PREVIOUS_SECRET_GRACE_MS the old one signs too,
 * so a receiver can take the new secret in its own time without failing a delivery; rotating
 * again within that day ends the older secret's grace at once (only one previous secret is kept).
 */
export async function rotateRuleSecret({
  workspaceId,
  id,
  now = new Date(),
  alertRepository,
  webhookSecrets,
}: {
  workspaceId: string;
  id: string;
  now?: Date;
  alertRepository: AlertRepository;
  webhookSecrets: WebhookSecrets;
}) {
  const secret = generateSecret();
  const previousSecretExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS);
  const row = await alertRepository.rotateSecret(workspaceId, id, webhookSecrets.store(secret), previousSecretExpiresAt);
  if (!row) throw notFound('alert_rules', 'alert rule');
  return { ...toRule(row), secret, previousSecretExpiresAt: previousSecretExpiresAt.toISOString() };
}

/**
 * Ends the previous secret's grace at once (after a leak, say): deliveries that start from then on
 * carry only the current secret's signature, and no new secret is made. A rule whose previous
 * secret has expired, or that was never rotated, has none to end: 404, so a caller that meant to
 * end one learns it was not there.
 */
export async function endPreviousRuleSecret({ workspaceId, id, alertRepository }: { workspaceId: string; id: string; alertRepository: AlertRepository }): Promise<void> {
  const outcome = await alertRepository.endPreviousSecret(workspaceId, id);
  if (outcome === 'not_found') throw notFound('alert_rules', 'alert rule');
  if (outcome === 'none') {
    throw new AppError('alert_rules.no_previous_secret', 404, 'this alert rule has no previous secret still signing: it was never rotated, or the 24 hours after its last rotation have passed, or the previous secret was ended already');
  }
}

/**
 * Seals the rule secrets still stored in plaintext (from before the server had a SECRET_KEY), up
 * to `limit` rules a call; the evaluation sweep calls it every run, so every rule is sealed soon
 * after SECRET_KEY is set, without an operator step, whether or not it ever fires. Until then a
 * plaintext secret still signs. Without a SECRET_KEY nothing changes. Returns the rules sealed.
 */
export async function sealPlaintextRuleSecrets({ alertRepository, webhookSecrets, limit = SEAL_BATCH }: { alertRepository: AlertRepository; webhookSecrets: WebhookSecrets; limit?: number }) {
  if (!webhookSecrets.sealing) return 0;
  const rows = await alertRepository.plaintextSecrets(limit);
  const seal = (plain: string | null) => (plain !== null && !isSealedSecret(plain) ? { plain, sealed: webhookSecrets.store(plain) } : null);
  for (const row of rows) await alertRepository.sealSecrets(row.id, { secret: seal(row.secret), previousSecret: seal(row.previous_secret) });
  return rows.length;
}

export async function getRule({ workspaceId, id, alertRepository }: { workspaceId: string; id: string; alertRepository: AlertRepository }) {
  const row = await alertRepository.getRule(workspaceId, id);
  if (!row) throw notFound('alert_rules', 'alert rule');
  return row;
}

export const listRules = ({
  workspaceId,
  limit,
  cursor,
  alertRepository,
  cursorKeys,
}: {
  workspaceId: string;
  limit: number;
  cursor?: string | undefined;
  alertRepository: AlertRepository;
  cursorKeys: CursorKeys;
}) => pageByCreation({ scope: 'alert-rules', workspaceId, cursorKeys, limit, cursor, fetch: (page) => alertRepository.listRules(workspaceId, page), toItem: toRule });

/** Alert ids are event ids (`alertEventId`), not uuids. */
const isAlertId = (id: string) => /^evt_[a-z2-7]{26}$/.test(id);

/** GET /v1/alerts' filters as the request gives them; ids as written, times parsed. */
export interface AlertListFilters {
  ruleId?: string | undefined;
  brand?: string | undefined;
  type?: AlertType | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

/**
 * The alerts of a workspace, newest first, narrowed by the filters given. A rule or a brand that
 * is not the workspace's is a 404, as a foreign brand= is for mentions. A cursor is good only for
 * the filters it was issued with (the fingerprint in it: pagination/cursor.ts), so a client that
 * changes one mid-paging is told so rather than given the new list from part-way down.
 */
export async function listAlerts({
  workspaceId,
  filters,
  limit,
  cursor,
  alertRepository,
  brandRepository,
  cursorKeys,
}: {
  workspaceId: string;
  filters: AlertListFilters;
  limit: number;
  cursor?: string | undefined;
  alertRepository: AlertRepository;
  brandRepository: BrandRepository;
  cursorKeys: CursorKeys;
}): Promise<Page<ReturnType<typeof toAlert>>> {
  if (filters.since && filters.until && filters.since >= filters.until) throw validationError([{ field: 'since', message: 'must be before until' }]);
  // A uuid in any letter case is the same rule or brand, and the same filter for the cursor.
  const filter: AlertFilter = {
    ruleId: filters.ruleId === undefined ? undefined : (await getRule({ workspaceId, id: filters.ruleId, alertRepository })).id,
    brandId: filters.brand === undefined ? undefined : (await assertBrand({ brandRepository }, workspaceId, filters.brand)).id,
    type: filters.type,
    since: filters.since,
    until: filters.until,
  };
  const fingerprint = JSON.stringify([filter.ruleId, filter.brandId, filter.type, filter.since?.toISOString(), filter.until?.toISOString()]);
  const codec = cursorCodec({ scope: 'alerts', workspaceId, filters: fingerprint }, await cursorKeys());
  let after: CreatedAfter | undefined;
  if (cursor) {
    const c = codec.decode(cursor);
    if (!isAlertId(c.id)) throw invalidCursor();
    after = { createdAt: cursorMicroTime(c.k), id: c.id };
  }
  const rows = await alertRepository.listAlerts(workspaceId, filter, { limit, after });
  return toPage(rows, limit, toAlert, (r) => codec.encode({ k: r.page_key, id: r.id }));
}

/**
 * One evaluation of one rule at `now`: negatives in the window against the seasonal baseline
 * (and the recent windows that got mentions stored since the last evaluation: late-windows.ts),
 * then the incident state machine, all under the rule's row lock. An opened or resolved incident
 * is stored once by its deterministic event id; the caller delivers `toDeliver`.
 */
export async function evaluateRule({ ruleId, now, db, alertRepository, brandRepository }: { ruleId: string; now: Date; db: Kysely<DB>; alertRepository: AlertRepository; brandRepository: BrandRepository }) {
  return db.transaction().execute(async (trx) => {
    const rule = await alertRepository.lockRule(trx, ruleId);
    if (!rule || !rule.enabled) return { action: 'skipped' as const, toDeliver: null };
    const incident = readIncident(rule.incident);
    // With no incident open, late mentions of a time before the last one resolved open nothing:
    // that incident was alerted and closed.
    const late = rule.last_evaluated_at ? { lastEvaluatedAt: rule.last_evaluated_at, after: incident ? null : rule.last_resolved_at } : undefined;
    const { detection, windowStart, windowEnd } = await detectRuleWindow(alertRepository, rule, now, late);
    const action = decideIncident({
      rule: { id: rule.id, cooldownMinutes: rule.cooldown_minutes },
      incident,
      lastResolvedAt: rule.last_resolved_at,
      detection,
      evaluatedWindow: windowStart,
      now,
    });

    let toDeliver: string | null = null;
    if (action.kind === 'open' || action.kind === 'resolve') {
      const brand = await brandRepository.get(rule.workspace_id, rule.brand_id);
      const samples =
        action.kind === 'open'
          ? pickSamples(
              (await alertRepository.sampleMentions(rule.brand_id, detection.window.start, detection.window.end, SAMPLE_CANDIDATES_PER_LANGUAGE)).map((m) => ({
                ...m,
                text: sampleText(m.title, m.text),
                sourceId: m.source_id,
              })),
              MAX_SAMPLE_MENTIONS,
            )
          : [];
      const inserted = await storeAlert(trx, {
        alertRepository,
        rule,
        brandName: brand?.name,
        eventId: action.eventId,
        type: action.type,
        detection,
        // A resolution fired no test: its window is back to normal.
        reason: action.kind === 'open' ? detection.reason : null,
        // The score as the mention's own resource shows it (4 decimals), not the stored float's every digit.
        samples: samples.map((m) => ({ url: m.url ?? '', text: m.text, sentiment: apiScore(m.sentiment_score), id: m.id, lang: m.lang })),
        text: action.kind === 'resolve' ? resolvedText(brand?.name ?? 'the brand') : undefined,
        resolves: action.kind === 'resolve' ? action.incident : undefined,
        now,
      });
      if (inserted) toDeliver = action.eventId;
    }
    if (action.kind === 'update') {
      await alertRepository.raisePeak(trx, action.incident.eventId, {
        window: detection.window,
        observed: detection.observed.negative,
        total: detection.observed.total,
        expected: detection.expected,
        score: detection.score,
        reason: detection.reason,
      });
    }
    if (action.kind === 'resolve') await alertRepository.saveIncident(trx, rule.id, { incident: null, lastResolvedAt: action.resolvedAt });
    // A new alert starts the count of fires held back afresh: the count is of those since it.
    else if (action.kind === 'open') await alertRepository.saveIncident(trx, rule.id, { incident: action.incident, forgetSuppressed: 'count' });
    else if (action.kind !== 'none' || action.incident !== incident) await alertRepository.saveIncident(trx, rule.id, { incident: action.incident });
    // A fire the cooldown held back is kept on the rule, so "why no alert?" has an answer.
    if (action.kind === 'none' && action.suppressed === 'cooldown') await alertRepository.recordSuppressed(trx, rule.id, { now, windowEnd });
    await alertRepository.markEvaluated(trx, rule.id, now);
    return { action: action.kind, toDeliver, detection };
  });
}

/**
 * One delivery attempt of a stored alert: the same body and webhook-id every time, a fresh
 * timestamp and signature. `retry` asks the queue for the next attempt; 410 disables the rule.
 * The last attempt that fails is logged and returned as `failed`.
 */
export async function deliverAlert({
  alertId,
  attempt: jobAttempt,
  now,
  http,
  alertRepository,
  webhookSecrets,
}: {
  alertId: string;
  /** The job's count (BullMQ's attemptsMade + 1); the deliveries log wins where it counts more. */
  attempt: number;
  now: Date;
  http: HttpClient;
  alertRepository: AlertRepository;
  /** Opens the rule's stored secrets to sign; without it only plaintext ones can. */
  webhookSecrets?: WebhookSecrets | undefined;
}) {
  const alert = await alertRepository.alertForDelivery(alertId);
  // Only a pending alert is sent, and reading its status here, once, is enough. Its job id is
  // `deliver-<alert id>`, and BullMQ holds one job per id: the evaluate sweep, which may have read
  // the alert as pending just before a delivery committed, can add a second job only after the
  // first finished and was removed. A job finishes only after this function returned, and by then
  // it has written the alert's final status; while it is retrying it is still the one job, and
  // the alert rightly still pending.
  if (!alert || alert.delivery_status !== 'pending') return { outcome: 'skipped' as const };
  if (!alert.enabled) {
    // Paused, or disabled by a 410, since the alert was stored: enabling the rule forgets the
    // incident, so this alert would never be wanted again.
    await alertRepository.setDeliveryStatus(alertId, 'cancelled');
    return { outcome: 'cancelled' as const };
  }
  // A job made anew after Redis lost the first (an emptied Redis, the sweep adding it again)
  // starts BullMQ's count over; the log keeps the true one, and with it the cap on attempts.
  const attempt = Math.max(jobAttempt, alert.attempts_made + 1);
  const lastAttempt = attempt >= MAX_ATTEMPTS;
  // A secret that cannot be opened (SECRET_KEY changed or unset) sends nothing and ends this
  // alert as `failed`, with the reason in the deliveries log and the rule's lastDelivery.
  const result = await deliverWebhook({
    http,
    url: alert.webhook_url,
    secret: alert.secret,
    previousSecret: alert.previous_secret,
    webhookSecrets,
    newSecretHint: `rotate the rule's secret (POST /v1/alert-rules/${alert.rule_id}/rotate-secret)`,
    id: alert.id,
    body: JSON.stringify(alert.payload),
    now,
    lastAttempt,
  });
  const outcome = result.outcome === 'retry' && lastAttempt ? ('failed' as const) : result.outcome;
  const recorded = await alertRepository.recordAttempt({
    alertId,
    ruleId: alert.rule_id,
    attempt,
    status: result.status,
    outcome,
    latencyMs: result.latencyMs,
    response: result.responseSnippet,
    error: result.error,
    attemptedAt: now,
  });
  // The rule was deleted while the attempt was in flight, and its alerts with it.
  if (!recorded) return { outcome: 'skipped' as const };
  if (outcome === 'delivered' || outcome === 'refused' || outcome === 'failed') await alertRepository.setDeliveryStatus(alertId, outcome);
  if (outcome === 'gone') {
    await alertRepository.setDeliveryStatus(alertId, 'gone');
    await alertRepository.disableRule(alert.rule_id, 'the webhook endpoint answered 410 Gone');
    await alertRepository.cancelPendingAlerts(alert.rule_id);
  }
  return { ...result, outcome, attempt };
}

/**
 * Replays a rule over [since, until) as the scheduler would have run it, one evaluation an hour.
 * Only hours that have ended are judged: `until` after `now` is brought back to `now` (the answer's
 * `until` says so), so the hour still under way, half-filled, and the empty hours after it never
 * open or resolve anything; a `since` that has not come yet is refused.
 */
export async function backtest({
  workspaceId,
  id,
  since,
  until,
  now = new Date(),
  alertRepository,
}: {
  workspaceId: string;
  id: string;
  since: Date;
  until: Date;
  now?: Date;
  alertRepository: AlertRepository;
}) {
  const rule = await getRule({ workspaceId, id, alertRepository });
  if (since.getTime() >= now.getTime()) throw validationError([{ field: 'since', message: 'must be in the past: a backtest replays stored history' }]);
  if (until.getTime() - since.getTime() > 366 * 24 * HOUR_MS) {
    throw new AppError('validation.failed', 400, 'invalid request: until: a backtest spans at most a year', { fields: [{ field: 'until', message: 'a backtest spans at most a year' }] });
  }
  // An evaluation at `at` judges the hours before it, so evaluating only before now judges only
  // hours that have ended.
  const end = until.getTime() > now.getTime() ? now : until;
  const from = new Date(Math.floor(since.getTime() / HOUR_MS) * HOUR_MS - HISTORY_HOURS * HOUR_MS);
  const to = new Date(Math.ceil(end.getTime() / HOUR_MS) * HOUR_MS);
  const series = await alertRepository.hourly(rule.brand_id, from, to);
  const result = backtestRule({
    rule: { id: rule.id, windowMinutes: rule.window_minutes, sensitivity: rule.sensitivity as Sensitivity, minMentions: rule.min_mentions, cooldownMinutes: rule.cooldown_minutes },
    series,
    since,
    until: end,
  });
  const note = backtestNote({ series, result, historyFrom: from, until: end });
  return {
    ruleId: rule.id,
    since: since.toISOString(),
    until: end.toISOString(),
    evaluations: result.evaluations,
    windowHours: result.windowHours,
    ...(note === null ? {} : { note }),
    alerts: result.events
      .filter((e) => e.kind !== 'update')
      .map((e) => ({
        type: e.kind === 'open' ? 'alert.negative_spike' : 'alert.negative_spike.resolved',
        at: e.at.toISOString(),
        eventId: e.eventId,
        window: { start: e.window.start.toISOString(), end: e.window.end.toISOString() },
        observed: e.observed.negative,
        total: e.observed.total,
        expected: Math.round(e.expected * 100) / 100,
        score: Math.round(e.score * 100) / 100,
        reason: e.reason,
      })),
  };
}
