import { afterEach, describe, expect, it } from 'vitest';
import { hackernewsConnector, HACKERNEWS_LIMITS } from '../../src/connectors/hackernews.connector.js';
import { SourceFetchError } from '../../src/connectors/connector.types.js';
import { fixtureJson, itHandlesUpstreamFailures, NOW, pollFailure, pollOnce, pollUntilQuiet, startApi, type ApiServer, type Received } from './api-server.js';

type Hit = { objectID: string; created_at: string; created_at_i: number; [key: string]: unknown };

const recorded = fixtureJson('hackernews/search_by_date.json');
const MARK = 1795341912; // the newest hit in the fixture, 2026-11-22T10:05:12Z

function storyHit(id: number, at: number): Hit {
  const story = structuredClone(recorded.hits[2]) as Hit;
  return { ...story, objectID: String(id), story_id: id, created_at_i: at, created_at: new Date(at * 1000).toISOString().replace('.000', ''), title: `Acme story ${id}` };
}

/** search_by_date as Algolia answers it: numericFilters applied, newest first, pages of hitsPerPage. */
function algolia(db: Hit[]) {
  return (req: Received) => {
    if (!req.path.endsWith('/api/v1/search_by_date')) return { status: 404, body: { message: 'Not Found' } };
    const filters = (req.query.get('numericFilters') ?? '').split(',').filter(Boolean);
    const hits = db
      .filter((hit) =>
        filters.every((f) => {
          const [, op, v] = /^created_at_i(>=|<=|>|<)(\d+)$/.exec(f) ?? [];
          const n = Number(v);
          return op === '>=' ? hit.created_at_i >= n : op === '<=' ? hit.created_at_i <= n : op === '>' ? hit.created_at_i > n : hit.created_at_i < n;
        }),
      )
      .sort((a, b) => b.created_at_i - a.created_at_i);
    const perPage = Number(req.query.get('hitsPerPage') ?? 20);
    const page = Number(req.query.get('page') ?? 0);
    return {
      body: { ...recorded, hits: hits.slice(page * perPage, (page + 1) * perPage), nbHits: hits.length, nbPages: Math.ceil(hits.length / perPage), page, hitsPerPage: perPage, query: req.query.get('query') },
    };
  };
}

let api: ApiServer;
let db: Hit[];
async function serve() {
  db = structuredClone(recorded.hits) as Hit[];
  api = await startApi(algolia(db));
  return { query: 'acme', baseUrl: `${api.origin}/api/v1` };
}
afterEach(async () => api?.close());

describe('hackernews connector', () => {
  it('on a first poll, reads the newest stories and comments with their engagement', async () => {
    const config = await serve();
    const result = await pollOnce(hackernewsConnector, { config });

    expect(result.items.map((i) => i.itemKey)).toEqual([41000007, 41000004, 41000001].map((id) => `https://news.ycombinator.com/item?id=${id}`));
    const [comment, ask, story] = result.items;
    expect(comment).toMatchObject({
      title: null,
      url: 'https://news.ycombinator.com/item?id=41000007',
      author: 'tptacek',
      text: "I've run Acme in production for two years.\nThe SSO story is rough, but support answers within an hour. https://example.com/notes",
      categories: ['comment'],
      engagement: null,
      publishedAt: new Date('2026-11-22T10:05:12Z'),
      dateQuality: 'exact',
    });
    expect(ask).toMatchObject({
      title: 'Ask HN: Is anyone using Acme for #observability?',
      url: 'https://news.ycombinator.com/item?id=41000004',
      text: "We're evaluating it against Grafana. Any war stories?\ncc @acme_support",
      hashtags: ['observability'],
      handles: ['acme_support'],
      engagement: { points: 7, comments: 1 },
    });
    expect(story).toMatchObject({ url: 'https://techcrunch.example/acme-series-b', engagement: { points: 156, comments: 42 }, authorFollowers: null, langHint: null });
    // A story is the article to click but its own discussion to deduplicate by; a comment and an Ask HN are their own address.
    expect(story!.permalink).toBe('https://news.ycombinator.com/item?id=41000001');
    expect(comment!.permalink).toBeUndefined();
    expect(ask!.permalink).toBeUndefined();

    const [request] = api.received;
    expect(request!.query.get('query')).toBe('acme');
    expect(request!.query.get('tags')).toBe('(story,comment)');
    expect(request!.query.get('hitsPerPage')).toBe('100');
    expect(request!.query.get('page')).toBe('0');
    expect(request!.query.has('numericFilters')).toBe(false);
    expect(result).toMatchObject({ notModified: false, status: 200, state: { mark: MARK * 1000, backlog: null } });
  });

  it('on the next poll, returns only what is new, including a hit indexed late within the look-back', async () => {
    const config = await serve();
    const first = await pollOnce(hackernewsConnector, { config });
    db.push(storyHit(41000100, MARK + 600), storyHit(41000101, MARK + 660), storyHit(41000050, MARK - 300));

    const second = await pollOnce(hackernewsConnector, { config, state: first.state });
    expect(second.items.map((i) => i.itemKey.split('=')[1]).sort()).toEqual(['41000050', '41000100', '41000101']);
    expect(api.received[1]!.query.get('numericFilters')).toBe(`created_at_i>=${MARK - HACKERNEWS_LIMITS.lookbackMs / 1000}`);

    const third = await pollOnce(hackernewsConnector, { config, state: second.state });
    expect(third.items).toEqual([]);
    expect(third.notModified).toBe(true);
  });

  it('pages through several pages of new hits in one poll', async () => {
    const config = await serve();
    const first = await pollOnce(hackernewsConnector, { config });
    for (let i = 1; i <= 250; i++) db.push(storyHit(42000000 + i, MARK + i * 10));

    const second = await pollOnce(hackernewsConnector, { config, state: first.state });
    expect(new Set(second.items.map((i) => i.itemKey)).size).toBe(250);
    expect(api.received.slice(1).map((r) => r.query.get('page'))).toEqual(['0', '1', '2']);
  });

  it('after a restart, a burst larger than one poll is caught up from the stored state without gaps or repeats', async () => {
    const config = await serve();
    const first = await pollOnce(hackernewsConnector, { config });
    for (let i = 1; i <= 620; i++) db.push(storyHit(43000000 + i, MARK + i * 5));

    const second = await pollOnce(hackernewsConnector, { config, state: first.state });
    expect(second.items).toHaveLength(HACKERNEWS_LIMITS.maxPages * HACKERNEWS_LIMITS.hitsPerPage);
    expect(api.received).toHaveLength(1 + HACKERNEWS_LIMITS.maxPages);
    // Two more arrive while the backlog is read: they come after it, not instead of it.
    db.push(storyHit(44000001, MARK + 4000), storyHit(44000002, MARK + 4001));

    const third = await pollOnce(hackernewsConnector, { config, state: second.state });
    const fourth = await pollOnce(hackernewsConnector, { config, state: third.state });
    const fifth = await pollOnce(hackernewsConnector, { config, state: fourth.state });

    expect(third.items).toHaveLength(120);
    expect(api.received[1 + HACKERNEWS_LIMITS.maxPages]!.query.get('numericFilters')).toMatch(/^created_at_i>=\d+,created_at_i<=\d+$/);
    expect(fourth.items.map((i) => i.itemKey.split('=')[1])).toEqual(['44000002', '44000001']);
    expect(fifth.items).toEqual([]);
    const all = [...second.items, ...third.items, ...fourth.items].map((i) => i.itemKey);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(622);
  });

  it('when the look-back margin alone holds more hits than one poll reads, polls settle and a new hit comes with the next poll', async () => {
    const config = await serve();
    // A busy term: 730 hits in four minutes, more than the 500 a poll reads.
    for (let i = 1; i <= 730; i++) db.push(storyHit(47000000 + i, MARK + Math.ceil(i / 3)));
    const first = await pollOnce(hackernewsConnector, { config });
    expect(first.items).toHaveLength(HACKERNEWS_LIMITS.maxPages * HACKERNEWS_LIMITS.hitsPerPage);

    const second = await pollOnce(hackernewsConnector, { config, state: first.state });
    expect(second.items).toEqual([]);
    expect(second.state).toMatchObject({ mark: (MARK + 244) * 1000, backlog: null });
    db.push(storyHit(47001001, MARK + 300), storyHit(47001002, MARK + 301));

    const third = await pollOnce(hackernewsConnector, { config, state: second.state });
    expect(third.items.map((i) => i.itemKey.split('=')[1])).toEqual(['47001002', '47001001']);
    expect(third.state).toMatchObject({ mark: (MARK + 301) * 1000, backlog: null });
  });

  it('after a burst, a poll with nothing new reads one page rather than the whole margin again', async () => {
    const config = await serve();
    const first = await pollOnce(hackernewsConnector, { config });
    for (let i = 1; i <= 450; i++) db.push(storyHit(48000000 + i, MARK + i));
    const caughtUp = await pollUntilQuiet(hackernewsConnector, { config, state: first.state });
    expect(caughtUp.keys).toHaveLength(450);

    const before = api.received.length;
    const quiet = await pollOnce(hackernewsConnector, { config, state: caughtUp.state });
    expect(quiet.items).toEqual([]);
    expect(api.received.length - before).toBe(1);
  });

  it('when a hit is dated far in the future, it is returned but does not hold back the hits after it', async () => {
    const config = await serve();
    db.push(storyHit(41000200, 4102444800)); // 2100-01-01: a clock or index gone wrong
    const first = await pollOnce(hackernewsConnector, { config });
    expect(first.items.map((i) => i.itemKey.split('=')[1])).toContain('41000200');
    db.push(storyHit(41000201, MARK + 600));

    const second = await pollOnce(hackernewsConnector, { config, state: first.state });
    expect(second.items.map((i) => i.itemKey.split('=')[1])).toEqual(['41000201']);
    expect(api.received[1]!.query.get('numericFilters')).toBe(`created_at_i>=${MARK - HACKERNEWS_LIMITS.lookbackMs / 1000}`);
  });

  it('when every hit on a page fails validation, reads on to the pages below it', async () => {
    const config = await serve();
    const first = await pollOnce(hackernewsConnector, { config });
    for (let i = 1; i <= 300; i++) {
      const hit = storyHit(45000000 + i, MARK + i * 10);
      // The middle page: objectIDs as numbers, which the schema refuses.
      db.push(i > 100 && i <= 200 ? { ...hit, objectID: 45000000 + i as unknown as string } : hit);
    }

    const second = await pollOnce(hackernewsConnector, { config, state: first.state });
    const ids = second.items.map((i) => Number(i.itemKey.split('=')[1]) - 45000000);
    expect(ids).toEqual([...Array.from({ length: 100 }, (_, k) => 300 - k), ...Array.from({ length: 100 }, (_, k) => 100 - k)]);
  });

  it('when the first poll finds nothing, the next polls read everything published since, however much it is', async () => {
    const config = await serve();
    db.splice(0);
    const first = await pollOnce(hackernewsConnector, { config });
    expect(first.items).toEqual([]);
    expect(first.state).toMatchObject({ mark: NOW.getTime() });
    // A launch: more than one poll's pages, all after the source was created.
    const start = NOW.getTime() / 1000;
    for (let i = 1; i <= 700; i++) db.push(storyHit(46000000 + i, start + i));

    const later = await pollUntilQuiet(hackernewsConnector, { config, state: first.state, now: new Date(NOW.getTime() + 3_600_000) });
    expect(later.keys).toHaveLength(700);
    expect(new Set(later.keys).size).toBe(700);
  });

  it('when the API lists hits and none of them can be read, the poll fails naming the first problem', async () => {
    const config = await serve();
    // Schema drift: created_at_i as a string.
    db.splice(0, db.length, ...db.map((hit) => ({ ...hit, created_at_i: String(hit.created_at_i) as unknown as number })));

    const err = await pollFailure(pollOnce(hackernewsConnector, { config }));
    expect(err).toBeInstanceOf(SourceFetchError);
    expect(err.message).toMatch(/^Hacker News search listed 3 entries and none could be read; the first is invalid at hits\[0\]\.created_at_i: /);
    expect((err as SourceFetchError).details.status).toBe(200);
  });

  it('refuses configs that are not a query, with the field named', () => {
    expect(hackernewsConnector.config.safeParse({ query: '  ' }).error?.issues[0]).toMatchObject({ path: ['query'], message: 'must not be empty' });
    expect(hackernewsConnector.config.safeParse({ query: 'acme', url: 'x' }).success).toBe(false);
    expect(hackernewsConnector.config.safeParse({ query: 'acme', baseUrl: 'ftp://x' }).error?.issues[0]?.path).toEqual(['baseUrl']);
    expect(hackernewsConnector.endpoint({ query: 'acme corp' })).toBe('https://hn.algolia.com/api/v1/search_by_date?query=acme+corp&tags=%28story%2Ccomment%29');
  });

  itHandlesUpstreamFailures(hackernewsConnector, (origin) => ({ query: 'acme', baseUrl: origin }));
});
