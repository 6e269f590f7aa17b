import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { mentionRows, type MentionBatch } from './batch.js';
import type { PreparedMention } from './ingest.js';

/** The record json_to_recordset reads a mention row as (batch.ts writes it; a key it leaves out reads as null). */
const ROW_TYPES = sql.raw(
  'item_key text, canonical_url text, url text, title text, text text, author text, published_at timestamptz, date_quality text, ' +
    'fetched_at timestamptz, occurred_at timestamptz, lang text, lang_confidence real, sentiment_score real, sentiment_label text, ' +
    'sentiment_model text, hashtags text[], handles text[], engagement jsonb, author_followers integer, matched boolean, brand_ids uuid[], ' +
    'keywords text[], brand_sentiments jsonb, is_backlog boolean, permalink text',
);

/** The first key of the advisory lock that orders a workspace's live events (the second: the workspace). */
const LIVE_EVENTS_LOCK = 0x4c495645; // 'LIVE'

export const mentionColumns = [
  'm.id',
  'm.workspace_id',
  'm.source_id',
  'm.source_type',
  'm.url',
  'm.title',
  'm.text',
  'm.author',
  'm.published_at',
  'm.date_quality',
  'm.fetched_at',
  'm.occurred_at',
  'm.lang',
  'm.lang_confidence',
  'm.sentiment_score',
  'm.sentiment_label',
  'm.sentiment_model',
  'm.hashtags',
  'm.keywords',
  'm.brand_ids',
  'm.brand_sentiments',
  'm.engagement',
  'm.author_followers',
  'm.permalink',
] as const;

export interface MentionFilter {
  brandId?: string;
  /** A query term, folded and in search form (`searchForm`). */
  keyword?: string;
  /** A hashtag without '#', folded and in search form (`searchForm`). */
  hashtag?: string;
  sentiment?: 'positive' | 'neutral' | 'negative' | 'unscored';
  sourceType?: string;
  sourceId?: string;
  lang?: string;
  since: Date;
  until: Date;
}

/** The live stream's filter: a time window only when asked for, since new mentions may be dated any time. */
export type LiveFilter = Omit<MentionFilter, 'since' | 'until'> & { since?: Date | undefined; until?: Date | undefined };

/**
 * Whether a mention's stored terms hold `form` (a term in search form). The terms keep the spelling
 * people wrote; search_forms() gives each in search form (migrations/0010_search_forms.sql) and,
 * where it has marks on Latin letters, also without them (0015_search_forms_latin.sql), so a form
 * without diacritics finds both spellings and one with them only its own. A GIN index is on
 * exactly this expression; the live stream asks the same in memory (holdsTerm).
 */
function containsTerm(column: 'm.keywords' | 'm.hashtags', form: string) {
  return sql<boolean>`search_forms(${sql.ref(column)}) @> array[${form}]::text[]`;
}

/**
 * The workspace's deleted brands whose ids their unlink (`brands.unlink`) has not cleared from
 * mentions yet: each is in brand_unlinks from its DELETE until then, so the table is nearly always
 * empty. Uncorrelated, so Postgres reads it once per query (an InitPlan), never once per row.
 * Reads leave these ids out (toMention), as they will be once the unlink has run.
 */
const unlinking = (workspaceId: string) =>
  sql<string[]>`(select coalesce(array_agg(u.brand_id), '{}') from brand_unlinks u where u.workspace_id = ${workspaceId}::uuid)`;

/**
 * Not a mention whose only brands are deleted ones: their unlink returns it to the raw store
 * (matched = false), so reads leave it out from the DELETE on. A brand-filtered read needs no such
 * check: a deleted brand's links are gone with it, so the brand it lists by is a live one.
 */
const notOnlyUnlinking = (workspaceId: string) => {
  const pending = unlinking(workspaceId);
  return sql<boolean>`not (m.brand_ids && ${pending} and m.brand_ids <@ ${pending})`;
};

export function createMentionRepository({ db }: { db: Kysely<DB> }) {
  function filtered(workspaceId: string, f: MentionFilter, after?: { occurredAt: Date; id: number }) {
    // With a brand, the brand's own index drives the scan; without, the workspace's matched index.
    let q = f.brandId
      ? db
          .selectFrom('mention_brands as mb')
          .innerJoin('mentions as m', 'm.id', 'mb.mention_id')
          .where('mb.brand_id', '=', f.brandId)
          .where('mb.workspace_id', '=', workspaceId)
          .where('mb.occurred_at', '>=', f.since)
          .where('mb.occurred_at', '<', f.until)
      : db
          .selectFrom('mentions as m')
          .where('m.workspace_id', '=', workspaceId)
          .where('m.matched', '=', true)
          .where(notOnlyUnlinking(workspaceId))
          .where('m.occurred_at', '>=', f.since)
          .where('m.occurred_at', '<', f.until);
    const time = f.brandId ? 'mb.occurred_at' : 'm.occurred_at';
    const id = f.brandId ? 'mb.mention_id' : 'm.id';
    if (f.sentiment) q = q.where(f.brandId ? 'mb.sentiment_label' : 'm.sentiment_label', '=', f.sentiment);
    if (f.keyword) q = q.where(containsTerm('m.keywords', f.keyword));
    if (f.hashtag) q = q.where(containsTerm('m.hashtags', f.hashtag));
    if (f.sourceType) q = q.where('m.source_type', '=', f.sourceType);
    if (f.sourceId) q = q.where('m.source_id', '=', f.sourceId);
    if (f.lang) q = q.where('m.lang', '=', f.lang);
    if (after) {
      // A row comparison, so Postgres walks the (time desc, id desc) index from the cursor on.
      q = q.where(sql<boolean>`(${sql.ref(time)}, ${sql.ref(id)}) < (${after.occurredAt}, ${after.id})`);
    }
    return q.orderBy(time as 'm.occurred_at', 'desc').orderBy(id as 'm.id', 'desc');
  }

  /**
   * The poll's matched mentions that were not inserted because their canonical URL is stored as an
   * item that matched no brand: each takes over that row (content, source, item key, scores), which
   * becomes a mention. The row matched nothing, so it had no links, rollups or live event to undo.
   * It may be the mention's own earlier version (an item edited to name a brand). A row is left
   * alone when another row already holds the mention's source and item key (they are unique).
   */
  async function takeOverUnmatched(
    trx: Transaction<DB>,
    { workspaceId, sourceId, sourceType, batch, inserted }: { workspaceId: string; sourceId: string; sourceType: string; batch: MentionBatch; inserted: ReadonlyArray<{ mention: PreparedMention }> },
  ): Promise<Array<{ id: number; mention: PreparedMention }>> {
    const done = new Set(inserted.map(({ mention }) => mention.itemKey));
    const skipped = batch.matched.filter((m) => m.canonicalUrl !== null && !done.has(m.itemKey));
    if (!skipped.length) return [];
    // Nearly always the skipped ones are the poll's own items stored before, now matched rows: a
    // probe with only their keys and URLs finds that, and only the rows to take over travel whole.
    const { rows: open } = await sql<{ item_key: string }>`
      select r.item_key
      from unnest(${skipped.map((m) => m.itemKey)}::text[], ${skipped.map((m) => m.canonicalUrl)}::text[]) as r(item_key, canonical_url)
      where exists (select 1 from mentions m where m.workspace_id = ${workspaceId}::uuid and m.canonical_url = r.canonical_url and not m.matched)`.execute(trx);
    if (!open.length) return [];
    const byKey = new Map(skipped.map((m) => [m.itemKey, m]));
    const takers = open.map((r) => byKey.get(r.item_key)!);
    const { rows } = await sql<{ id: string; item_key: string }>`
      update mentions m set
        source_id = ${sourceId}::uuid, source_type = ${sourceType}, item_key = r.item_key, url = r.url, title = r.title, text = r.text,
        author = r.author, published_at = r.published_at, date_quality = r.date_quality, fetched_at = r.fetched_at,
        occurred_at = r.occurred_at, lang = r.lang, lang_confidence = r.lang_confidence, sentiment_score = r.sentiment_score,
        sentiment_label = r.sentiment_label, sentiment_model = r.sentiment_model, hashtags = r.hashtags, handles = r.handles,
        engagement = r.engagement, author_followers = r.author_followers, matched = true, brand_ids = r.brand_ids,
        keywords = r.keywords, brand_sentiments = r.brand_sentiments, is_backlog = r.is_backlog, permalink = r.permalink, created_at = now()
      from json_to_recordset(${mentionRows(takers)}::json) as r(${ROW_TYPES})
      where m.workspace_id = ${workspaceId}::uuid and m.canonical_url = r.canonical_url and not m.matched
        and not exists (select 1 from mentions o where o.source_id = ${sourceId}::uuid and o.item_key = r.item_key and o.id <> m.id)
      returning m.id, r.item_key`.execute(trx);
    return rows.map((row) => ({ id: Number(row.id), mention: byKey.get(row.item_key)! }));
  }

  return {
    /**
     * Stores a poll's mentions once per workspace: a row that already exists (same source item, or
     * the same canonical URL from another source) is skipped, so a retried or duplicated fetch adds
     * nothing. One exception: a matched mention whose story is stored only as an item that matched
     * no brand (a title-only copy from another feed, say) takes that row's place, so the brand
     * mention is not lost to the first copy's lack of words. Returns how many rows were inserted
     * and the ids of the matched ones, the rows taken over included.
     */
    async insertMany(
      trx: Transaction<DB>,
      { workspaceId, sourceId, sourceType, batch }: { workspaceId: string; sourceId: string; sourceType: string; batch: MentionBatch },
    ): Promise<{ inserted: number; matched: Array<{ id: number; mention: PreparedMention }> }> {
      const matchedByKey = new Map(batch.matched.map((m) => [m.itemKey, m]));
      const matched: Array<{ id: number; mention: PreparedMention }> = [];
      let inserted = 0;
      for (const chunk of batch.rows) {
        // Each chunk is one JSON parameter expanded by json_to_recordset, sent as bytes: one value
        // to pass instead of 26 bind parameters per row, which cost more CPU than the insert.
        const rows = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        const result = await sql<{ id: number; item_key: string; matched: boolean }>`
          insert into mentions (workspace_id, source_id, source_type, item_key, canonical_url, url, title, text, author, published_at,
            date_quality, fetched_at, occurred_at, lang, lang_confidence, sentiment_score, sentiment_label, sentiment_model, hashtags,
            handles, engagement, author_followers, matched, brand_ids, keywords, brand_sentiments, is_backlog, permalink)
          select ${workspaceId}::uuid, ${sourceId}::uuid, ${sourceType}, r.item_key, r.canonical_url, r.url, r.title, r.text, r.author,
            r.published_at, r.date_quality, r.fetched_at, r.occurred_at, r.lang, r.lang_confidence, r.sentiment_score, r.sentiment_label,
            r.sentiment_model, r.hashtags, r.handles, r.engagement, r.author_followers, r.matched, r.brand_ids, r.keywords, r.brand_sentiments, r.is_backlog,
            r.permalink
          from json_to_recordset(${rows}::json) as r(${ROW_TYPES})
          on conflict do nothing
          returning id, item_key, matched`.execute(trx);
        inserted += result.rows.length;
        for (const row of result.rows) if (row.matched) matched.push({ id: Number(row.id), mention: matchedByKey.get(row.item_key)! });
      }
      if (matched.length < batch.matched.length) matched.push(...(await takeOverUnmatched(trx, { workspaceId, sourceId, sourceType, batch, inserted: matched })));
      const links = matched.flatMap(({ id, mention }) =>
        mention.brands.map((b) => {
          // A brand's own reading of a multi-brand post; null: the post's (the link's score is the mention's).
          const own = mention.brandSentiments?.[b.brandId];
          return { brand_id: b.brandId, mention_id: id, occurred_at: mention.occurredAt, sentiment_label: own?.label ?? mention.sentiment.label, sentiment_score: own?.score ?? null, keywords: b.keywords };
        }),
      );
      if (links.length) {
        await sql`
          insert into mention_brands (brand_id, mention_id, workspace_id, occurred_at, sentiment_label, sentiment_score, keywords)
          select r.brand_id, r.mention_id, ${workspaceId}::uuid, r.occurred_at, r.sentiment_label, r.sentiment_score, r.keywords
          from json_to_recordset(${JSON.stringify(links)}::json)
            as r(brand_id uuid, mention_id bigint, occurred_at timestamptz, sentiment_label text, sentiment_score real, keywords text[])
          on conflict do nothing`.execute(trx);
      }
      return { inserted, matched };
    },

    async list(workspaceId: string, filter: MentionFilter, page: { limit: number; after?: { occurredAt: Date; id: number } }) {
      return filtered(workspaceId, filter, page.after)
        .select([...mentionColumns, unlinking(workspaceId).as('unlinking')])
        .limit(page.limit + 1)
        .execute();
    },

    async get(workspaceId: string, id: number) {
      return db
        .selectFrom('mentions as m')
        .select([...mentionColumns, unlinking(workspaceId).as('unlinking')])
        .where('m.workspace_id', '=', workspaceId)
        .where('m.id', '=', id as never)
        .where('m.matched', '=', true)
        .where(notOnlyUnlinking(workspaceId))
        .executeTakeFirst();
    },

    /**
     * Gives a poll's matched mentions their live events, as the last statement of the poll's
     * transaction: the per-workspace lock it takes is held until commit, so within a workspace
     * event order is commit order. Returns each mention id's event seq.
     */
    async recordEvents(trx: Transaction<DB>, workspaceId: string, mentionIds: readonly number[]): Promise<Map<number, number>> {
      if (mentionIds.length === 0) return new Map();
      await sql`select pg_advisory_xact_lock(${LIVE_EVENTS_LOCK}, hashtext(${workspaceId}))`.execute(trx);
      const { rows } = await sql<{ seq: number; mention_id: number }>`
        insert into mention_events (workspace_id, mention_id)
        select ${workspaceId}::uuid, t.id from unnest(${mentionIds}::bigint[]) with ordinality as t(id, n) order by t.n
        returning seq, mention_id`.execute(trx);
      return new Map(rows.map((r) => [Number(r.mention_id), Number(r.seq)]));
    },

    /** The workspace's newest live event seq (0 when it has none): where a stream that goes live without Last-Event-ID stands. */
    async lastEventSeq(workspaceId: string): Promise<number> {
      const row = await db
        .selectFrom('mention_events')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst();
      return Number(row?.seq ?? 0);
    },

    /** How many live events the workspace has after `afterSeq`, and the newest: a live stream compares the count with how many it was told of. */
    async countEventsAfter(workspaceId: string, afterSeq: number): Promise<{ count: number; newest: number }> {
      const row = await db
        .selectFrom('mention_events')
        .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('seq').as('newest')])
        .where('workspace_id', '=', workspaceId)
        .where('seq', '>', afterSeq as never)
        .executeTakeFirst();
      return { count: Number(row?.n ?? 0), newest: Number(row?.newest ?? afterSeq) };
    },

    /**
     * The live events after `afterSeq` whose mentions are still matched and pass the filter,
     * oldest first: the replay for a resuming live stream.
     */
    async eventsAfter(workspaceId: string, afterSeq: number, f: LiveFilter, limit: number) {
      let q = db
        .selectFrom('mention_events as e')
        .innerJoin('mentions as m', 'm.id', 'e.mention_id')
        .select([...mentionColumns, unlinking(workspaceId).as('unlinking'), 'e.seq'])
        .where('e.workspace_id', '=', workspaceId)
        .where('e.seq', '>', afterSeq as never)
        .where('m.matched', '=', true)
        .where(notOnlyUnlinking(workspaceId));
      if (f.since) q = q.where('m.occurred_at', '>=', f.since);
      if (f.until) q = q.where('m.occurred_at', '<', f.until);
      // With a brand, its link, as the list reads it (filtered): sentiment= is that brand's reading
      // of the post (a post naming two brands may praise one and criticise the other), not the post's.
      if (f.brandId) {
        const { brandId, sentiment } = f;
        q = q.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('mention_brands as mb')
              .select('mb.mention_id')
              .whereRef('mb.mention_id', '=', 'm.id')
              .where('mb.brand_id', '=', brandId)
              .$if(sentiment !== undefined, (link) => link.where('mb.sentiment_label', '=', sentiment!)),
          ),
        );
      } else if (f.sentiment) q = q.where('m.sentiment_label', '=', f.sentiment);
      if (f.keyword) q = q.where(containsTerm('m.keywords', f.keyword));
      if (f.hashtag) q = q.where(containsTerm('m.hashtags', f.hashtag));
      if (f.sourceType) q = q.where('m.source_type', '=', f.sourceType);
      if (f.sourceId) q = q.where('m.source_id', '=', f.sourceId);
      if (f.lang) q = q.where('m.lang', '=', f.lang);
      return q.orderBy('e.seq').limit(limit).execute();
    },
  };
}

export type MentionRepository = ReturnType<typeof createMentionRepository>;
export type MentionRow = Awaited<ReturnType<MentionRepository['list']>>[number];
