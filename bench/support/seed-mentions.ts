// Fills a bench database with stored mentions the way months of ingestion leave them: rows in
// roughly the order they arrived (oldest first, items a few hours late), brands of very
// different popularity, sentiment mostly neutral or positive, a fifth of the items unmatched.
import { sql } from 'kysely';
import type { Database } from '../../src/infra/db/database.js';
import { SENTIMENT_MODEL } from '../../src/domain/scoring/scorer.js';
import { LANGS, generateText } from './corpus.js';
import { createRandom } from '../../src/infra/seeded-random.js';

const TEXTS = 4000;

export async function seedMentions({
  db,
  workspaceId,
  brandIds,
  total,
  days,
  batch = 100_000,
  seed = 7,
  onBatch,
}: {
  db: Database;
  workspaceId: string;
  brandIds: string[];
  total: number;
  days: number;
  batch?: number;
  seed?: number;
  onBatch?: (done: number) => void;
}): Promise<void> {
  const random = createRandom(seed);
  await sql`create unlogged table bench_texts (i int primary key, lang text, title text, body text, hashtags text[])`.execute(db);
  const texts = Array.from({ length: TEXTS }, (_, i) => {
    const lang = LANGS[i % LANGS.length]!;
    const { title, text } = generateText(random, lang);
    return { i, lang, title, body: text, hashtags: [...new Set(text.match(/#[\p{L}\p{N}_]+/gu) ?? [])].map((h) => h.slice(1).toLowerCase()) };
  });
  for (let start = 0; start < texts.length; start += 500) await db.insertInto('bench_texts' as never).values(texts.slice(start, start + 500) as never).execute();
  const sources = (
    await sql<{ id: string }>`
      insert into sources (workspace_id, type, config, host)
      select ${workspaceId}, 'rss', jsonb_build_object('url', 'https://news' || g || '.example.com/feed.xml'), 'news' || g || '.example.com'
      from generate_series(0, 49) g returning id`.execute(db)
  ).rows.map((r) => r.id);

  const brands = sql`(${sql.val(brandIds)}::uuid[])`;
  const srcs = sql`(${sql.val(sources)}::uuid[])`;
  const spanSeconds = days * 86_400;
  const n = brandIds.length;
  // One connection, so setseed makes the whole fill repeatable.
  await db.connection().execute(async (conn) => {
    await sql`select setseed(${(seed % 1000) / 1000})`.execute(conn);
    for (let from = 0; from < total; from += batch) {
      const to = Math.min(total, from + batch) - 1;
      // Per row: r1 picks the first brand (squared, so a few brands carry most mentions), r2 a
      // second brand for 15 % of matched rows, r3 the sentiment. Times are whole seconds, as feeds give them.
      await sql`
        insert into mentions (workspace_id, source_id, source_type, item_key, canonical_url, url, title, text, author,
          published_at, date_quality, fetched_at, occurred_at, lang, lang_confidence, sentiment_score, sentiment_label,
          sentiment_model, hashtags, matched, brand_ids, keywords, is_backlog, created_at)
        select ${workspaceId}, ${srcs}[1 + g % 50], 'rss', 'item-' || g, 'https://news.example.com/story/' || g,
          'https://news.example.com/story/' || g, t.title, t.body, 'Reporter ' || (g % 97),
          at, 'exact', at + interval '10 minutes', at, t.lang, 0.9,
          case when r.r3 < 0.3 then 0.6 when r.r3 < 0.5 then -0.6 else 0 end,
          case when r.r3 < 0.3 then 'positive' when r.r3 < 0.5 then 'negative' when r.r3 < 0.95 then 'neutral' else 'unscored' end,
          ${SENTIMENT_MODEL}, t.hashtags, r.matched, b.ids,
          case when r.matched then array[(array['coffee', 'delivery', 'app', 'price', 'launch'])[1 + g % 5]] else '{}' end, false, at + interval '10 minutes'
        from generate_series(${from}::int, ${to}::int) g
        -- Mentions g, so Postgres draws new numbers for every row instead of once.
        cross join lateral (select g as n, random() as r1, random() as r2, random() as r3, random() < 0.8 as matched, random() as jitter) r
        cross join lateral (
          select date_trunc('second', now() - make_interval(secs => ${spanSeconds} * (1 - g::float8 / ${total}) + r.jitter * 43200)) as at
        ) ts
        cross join lateral (
          select case
            when not r.matched then '{}'::uuid[]
            when r.r2 < 0.15 then array[${brands}[1 + floor(${n} * r.r1 ^ 2)::int], ${brands}[1 + (floor(${n} * r.r1 ^ 2)::int + 1 + floor(r.r2 / 0.15 * (${n} - 1))::int) % ${n}]]
            else array[${brands}[1 + floor(${n} * r.r1 ^ 2)::int]]
          end as ids
        ) b
        join bench_texts t on t.i = g % ${TEXTS}`.execute(conn);
      onBatch?.(to + 1);
    }
  });
  await sql`
    insert into mention_brands (brand_id, mention_id, workspace_id, occurred_at, sentiment_label, keywords)
    select unnest(brand_ids), id, workspace_id, occurred_at, sentiment_label, keywords from mentions where matched`.execute(db);
  await sql`drop table bench_texts`.execute(db);
}
