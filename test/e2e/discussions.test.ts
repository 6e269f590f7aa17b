import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { rss } from '../support/feed-server.js';
import { startApi, type ApiServer, type Received, type Reply } from '../connectors/api-server.js';

// A Hacker News story and a Reddit link post point at an article (their url, what a reader
// clicks), but each is a discussion of it: a voice of its own. Two discussions of one article are
// two mentions, and so are the article from a feed and a discussion of it; one discussion read by
// two sources of the workspace (two searches, a search and its subreddit) is one mention.

const ARTICLE = 'https://techcrunch.example/2026/12/06/lumo-grinder/';
const now = Math.floor(Date.now() / 1000);

const hnHit = (id: number, ago: number, author: string, title: string) => ({
  objectID: String(id),
  created_at_i: now - ago,
  created_at: new Date((now - ago) * 1000).toISOString().replace('.000', ''),
  author,
  title,
  url: ARTICLE,
  story_text: null,
  points: 40,
  num_comments: 12,
  _tags: ['story', `author_${author}`, `story_${id}`],
});
const HN = [
  hnHit(41000001, 600, 'pg_fan', 'Lumo launches a $199 espresso grinder'),
  // The same article submitted again, in Czech: another discussion, another voice.
  hnHit(41100003, 300, 'resubmitter', 'Rozebraný mlýnek Lumo ukazuje levné žernovy'),
];

const redditPost = (id: string, subreddit: string, ago: number, title: string) => ({
  kind: 't3',
  data: {
    id,
    name: `t3_${id}`,
    author: `${subreddit}_fan`,
    created_utc: now - ago,
    permalink: `/r/${subreddit}/comments/${id}/${title.toLowerCase().replace(/\W+/g, '_')}/`,
    url: ARTICLE,
    title,
    selftext: '',
    subreddit_name_prefixed: `r/${subreddit}`,
    score: 10,
    num_comments: 3,
  },
});
const ESPRESSO = redditPost('r1aaaa1', 'espresso', 500, 'Lumo grinder review is out');
const GADGETS = redditPost('r2bbbb1', 'gadgets', 400, 'Lumo grinder coverage');

const listingOf = (children: unknown[]): Reply => ({ body: { kind: 'Listing', data: { after: null, dist: children.length, modhash: '', children, before: null } } });

function route(req: Received): Reply {
  if (req.path === '/hn/api/v1/search_by_date') return { body: { hits: HN, page: 0, nbPages: 1, hitsPerPage: 100, nbHits: HN.length } };
  if (req.path === '/search.json' || req.path === '/r/espresso/new.json') return listingOf([ESPRESSO]);
  if (req.path === '/r/gadgets/new.json') return listingOf([GADGETS]);
  if (req.path.endsWith('/comments.json')) return listingOf([]);
  if (req.path === '/feed.xml') {
    return {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([{ guid: 'tc-lumo-grinder', title: 'Lumo launches a $199 espresso grinder', description: 'Lumo, the coffee start-up, sells its first grinder.', link: ARTICLE, pubDate: new Date((now - 900) * 1000).toUTCString() }]),
    };
  }
  return { status: 404, body: { message: 'Not Found' } };
}

let s: TestStack;
let api: ApiServer;
let key: string;

beforeAll(async () => {
  s = await createTestStack();
  api = await startApi(route);
  key = (await s.workspace('Discussions')).key;
  const brand = await s.request('POST', '/v1/brands', { key, body: { name: 'Lumo', role: 'own', query: 'lumo' } });
  expect(brand.status, brand.text).toBe(201);
  const sources = [
    { type: 'rss', url: `${api.origin}/feed.xml` },
    { type: 'hackernews', query: 'lumo', baseUrl: `${api.origin}/hn/api/v1` },
    { type: 'hackernews', query: 'grinder', baseUrl: `${api.origin}/hn/api/v1` },
    { type: 'reddit', query: 'lumo', baseUrl: api.origin },
    { type: 'reddit', subreddit: 'espresso', baseUrl: api.origin },
    { type: 'reddit', subreddit: 'gadgets', baseUrl: api.origin },
  ];
  for (const body of sources) {
    const created = await s.request('POST', '/v1/sources', { key, body });
    expect(created.status, created.text).toBe(201);
  }
});
afterAll(async () => {
  await s?.close();
  await api?.close();
});

describe('discussions of one article', () => {
  it('each Hacker News and Reddit discussion is its own mention beside the article, and a discussion two sources read is one', async () => {
    await s.tick();
    const rows = await s.db.selectFrom('mentions').select(['item_key', 'source_type', 'url', 'canonical_url', 'title', 'matched']).orderBy('item_key').execute();
    expect(rows).toEqual([
      { item_key: 'https://news.ycombinator.com/item?id=41000001', source_type: 'hackernews', url: ARTICLE, canonical_url: 'news.ycombinator.com/item?id=41000001', title: HN[0]!.title, matched: true },
      { item_key: 'https://news.ycombinator.com/item?id=41100003', source_type: 'hackernews', url: ARTICLE, canonical_url: 'news.ycombinator.com/item?id=41100003', title: HN[1]!.title, matched: true },
      { item_key: 'reddit:t3_r1aaaa1', source_type: 'reddit', url: ARTICLE, canonical_url: 'reddit.com/comments/r1aaaa1', title: ESPRESSO.data.title, matched: true },
      { item_key: 'reddit:t3_r2bbbb1', source_type: 'reddit', url: ARTICLE, canonical_url: 'reddit.com/comments/r2bbbb1', title: GADGETS.data.title, matched: true },
      { item_key: 'tc-lumo-grinder', source_type: 'rss', url: ARTICLE, canonical_url: 'techcrunch.example/2026/12/06/lumo-grinder', title: 'Lumo launches a $199 espresso grinder', matched: true },
    ]);
    // Every source polled, and all of them did well.
    const { items } = (await s.request('GET', '/v1/sources', { key })).json;
    expect(items.map((source: { lastStatus: number; lastError: string | null }) => [source.lastStatus, source.lastError])).toEqual(Array(6).fill([200, null]));
  });

  it('polling every source again stores nothing more', async () => {
    const { items } = (await s.request('GET', '/v1/sources', { key })).json;
    for (const source of items) expect((await s.request('POST', `/v1/sources/${source.id}/fetch`, { key })).status).toBe(202);
    await s.drain();
    const count = await s.db.selectFrom('mentions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(5);
  });
});
