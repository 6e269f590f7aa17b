import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../infra/db/schema.js';

export type Interval = 'hour' | 'day' | 'week';

/**
 * Counts of brand links (`mention_brands mb join mentions m`) as the hourly rollups count them: a
 * mention once per brand it has, by the brand's reading of it (the link's label; its score, or the
 * post's where the link has none of its own: brand-readings.ts), and the scored ones' scores summed.
 */
export const LINK_COUNTS = sql`count(*)::int as mentions,
  count(*) filter (where mb.sentiment_label = 'positive')::int as positive,
  count(*) filter (where mb.sentiment_label = 'neutral')::int as neutral,
  count(*) filter (where mb.sentiment_label = 'negative')::int as negative,
  count(*) filter (where mb.sentiment_label = 'unscored')::int as unscored,
  coalesce(sum(coalesce(mb.sentiment_score, m.sentiment_score)) filter (where mb.sentiment_label <> 'unscored'), 0)::float8 as score_sum`;

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

/** One brand's trend: its buckets that have counts, as columns, and when its sources were failing. */
export interface BrandTrend {
  brandId: string;
  /** The k-th bucket with counts starts at `starts[k]` (epoch seconds); the other columns follow it. */
  starts: number[];
  /** Mentions, positive, neutral, negative, unscored. */
  counts: Array<[number, number, number, number, number]>;
  scoreSums: number[];
  /** Failing stretches of the sources feeding the brand that overlap the window, [start, end) in epoch milliseconds. */
  outages: Array<[number, number]>;
}

type Columns = [BrandTrend['starts'], BrandTrend['counts'], BrandTrend['scoreSums']];

/** What a digest shows of a mention: a line of its words, its brand, score and link. */
const SHOWN = ['m.id', 'm.brand_ids', 'm.url', 'm.title', 'm.text', 'm.sentiment_score', 'm.occurred_at', 'm.source_type', 'm.lang'] as const;

/** A mention as a digest shows it (SHOWN); `lang` chooses the direction of its words. */
export interface ShownMention {
  id: string;
  brand_ids: string[];
  url: string | null;
  title: string | null;
  text: string | null;
  sentiment_score: number;
  occurred_at: Date;
  source_type: string;
  lang: string | null;
}

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

/** The mentions of one brand-hour that belong to the bucket starting inside that hour, not to the one the hour starts in. */
interface Crossing {
  brand_id: string;
  /** The bucket the hour's rollup counted them in, and the one they belong to (epoch seconds). */
  from_start: number;
  to_start: number;
  mentions: number;
  positive: number;
  neutral: number;
  negative: number;
  unscored: number;
  score_sum: number;
}

/**
 * Local days and weeks of a zone whose offset is not a whole number of hours (Asia/Kolkata +05:30,
 * Asia/Kathmandu +05:45, Asia/Tehran +03:30, America/St_Johns, Australia/Adelaide…) start inside
 * a UTC hour, and an hourly rollup cannot say which side of the boundary its mentions fell on:
 * `date_trunc` put the whole hour in the bucket the hour starts in. The mentions of those hours,
 * from the boundary to the hour's end, are counted here from the stored links (one short index
 * range per brand and boundary), to be moved into the bucket they belong to. Mentions already
 * deleted by retention cannot be placed and stay where the hour starts.
 */
async function crossingsAtSubHourBoundaries(
  db: Kysely<DB>,
  p: { workspaceId: string; brandId?: string | undefined; interval: Interval; since: Date; until: Date; tz: string; sourceType?: string | undefined; lang?: string | undefined },
): Promise<Crossing[]> {
  const { rows } = await sql<Crossing>`
    with boundary as (
      select g at time zone ${p.tz} as at
      from generate_series(
        date_trunc(${p.interval}, ${p.since}::timestamptz, ${p.tz}) at time zone ${p.tz},
        (${p.until}::timestamptz - interval '1 microsecond') at time zone ${p.tz},
        ${`1 ${p.interval}`}::interval) g
    ), crossing as (
      select at, date_trunc('hour', at, 'UTC') as hour from boundary
      where at <> date_trunc('hour', at, 'UTC') and date_trunc('hour', at, 'UTC') >= ${p.since} and date_trunc('hour', at, 'UTC') < ${p.until}
    )
    -- Per brand and boundary, a lateral read: the link index is (brand_id, occurred_at), and a
    -- plain join let the planner scan it by time alone, once per boundary (2 s for 13 years of days).
    select b.id as brand_id,
      date_part('epoch', date_trunc(${p.interval}, c.hour, ${p.tz}))::int8 as from_start,
      date_part('epoch', c.at)::int8 as to_start,
      x.mentions, x.positive, x.neutral, x.negative, x.unscored, x.score_sum
    from brands b
    cross join crossing c
    cross join lateral (
      select ${LINK_COUNTS}
      from mention_brands mb join mentions m on m.id = mb.mention_id
      where mb.brand_id = b.id and mb.occurred_at >= c.at and mb.occurred_at < c.hour + interval '1 hour'
        ${p.sourceType ? sql`and m.source_type = ${p.sourceType}` : sql``}
        ${p.lang ? sql`and m.lang = ${p.lang}` : sql``}
    ) x
    where b.workspace_id = ${p.workspaceId} ${p.brandId ? sql`and b.id = ${p.brandId}` : sql``} and x.mentions > 0`.execute(db);
  // int8 leaves node-pg as a string.
  return rows.map((r) => ({ ...r, from_start: Number(r.from_start), to_start: Number(r.to_start) }));
}

/** Moves each crossing's counts from the bucket its hour starts in to the bucket it belongs to. */
function moveAcrossBoundaries(trends: BrandTrend[], crossings: readonly Crossing[]): void {
  const byBrand = new Map(trends.map((t) => [t.brandId, { t, at: new Map(t.starts.map((start, k) => [start, k])) }]));
  for (const c of crossings) {
    const brand = byBrand.get(c.brand_id);
    if (!brand) continue;
    const { t, at } = brand;
    const delta: [number, number, number, number, number] = [c.mentions, c.positive, c.neutral, c.negative, c.unscored];
    for (const [start, sign] of [[c.from_start, -1], [c.to_start, 1]] as const) {
      let k = at.get(start);
      if (k === undefined) {
        k = t.starts.push(start) - 1;
        at.set(start, k);
        t.counts.push([0, 0, 0, 0, 0]);
        t.scoreSums.push(0);
      }
      const counts = t.counts[k]!;
      for (let i = 0; i < 5; i++) counts[i]! += sign * delta[i]!;
      t.scoreSums[k]! += sign * c.score_sum;
    }
  }
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

    /**
     * Each brand of the workspace (or the one brand, a valid uuid; none when it is not the
     * workspace's) in creation order, with its counts per bucket, from brand-hour totals, or from
     * the per-dimension table when filtered, and the outages of the sources feeding it. One query
     * for all of it: the brand list and the outages were two more round trips and plans a request.
     */
    async trend({
      workspaceId,
      brandId,
      interval,
      since,
      until,
      tz,
      sourceType,
      lang,
      now,
    }: {
      workspaceId: string;
      brandId?: string | undefined;
      interval: Interval;
      since: Date;
      until: Date;
      tz: string;
      sourceType?: string | undefined;
      lang?: string | undefined;
      /** The end of an outage still open. */
      now: Date;
    }): Promise<BrandTrend[]> {
      const zone = interval === 'hour' ? 'UTC' : tz;
      const table = sourceType || lang ? sql`mention_rollups` : sql`brand_hours`;
      const ofBrands = brandId ? sql`and brand_id = ${brandId}` : sql``;
      const fullFrom = new Date(Math.ceil(since.getTime() / DAY_MS) * DAY_MS);
      const fullTo = new Date(Math.floor(until.getTime() / DAY_MS) * DAY_MS);
      // UTC days and weeks: whole days from the daily rollup, only the partial edge hours from hours.
      const fromDays = interval !== 'hour' && zone === 'UTC' && !sourceType && !lang && fullFrom < fullTo;
      // Bucket starts as epoch seconds, one for one with the timestamps: grouped on alike, and the app parses no dates.
      const epoch = (t: RawBuilder<unknown>) => sql`date_part('epoch', ${t})::int8`;
      // The two partial edge days as two ranges: one OR of both would scan every hour row.
      const edge = (from: Date, to: Date) => sql`
        select brand_id, ${epoch(sql`date_trunc(${interval}, hour, 'UTC')`)} as start, ${sums}
        from brand_hours where workspace_id = ${workspaceId} ${ofBrands} and hour >= ${from} and hour < ${to} group by 1, 2`;
      const days = (start: RawBuilder<unknown>) => sql`
        select brand_id, ${start} as start, mentions, positive, neutral, negative, unscored, score_sum
        from brand_days
        where workspace_id = ${workspaceId} ${ofBrands} and day >= ${fullFrom.toISOString().slice(0, 10)}::date and day < ${fullTo.toISOString().slice(0, 10)}::date`;
      // One row per brand and bucket. A daily rollup row already is a day's bucket: only weeks
      // group them (regrouping 3,600 days cost Postgres a millisecond).
      const buckets = !fromDays
        ? sql`
            select brand_id, ${epoch(sql`date_trunc(${interval}, hour, ${zone})`)} as start, ${sums}
            from ${table}
            where workspace_id = ${workspaceId} ${ofBrands} and hour >= ${since} and hour < ${until}
              ${sourceType ? sql`and source_type = ${sourceType}` : sql``}
              ${lang ? sql`and lang = ${lang}` : sql``}
            group by 1, 2`
        : interval === 'day'
          ? sql`${days(sql`(day - date '1970-01-01')::int8 * 86400`)} union all (${edge(since, fullFrom)}) union all (${edge(fullTo, until)})`
          : sql`
              select brand_id, start, ${sums}
              from (${days(epoch(sql`date_trunc('week', day::timestamp) at time zone 'UTC'`))} union all (${edge(since, fullFrom)}) union all (${edge(fullTo, until)})) rows
              group by 1, 2`;
      // One row per brand with its buckets as JSON, which node-pg hands to JSON.parse: the starts,
      // the five counts of each bucket as one array, the score sums. Parsing 3,620 rows of 8
      // columns a value at a time (a Buffer slice and a parser each) cost the app 7 ms of CPU for a
      // 180-day trend of 20 brands; one array of counts per bucket saves Postgres four aggregate
      // steps a bucket (0.6 ms there). float8 leaves in its shortest exact digits, so the score
      // sums parse back to the very same doubles; outage bounds leave as whole milliseconds, as a
      // Date of them would hold.
      const ms = (t: RawBuilder<unknown>) => sql`floor(extract(epoch from ${t}) * 1000)`;
      // Brands are put in order here, not by the query: a sort above the join held every row back
      // until the last was made, where unsorted rows stream out as each brand is aggregated.
      const read = sql<{ brand_id: string; position: number; columns: Columns | null; outages: Array<[number, number]> | null }>`
        select b.id as brand_id, b.position, t.columns, o.outages
        from (
          select id, row_number() over (order by created_at, id)::int as position from brands
          where workspace_id = ${workspaceId} ${brandId ? sql`and id = ${brandId}` : sql``}
        ) b
        left join (
          select brand_id, json_build_array(array_agg(start), array_agg(array[mentions, positive, neutral, negative, unscored]), array_agg(score_sum)) as columns
          from (${buckets}) buckets group by brand_id
        ) t on t.brand_id = b.id
        left join (
          select bs.brand_id, json_agg(json_build_array(${ms(sql`o.started_at`)}, ${ms(sql`coalesce(o.ended_at, ${now})`)})) as outages
          from source_outages o join brand_sources bs on bs.source_id = o.source_id
          where o.workspace_id = ${workspaceId} and o.started_at < ${until} and coalesce(o.ended_at, ${now}) > ${since}
          group by bs.brand_id
        ) o on o.brand_id = b.id`.execute(db);
      const [rows, crossings] = await Promise.all([
        read,
        zone === 'UTC' ? [] : crossingsAtSubHourBoundaries(db, { workspaceId, brandId, interval, since, until, tz: zone, sourceType, lang }),
      ]);
      const trends = rows.rows.sort((a, b) => a.position - b.position).map(({ brand_id, columns, outages }): BrandTrend => {
        // Fresh arrays, not shared ones: moveAcrossBoundaries may add buckets to them.
        const [starts, counts, scoreSums]: Columns = columns ?? [[], [], []];
        return { brandId: brand_id, starts, counts, scoreSums, outages: outages ?? [] };
      });
      if (crossings.length) moveAcrossBoundaries(trends, crossings);
      return trends;
    },

    async totalsByBrand(workspaceId: string, since: Date, until: Date): Promise<Array<Counts & { brandId: string; name: string; role: string }>> {
      const rows = await sql<{ id: string; name: string; role: string; mentions: number | null; positive: number | null; neutral: number | null; negative: number | null; unscored: number | null; score_sum: number | null }>`
        select b.id, b.name, b.role, t.mentions, t.positive, t.neutral, t.negative, t.unscored, t.score_sum
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
        name: r.name,
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

    /**
     * The window's most positive or most negative mentions of a brand, one row per (mention, brand)
     * with that brand's reading (its link's label, and its score or the post's: brand-readings.ts):
     * a post praising one brand and attacking another is a negative of the other only. Read per
     * brand from the link index (brand_id, sentiment_label, occurred_at), at most `limit` each,
     * then the strongest `limit` of them all.
     */
    async extremes({ workspaceId, since, until, direction, limit }: { workspaceId: string; since: Date; until: Date; direction: 'positive' | 'negative'; limit: number }) {
      const order = direction === 'positive' ? sql`desc` : sql`asc`;
      const { rows } = await sql<ShownMention & { brand_id: string }>`
        select x.*
        from brands b
        cross join lateral (
          select m.id, mb.brand_id, m.brand_ids, m.url, m.title, m.text, coalesce(mb.sentiment_score, m.sentiment_score) as sentiment_score,
            m.occurred_at, m.source_type, m.lang
          from mention_brands mb join mentions m on m.id = mb.mention_id
          where mb.brand_id = b.id and mb.sentiment_label = ${direction}
            and mb.occurred_at >= ${since} and mb.occurred_at < ${until} and m.matched
          order by coalesce(mb.sentiment_score, m.sentiment_score) ${order}, m.id
          limit ${limit}
        ) x
        where b.workspace_id = ${workspaceId}
        order by x.sentiment_score ${order}, x.id, x.brand_id
        limit ${limit}`.execute(db);
      return rows;
    },

    /** The workspace's mentions of these ids that are still stored, as a digest shows them; any order. */
    async shown(workspaceId: string, ids: readonly string[]): Promise<ShownMention[]> {
      const valid = ids.filter((id) => /^[0-9]{1,18}$/u.test(id));
      if (!valid.length) return [];
      return db.selectFrom('mentions as m').select(SHOWN).where('m.workspace_id', '=', workspaceId).where('m.id', 'in', valid).execute();
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
      // With a brand, its reading of each post (docs/sentiment.md, "One post, several brands") is
      // both what `sentiment` selects and the label the terms are counted under.
      if (brandId) {
        return db
          .selectFrom('mention_brands as mb')
          .innerJoin('mentions as m', 'm.id', 'mb.mention_id')
          .where('mb.brand_id', '=', brandId)
          .where('mb.occurred_at', '>=', since)
          .where('mb.occurred_at', '<', until)
          .$if(sentiment !== undefined, (qb) => qb.where('mb.sentiment_label', '=', sentiment!))
          .orderBy('mb.occurred_at', 'desc')
          .select(['m.title', 'm.text', 'm.lang', 'mb.sentiment_label', 'm.brand_ids'])
          .limit(limit)
          .execute();
      }
      return db
        .selectFrom('mentions as m')
        .where('m.workspace_id', '=', workspaceId)
        .where('m.matched', '=', true)
        .where('m.occurred_at', '>=', since)
        .where('m.occurred_at', '<', until)
        .$if(sentiment !== undefined, (qb) => qb.where('m.sentiment_label', '=', sentiment!))
        .orderBy('m.occurred_at', 'desc')
        .select(['m.title', 'm.text', 'm.lang', 'm.sentiment_label', 'm.brand_ids'])
        .limit(limit)
        .execute();
    },

    /**
     * Hashtag counts in two windows of whole UTC days: [from, to) and the equal window before it.
     * A brand's from its own rollups; the workspace's from its own, where a mention of several
     * brands counts once (summing the brands' would count it once per brand).
     */
    async hashtagCounts({ workspaceId, brandId, from, to, previousFrom }: { workspaceId: string; brandId?: string | undefined; from: string; to: string; previousFrom: string }) {
      const rows = await sql<{ tag: string; current: number; previous: number }>`
        select tag,
          coalesce(sum(mentions) filter (where day >= ${from}::date), 0)::int as current,
          coalesce(sum(mentions) filter (where day < ${from}::date), 0)::int as previous
        from ${brandId ? sql`hashtag_rollups` : sql`workspace_hashtags`}
        where workspace_id = ${workspaceId} ${brandId ? sql`and brand_id = ${brandId}` : sql``}
          and day >= ${previousFrom}::date and day < ${to}::date
        group by tag
        having coalesce(sum(mentions) filter (where day >= ${from}::date), 0) > 0`.execute(db);
      return rows.rows;
    },
  };
}

export type AnalyticsRepository = ReturnType<typeof createAnalyticsRepository>;
