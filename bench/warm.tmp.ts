import { readFileSync } from 'node:fs';
import { generateFeeds } from './support/feeds.js';
import { createLocalCompute } from '../src/domain/mentions/compute.js';
import { createScorer } from '../src/domain/scoring/scorer.js';
import { BRANDS } from './support/corpus.js';
const compute = createLocalCompute({ scorer: createScorer({ preload: true }) });
const samples = JSON.parse(readFileSync('demo/samples.json', 'utf8'));
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
if (process.env.WARM) {
  const t = performance.now();
  const items = Object.values(samples.feeds as Record<string, { items: Array<{ title: string; text: string }> }>).flatMap((f) => f.items);
  const brands = { workspaceId: 'warm', version: '1', brands: samples.brands.map((b: any, i: number) => ({ id: String(i), query: b.query })) };
  for (let r = 0; r < Number(process.env.WARM); r++) {
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>w</title>${items.map((it, i) => `<item><title>${esc(it.title)}</title><description>${esc(it.text)}</description><link>https://w.example.com/${r}/${i}</link><pubDate>Sat, 05 Dec 2026 10:00:00 GMT</pubDate></item>`).join('')}</channel></rss>`;
    const feed = await compute.parseFeed({ bytes: Buffer.from(xml), contentType: null }, { feedUrl: 'https://w.example.com/feed.xml', fetchedAt: new Date() });
    await compute.prepare({ items: feed.items.map((it) => ({ ...it, engagement: null, authorFollowers: null, langHint: null })), sourceType: 'rss', fetchedAt: new Date(), isBacklog: false, brands });
  }
  console.log('warm-up', items.length * Number(process.env.WARM), 'items in', (performance.now() - t).toFixed(0), 'ms');
}
const brands = { workspaceId: 'ws', version: '1', brands: BRANDS.map((b, i) => ({ id: String(i), query: b.query })) };
for (let round = 0; round < 3; round++) {
  const fetchedAt = new Date();
  const t0 = performance.now(); let n = 0;
  for (const f of generateFeeds({ count: 50, items: 200, seed: 42, now: fetchedAt, round })) {
    const feed = await compute.parseFeed({ bytes: f.body, contentType: 'application/rss+xml; charset=utf-8' }, { feedUrl: `https://news${f.index}.example.com/feed.xml`, fetchedAt });
    const b = await compute.prepare({ items: feed.items.map((it) => ({ ...it, engagement: null, authorFollowers: null, langHint: null })), sourceType: 'rss', fetchedAt, isBacklog: true, brands });
    n += b.size;
  }
  console.log(`round ${round}: ${((performance.now() - t0) * 1000 / n).toFixed(1)} µs/item`);
}
