// Each stage of the ingest path timed alone, in this process, over the same feeds: where one
// core's time goes per item, without queues, HTTP or other processes in the way.
import { compileWorkspace } from '../../src/domain/query/index.js';
import { parseFeed } from '../../src/domain/feeds/feed.parser.js';
import { fromFeedItem, type SourceItem } from '../../src/connectors/connector.types.js';
import { toMentionBatch } from '../../src/domain/mentions/batch.js';
import { createLocalCompute } from '../../src/domain/mentions/compute.js';
import { warmUp } from '../../src/infra/ingest-pool/warm-up.js';
import { prepareMentions, type PreparedMention } from '../../src/domain/mentions/ingest.js';
import { createMentionRepository } from '../../src/domain/mentions/mentions.repository.js';
import { storeMentions } from '../../src/domain/mentions/store.js';
import { createRollupRepository } from '../../src/domain/analytics/rollups.repository.js';
import { createSourceRepository } from '../../src/domain/sources/sources.repository.js';
import { createDb } from '../../src/infra/db/database.js';
import { createScorer } from '../../src/domain/scoring/scorer.js';
import { decodeText } from '../../src/infra/http/index.js';
import { sql } from 'kysely';
import { PLACEHOLDER_BRANDS, placeholderIndex } from './corpus.js';
import { FEED_CONTENT_TYPE, feedUrlOf, type BenchFeed } from './feeds.js';
import { benchLog, createBenchDatabase } from './stack.js';
import { cpuSecondsOf } from './child.js';

async function timed<T>(label: string, items: number, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  console.log(`  ${label.padEnd(46)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${Math.round((items / ms) * 1000).toString().padStart(7)} items/s  ${((ms * 1000) / items).toFixed(0).padStart(5)} µs/item`);
  return result;
}

export async function timeStages(feeds: readonly BenchFeed[]): Promise<void> {
  const fetchedAt = new Date();
  const total = feeds.reduce((n, f) => n + f.body.toString('utf8').split('<item>').length - 1, 0);
  // First, in code this process has not run yet: what each ingest thread spends at start.
  const warm = await warmUp({ compute: createLocalCompute({ scorer: createScorer({ preload: true }) }) });
  console.log(`\nIngest thread warm-up (INGEST_WARM_UP), fresh: ${warm.items} items in ${(warm.ms / 1000).toFixed(2)} s`);
  console.log(`\nStages alone, one core, ${feeds.length} feeds / ${total} items (a warm-up pass first):`);
  const parseAll = async () => {
    const out: SourceItem[][] = [];
    for (const f of feeds) {
      const feed = await parseFeed(decodeText(f.body, FEED_CONTENT_TYPE), { feedUrl: feedUrlOf(f), fetchedAt });
      out.push(feed.items.map(fromFeedItem));
    }
    return out;
  };
  const scorer = createScorer();
  const matcher = compileWorkspace(PLACEHOLDER_BRANDS);
  const prepareAll = async (parsed: SourceItem[][]) => {
    const out: PreparedMention[][] = [];
    for (const items of parsed) out.push(await prepareMentions({ items, sourceType: 'rss', fetchedAt, isBacklog: true, scorer, matcher }));
    return out;
  };
  for (const mentions of await prepareAll(await parseAll())) toMentionBatch(mentions);

  const parsed = await timed('parse (decode, rss-parser, dates, HTML, tokens)', total, parseAll);
  const flat = parsed.flat();
  await timed('language + sentiment (scorer.score)', total, async () => {
    for (const item of flat) scorer.score({ title: item.title, text: item.text, langHint: item.langHint });
  });
  await timed('brand matching (20 brands)', total, async () => {
    for (const item of flat) {
      matcher.match({ title: item.title, text: item.text, url: item.url, author: item.author, lang: 'en', sourceType: 'rss', hashtags: item.hashtags, handles: item.handles });
    }
  });
  const prepared = await timed('prepareMentions (score + match + canonical URL)', total, () => prepareAll(parsed));
  await timed('serialise rows (toMentionBatch)', total, async () => {
    for (const mentions of prepared) toMentionBatch(mentions);
  });

  const database = await createBenchDatabase('stages');
  try {
    const { db } = database;
    // Each store stage writes into a workspace of its own: the same items are new to each.
    const setUp = async (name: string) => {
      const [{ id: workspaceId }] = (await sql<{ id: string }>`insert into workspaces (name) values (${name}) returning id`.execute(db)).rows as [{ id: string }];
      const brandIds = (
        await sql<{ id: string }>`insert into brands (workspace_id, name, role, query) select ${workspaceId}, 'b' || g, 'competitor', 'x' from generate_series(0, 19) g returning id`.execute(db)
      ).rows.map((r) => r.id);
      const sourceIds = (
        await sql<{ id: string }>`insert into sources (workspace_id, type, config, host) select ${workspaceId}, 'rss', '{}', 'h' || g from generate_series(1, ${prepared.length}) g returning id`.execute(db)
      ).rows.map((r) => r.id);
      // Real brand ids in place of the placeholders, so mention_brands' foreign key holds.
      const batches = prepared.map((feed) =>
        toMentionBatch(feed.map((m) => ({ ...m, brands: m.brands.map((b) => ({ ...b, brandId: brandIds[placeholderIndex(b.brandId)]! })) }))),
      );
      return { workspaceId, sourceIds, batches };
    };
    const mentionsOnly = await setUp('stages: mentions');
    const wholeStore = await setUp('stages: store');
    // The store stages run on a pool of their own, closed before the statistics are read: a
    // backend reports its table counts when it exits, and its CPU is the stage's alone.
    const storeDb = createDb({ url: database.url, poolSize: 1, log: benchLog });
    const repository = createMentionRepository({ db: storeDb });
    const rollupRepository = createRollupRepository();
    const sourceRepository = createSourceRepository({ db: storeDb });
    const backend = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(storeDb)).rows[0]!.pid;
    const backendCpu = async () => {
      // Through the pool, so its one connection is the backend measured.
      await sql`select 1`.execute(storeDb);
      return cpuSecondsOf(backend);
    };
    const withPostgres = async (label: string, run: () => Promise<void>) => {
      const before = await backendCpu();
      await timed(label, total, run);
      console.log(`  ${''.padEnd(46)} Postgres CPU ${(((await backendCpu()) - before) * 1e6 / total).toFixed(0).padStart(5)} µs/item`);
    };
    try {
      await withPostgres('store: mentions + brand links (insertMany)', async () => {
        const { workspaceId, sourceIds, batches } = mentionsOnly;
        for (const [i, batch] of batches.entries()) {
          await storeDb.transaction().execute((trx) => repository.insertMany(trx, { workspaceId, sourceId: sourceIds[i]!, sourceType: 'rss', batch }));
        }
      });
      // What a poll's transaction holds: the mentions, the rollups, the brands' sources, the source's state, the live events.
      await withPostgres("store: a poll's transaction (storeMentions …)", async () => {
        const { workspaceId, sourceIds, batches } = wholeStore;
        for (const [i, batch] of batches.entries()) {
          const sourceId = sourceIds[i]!;
          await storeDb.transaction().execute(async (trx) => {
            const stored = await storeMentions({ trx, workspaceId, sourceId, sourceType: 'rss', batch, now: fetchedAt, mentionRepository: repository, rollupRepository });
            await sourceRepository.recordSuccess(trx, sourceId, { now: fetchedAt, status: 200, state: null, nextFetchAt: new Date(fetchedAt.getTime() + 600_000), counts: { read: batch.size, new: stored.inserted, matched: stored.matched.length } });
            await repository.recordEvents(trx, workspaceId, stored.matched.map((r) => r.id));
          });
        }
      });
    } finally {
      await storeDb.destroy();
    }
    for (let waited = 0; waited < 5000; waited += 50) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where pid = ${backend}`.execute(db);
      if (rows[0]!.n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // An update that changes an indexed column cannot be HOT (heap-only): it writes new index
    // entries too. The covering indexes of brand_hours and brand_days hold the counters; making
    // those updates HOT did not lower Postgres's CPU here (docs/benchmarks.md, 2026-12-06).
    const { rows } = await sql<{ relname: string; updates: number; hot: number }>`
      select relname, n_tup_upd::int as updates, n_tup_hot_upd::int as hot from pg_stat_user_tables
      where relname in ('mention_rollups', 'brand_hours', 'brand_days', 'hashtag_rollups', 'brand_sources') order by relname`.execute(db);
    console.log(`  rollup updates (HOT of all): ${rows.map((r) => `${r.relname} ${r.hot}/${r.updates}`).join(', ')}`);
  } finally {
    await database.drop();
  }
}
