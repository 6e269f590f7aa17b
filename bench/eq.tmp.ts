import { createHash } from 'node:crypto';
import { generateFeeds } from './support/feeds.js';
import { parseFeed } from '../src/domain/feeds/feed.parser.js';
import { prepareMentions } from '../src/domain/mentions/ingest.js';
import { createScorer } from '../src/domain/scoring/scorer.js';
import { compileWorkspace } from '../src/domain/query/index.js';
import { decodeText } from '../src/infra/http/index.js';
import { BRANDS } from './support/corpus.js';
const extra = ['"ně co" OR škoda*', 'acme NEAR/3 (bad OR slow)', '#launch OR @acme', 'site:example.com AND cena', 'nový* -spam', 'lang:cs AND (drahé OR levné)', 'best*', 'पर* OR சிறந்த*'];
const scorer = createScorer();
const matcher = compileWorkspace([...BRANDS.map((b) => b.query), ...extra].map((query, i) => ({ id: String(i), query })));
const hash = createHash('sha256'); let n = 0, matched = 0;
for (let round = 0; round < 4; round++) {
  const fetchedAt = new Date('2026-12-01T00:00:00Z');
  for (const f of generateFeeds({ count: 50, items: 200, seed: 7, now: fetchedAt, round })) {
    const feed = await parseFeed(decodeText(f.body, 'application/rss+xml; charset=utf-8'), { feedUrl: `https://news${f.index}.example.com/feed.xml`, fetchedAt });
    const items = feed.items.map((item: any) => ({ ...item, engagement: null, authorFollowers: null, langHint: null }));
    const p = await prepareMentions({ items, sourceType: 'rss', fetchedAt, isBacklog: true, scorer, matcher });
    for (const m of p) { n++; if (m.brands.length) matched++; hash.update(JSON.stringify(m)); }
  }
}
console.log(n, matched, hash.digest('hex'));
