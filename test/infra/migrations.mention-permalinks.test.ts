import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceItem } from '../../src/connectors/connector.types.js';
import { hackernewsConnector } from '../../src/connectors/hackernews.connector.js';
import { redditConnector } from '../../src/connectors/reddit.connector.js';
import type { SourceType } from '../../src/domain/items/item.types.js';
import { prepareMentions, type PreparedMention } from '../../src/domain/mentions/ingest.js';
import { createMentionRepository } from '../../src/domain/mentions/mentions.repository.js';
import { toMention } from '../../src/domain/mentions/mentions.usecases.js';
import { compileWorkspace } from '../../src/domain/query/index.js';
import { createScorer } from '../../src/domain/scoring/scorer.js';
import { migrateToLatest } from '../../src/infra/db/migrator.js';
import { fixtureJson, pollOnce, startApi } from '../connectors/api-server.js';
import { migrationNamed, olderDatabase } from '../support/db.js';

// Mentions stored before the permalink column get the one the code now gives them: a Hacker News
// story's and a Reddit link post's own address (their url is the article), null for the rest.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

/** What the connectors read now from the recorded answers, as ingestion prepares it. */
async function polledNow(brandId: string): Promise<Array<{ type: SourceType; prepared: PreparedMention }>> {
  const api = await startApi((req) => {
    if (req.path === '/search_by_date') return { body: fixtureJson('hackernews/search_by_date.json') };
    if (req.path === '/r/selfhosted/new.json') return { body: fixtureJson('reddit/new.json') };
    if (req.path === '/r/selfhosted/comments.json') return { body: fixtureJson('reddit/comments.json') };
    return { body: { kind: 'Listing', data: { after: null, children: [] } } };
  });
  try {
    const matcher = compileWorkspace([{ id: brandId, query: 'acme' }]);
    const prepare = async (items: SourceItem[], type: SourceType) =>
      (await prepareMentions({ items, sourceType: type, fetchedAt: new Date(), isBacklog: false, scorer: createScorer(), matcher })).map((prepared) => ({ type, prepared }));
    return [
      ...(await prepare((await pollOnce(hackernewsConnector, { config: { query: 'acme', baseUrl: api.origin } })).items, 'hackernews')),
      ...(await prepare((await pollOnce(redditConnector, { config: { subreddit: 'selfhosted', baseUrl: api.origin } })).items, 'reddit')),
    ];
  } finally {
    await api.close();
  }
}

describe('migration mention_permalinks', () => {
  it('gives stored Hacker News stories and Reddit link posts their discussion as permalink, as the code now does, and every other row null', async () => {
    const { db, ws, a } = await olderDatabase(await migrationNamed('mention_permalinks'), cleanups);
    const polled = await polledNow(a);
    const source = async (type: string) =>
      (
        await sql<{ id: string }>`insert into sources (workspace_id, type, config, host, interval_seconds)
          values (${ws}, ${type}, '{}', '127.0.0.1', 900) returning id`.execute(db)
      ).rows[0]!.id;
    const store = async (row: { type: string; itemKey: string; url: string | null; canonical: string | null }) =>
      (
        await sql<{ id: string }>`insert into mentions (workspace_id, source_id, source_type, item_key, canonical_url, url, text, fetched_at, occurred_at, sentiment_model, matched, brand_ids)
          values (${ws}, ${await source(row.type)}, ${row.type}, ${row.itemKey}, ${row.canonical}, ${row.url}, 'acme', now(), now(), 'seed@1', true, ${[a]}::uuid[])
          returning id`.execute(db)
      ).rows[0]!.id;

    // Each polled item as the version before stored it: its url, item key and canonical URL, no permalink.
    const ids = new Map<string, string>();
    for (const { type, prepared } of polled) ids.set(prepared.itemKey, await store({ type, itemKey: prepared.itemKey, url: prepared.url, canonical: prepared.canonicalUrl }));
    // Rows whose url is the item itself, or a feed's copy of the article keyed by the thread (hnrss.org's guids).
    const others = {
      feedCopy: await store({ type: 'rss', itemKey: 'https://news.ycombinator.com/item?id=41000099', url: 'https://blog.example/acme-review', canonical: 'blog.example/acme-review' }),
      feedOfThread: await store({ type: 'rss', itemKey: 'hn-thread', url: 'https://news.ycombinator.com/item?id=41000098', canonical: 'news.ycombinator.com/item?id=41000098' }),
      mastodon: await store({ type: 'mastodon', itemKey: 'https://mastodon.social/users/lena/statuses/1', url: 'https://mastodon.social/@lena/1', canonical: 'mastodon.social/@lena/1' }),
      bluesky: await store({ type: 'bluesky', itemKey: 'at://did:plc:x/app.bsky.feed.post/3l', url: 'https://bsky.app/profile/lena.example/post/3l', canonical: 'bsky.app/profile/lena.example/post/3l' }),
      noUrl: await store({ type: 'hackernews', itemKey: 'https://news.ycombinator.com/item?id=41000097', url: null, canonical: null }),
    };

    await migrateToLatest(db);

    const { rows } = await sql<{ id: string; permalink: string | null }>`select id, permalink from mentions order by id`.execute(db);
    const permalinkOf = (id: string) => rows.find((r) => r.id === id)!.permalink;
    // What the code gives each polled item now is what its upgraded row holds.
    for (const { prepared } of polled) expect(permalinkOf(ids.get(prepared.itemKey)!), prepared.itemKey).toBe(prepared.permalink ?? null);
    expect(Object.fromEntries(polled.map(({ prepared }) => [prepared.itemKey, permalinkOf(ids.get(prepared.itemKey)!)]))).toEqual({
      'https://news.ycombinator.com/item?id=41000001': 'https://news.ycombinator.com/item?id=41000001', // a story linking an article
      'https://news.ycombinator.com/item?id=41000004': null, // Ask HN
      'https://news.ycombinator.com/item?id=41000007': null, // a comment
      'reddit:t3_1gwzz9a': 'https://www.reddit.com/comments/1gwzz9a', // a link post
      'reddit:t3_1gx0k2b': null, // a text post
      'reddit:t1_lz3k9qe': null, // a comment
    });
    for (const id of Object.values(others)) expect(permalinkOf(id)).toBeNull();
    expect(rows).toHaveLength(polled.length + Object.keys(others).length);

    // The API reads it from the row.
    const repo = createMentionRepository({ db });
    const story = await repo.get(ws, Number(ids.get('https://news.ycombinator.com/item?id=41000001')));
    expect(toMention(story!)).toMatchObject({ url: 'https://techcrunch.example/acme-series-b', permalink: 'https://news.ycombinator.com/item?id=41000001' });
  });
});
