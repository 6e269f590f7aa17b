import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { parseCsv } from '../support/csv.js';
import { rss, type FeedItem } from '../support/feed-server.js';
import { collectEvents } from '../support/sse.js';
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

const FEED_ITEM: FeedItem = { guid: 'tc-lumo-grinder', title: 'Lumo launches a $199 espresso grinder', description: 'Lumo, the coffee start-up, sells its first grinder.', link: ARTICLE, pubDate: new Date((now - 900) * 1000).toUTCString() };

/** What a later test publishes, newest first, above what the first poll read. */
const later = { hn: [] as unknown[], espresso: [] as unknown[], feed: [] as FeedItem[] };

const listingOf = (children: unknown[]): Reply => ({ body: { kind: 'Listing', data: { after: null, dist: children.length, modhash: '', children, before: null } } });

function route(req: Received): Reply {
  if (req.path === '/hn/api/v1/search_by_date') {
    const hits = [...later.hn, ...HN];
    return { body: { hits, page: 0, nbPages: 1, hitsPerPage: 100, nbHits: hits.length } };
  }
  if (req.path === '/search.json' || req.path === '/r/espresso/new.json') return listingOf([...later.espresso, ESPRESSO]);
  if (req.path === '/r/gadgets/new.json') return listingOf([GADGETS]);
  if (req.path.endsWith('/comments.json')) return listingOf([]);
  if (req.path === '/feed.xml') return { headers: { 'content-type': 'application/rss+xml' }, body: rss([...later.feed, FEED_ITEM]) };
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

// A mention's url is what a reader clicks (the article, for a story or a link post); its
// permalink is the discussion, where the voices are, and null when the url is the item itself.
describe('the discussion of a mention', () => {
  type ApiMention = { id: string; source: { type: string }; url: string; permalink: string | null };
  const hnItem = (id: number | string) => `https://news.ycombinator.com/item?id=${id}`;
  const csvOf = async () => {
    const res = await s.app.request('/v1/mentions/export.csv?bom=false', { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(await res.text());
    return { header: header!, rows };
  };

  it('GET /v1/mentions and the CSV give a story\'s and a link post\'s discussion as permalink, and nothing for the feed\'s article', async () => {
    const { items } = (await s.request('GET', '/v1/mentions?limit=200', { key })).json as { items: ApiMention[] };
    const seen = items.map((m) => [m.source.type, m.url, m.permalink]).sort((x, y) => String(x[2]).localeCompare(String(y[2])));
    expect(seen).toEqual([
      ['hackernews', ARTICLE, hnItem(41000001)],
      ['hackernews', ARTICLE, hnItem(41100003)],
      ['reddit', ARTICLE, 'https://www.reddit.com/comments/r1aaaa1'],
      ['reddit', ARTICLE, 'https://www.reddit.com/comments/r2bbbb1'],
      ['rss', ARTICLE, null],
    ]);
    for (const m of items) expect((await s.request('GET', `/v1/mentions/${m.id}`, { key })).json).toEqual(m);

    // A column after those an earlier release added: readers by position keep working.
    const { header, rows } = await csvOf();
    expect(header.slice(-6)).toEqual(['lang_confidence', 'brand_sentiments', 'brand_sentiment_label', 'brand_sentiment_score', 'permalink', 'brand_names']);
    expect(header.indexOf('url')).toBe(6);
    const permalink = header.indexOf('permalink');
    expect(rows).toHaveLength(items.length);
    for (const row of rows) {
      expect(row).toHaveLength(header.length);
      const m = items.find((i) => i.id === row[0])!;
      expect([row[6], row[permalink]]).toEqual([m.url, m.permalink ?? '']);
    }
  });

  it('a live client gets the permalink of new discussions, and null for a comment, a text post and a feed item', async () => {
    const app = 'https://lumo.example/blog/app';
    const textPost = '/r/espresso/comments/r3cccc1/is_the_lumo_grinder_loud/';
    later.hn.push(
      // A comment's url is its own address: no other page to tell apart from it.
      { ...hnHit(41200021, 90, 'grinder_nerd', ''), title: null, url: null, comment_text: 'Lumo žernovy jsou tiché, doporučuji.', points: null, num_comments: null, _tags: ['comment', 'author_grinder_nerd', 'story_41200020'] },
      { ...hnHit(41200020, 120, 'launcher', 'Lumo app is out'), url: app },
    );
    const post = (id: string, ago: number, title: string, data: object) => {
      const p = redditPost(id, 'espresso', ago, title);
      return { ...p, data: { ...p.data, ...data } };
    };
    later.espresso.push(post('r4dddd1', 100, 'Lumo app reviewed', { url: app }), post('r3cccc1', 110, 'Is the Lumo grinder loud?', { permalink: textPost, url: `https://www.reddit.com${textPost}`, selftext: 'Mine hums.' }));
    later.feed.push({ guid: 'tc-lumo-app', title: 'Lumo ships an app', description: 'Lumo grinders now pair with a phone.', link: 'https://techcrunch.example/2026/12/07/lumo-app/', pubDate: new Date((now - 60) * 1000).toUTCString() });

    const res = await s.app.request('/v1/mentions/live', { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const live = collectEvents<ApiMention>(res);
    await new Promise((r) => setTimeout(r, 200)); // the stream is subscribed
    const { items: sources } = (await s.request('GET', '/v1/sources', { key })).json;
    for (const source of sources) expect((await s.request('POST', `/v1/sources/${source.id}/fetch`, { key })).status).toBe(202);
    await s.drain();
    for (let i = 0; i < 100 && live.events.length < 5; i++) await new Promise((r) => setTimeout(r, 50));
    await live.close();

    const expected = {
      [`hackernews ${app}`]: hnItem(41200020),
      [`hackernews ${hnItem(41200021)}`]: null,
      [`reddit ${app}`]: 'https://www.reddit.com/comments/r4dddd1',
      [`reddit https://www.reddit.com${textPost}`]: null,
      'rss https://techcrunch.example/2026/12/07/lumo-app/': null,
    };
    expect(Object.fromEntries(live.events.map((e) => [`${e.data.source.type} ${e.data.url}`, e.data.permalink]))).toEqual(expected);
    // A live event is the resource GET returns, and the CSV's row says the same.
    const { header, rows } = await csvOf();
    for (const { data } of live.events) {
      expect(data).toHaveProperty('permalink');
      expect((await s.request('GET', `/v1/mentions/${data.id}`, { key })).json).toEqual(data);
      const row = rows.find((r) => r[0] === data.id)!;
      expect(row[header.indexOf('permalink')]).toBe(data.permalink ?? '');
    }
  });
});
