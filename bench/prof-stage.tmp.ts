import { generateFeeds } from './support/feeds.js';
import { parseFeed } from '../src/domain/feeds/feed.parser.js';
import { prepareMentions } from '../src/domain/mentions/ingest.js';
import { createScorer } from '../src/domain/scoring/scorer.js';
import { compileWorkspace } from '../src/domain/query/index.js';
import { decodeText } from '../src/infra/http/index.js';
import { BRANDS } from './support/corpus.js';
const feeds = generateFeeds({ count: 50, items: 200, seed: 42, now: new Date() });
const list = feeds;
const scorer = createScorer({ preload: !!process.env.PRELOAD });
const matcher = compileWorkspace(BRANDS.map((b, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, query: b.query })));
const fetchedAt = new Date();
async function pass() {
  let n = 0; let tp = 0, tq = 0;
  for (const f of list) {
    const t0 = performance.now();
    const feed = await parseFeed(decodeText(f.body, 'application/rss+xml; charset=utf-8'), { feedUrl: `https://news${f.index}.example.com/feed.xml`, fetchedAt });
    const items = feed.items.map((item: any) => ({ ...item, engagement: null, authorFollowers: null, langHint: null }));
    const t1 = performance.now();
    await prepareMentions({ items, sourceType: 'rss', fetchedAt, isBacklog: true, scorer, matcher });
    tq += performance.now() - t1; tp += t1 - t0; n += items.length;
  }
  console.log(`parse ${(tp*1000/n).toFixed(1)} µs/item, prepare ${(tq*1000/n).toFixed(1)} µs/item`);
}
const t = performance.now();
await pass();
console.log('cold pass ms', (performance.now() - t).toFixed(0));
for (let i = 0; i < Number(process.env.PASSES ?? 4); i++) await pass();

const v8 = await import('node:v8');
(globalThis as any).gc?.();
const h = v8.getHeapStatistics();
console.log('heap used MB', (h.used_heap_size/1e6).toFixed(1), 'total', (h.total_heap_size/1e6).toFixed(1), 'rss', (process.memoryUsage().rss/1e6).toFixed(0));
for (const s of v8.getHeapSpaceStatistics()) console.log(s.space_name, (s.space_used_size/1e6).toFixed(1), (s.space_size/1e6).toFixed(1));
{
  const { keywordsOf } = await import('../src/domain/mentions/ingest.js');
  const all: any[] = [];
  for (const f of list.slice(0, 50)) {
    const feed = await parseFeed(decodeText(f.body, 'application/rss+xml; charset=utf-8'), { feedUrl: `https://news${f.index}.example.com/feed.xml`, fetchedAt });
    const items = feed.items.map((item: any) => ({ ...item, engagement: null, authorFollowers: null, langHint: null }));
    all.push(await prepareMentions({ items, sourceType: 'rss', fetchedAt, isBacklog: true, scorer, matcher }));
  }
  for (let pass = 0; pass < 4; pass++) {
    let t0 = performance.now(); let bytes = 0;
    for (const chunk of all) {
      const rows = chunk.map((m: any) => ({ item_key: m.itemKey, canonical_url: m.canonicalUrl, url: m.url, title: m.title, text: m.text, author: m.author, published_at: m.publishedAt, date_quality: m.dateQuality, fetched_at: m.fetchedAt, occurred_at: m.occurredAt, lang: m.lang, lang_confidence: m.langConfidence, sentiment_score: m.sentiment.score, sentiment_label: m.sentiment.label, sentiment_model: m.sentiment.model, hashtags: m.hashtags, handles: m.handles, engagement: m.engagement, author_followers: m.authorFollowers, matched: m.brands.length > 0, brand_ids: m.brands.map((b: any) => b.brandId), keywords: keywordsOf(m.brands), is_backlog: m.isBacklog }));
      const s = JSON.stringify(rows);
      const b = Buffer.from(s);
      bytes += b.length;
    }
    const t1 = performance.now();
    const { serialize, deserialize } = await import('node:v8');
    let cl = 0;
    for (const chunk of all) { const s = serialize(chunk); cl += s.length; deserialize(s); }
    const t2 = performance.now();
    console.log(`encode ${((t1 - t0) * 100).toFixed(1)} µs/item (${(bytes/1e6).toFixed(1)} MB); v8 serialize+deserialize prepared ${((t2 - t1) * 100).toFixed(1)} µs/item (${(cl/1e6).toFixed(1)} MB)`);
  }
}
