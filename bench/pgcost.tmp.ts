import { generateFeeds } from './support/feeds.js';
import { parseFeed } from '../src/domain/feeds/feed.parser.js';
import { prepareMentions } from '../src/domain/mentions/ingest.js';
import { toMentionBatch } from '../src/domain/mentions/batch.js';
import { createScorer } from '../src/domain/scoring/scorer.js';
import { compileWorkspace } from '../src/domain/query/index.js';
import { decodeText } from '../src/infra/http/index.js';
import { createMentionRepository } from '../src/domain/mentions/mentions.repository.js';
import { BRANDS } from './support/corpus.js';
import { createBenchDatabase } from './support/stack.js';
import { cpuSecondsOf } from './support/child.js';
import { sql } from 'kysely';
const scorer = createScorer();
const matcher = compileWorkspace(BRANDS.map((b, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, query: b.query })));
const database = await createBenchDatabase('pgcost');
const { db } = database;
const [{ id: workspaceId }] = (await sql<{ id: string }>`insert into workspaces (name) values ('stages') returning id`.execute(db)).rows as any;
const brandIds = (await sql<{ id: string }>`insert into brands (workspace_id, name, role, query) select ${workspaceId}, 'b' || g, 'competitor', 'x' from generate_series(0, 19) g returning id`.execute(db)).rows.map((r) => r.id);
const repository = createMentionRepository({ db });
const variants = (process.env.DROP ?? '').split(',').filter(Boolean);
for (const idx of variants) await sql.raw(`drop index ${idx}`).execute(db);
console.log('dropped', variants.join(',') || '(none)');
for (let round = 0; round < 4; round++) {
  const fetchedAt = new Date();
  const batches = [];
  for (const f of generateFeeds({ count: 50, items: 200, seed: 42, now: fetchedAt, round })) {
    const feed = await parseFeed(decodeText(f.body, 'application/rss+xml; charset=utf-8'), { feedUrl: `https://news${f.index}.example.com/feed.xml`, fetchedAt });
    const items = feed.items.map((item: any) => ({ ...item, engagement: null, authorFollowers: null, langHint: null }));
    const p = await prepareMentions({ items, sourceType: 'rss', fetchedAt, isBacklog: true, scorer, matcher });
    for (const m of p) m.brands = m.brands.map((b) => ({ ...b, brandId: brandIds[Number(b.brandId.slice(-12))]! }));
    batches.push(toMentionBatch(p));
  }
  const sourceIds: string[] = [];
  for (let i = 0; i < batches.length; i++) sourceIds.push((await sql<{ id: string }>`insert into sources (workspace_id, type, config, host) values (${workspaceId}, 'rss', '{}', ${`h${round}-${i}`}) returning id`.execute(db)).rows[0]!.id);
  const pids = (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)).rows.map((r) => r.pid);
  const before = pids.map(cpuSecondsOf);
  const t0 = performance.now();
  if (process.env.PARSEONLY) {
    for (const batch of batches) for (const chunk of batch.rows) await sql`select count(*) from json_to_recordset(${Buffer.from(chunk)}::json) as r(item_key text, canonical_url text, url text, title text, text text,
            author text, published_at timestamptz, date_quality text, fetched_at timestamptz, occurred_at timestamptz, lang text,
            lang_confidence real, sentiment_score real, sentiment_label text, sentiment_model text, hashtags text[], handles text[],
            engagement jsonb, author_followers integer, matched boolean, brand_ids uuid[], keywords text[], is_backlog boolean)`.execute(db);
  } else for (const [i, batch] of batches.entries()) await db.transaction().execute((trx) => repository.insertMany(trx, { workspaceId, sourceId: sourceIds[i]!, sourceType: 'rss', batch }));
  const pg = pids.map(cpuSecondsOf).reduce((a, c, k) => a + c - before[k]!, 0);
  if (round > 0) console.log(`round ${round}: wall ${((performance.now() - t0) / 10).toFixed(1)} µs/item, postgres cpu ${(pg * 100).toFixed(1)} µs/item`);
}
await database.drop();
process.exit(0);
