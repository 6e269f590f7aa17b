import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { SEALED_PREFIX } from '../../infra/secrets.js';
import { LINK_COUNTS, type Counts } from '../analytics/analytics.repository.js';
import { isUuid, type CreatedAfter } from '../pagination/cursor.js';
import { newestFirst } from '../pagination/keyset.js';
import type { DigestDocument } from './digest.types.js';

const columns = ['id', 'workspace_id', 'kind', 'period_start', 'period_end', 'created_at'] as const;
/** A whole digest: its summary, its document and the recipients it was made for. */
const detail = [...columns, 'document', 'recipients'] as const;

/** The first key of the advisory lock that serialises a workspace's e-mailed manual digests (the second: the workspace). */
const MANUAL_MAIL_LOCK = 0x4d41494c; // 'MAIL'

/** `webhook`: made to be posted to the workspace's digest webhook; `recipients`: to be e-mailed to. */
type NewDigest = { workspaceId: string; kind: 'scheduled' | 'manual'; since: Date; until: Date; document: DigestDocument; recipients: string[]; webhook: boolean };

/** One delivery a digest still owes: to its workspace's webhook (`target` null) or to one recipient. */
export type OwedDelivery = { digestId: string; channel: 'webhook' | 'email'; target: string | null };

/** How long a workspace must wait before its next e-mailed manual digest, by the database's clock. */
export type ManualMailWait = { nextAt: Date; seconds: number };

async function insertDigest(on: Kysely<DB>, d: NewDigest) {
  const row = await on
    .insertInto('digests')
    .values({
      workspace_id: d.workspaceId,
      kind: d.kind,
      period_start: d.since,
      period_end: d.until,
      document: JSON.stringify(d.document),
      recipients: d.recipients,
      webhook: d.webhook,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'period_end']).where('kind', '=', 'scheduled').doNothing())
    .returning([...columns, 'recipients'])
    .executeTakeFirst();
  return row ?? null;
}

/** A preview is stored with no recipients: only digests made to be e-mailed count. */
async function manualMailWait(on: Kysely<DB>, workspaceId: string, intervalMs: number): Promise<ManualMailWait | null> {
  const interval = sql`make_interval(secs => ${intervalMs / 1000})`;
  const row = await on
    .selectFrom('digests')
    .select([sql<Date | null>`max(created_at) + ${interval}`.as('next_at'), sql<number>`ceil(extract(epoch from max(created_at) + ${interval} - now()))::int`.as('seconds')])
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'manual')
    .where(sql<number>`cardinality(recipients)`, '>', 0)
    .where('created_at', '>', sql<Date>`now() - ${interval}`)
    .executeTakeFirst();
  return row?.next_at ? { nextAt: row.next_at, seconds: Math.max(1, row.seconds) } : null;
}

export function createDigestRepository({ db }: { db: Kysely<DB> }) {
  return {
    /** Up to `limit` workspaces whose digest webhook secret is stored in plaintext (stored before SECRET_KEY was set). */
    async plaintextWebhookSecrets(limit: number) {
      return db
        .selectFrom('workspaces')
        .select(['id', 'digest_webhook_secret as secret'])
        .where('digest_webhook_secret', 'not like', `${SEALED_PREFIX}%`)
        .limit(limit)
        .$narrowType<{ secret: string }>()
        .execute();
    },

    /** The sealed form of a workspace's digest webhook secret, only while the plaintext sealed is still the one stored. */
    async sealWebhookSecret(workspaceId: string, plain: string, sealed: string): Promise<void> {
      await db.updateTable('workspaces').set({ digest_webhook_secret: sealed }).where('id', '=', workspaceId).where('digest_webhook_secret', '=', plain).execute();
    },

    /**
     * Stores a digest with the e-mail recipients it is made for; a scheduled one of a period
     * already stored is not stored again (returns null).
     */
    async insert(d: NewDigest) {
      return insertDigest(db, d);
    },

    /** When the workspace may e-mail its next manual digest, if not now: `intervalMs` after its last. */
    async manualMailWait(workspaceId: string, intervalMs: number): Promise<ManualMailWait | null> {
      return manualMailWait(db, workspaceId, intervalMs);
    },

    /**
     * Stores a manual digest to be e-mailed unless the workspace stored one less than `intervalMs`
     * ago, and then says how long to wait instead. Requests at the same moment take turns on the
     * workspace's lock, so one of them passes, not all.
     */
    async insertManualMail(d: NewDigest & { kind: 'manual' }, intervalMs: number) {
      return db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${MANUAL_MAIL_LOCK}, hashtext(${d.workspaceId}))`.execute(trx);
        const wait = await manualMailWait(trx, d.workspaceId, intervalMs);
        if (wait) return { row: null, wait };
        return { row: await insertDigest(trx, d), wait: null };
      });
    },

    /** The workspace's scheduled digest of the period ending at `until`, made already. */
    async scheduledEndingAt(workspaceId: string, until: Date) {
      return db
        .selectFrom('digests')
        .select(detail)
        .where('workspace_id', '=', workspaceId)
        .where('kind', '=', 'scheduled')
        .where('period_end', '=', until)
        .executeTakeFirst();
    },

    /** Where the workspace's last scheduled digest before `before` ended: the next one starts there. */
    async lastScheduledEnd(workspaceId: string, before: Date): Promise<Date | undefined> {
      const row = await db
        .selectFrom('digests')
        .select('period_end')
        .where('workspace_id', '=', workspaceId)
        .where('kind', '=', 'scheduled')
        .where('period_end', '<', before)
        .orderBy('period_end', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row?.period_end;
    },

    async get(workspaceId: string, id: string) {
      if (!isUuid(id)) return undefined;
      return db.selectFrom('digests').select(detail).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    },

    async byId(id: string) {
      if (!isUuid(id)) return undefined;
      return db.selectFrom('digests').select(detail).where('id', '=', id).executeTakeFirst();
    },

    async list(workspaceId: string, page: { limit: number; after?: CreatedAfter }) {
      return newestFirst(db.selectFrom('digests').select(columns).where('workspace_id', '=', workspaceId), page).execute();
    },

    async recordAttempt(a: {
      digestId: string;
      channel: 'webhook' | 'email';
      target: string;
      attempt: number;
      outcome: string;
      status: number | null;
      latencyMs: number | null;
      error?: string | undefined;
    }) {
      await db
        .insertInto('digest_deliveries')
        .values({ digest_id: a.digestId, channel: a.channel, target: a.target, attempt: a.attempt, outcome: a.outcome, status: a.status, latency_ms: a.latencyMs, error: a.error ?? null })
        .execute();
    },

    /**
     * Hashtag counts of exactly [since, until) and of the equal window before it, read from the
     * matched mentions themselves: each mention once however many brands it has, a tag once per
     * mention, and one spelling of a tag once per mention (#káva and #kava hold one: the lowest in
     * "C" order of those with one key, the last of search_forms(), as the rollups count:
     * analytics/rollups.ts countedSpellings). The hashtag rollups keep whole UTC days, which cannot
     * end a period at 13:00.
     */
    async hashtagCounts({ workspaceId, since, until }: { workspaceId: string; since: Date; until: Date }) {
      const previousSince = new Date(2 * since.getTime() - until.getTime());
      const { rows } = await sql<{ tag: string; current: number; previous: number }>`
        select t.tag,
          count(*) filter (where m.occurred_at >= ${since})::int as current,
          count(*) filter (where m.occurred_at < ${since})::int as previous
        from mentions m
        cross join lateral (
          select distinct on (k.key) k.tag
          from (select tag, f.forms[cardinality(f.forms)] as key from unnest(m.hashtags) as tag cross join lateral (select search_forms(array[tag]) as forms) f) k
          order by k.key, k.tag collate "C"
        ) t
        where m.workspace_id = ${workspaceId} and m.matched
          and m.occurred_at >= ${previousSince} and m.occurred_at < ${until}
          and cardinality(m.hashtags) > 0
        group by t.tag
        having count(*) filter (where m.occurred_at >= ${since}) > 0`.execute(db);
      return rows;
    },

    /**
     * Each brand's mentions in short ranges (parts of a UTC hour), counted as the hourly rollups
     * count them: a mention once per brand it has, by its label, the scores of the scored ones
     * summed. Grouped by local day of `timeZone`; `at` is a group's earliest mention, which says
     * which day it is. One short read of the link index per brand and range.
     */
    async linkCounts({ workspaceId, ranges, timeZone }: { workspaceId: string; ranges: ReadonlyArray<{ since: Date; until: Date }>; timeZone: string }) {
      if (!ranges.length) return [];
      const { rows } = await sql<{ brand_id: string; at: Date; mentions: number; positive: number; neutral: number; negative: number; unscored: number; score_sum: number }>`
        select b.id as brand_id, x.at, x.mentions, x.positive, x.neutral, x.negative, x.unscored, x.score_sum
        from brands b
        cross join (values ${sql.join(ranges.map((r) => sql`(${r.since}::timestamptz, ${r.until}::timestamptz)`))}) r(since, until)
        cross join lateral (
          select min(mb.occurred_at) as at, ${LINK_COUNTS}
          from mention_brands mb join mentions m on m.id = mb.mention_id
          where mb.brand_id = b.id and mb.occurred_at >= r.since and mb.occurred_at < r.until
          group by date_trunc('day', mb.occurred_at, ${timeZone})
        ) x
        where b.workspace_id = ${workspaceId}`.execute(db);
      return rows.map(({ brand_id, at, score_sum, ...counts }): Counts & { brandId: string; at: Date } => ({ brandId: brand_id, at, ...counts, scoreSum: score_sum }));
    },

    /**
     * Negative-spike alerts fired in [since, until), with what they observed when they fired (the
     * payload sent then): the row's observed and score are raised while the incident lasts, also
     * after the period.
     */
    async alertsFired(workspaceId: string, since: Date, until: Date) {
      const { rows } = await sql<{ id: string; brand_id: string; created_at: Date; observed: number; expected: number; score: number }>`
        select id, brand_id, created_at,
          coalesce((payload #>> '{data,observed,negative}')::int, observed) as observed,
          coalesce((payload #>> '{data,expected}')::float8, expected) as expected,
          coalesce((payload #>> '{data,score}')::float8, score) as score
        from alerts
        where workspace_id = ${workspaceId} and type = 'alert.negative_spike' and created_at >= ${since} and created_at < ${until}
        order by created_at, id`.execute(db);
      return rows;
    },

    /** The workspace's sources, with what a digest says of their health. One short read of the workspace's sources. */
    async sourceHealth(workspaceId: string) {
      return db
        .selectFrom('sources')
        .select(['id', 'type', 'config', 'host', 'enabled', 'disabled_reason', 'consecutive_failures', 'last_error', 'last_fetched_at', 'last_succeeded_at', 'created_at'])
        .where('workspace_id', '=', workspaceId)
        .orderBy('id')
        .execute();
    },

    /**
     * The stretches of [since, until) each source of the workspace was not read (source_outages:
     * from its first failed poll to its next success), cut to the period: per source with one,
     * how many, their milliseconds in all, and the first `listed` as [from, until] epoch ms, oldest
     * first. A source's outages never overlap (one is open at a time), so only the last one to start
     * before the period can reach into it: each source costs two ranges of source_outages_source.
     */
    async outagesDuring({ workspaceId, since, until, listed }: { workspaceId: string; since: Date; until: Date; listed: number }) {
      const ms = (t: RawBuilder<unknown>) => sql`floor(extract(epoch from ${t}) * 1000)::float8`;
      const from = sql`greatest(o.started_at, ${since}::timestamptz)`;
      const to = sql`least(coalesce(o.ended_at, ${until}::timestamptz), ${until}::timestamptz)`;
      const rows = await sql<{ source_id: string; stretches: number; not_read_ms: number; listed: Array<[number, number]> }>`
        select source_id, count(*)::int as stretches, sum(till - start)::float8 as not_read_ms,
          json_agg(json_build_array(start, till) order by start) filter (where position <= ${listed}) as listed
        from (
          select s.id as source_id, ${ms(from)} as start, ${ms(to)} as till, row_number() over (partition by s.id order by o.started_at) as position
          from sources s
          cross join lateral (
            (select started_at, ended_at from source_outages where source_id = s.id and started_at < ${since} order by started_at desc limit 1)
            union all
            (select started_at, ended_at from source_outages where source_id = s.id and started_at >= ${since} and started_at < ${until})
          ) o
          where s.workspace_id = ${workspaceId} and ${to} > ${from}
        ) stretches
        group by source_id`.execute(db);
      return rows.rows;
    },

    /** The highest attempt logged for one target of a digest, 0 for none. */
    async attemptsMade(digestId: string, channel: 'webhook' | 'email', target: string): Promise<number> {
      const row = await db
        .selectFrom('digest_deliveries')
        .select((eb) => eb.fn.max('attempt').as('made'))
        .where('digest_id', '=', digestId)
        .where('channel', '=', channel)
        .where('target', '=', target)
        .executeTakeFirst();
      return row?.made ?? 0;
    },

    /**
     * Whether a delivery of the digest has ended: delivered, or failed for good (any outcome but
     * `retry`). The webhook's counts whichever URL it was posted to; an e-mail's, its recipient's.
     */
    async deliveryEnded(digestId: string, channel: 'webhook' | 'email', target: string): Promise<boolean> {
      const row = await db
        .selectFrom('digest_deliveries')
        .select('id')
        .where('digest_id', '=', digestId)
        .where('channel', '=', channel)
        .$if(channel === 'email', (q) => q.where('target', '=', target))
        .where('outcome', '<>', 'retry')
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /**
     * The deliveries of digests made after `since` that are still owed at `now`, oldest digest
     * first, at most `limit`: the webhook (the digest made to be posted, the workspace still having
     * one) and each recipient, with no attempt that ended it, and either no attempt made `graceMs`
     * after the digest, or the next attempt's latest time by the retry schedule (`delaysMs[n - 1]`
     * after attempt n, stretched by `jitter`) passed by `graceMs`. A digest found owing nothing
     * more is marked (`deliveries_ended_at`) and not read again: a run reads, through the index
     * digests_owing, only the digests made in the last minutes and those still being retried.
     */
    async sweepDeliveries(o: { since: Date; now: Date; graceMs: number; delaysMs: readonly number[]; jitter: number; limit: number }): Promise<{ owed: OwedDelivery[]; ended: number }> {
      // The planner cannot know how few digests are open, nor how few deliveries each has: its
      // estimate passes jit_above_cost, and compiling the plan took a second where running it
      // took milliseconds (2,000 workspaces, 48,000 digests in the window, 20 of them open).
      const { rows } = await db.transaction().execute(async (trx) => {
        await sql`set local jit = off`.execute(trx);
        return sql<{ ended: number; owed: Array<{ id: string; channel: 'webhook' | 'email'; target: string | null }> }>`
        with open as (
          select d.id, d.created_at, d.recipients, d.webhook and w.digest_webhook_url is not null and w.digest_webhook_secret is not null as webhook
          from digests d join workspaces w on w.id = d.workspace_id
          where d.deliveries_ended_at is null and (d.webhook or cardinality(d.recipients) > 0) and d.created_at > ${o.since}
        ),
        channels as (
          select id, created_at, 'webhook' as channel, null::text as target from open where webhook
          union all
          select id, created_at, 'email', r.target from open cross join lateral unnest(open.recipients) as r(target)
        ),
        state as (
          select c.*, log.ended, log.attempts, log.last_at
          from channels c
          cross join lateral (
            select coalesce(bool_or(x.outcome <> 'retry'), false) as ended, max(x.attempt) as attempts, max(x.attempted_at) as last_at
            from digest_deliveries x
            where x.digest_id = c.id and x.channel = c.channel and (c.target is null or x.target = c.target)
          ) log
        ),
        done as (
          update digests set deliveries_ended_at = ${o.now}::timestamptz
          where id in (select id from open where not exists (select 1 from state where state.id = open.id and not state.ended))
          returning id
        ),
        owed as (
          select id, created_at, channel, target from state
          where not ended
            and coalesce(attempts, 0) <= ${o.delaysMs.length}
            and coalesce(last_at + (${[...o.delaysMs]}::int[])[attempts] * ${1 + o.jitter}::float8 * interval '1 millisecond', created_at)
              + ${o.graceMs}::float8 * interval '1 millisecond' < ${o.now}::timestamptz
          order by created_at, id, channel desc, target
          limit ${o.limit}
        )
        select (select count(*)::int from done) as ended,
          coalesce((select json_agg(json_build_object('id', id, 'channel', channel, 'target', target) order by created_at, id, channel desc, target) from owed), '[]') as owed`.execute(trx);
      });
      const { ended, owed } = rows[0]!;
      return { owed: owed.map((r) => ({ digestId: r.id, channel: r.channel, target: r.target })), ended };
    },

    async deliveries(digestId: string) {
      return db
        .selectFrom('digest_deliveries')
        .select(['channel', 'target', 'attempt', 'outcome', 'status', 'latency_ms', 'error', 'attempted_at'])
        .where('digest_id', '=', digestId)
        .orderBy('id')
        .execute();
    },
  };
}

export type DigestRepository = ReturnType<typeof createDigestRepository>;
