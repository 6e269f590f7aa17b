import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceItem } from '../../src/connectors/connector.types.js';
import { hackernewsConnector } from '../../src/connectors/hackernews.connector.js';
import { redditConnector } from '../../src/connectors/reddit.connector.js';
import type { SourceType } from '../../src/domain/items/item.types.js';
import { toMentionBatch } from '../../src/domain/mentions/batch.js';
import { canonicalUrl } from '../../src/domain/mentions/canonical-url.js';
import { prepareMentions } from '../../src/domain/mentions/ingest.js';
import { createMentionRepository } from '../../src/domain/mentions/mentions.repository.js';
import { compileWorkspace } from '../../src/domain/query/index.js';
import { createScorer } from '../../src/domain/scoring/scorer.js';
import { migrateToLatest } from '../../src/infra/db/migrator.js';
import { fixtureJson, pollOnce, startApi } from '../connectors/api-server.js';
import { migrationNamed, olderDatabase } from '../support/db.js';

// Hacker News stories and Reddit link posts were stored under the canonical URL of the article
// they link to; the code now deduplicates them by their own address. The migration gives the
// stored ones the canonical URL the code now gives them, so that polling them again after the
// upgrade, from any source of the workspace, finds them stored and adds no copy.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

const scorer = createScorer();

/** What the connectors read now from the recorded Hacker News and Reddit answers, as ingestion prepares it. */
async function polledNow(brandId: string) {
  const hn = fixtureJson('hackernews/search_by_date.json');
  const home = { ...hn.hits[2], objectID: '41000050', title: 'Acme home', url: 'https://acme.example/' };
  const threadLinked = { ...hn.hits[2], objectID: '41000060', title: 'Acme pricing', url: 'https://acme.example/pricing' };
  const reddit = fixtureJson('reddit/new.json');
  const api = await startApi((req) => {
    if (req.path === '/search_by_date') return { body: { ...hn, hits: [...hn.hits, home, threadLinked] } };
    if (req.path === '/r/selfhosted/new.json') return { body: reddit };
    return { body: { kind: 'Listing', data: { after: null, children: [] } } };
  });
  try {
    const hnItems = (await pollOnce(hackernewsConnector, { config: { query: 'acme', baseUrl: api.origin } })).items;
    const redditItems = (await pollOnce(redditConnector, { config: { subreddit: 'selfhosted', baseUrl: api.origin } })).items;
    const matcher = compileWorkspace([{ id: brandId, query: 'acme' }]);
    const prepare = (items: SourceItem[], sourceType: SourceType) => prepareMentions({ items, sourceType, fetchedAt: new Date(), isBacklog: false, scorer, matcher });
    return { hn: await prepare(hnItems, 'hackernews'), reddit: await prepare(redditItems, 'reddit'), hnItems, redditItems };
  } finally {
    await api.close();
  }
}

describe('migration discussion_permalinks', () => {
  it('gives stored Hacker News stories and Reddit link posts the canonical URL the code now gives them, and a new poll adds no copy', async () => {
    const { db, ws, other, a } = await olderDatabase(await migrationNamed('discussion_permalinks'), cleanups);
    const polled = await polledNow(a);
    const source = async (workspace: string, type: string, config: object) =>
      (
        await sql<{ id: string }>`insert into sources (workspace_id, type, config, host, interval_seconds)
          values (${workspace}, ${type}, ${JSON.stringify(config)}, '127.0.0.1', 900) returning id`.execute(db)
      ).rows[0]!.id;
    const hnA = await source(ws, 'hackernews', { query: 'acme' });
    const hnB = await source(ws, 'hackernews', { query: 'acme coffee' });
    const redditA = await source(ws, 'reddit', { subreddit: 'selfhosted' });
    const feed = await source(ws, 'rss', { url: 'https://hnrss.example/newest' });
    const hnOther = await source(other, 'hackernews', { query: 'acme' });

    // Each row as the older code stored it: the canonical URL of its url (the article, for a story or a link post).
    const store = async (row: { workspace: string; sourceId: string; type: string; itemKey: string; url: string; canonical?: string | null; matched?: boolean }) =>
      (
        await sql<{ id: string }>`insert into mentions (workspace_id, source_id, source_type, item_key, canonical_url, url, text, fetched_at, occurred_at, sentiment_model, matched)
          values (${row.workspace}, ${row.sourceId}, ${row.type}, ${row.itemKey}, ${row.canonical === undefined ? canonicalUrl(row.url) : row.canonical}, ${row.url}, 'text',
                  now(), now(), 'seed@1', ${row.matched ?? true}) returning id`.execute(db)
      ).rows[0]!.id;
    const hnItem = (id: number) => `https://news.ycombinator.com/item?id=${id}`;
    const story = await store({ workspace: ws, sourceId: hnA, type: 'hackernews', itemKey: hnItem(41000001), url: 'https://techcrunch.example/acme-series-b' });
    await store({ workspace: ws, sourceId: hnA, type: 'hackernews', itemKey: hnItem(41000007), url: hnItem(41000007) });
    await store({ workspace: ws, sourceId: hnA, type: 'hackernews', itemKey: hnItem(41000004), url: hnItem(41000004) });
    await store({ workspace: ws, sourceId: redditA, type: 'reddit', itemKey: 'reddit:t3_1gwzz9a', url: 'https://acme.example/blog/4.0' });
    const textPost = 'https://www.reddit.com/r/selfhosted/comments/1gx0k2b/alternatives_to_acme_after_the_price_hike/';
    await store({ workspace: ws, sourceId: redditA, type: 'reddit', itemKey: 'reddit:t3_1gx0k2b', url: textPost });
    // A feed's copy of the article, keyed by the thread (hnrss.org's guids): the article it stays.
    const feedCopy = await store({ workspace: ws, sourceId: feed, type: 'rss', itemKey: hnItem(41000099), url: 'https://blog.example/acme-review' });
    // Another workspace: the same story, its own row.
    const elsewhere = await store({ workspace: other, sourceId: hnOther, type: 'hackernews', itemKey: hnItem(41000001), url: 'https://techcrunch.example/acme-series-b' });
    // A story linking a home page has no canonical URL, so two sources stored it twice: one row gets the address.
    const twiceFirst = await store({ workspace: ws, sourceId: hnA, type: 'hackernews', itemKey: hnItem(41000050), url: 'https://acme.example/', matched: false });
    const twiceMatched = await store({ workspace: ws, sourceId: hnB, type: 'hackernews', itemKey: hnItem(41000050), url: 'https://acme.example/' });
    // The thread's address is held by a feed item linking to it: the story keeps its article's.
    const held = await store({ workspace: ws, sourceId: feed, type: 'rss', itemKey: 'linked-thread', url: hnItem(41000060) });
    const kept = await store({ workspace: ws, sourceId: hnA, type: 'hackernews', itemKey: hnItem(41000060), url: 'https://acme.example/pricing' });

    await migrateToLatest(db);

    const { rows } = await sql<{ id: string; workspace_id: string; item_key: string; canonical_url: string | null }>`
      select id, workspace_id, item_key, canonical_url from mentions order by id`.execute(db);
    const canonicalOf = (id: string) => rows.find((r) => r.id === id)!.canonical_url;
    // What the code gives each item now is what the upgraded row holds.
    for (const prepared of [...polled.hn, ...polled.reddit]) {
      if (prepared.itemKey === hnItem(41000060)) continue;
      const row = rows.find((r) => r.workspace_id === ws && r.item_key === prepared.itemKey && r.canonical_url === prepared.canonicalUrl);
      expect(row, `${prepared.itemKey} stored as ${prepared.canonicalUrl}`).toBeDefined();
    }
    expect(polled.hn.find((m) => m.itemKey === hnItem(41000001))!.canonicalUrl).toBe('news.ycombinator.com/item?id=41000001');
    expect(polled.reddit.find((m) => m.itemKey === 'reddit:t3_1gwzz9a')!.canonicalUrl).toBe('reddit.com/comments/1gwzz9a');
    expect(canonicalOf(story)).toBe('news.ycombinator.com/item?id=41000001');
    expect(canonicalOf(elsewhere)).toBe('news.ycombinator.com/item?id=41000001');
    expect(canonicalOf(feedCopy)).toBe('blog.example/acme-review');
    expect([canonicalOf(twiceMatched), canonicalOf(twiceFirst)]).toEqual(['news.ycombinator.com/item?id=41000050', null]);
    expect([canonicalOf(held), canonicalOf(kept)]).toEqual(['news.ycombinator.com/item?id=41000060', 'acme.example/pricing']);
    expect(rows).toHaveLength(11);

    // Polled again after the upgrade by other sources of the workspace: every discussion is found stored.
    const repo = createMentionRepository({ db });
    const hnC = await source(ws, 'hackernews', { query: 'acme launch' });
    const redditB = await source(ws, 'reddit', { query: 'acme' });
    const insert = (sourceId: string, sourceType: string, prepared: typeof polled.hn) =>
      db.transaction().execute((trx) => repo.insertMany(trx, { workspaceId: ws, sourceId, sourceType, batch: toMentionBatch(prepared) }));
    expect((await insert(hnC, 'hackernews', polled.hn)).inserted).toBe(0);
    expect((await insert(redditB, 'reddit', polled.reddit)).inserted).toBe(0);
  });
});
