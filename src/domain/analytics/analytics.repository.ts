import { sql, type Kysely } from 'kysely';
import type { DB } from '../../infra/db/schema.js';

export type Interval = 'hour' | 'day' | 'week';

export interface Counts {
  mentions: number;
  positive: number;
  neutral: number;
  negative: number;
  unscored: number;
  scoreSum: number;
}

const sums = sql`sum(mentions)::int as mentions, sum(positive)::int as positive, sum(neutral)::int as neutral,
  sum(negative)::int as negative, sum(unscored)::int as unscored, sum(score_sum)::float8 as score_sum`;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

function utcBuckets(interval: Interval, since: Date, until: Date): Date[] {
  const step = interval === 'hour' ? HOUR_MS : interval === 'day' ? DAY_MS : 7 * DAY_MS;
  let first = Math.floor(since.getTime() / (interval === 'hour' ? HOUR_MS : DAY_MS)) * (interval === 'hour' ? HOUR_MS : DAY_MS);
  // 1970-01-01 was a Thursday: weeks start on the Monday at or before the day.
  if (interval === 'week') first -= ((new Date(first).getUTCDay() + 6) % 7) * DAY_MS;
  const out: Date[] = [];
  for (let t = first; t < until.getTime(); t += step) out.push(new Date(t));
  return out;
}

/**
 * Reads over the rollups. Hours are UTC; days and weeks are cut in the caller's time zone by
 * Postgres's `date_trunc(unit, ts, zone)`, so a day across a DST change has 23 or 25 hours.
 */
export function createAnalyticsRepository({ db }: { db: Kysely<DB> }) {
  return {
    /** Bucket starts covering [since, until): UTC hours, or local days/weeks of `tz`. */
    async buckets(interval: Interval, since: Date, until: Date, tz: string): Promise<Date[]> {
      // UTC needs no calendar: hours, days and ISO weeks (from Monday) are fixed lengths of time.
      if (interval === 'hour' || tz === 'UTC') return utcBuckets(interval, since, until);
      // Local days and weeks: Postgres knows each zone's DST rules (a day may have 23 or 25 hours).
      const rows = await sql<{ start: Date }>`
        select (g at time zone ${tz}) as start
        from generate_series(
          date_trunc(${interval}, ${since}::timestamptz, ${tz}) at time zone ${tz},
          (${until}::timestamptz - interval '1 microsecond') at time zone ${tz},
          ${`1 ${interval}`}::interval) g`.execute(db);
      return rows.rows.map((r) => r.start);
    },

    /** Counts per brand and bucket, from brand-hour totals, or from the per-dimension table when filtered. */
    async trend({
      workspaceId,
      brandIds,
      interval,
      since,
      until,
      tz,
      sourceType,
      lang,
    }: {
      workspaceId: string;
      brandIds: string[];
      interval: Interval;
      since: Date;
      until: Date;
      tz: string;
      sourceType?: string | undefined;
      lang?: string | undefined;
    }): Promise<Array<Counts & { brandId: string; start: Date }>> {
      const zone = interval === 'hour' ? 'UTC' : tz;
      const table = sourceType || lang ? sql`mention_rollups` : sql`brand_hours`;
      const DAY = 86_400_000;
      const fullFrom = new Date(Math.ceil(since.getTime() / DAY) * DAY);
      const fullTo = new Date(Math.floor(until.getTime() / DAY) * DAY);
      // UTC days and weeks: whole days from the daily rollup, only the partial edge hours from hours.
      const fromDays = interval !== 'hour' && zone === 'UTC' && !sourceType && !lang && fullFrom < fullTo;
      const source = fromDays
        ? sql`
            select brand_id, date_trunc(${interval}, day::timestamp) at time zone 'UTC' as start, mentions, positive, neutral, negative, unscored, score_sum
            from brand_days
            where workspace_id = ${workspaceId} and brand_id = any(${brandIds}::uuid[]) and day >= ${fullFrom.toISOString().slice(0, 10)}::date and day < ${fullTo.toISOString().slice(0, 10)}::date
            union all
            -- The two partial edge days as two ranges: one OR of both would scan every hour row.
            select brand_id, date_trunc(${interval}, hour, 'UTC') as start, mentions, positive, neutral, negative, unscored, score_sum
            from brand_hours where workspace_id = ${workspaceId} and brand_id = any(${brandIds}::uuid[]) and hour >= ${since} and hour < ${fullFrom}
            union all
            select brand_id, date_trunc(${interval}, hour, 'UTC') as start, mentions, positive, neutral, negative, unscored, score_sum
            from brand_hours where workspace_id = ${workspaceId} and brand_id = any(${brandIds}::uuid[]) and hour >= ${fullTo} and hour < ${until}`
        : sql`
            select brand_id, date_trunc(${interval}, hour, ${zone}) as start, mentions, positive, neutral, negative, unscored, score_sum
            from ${table}
            where workspace_id = ${workspaceId} and brand_id = any(${brandIds}::uuid[]) and hour >= ${since} and hour < ${until}
              ${sourceType ? sql`and source_type = ${sourceType}` : sql``}
              ${lang ? sql`and lang = ${lang}` : sql``}`;
      // Bucket starts leave as epoch milliseconds, converted once per bucket after grouping: parsing
      // thousands of timestamptz strings cost the app more CPU than the rest of the rows, and
      // extract() per hour row (numeric arithmetic) would cost Postgres more than the grouping.
      const rows = await sql<{ brand_id: string; start_ms: number; mentions: number; positive: number; neutral: number; negative: number; unscored: number; score_sum: number }>`
        select brand_id, date_part('epoch', start) * 1000 as start_ms, mentions, positive, neutral, negative, unscored, score_sum
        from (select brand_id, start, ${sums} from (${source}) rows group by 1, 2) buckets`.execute(db);
      return rows.rows.map((r) => ({ brandId: r.brand_id, start: new Date(r.start_ms), mentions: r.mentions, positive: r.positive, neutral: r.neutral, negative: r.negative, unscored: r.unscored, scoreSum: r.score_sum }));
    },

    /** Failing stretches of the sources that feed these brands, overlapping the window. */
    async outages(workspaceId: string, brandIds: string[], since: Date, until: Date, now: Date) {
      const rows = await sql<{ brand_id: string; started_at: Date; ended_at: Date }>`
        select bs.brand_id, o.started_at, coalesce(o.ended_at, ${now}) as ended_at
        from source_outages o join brand_sources bs on bs.source_id = o.source_id
        where o.workspace_id = ${workspaceId} and bs.brand_id = any(${brandIds}::uuid[])
          and o.started_at < ${until} and coalesce(o.ended_at, ${now}) > ${since}`.execute(db);
      return rows.rows.map((r) => ({ brandId: r.brand_id, start: r.started_at, end: r.ended_at }));
    },

    async totalsByBrand(workspaceId: string, since: Date, until: Date): Promise<Array<Counts & { brandId: string; role: string }>> {
      const rows = await sql<{ id: string; role: string; mentions: number | null; positive: number | null; neutral: number | null; negative: number | null; unscored: number | null; score_sum: number | null }>`
        select b.id, b.role, t.mentions, t.positive, t.neutral, t.negative, t.unscored, t.score_sum
        from brands b
        -- One range of the (workspace, hour) index, which covers the counts: no heap visits, where
        -- a lateral per brand visited a heap page for most of its hours.
        left join (
          select brand_id, ${sums} from brand_hours h where h.workspace_id = ${workspaceId} and h.hour >= ${since} and h.hour < ${until} group by brand_id
        ) t on t.brand_id = b.id
        where b.workspace_id = ${workspaceId}
        order by b.created_at, b.id`.execute(db);
      return rows.rows.map((r) => ({
        brandId: r.id,
        role: r.role,
        mentions: r.mentions ?? 0,
        positive: r.positive ?? 0,
        neutral: r.neutral ?? 0,
        negative: r.negative ?? 0,
        unscored: r.unscored ?? 0,
        scoreSum: r.score_sum ?? 0,
      }));
    },

    /** A window's newest matched mentions with their brands and scores, for themes (stable order). */
    async themeMentions({ workspaceId, since, until, limit }: { workspaceId: string; since: Date; until: Date; limit: number }) {
      return db
        .selectFrom('mentions as m')
        .select(['m.id', 'm.brand_ids', 'm.title', 'm.text', 'm.lang', 'm.sentiment_score', 'm.sentiment_label', 'm.occurred_at'])
        .where('m.workspace_id', '=', workspaceId)
        .where('m.matched', '=', true)
        .where('m.occurred_at', '>=', since)
        .where('m.occurred_at', '<', until)
        .orderBy('m.occurred_at', 'desc')
        .orderBy('m.id', 'desc')
        .limit(limit)
        .execute();
    },

    /** The window's most positive or most negative brand mentions. */
    async extremes({ workspaceId, since, until, direction, limit }: { workspaceId: string; since: Date; until: Date; direction: 'positive' | 'negative'; limit: number }) {
      return db
        .selectFrom('mentions as m')
        .select(['m.id', 'm.brand_ids', 'm.url', 'm.title', 'm.text', 'm.sentiment_score', 'm.occurred_at', 'm.source_type'])
        .where('m.workspace_id', '=', workspaceId)
        .where('m.matched', '=', true)
        .where('m.occurred_at', '>=', since)
        .where('m.occurred_at', '<', until)
        .where('m.sentiment_label', '=', direction)
        .orderBy('m.sentiment_score', direction === 'positive' ? 'desc' : 'asc')
        .orderBy('m.id')
        .limit(limit)
        .execute();
    },

    /** The newest mentions' text in a window, for term analytics. */
    async texts({
      workspaceId,
      brandId,
      sentiment,
      since,
      until,
      limit,
    }: {
      workspaceId: string;
      brandId?: string | undefined;
      sentiment?: string | undefined;
      since: Date;
      until: Date;
      limit: number;
    }) {
      const q = brandId
        ? db
            .selectFrom('mention_brands as mb')
            .innerJoin('mentions as m', 'm.id', 'mb.mention_id')
            .where('mb.brand_id', '=', brandId)
            .where('mb.occurred_at', '>=', since)
            .where('mb.occurred_at', '<', until)
            .$if(sentiment !== undefined, (qb) => qb.where('mb.sentiment_label', '=', sentiment!))
            .orderBy('mb.occurred_at', 'desc')
        : db
            .selectFrom('mentions as m')
            .where('m.workspace_id', '=', workspaceId)
            .where('m.matched', '=', true)
            .where('m.occurred_at', '>=', since)
            .where('m.occurred_at', '<', until)
            .$if(sentiment !== undefined, (qb) => qb.where('m.sentiment_label', '=', sentiment!))
            .orderBy('m.occurred_at', 'desc');
      return q.select(['m.title', 'm.text', 'm.lang', 'm.sentiment_label']).limit(limit).execute();
    },

    /** Hashtag counts in two windows of whole UTC days: [from, to) and the equal window before it. */
    async hashtagCounts({ workspaceId, brandId, from, to, previousFrom }: { workspaceId: string; brandId?: string | undefined; from: string; to: string; previousFrom: string }) {
      const rows = await sql<{ tag: string; current: number; previous: number }>`
        select tag,
          coalesce(sum(mentions) filter (where day >= ${from}::date), 0)::int as current,
          coalesce(sum(mentions) filter (where day < ${from}::date), 0)::int as previous
        from hashtag_rollups
        where workspace_id = ${workspaceId} ${brandId ? sql`and brand_id = ${brandId}` : sql``}
          and day >= ${previousFrom}::date and day < ${to}::date
        group by tag
        having coalesce(sum(mentions) filter (where day >= ${from}::date), 0) > 0`.execute(db);
      return rows.rows;
    },
  };
}

export type AnalyticsRepository = ReturnType<typeof createAnalyticsRepository>;
