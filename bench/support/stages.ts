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
import { createScorer } from '../../src/domain/scoring/scorer.js';
import { decodeText } from '../../src/infra/http/index.js';
import { sql } from 'kysely';
import { BRANDS } from './corpus.js';
import type { BenchFeed } from './feeds.js';
import { createBenchDatabase } from './stack.js';

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
      const feed = await parseFeed(decodeText(f.body, 'application/rss+xml; charset=utf-8'), { feedUrl: `https://news${f.index}.example.com/feed.xml`, fetchedAt });
      out.push(feed.items.map(fromFeedItem));
    }
    return out;
  };
  const scorer = createScorer();
  const matcher = compileWorkspace(BRANDS.map((b, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, query: b.query })));
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
    const [{ id: workspaceId }] = (await sql<{ id: string }>`insert into workspaces (name) values ('stages') returning id`.execute(db)).rows as [{ id: string }];
    const brandIds = (
      await sql<{ id: string }>`insert into brands (workspace_id, name, role, query) select ${workspaceId}, 'b' || g, 'competitor', 'x' from generate_series(0, 19) g returning id`.execute(db)
    ).rows.map((r) => r.id);
    // Real brand ids in place of the placeholders, so mention_brands' foreign key holds.
    for (const feed of prepared) for (const m of feed) m.brands = m.brands.map((b) => ({ ...b, brandId: brandIds[Number(b.brandId.slice(-12))]! }));
    const sourceIds: string[] = [];
    for (let i = 0; i < prepared.length; i++) {
      sourceIds.push(
        (await sql<{ id: string }>`insert into sources (workspace_id, type, config, host) values (${workspaceId}, 'rss', '{}', ${`h${i}`}) returning id`.execute(db)).rows[0]!.id,
      );
    }
    const repository = createMentionRepository({ db });
    await timed('store (insertMany, one transaction per feed)', total, async () => {
      for (const [i, mentions] of prepared.entries()) {
        await db.transaction().execute((trx) => repository.insertMany(trx, { workspaceId, sourceId: sourceIds[i]!, sourceType: 'rss', batch: toMentionBatch(mentions) }));
      }
    });
  } finally {
    await database.drop();
  }
}
