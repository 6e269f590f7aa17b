import { generateFeeds } from './support/feeds.js';
import { parseFeed } from '../src/domain/feeds/feed.parser.js';
import { decodeText } from '../src/infra/http/index.js';
const fetchedAt = new Date();
const feeds = generateFeeds({ count: 50, items: 200, seed: 42, now: fetchedAt });
for (let pass = 0; pass < 8; pass++) {
  const t0 = performance.now();
  for (const f of feeds) await parseFeed(decodeText(f.body, 'application/rss+xml; charset=utf-8'), { feedUrl: `https://news${f.index}.example.com/feed.xml`, fetchedAt });
  if (pass > 2) console.log('parse µs/item', ((performance.now() - t0) / 10).toFixed(1));
}
