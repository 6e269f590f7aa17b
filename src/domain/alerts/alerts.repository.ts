import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { SEALED_PREFIX } from '../../infra/secrets.js';
import { isUuid, type CreatedAfter } from '../pagination/cursor.js';
import { newestFirst } from '../pagination/keyset.js';
import type { HourlyCounts } from './alerts.types.js';
import type { MinuteCounts } from './late-windows.js';

/** Postgres' foreign_key_violation: the row an insert refers to was deleted. */
const FOREIGN_KEY_VIOLATION = '23503';

const ruleColumns = [
  'id',
  'workspace_id',
  'brand_id',
  'webhook_url',
  'window_minutes',
  'sensitivity',
  'min_mentions',
  'cooldown_minutes',
  'enabled',
  'disabled_reason',
  'incident',
  'last_resolved_at',
  'last_suppressed_at',
  'suppressed_count',
  'created_at',
  'updated_at',
] as const;

/** The rule's latest webhook attempt, of any of its alerts, as the deliveries log has it; null before the first. */
export type LastDelivery = { outcome: string; status: number | null; error: string | null; attemptedAt: string };

/** A rule's columns, its last delivery attempt (one probe of alert_deliveries_rule_page) and its previous secret's end. */
const ruleSelection = [
  ...ruleColumns,
  sql<LastDelivery | null>`(
    select json_build_object('outcome', d.outcome, 'status', d.status, 'error', d.error, 'attemptedAt', d.attempted_at)
    from alert_deliveries d where d.rule_id = alert_rules.id order by d.id desc limit 1
  )`.as('last_delivery'),
  // Until when the rotated-out secret still signs: null once it has lapsed, even while the row
  // still holds it. The database's clock, as alertForDelivery's when it chooses what signs.
  sql<Date | null>`case when alert_rules.previous_secret is not null and alert_rules.previous_secret_expires_at > now()
    then alert_rules.previous_secret_expires_at end`.as('previous_secret_signs_until'),
] as const;

const alertColumns = [
  'id',
  'rule_id',
  'workspace_id',
  'brand_id',
  'type',
  'window_start',
  'window_end',
  'observed',
  'total',
  'expected',
  'score',
  'reason',
  'sample_mention_ids',
  'delivery_status',
  'created_at',
  'updated_at',
] as const;

/** GET /v1/alerts' filters; each one given narrows the list. */
export interface AlertFilter {
  ruleId?: string | undefined;
  brandId?: string | undefined;
  type?: string | undefined;
  /** On created_at, when the alert was raised: since inclusive, until exclusive. */
  since?: Date | undefined;
  until?: Date | undefined;
}

export interface RuleFields {
  brandId: string;
  webhookUrl: string;
  windowMinutes: number;
  sensitivity: string;
  minMentions: number;
  cooldownMinutes: number;
  enabled: boolean;
}

export function createAlertRepository({ db }: { db: Kysely<DB> }) {
  return {
    async insertRule(workspaceId: string, f: RuleFields & { secret: string }) {
      return db
        .insertInto('alert_rules')
        .values({
          workspace_id: workspaceId,
          brand_id: f.brandId,
          webhook_url: f.webhookUrl,
          secret: f.secret,
          window_minutes: f.windowMinutes,
          sensitivity: f.sensitivity,
          min_mentions: f.minMentions,
          cooldown_minutes: f.cooldownMinutes,
          enabled: f.enabled,
        })
        .returning(ruleSelection)
        .executeTakeFirstOrThrow();
    },

    async getRule(workspaceId: string, id: string) {
      if (!isUuid(id)) return undefined;
      return db.selectFrom('alert_rules').select(ruleSelection).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    },

    async listRules(workspaceId: string, page: { limit: number; after?: CreatedAfter }) {
      return newestFirst(db.selectFrom('alert_rules').select(ruleSelection).where('workspace_id', '=', workspaceId), page).execute();
    },

    /** Runs `work` in one transaction. */
    async transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work);
    },

    async updateRule(workspaceId: string, id: string, patch: Partial<RuleFields>, trx: Kysely<DB> = db) {
      if (!isUuid(id)) return undefined;
      return trx
        .updateTable('alert_rules')
        .set({
          ...(patch.brandId !== undefined ? { brand_id: patch.brandId } : {}),
          ...(patch.webhookUrl !== undefined ? { webhook_url: patch.webhookUrl } : {}),
          ...(patch.windowMinutes !== undefined ? { window_minutes: patch.windowMinutes } : {}),
          ...(patch.sensitivity !== undefined ? { sensitivity: patch.sensitivity } : {}),
          ...(patch.minMentions !== undefined ? { min_mentions: patch.minMentions } : {}),
          ...(patch.cooldownMinutes !== undefined ? { cooldown_minutes: patch.cooldownMinutes } : {}),
          // Enabling a disabled rule forgets the incident it was in: the alert of that spike went
          // nowhere (a 410, or the owner's pause), so a spike still going alerts again. It judges
          // from the window ending then on, not the windows of its pause again.
          ...(patch.enabled !== undefined
            ? {
                enabled: patch.enabled,
                // Paused, it has no incident: none of its alerts will go out, and enabling it forgets it.
                ...(patch.enabled
                  ? { disabled_reason: null, incident: sql<null>`case when enabled then incident end`, last_evaluated_at: sql<Date | null>`case when enabled then last_evaluated_at end` }
                  : { incident: null }),
              }
            : {}),
          updated_at: new Date(),
        })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .returning(ruleSelection)
        .executeTakeFirst();
    },

    /** A new signing secret; the current one becomes the previous, honoured until `previousUntil`. */
    async rotateSecret(workspaceId: string, id: string, secret: string, previousUntil: Date) {
      if (!isUuid(id)) return undefined;
      return db
        .updateTable('alert_rules')
        .set((eb) => ({ previous_secret: eb.ref('secret'), previous_secret_expires_at: previousUntil, secret, updated_at: new Date() }))
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .returning(ruleSelection)
        .executeTakeFirst();
    },

    /**
     * Ends a rotated-out secret's grace now: deliveries from then on are signed with the current
     * secret alone. 'none' when the rule has no previous secret still honoured.
     */
    async endPreviousSecret(workspaceId: string, id: string): Promise<'ended' | 'none' | 'not_found'> {
      if (!isUuid(id)) return 'not_found';
      // Compared with the database's clock, as alertForDelivery does when it chooses what signs.
      const ended = await db
        .updateTable('alert_rules')
        .set({ previous_secret: null, previous_secret_expires_at: null, updated_at: new Date() })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .where('previous_secret', 'is not', null)
        .where('previous_secret_expires_at', '>', sql<Date>`now()`)
        .returning('id')
        .executeTakeFirst();
      if (ended) return 'ended';
      const rule = await db.selectFrom('alert_rules').select('id').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
      return rule ? 'none' : 'not_found';
    },

    /** Up to `limit` rules with a secret or previous secret stored in plaintext (stored before SECRET_KEY was set). */
    async plaintextSecrets(limit: number) {
      return db
        .selectFrom('alert_rules')
        .select(['id', 'secret', 'previous_secret'])
        .where((eb) => eb.or([eb('secret', 'not like', `${SEALED_PREFIX}%`), eb('previous_secret', 'not like', `${SEALED_PREFIX}%`)]))
        .limit(limit)
        .execute();
    },

    /**
     * A rule's secrets replaced by their sealed forms, each only while it is still the plaintext
     * that was sealed: a rotation in between keeps its new secret (its old one is sealed next time).
     */
    async sealSecrets(id: string, sealed: { secret: { plain: string; sealed: string } | null; previousSecret: { plain: string; sealed: string } | null }) {
      await db
        .updateTable('alert_rules')
        .set({
          ...(sealed.secret ? { secret: sql<string>`case when secret = ${sealed.secret.plain} then ${sealed.secret.sealed} else secret end` } : {}),
          ...(sealed.previousSecret
            ? { previous_secret: sql<string>`case when previous_secret = ${sealed.previousSecret.plain} then ${sealed.previousSecret.sealed} else previous_secret end` }
            : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    async deleteRule(workspaceId: string, id: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      const res = await db.deleteFrom('alert_rules').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
      return res.numDeletedRows > 0n;
    },

    async enabledRuleIds(): Promise<string[]> {
      return (await db.selectFrom('alert_rules').select('id').where('enabled', '=', true).execute()).map((r) => r.id);
    },

    /** The rule row locked for this evaluation, so two evaluators of one rule take turns. */
    async lockRule(trx: Transaction<DB>, id: string) {
      return trx.selectFrom('alert_rules').select([...ruleSelection, 'secret', 'last_evaluated_at']).where('id', '=', id).forUpdate().executeTakeFirst();
    },

    /** The rule was evaluated at `now`: the next evaluation takes mentions stored since as new. */
    async markEvaluated(trx: Transaction<DB>, id: string, now: Date) {
      await trx.updateTable('alert_rules').set({ last_evaluated_at: now }).where('id', '=', id).execute();
    },

    /**
     * `lastResolvedAt` null forgets the last resolution (and its cooldown); left out, it is kept.
     * `forgetSuppressed`: `'count'` starts the count of fires held back afresh (a new alert opened),
     * `'all'` forgets them altogether (the rule watches another brand now).
     */
    async saveIncident(trx: Transaction<DB>, id: string, state: { incident: unknown; lastResolvedAt?: Date | null; forgetSuppressed?: 'count' | 'all' }) {
      await trx
        .updateTable('alert_rules')
        .set({
          incident: state.incident === null ? null : JSON.stringify(state.incident),
          ...(state.lastResolvedAt !== undefined ? { last_resolved_at: state.lastResolvedAt } : {}),
          ...(state.forgetSuppressed ? { suppressed_count: 0 } : {}),
          // Another brand: its earlier windows were never this rule's to judge again.
          ...(state.forgetSuppressed === 'all' ? { last_suppressed_at: null, last_evaluated_at: null } : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    /**
     * A fire the cooldown held back, at `now`, judging the window that ends at `windowEnd`. Counted
     * once per window: a second evaluation of the same window (a retried job, two evaluators in one
     * minute) only moves the time, which is then still within that window's minute.
     */
    async recordSuppressed(trx: Transaction<DB>, id: string, at: { now: Date; windowEnd: Date }) {
      await trx
        .updateTable('alert_rules')
        .set({
          suppressed_count: sql<number>`suppressed_count + case when last_suppressed_at is null or last_suppressed_at < ${at.windowEnd} then 1 else 0 end`,
          last_suppressed_at: sql<Date>`greatest(last_suppressed_at, ${at.now}::timestamptz)`,
        })
        .where('id', '=', id)
        .execute();
    },

    /**
     * A brand's negative and total mentions in [start, end) by minute of publication, leaving out
     * new sources' backlog, and whether any of a minute's was stored in `stored` (inclusive).
     */
    async minuteCounts(brandId: string, start: Date, end: Date, stored: { from: Date; until: Date } | null): Promise<MinuteCounts[]> {
      const { rows } = await sql<{ minute: number; negative: number; total: number; stored: boolean }>`
        select floor(extract(epoch from mb.occurred_at) / 60)::float8 * 60000 as minute,
          count(*) filter (where mb.sentiment_label = 'negative')::int as negative, count(*)::int as total,
          coalesce(bool_or(m.created_at between ${stored?.from ?? null}::timestamptz and ${stored?.until ?? null}::timestamptz), false) as stored
        from mention_brands mb join mentions m on m.id = mb.mention_id
        where mb.brand_id = ${brandId} and mb.occurred_at >= ${start} and mb.occurred_at < ${end} and not m.is_backlog
        group by 1`.execute(db);
      return rows.map((r) => ({ minute: new Date(r.minute), negative: r.negative, total: r.total, storedSince: r.stored }));
    },

    /**
     * Contiguous hourly counts of a brand in [from, to), zero-filled from the brand's first hour
     * with a mention in that span: the hours before it are no history at all (a brand created
     * today, a source added today), and zeros there would make any first busy hour a spike.
     */
    async hourly(brandId: string, from: Date, to: Date): Promise<HourlyCounts[]> {
      const { rows } = await sql<{ start: Date; total: number; negative: number }>`
        with first as (
          select min(hour) as hour from brand_hours where brand_id = ${brandId} and hour >= ${from} and hour < ${to} and mentions > 0
        )
        select g as start, coalesce(h.mentions, 0)::int as total, coalesce(h.negative, 0)::int as negative
        from first, generate_series(first.hour, ${to}::timestamptz - interval '1 hour', interval '1 hour') g
        left join brand_hours h on h.brand_id = ${brandId} and h.hour = g
        order by g`.execute(db);
      return rows;
    },

    /**
     * Candidates for the alert's evidence: of each language, the window's `perLanguage` mentions
     * most negative about the brand (its reading of each: brand-readings.ts), most negative first.
     * Per language, so a spike mostly in one language still offers the others (samples.ts picks).
     */
    async sampleMentions(brandId: string, start: Date, end: Date, perLanguage: number) {
      const { rows } = await sql<{ id: string; url: string | null; title: string | null; text: string; lang: string | null; source_id: string | null; sentiment_score: number }>`
        select id::text as id, url, title, text, lang, source_id, sentiment_score from (
          select m.id, m.url, m.title, m.text, m.lang, m.source_id, coalesce(mb.sentiment_score, m.sentiment_score) as sentiment_score,
            row_number() over (partition by m.lang order by coalesce(mb.sentiment_score, m.sentiment_score), m.id) as rank
          from mention_brands mb join mentions m on m.id = mb.mention_id
          where mb.brand_id = ${brandId} and mb.occurred_at >= ${start} and mb.occurred_at < ${end}
            and mb.sentiment_label = 'negative' and not m.is_backlog
        ) candidates
        where rank <= ${perLanguage}
        order by sentiment_score, candidates.id`.execute(db);
      return rows;
    },

    /** Records an alert once: false when this event id was already stored. */
    async insertAlert(
      trx: Transaction<DB>,
      a: {
        id: string;
        ruleId: string;
        workspaceId: string;
        brandId: string;
        type: string;
        windowStart: Date;
        windowEnd: Date;
        observed: number;
        total: number;
        expected: number;
        score: number;
        reason: string | null;
        sampleMentionIds: number[];
        payload: unknown;
      },
    ): Promise<boolean> {
      const res = await trx
        .insertInto('alerts')
        .values({
          id: a.id,
          rule_id: a.ruleId,
          workspace_id: a.workspaceId,
          brand_id: a.brandId,
          type: a.type,
          window_start: a.windowStart,
          window_end: a.windowEnd,
          observed: a.observed,
          total: a.total,
          expected: a.expected,
          score: a.score,
          reason: a.reason,
          sample_mention_ids: a.sampleMentionIds,
          payload: JSON.stringify(a.payload),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
    },

    /**
     * While an incident stays elevated, its alert shows the peak (no new alert is sent): moves an
     * open alert's figures to a window with more negative mentions than its own, the window, its
     * counts, what was expected, the score and the test that fired, all of that one window, so
     * they never disagree (20 negatives of 12 mentions, a share test's reason on a count's window).
     */
    async raisePeak(
      trx: Transaction<DB>,
      id: string,
      peak: { window: { start: Date; end: Date }; observed: number; total: number; expected: number; score: number; reason: 'count' | 'share' | null },
    ) {
      await trx
        .updateTable('alerts')
        .set({
          window_start: peak.window.start,
          window_end: peak.window.end,
          observed: peak.observed,
          total: peak.total,
          expected: peak.expected,
          score: peak.score,
          reason: peak.reason,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .where('observed', '<', peak.observed)
        .execute();
    },

    /** An alert's figures as they stand (its peak, for an incident's opening). */
    async alertFigures(trx: Kysely<DB>, id: string) {
      return trx
        .selectFrom('alerts')
        .select(['id', 'window_start', 'window_end', 'observed', 'total', 'expected', 'score', 'reason'])
        .where('id', '=', id)
        .executeTakeFirst();
    },

    async alertForDelivery(id: string) {
      return db
        .selectFrom('alerts as a')
        .innerJoin('alert_rules as r', 'r.id', 'a.rule_id')
        .select(['a.id', 'a.rule_id', 'a.payload', 'a.delivery_status', 'r.webhook_url', 'r.secret', 'r.enabled'])
        // The rotated-out secret while it is honoured, or null.
        .select(sql<string | null>`case when r.previous_secret_expires_at > now() then r.previous_secret end`.as('previous_secret'))
        // The attempts already logged: a delivery job made anew (Redis emptied) goes on counting from them.
        .select(sql<number>`(select coalesce(max(d.attempt), 0)::int from alert_deliveries d where d.alert_id = a.id)`.as('attempts_made'))
        .where('a.id', '=', id)
        .executeTakeFirst();
    },

    /**
     * One attempt in the deliveries log, dated when it started. False when the alert or its rule
     * was deleted while the attempt was in flight: there is nothing left to log it against.
     */
    async recordAttempt(a: {
      alertId: string;
      ruleId: string;
      attempt: number;
      status: number | null;
      outcome: string;
      latencyMs: number;
      response: string;
      error?: string | undefined;
      attemptedAt: Date;
    }): Promise<boolean> {
      try {
        await db
          .insertInto('alert_deliveries')
          .values({
            alert_id: a.alertId,
            rule_id: a.ruleId,
            attempt: a.attempt,
            status: a.status,
            outcome: a.outcome,
            latency_ms: a.latencyMs,
            response: a.response,
            error: a.error ?? null,
            attempted_at: a.attemptedAt,
          })
          .execute();
        return true;
      } catch (err) {
        if ((err as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) return false;
        throw err;
      }
    },

    async setDeliveryStatus(id: string, status: 'delivered' | 'failed' | 'gone' | 'refused' | 'cancelled') {
      await db.updateTable('alerts').set({ delivery_status: status, updated_at: new Date() }).where('id', '=', id).execute();
    },

    /** Ends the undelivered alerts of a rule that stopped sending: none of them will go out. */
    async cancelPendingAlerts(ruleId: string) {
      await db
        .updateTable('alerts')
        .set({ delivery_status: 'cancelled', updated_at: new Date() })
        .where('rule_id', '=', ruleId)
        .where('delivery_status', '=', 'pending')
        .execute();
    },

    /**
     * Disables a rule that cannot send (a 410), closing its open incident with it: no resolution
     * can reach the receiver, and enabling the rule again would forget the incident anyway. The
     * reason says so, naming the incident's alert.
     */
    async disableRule(id: string, reason: string) {
      await db
        .updateTable('alert_rules')
        .set({
          enabled: false,
          disabled_reason: sql<string>`case when incident is null then ${reason}::text
            else ${reason}::text || '; its open incident (alert ' || (incident->>'eventId') || ') was closed without a resolution' end`,
          incident: null,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
    },

    /**
     * Alerts of the last two days, of enabled rules, still to be delivered, with the attempts
     * logged: how many, and when the last started (null before the first). Two days outlast the
     * retry schedule (about 28 h, 32 h at its longest jitter), so an alert whose job failed for
     * good at its end without logging an end (Postgres away throughout) is still found.
     */
    async pendingAlerts(now: Date): Promise<Array<{ id: string; attempts: number; lastAttemptAt: Date | null }>> {
      return db
        .selectFrom('alerts as a')
        .innerJoin('alert_rules as r', 'r.id', 'a.rule_id')
        .leftJoin('alert_deliveries as d', 'd.alert_id', 'a.id')
        .select(['a.id', sql<number>`coalesce(max(d.attempt), 0)::int`.as('attempts'), sql<Date | null>`max(d.attempted_at)`.as('lastAttemptAt')])
        .where('a.delivery_status', '=', 'pending')
        .where('r.enabled', '=', true)
        .where('a.created_at', '>', new Date(now.getTime() - 2 * 86_400_000))
        .groupBy('a.id')
        .execute();
    },

    async alertsBetween(workspaceId: string, since: Date, until: Date) {
      return db
        .selectFrom('alerts')
        .select(['id', 'brand_id', 'created_at', 'observed', 'expected', 'score'])
        .where('workspace_id', '=', workspaceId)
        .where('type', '=', 'alert.negative_spike')
        .where('created_at', '>=', since)
        .where('created_at', '<', until)
        .orderBy('created_at')
        .execute();
    },

    /** A rule's or a brand's alerts read their own index (alerts_rule_page, alerts_brand_page), newest first as the workspace's. */
    async listAlerts(workspaceId: string, filter: AlertFilter, page: { limit: number; after?: CreatedAfter | undefined }) {
      const q = db
        .selectFrom('alerts')
        .select(alertColumns)
        .where('workspace_id', '=', workspaceId)
        .$if(filter.ruleId !== undefined, (w) => w.where('rule_id', '=', filter.ruleId!))
        .$if(filter.brandId !== undefined, (w) => w.where('brand_id', '=', filter.brandId!))
        .$if(filter.type !== undefined, (w) => w.where('type', '=', filter.type!))
        .$if(filter.since !== undefined, (w) => w.where('created_at', '>=', filter.since!))
        .$if(filter.until !== undefined, (w) => w.where('created_at', '<', filter.until!));
      return newestFirst(q, page).execute();
    },

    async listDeliveries(ruleId: string, page: { limit: number; afterId?: number | undefined }) {
      return db
        .selectFrom('alert_deliveries')
        .select(['id', 'alert_id', 'attempt', 'status', 'outcome', 'latency_ms', 'response', 'error', 'attempted_at'])
        .where('rule_id', '=', ruleId)
        .$if(page.afterId !== undefined, (q) => q.where('id', '<', page.afterId! as never))
        .orderBy('id', 'desc')
        .limit(page.limit + 1)
        .execute();
    },
  };
}

export type AlertRepository = ReturnType<typeof createAlertRepository>;
export type AlertRuleRow = NonNullable<Awaited<ReturnType<AlertRepository['getRule']>>>;
export type AlertRow = Awaited<ReturnType<AlertRepository['listAlerts']>>[number];
