import { afterEach, describe, expect, it } from 'vitest';
import { SourceFetchError } from '../../src/connectors/connector.types.js';
import { redditConnector, REDDIT_LIMITS } from '../../src/connectors/reddit.connector.js';
import { matchQuery } from '../../src/domain/query/index.js';
import { fixtureJson, itHandlesUpstreamFailures, pollFailure, pollOnce, pollUntilQuiet, startApi, type ApiServer, type Received, type Reply } from './api-server.js';

type Thing = { kind: 't1' | 't3'; data: { id: string; name: string; created_utc: number; [key: string]: unknown } };

const posts = fixtureJson('reddit/new.json');
const comments = fixtureJson('reddit/comments.json');
const id36 = (id: string) => parseInt(id, 36);

function post(offset: number): Thing {
  const thing = structuredClone(posts.data.children[0]) as Thing;
  const id = (id36('1gx0k2b') + offset).toString(36);
  return { ...thing, data: { ...thing.data, id, name: `t3_${id}`, title: `Acme post ${offset}`, created_utc: thing.data.created_utc + offset, permalink: `/r/selfhosted/comments/${id}/acme_post/` } };
}

function comment(offset: number): Thing {
  const thing = structuredClone(comments.data.children[0]) as Thing;
  const id = (id36('lz3k9qe') + offset).toString(36);
  const body = `Acme comment ${offset}`;
  return { ...thing, data: { ...thing.data, id, name: `t1_${id}`, body, body_html: `&lt;div class="md"&gt;&lt;p&gt;${body}&lt;/p&gt;\n&lt;/div&gt;`, created_utc: thing.data.created_utc + offset } };
}

/** A listing as Reddit pages it: newest first, `after` a fullname, `limit` at most 100; nothing after a fullname no longer listed. */
function listing(things: Thing[], req: Received): Reply {
  const sorted = [...things].sort((a, b) => id36(b.data.id) - id36(a.data.id));
  const after = req.query.get('after');
  if (after && !things.some((t) => t.data.name === after)) return { body: { kind: 'Listing', data: { after: null, dist: 0, modhash: '', children: [], before: null } } };
  const start = after ? sorted.filter((t) => id36(t.data.id) < id36(after.split('_')[1]!)) : sorted;
  const page = start.slice(0, Number(req.query.get('limit') ?? 25));
  return { body: { kind: 'Listing', data: { after: start.length > page.length ? page.at(-1)!.data.name : null, dist: page.length, modhash: '', children: page, before: null } } };
}

let api: ApiServer;
let db: { posts: Thing[]; comments: Thing[] };
let tokenReply: Reply;
async function serve() {
  db = { posts: structuredClone(posts.data.children), comments: structuredClone(comments.data.children) };
  tokenReply = { body: fixtureJson('reddit/access_token.json') };
  api = await startApi((req) => {
    if (req.path === '/api/v1/access_token') return tokenReply;
    const path = req.path.replace(/^\/oauth/, '').replace(/\.json$/, '');
    if (path === '/r/selfhosted/new' || path === '/search') return listing(db.posts, req);
    if (path === '/r/selfhosted/comments') return listing(db.comments, req);
    return { status: 404, body: { message: 'Not Found', error: 404 } };
  });
  return { subreddit: 'r/selfhosted', baseUrl: api.origin, oauthBaseUrl: `${api.origin}/oauth` };
}
afterEach(async () => api?.close());

describe('reddit connector', () => {
  it('on a first poll of a subreddit, reads its new posts and comments without credentials', async () => {
    const config = await serve();
    const result = await pollOnce(redditConnector, { config });

    expect(result.items.map((i) => i.itemKey)).toEqual(['reddit:t3_1gx0k2b', 'reddit:t3_1gwzz9a', 'reddit:t1_lz3k9qe']);
    expect(result.items[0]).toMatchObject({
      title: 'Alternatives to Acme after the price hike?',
      url: 'https://www.reddit.com/r/selfhosted/comments/1gx0k2b/alternatives_to_acme_after_the_price_hike/',
      author: 'u/homelab_hero',
      text: 'Has anyone moved from Acme to something self-hosted? The pricing change & the #SSO tax hurt.\nAsking for u/acme_watch',
      hashtags: ['sso'],
      categories: ['r/selfhosted'],
      engagement: { points: 48, comments: 23 },
      publishedAt: new Date('2026-11-22T10:00:00Z'),
    });
    expect(result.items[2]).toMatchObject({ title: null, text: 'We left Acme last year. Their support was great, the invoices were not.', engagement: { points: 12 } });
    // A link post is the article to click but its own discussion to deduplicate by; a text post and a comment are their own address.
    expect(result.items[1]).toMatchObject({ url: 'https://acme.example/blog/4.0', permalink: 'https://www.reddit.com/comments/1gwzz9a' });
    expect(result.items[0]!.permalink).toBeUndefined();
    expect(result.items[2]!.permalink).toBeUndefined();

    expect(api.received.map((r) => r.path)).toEqual(['/r/selfhosted/new.json', '/r/selfhosted/comments.json']);
    for (const r of api.received) {
      expect(Object.fromEntries(r.query)).toEqual({ limit: '100', raw_json: '1' });
      expect(r.headers.authorization).toBeUndefined();
    }
    expect(redditConnector.minIntervalSeconds).toBe(60);
  });

  it('on the next poll, returns only posts and comments newer than each listing mark', async () => {
    const config = await serve();
    const first = await pollOnce(redditConnector, { config });
    db.posts.push(post(5));
    db.comments.push(comment(3), comment(4));

    const second = await pollOnce(redditConnector, { config, state: first.state });
    expect(second.items.map((i) => i.itemKey)).toEqual([`reddit:${post(5).data.name}`, `reddit:${comment(4).data.name}`, `reddit:${comment(3).data.name}`]);
    const third = await pollOnce(redditConnector, { config, state: second.state });
    expect(third.items).toEqual([]);
    expect(third.notModified).toBe(true);
  });

  it('when a post has an id far beyond the others, it is returned but does not hold back the posts after it', async () => {
    const config = await serve();
    const odd = (id: string): Thing => ({ ...post(0), data: { ...post(0).data, id, name: `t3_${id}`, permalink: `/r/selfhosted/comments/${id}/odd/` } });
    // Past 2^53, and within it but far past any id Reddit hands out.
    db.posts.push(odd('zzzzzzzzzzzzz'), odd('zzzzzzzzzz'));
    const first = await pollOnce(redditConnector, { config });
    expect(first.items.map((i) => i.itemKey)).toEqual(expect.arrayContaining(['reddit:t3_zzzzzzzzzzzzz', 'reddit:t3_zzzzzzzzzz']));
    db.posts.push(post(5));

    const second = await pollOnce(redditConnector, { config, state: first.state });
    expect(second.items.map((i) => i.itemKey)).toEqual([`reddit:${post(5).data.name}`]);
  });

  it('pages with after=<fullname> through several pages of a search', async () => {
    const config = await serve();
    const search = { query: 'acme', baseUrl: config.baseUrl };
    const first = await pollOnce(redditConnector, { config: search });
    for (let i = 1; i <= 150; i++) db.posts.push(post(i));

    const second = await pollOnce(redditConnector, { config: search, state: first.state });
    expect(second.items).toHaveLength(150);
    const pages = api.received.slice(1);
    expect(pages.map((r) => r.path)).toEqual(['/search.json', '/search.json']);
    expect(Object.fromEntries(pages[0]!.query)).toEqual({ q: 'acme', sort: 'new', type: 'link', limit: '100', raw_json: '1' });
    expect(pages[1]!.query.get('after')).toBe(post(51).data.name);
  });

  it('after a restart, a burst larger than one poll is caught up from the stored state without gaps or repeats', async () => {
    const config = await serve();
    const first = await pollOnce(redditConnector, { config });
    for (let i = 1; i <= 260; i++) db.posts.push(post(i));

    const second = await pollOnce(redditConnector, { config, state: first.state });
    expect(second.items).toHaveLength(REDDIT_LIMITS.maxPagesPublic * REDDIT_LIMITS.perPage);
    const third = await pollOnce(redditConnector, { config, state: second.state });
    const fourth = await pollOnce(redditConnector, { config, state: third.state });

    expect(third.items.map((i) => i.itemKey)).toEqual(Array.from({ length: 60 }, (_, k) => `reddit:${post(60 - k).data.name}`));
    expect(fourth.items).toEqual([]);
    const all = [...second.items, ...third.items].map((i) => i.itemKey);
    expect(new Set(all).size).toBe(260);
  });

  it('when the post a backlog resumes after is removed meanwhile, the rest of the backlog is still read', async () => {
    const config = await serve();
    const first = await pollOnce(redditConnector, { config });
    // One post every ten seconds: the burst spans far more than the ten minutes re-read below the mark.
    const spaced = (offset: number): Thing => ({ ...post(offset), data: { ...post(offset).data, created_utc: post(0).data.created_utc + offset * 10 } });
    for (let i = 1; i <= 300; i++) db.posts.push(spaced(i));
    const second = await pollOnce(redditConnector, { config, state: first.state });
    expect(second.items).toHaveLength(REDDIT_LIMITS.maxPagesPublic * REDDIT_LIMITS.perPage);
    const anchor = (second.state as { listings: { posts: { backlog: { next: string } } } }).listings.posts.backlog.next;
    expect(anchor).toBe(post(101).data.name);
    // The spam filter or a moderator removes it; and a few new posts arrive.
    db.posts = db.posts.filter((t) => t.data.name !== anchor);
    db.posts.push(spaced(301), spaced(302));

    // Reading again from the top, the next polls first page past what they read already: poll until the backlog is done.
    const all = second.items.map((i) => i.itemKey);
    let state = second.state;
    for (let polls = 0; (state as { listings: { posts: { backlog: unknown } } }).listings.posts.backlog !== null; polls++) {
      expect(polls).toBeLessThan(5);
      const result = await pollOnce(redditConnector, { config, state });
      all.push(...result.items.map((i) => i.itemKey));
      state = result.state;
    }
    expect(api.received.filter((r) => r.query.get('after') === anchor)).toHaveLength(1);
    // Then the posts that arrived meanwhile, above the backlog.
    const after = await pollUntilQuiet(redditConnector, { config, state });
    all.push(...after.keys);
    // The removed post was read before it was removed: every post, once.
    const expected = Array.from({ length: 302 }, (_, k) => `reddit:${post(k + 1).data.name}`);
    expect(new Set(all)).toEqual(new Set(expected));
    expect(all).toHaveLength(expected.length);
  });

  it('when the first poll finds nothing, the next polls read everything posted since, however much it is', async () => {
    const config = await serve();
    db.posts.length = 0;
    db.comments.length = 0;
    // The source is created at 10:00, before anything is posted; 260 posts follow.
    const first = await pollOnce(redditConnector, { config, now: new Date(posts.data.children[0].data.created_utc * 1000) });
    expect(first.items).toEqual([]);
    for (let i = 1; i <= 260; i++) db.posts.push(post(i));

    const later = await pollUntilQuiet(redditConnector, { config, state: first.state });
    expect(new Set(later.keys)).toEqual(new Set(Array.from({ length: 260 }, (_, k) => `reddit:${post(k + 1).data.name}`)));
    expect(later.keys).toHaveLength(260);
  });

  it('when a post or comment appears below ones already read (indexed late, approved by a moderator), the next poll returns it, once', async () => {
    const config = await serve();
    const first = await pollOnce(redditConnector, { config });
    db.posts.push(post(20));
    db.comments.push(comment(20));
    const second = await pollOnce(redditConnector, { config, state: first.state });
    expect(second.items.map((i) => i.itemKey)).toEqual([`reddit:${post(20).data.name}`, `reddit:${comment(20).data.name}`]);

    // Older ids and times than the newest read, listed only now.
    db.posts.push(post(10));
    db.comments.push(comment(10));
    const third = await pollOnce(redditConnector, { config, state: second.state });
    expect(third.items.map((i) => i.itemKey)).toEqual([`reddit:${post(10).data.name}`, `reddit:${comment(10).data.name}`]);
    const fourth = await pollOnce(redditConnector, { config, state: third.state });
    expect(fourth.items).toEqual([]);
  });

  it("a link post's URL is its link, so site: finds it; a text post, a gallery or an image Reddit hosts keep the permalink", async () => {
    const config = await serve();
    const withUrl = (offset: number, url: string, isSelf = false): Thing => ({ ...post(offset), data: { ...post(offset).data, url, is_self: isSelf, selftext: '', selftext_html: null } });
    db.posts.push(
      withUrl(1, 'https://globex.example/news/acme-acquired'),
      withUrl(2, 'https://i.redd.it/abc123.jpeg'),
      withUrl(3, 'https://www.reddit.com/gallery/1gx0k2e'),
      withUrl(4, 'javascript:alert(1)'),
    );
    const result = await pollOnce(redditConnector, { config });
    const url = (offset: number) => result.items.find((i) => i.itemKey === `reddit:${post(offset).data.name}`)?.url;

    expect(url(1)).toBe('https://globex.example/news/acme-acquired');
    for (const offset of [2, 3, 4]) expect(url(offset)).toBe(`https://www.reddit.com${post(offset).data.permalink}`);
    expect(result.items.find((i) => i.itemKey === 'reddit:t3_1gwzz9a')?.url).toBe('https://acme.example/blog/4.0');
    expect(result.items.find((i) => i.itemKey === 'reddit:t3_1gx0k2b')?.url).toBe('https://www.reddit.com/r/selfhosted/comments/1gx0k2b/alternatives_to_acme_after_the_price_hike/');

    const link = result.items.find((i) => i.itemKey === `reddit:${post(1).data.name}`)!;
    expect(matchQuery('acme site:globex.example', { ...link, lang: null, sourceType: 'reddit' })).not.toBeNull();
  });

  it('a removed or deleted post keeps its title but not the placeholder text; such a comment is not returned', async () => {
    const config = await serve();
    const html = (text: string) => `<!-- SC_OFF --><div class="md"><p>${text}</p>\n</div><!-- SC_ON -->`;
    const removed = (offset: number, selftext: string): Thing => ({ ...post(offset), data: { ...post(offset).data, selftext, selftext_html: html(selftext), author: '[deleted]' } });
    db.posts.push(removed(1, '[removed]'), removed(2, '[deleted]'));
    db.comments.push({ ...comment(1), data: { ...comment(1).data, body: '[removed]', body_html: html('[removed]') } });

    const result = await pollOnce(redditConnector, { config });
    for (const offset of [1, 2]) {
      expect(result.items.find((i) => i.itemKey === `reddit:${post(offset).data.name}`)).toMatchObject({ title: `Acme post ${offset}`, text: '', author: null });
    }
    expect(result.items.map((i) => i.itemKey)).not.toContain(`reddit:${comment(1).data.name}`);
    expect(result.items.map((i) => i.itemKey)).toContain('reddit:t1_lz3k9qe');
  });

  it('when a subreddit does not exist and Reddit redirects its listing to the subreddit search, the source stops, saying so with a 404', async () => {
    const subreddits = { kind: 'Listing', data: { after: null, dist: 1, modhash: '', children: [{ kind: 't5', data: { id: '2qh1i', name: 't5_2qh1i', display_name: 'selfhosted', url: '/r/selfhosted/' } }], before: null } };
    api = await startApi((req) => {
      if (req.path.startsWith('/r/doesnotexist/')) return { status: 302, headers: { location: `/subreddits/search.json?q=doesnotexist&limit=100` }, body: '' };
      if (req.path === '/subreddits/search.json') return { body: subreddits };
      return { status: 404, body: { message: 'Not Found', error: 404 } };
    });

    const err = await pollFailure(pollOnce(redditConnector, { config: { subreddit: 'doesnotexist', baseUrl: api.origin } }));
    expect(err).toBeInstanceOf(SourceFetchError);
    expect(err.message).toBe('r/doesnotexist does not exist: Reddit redirected /r/doesnotexist/new.json to its subreddit search (check the spelling)');
    // Not the 200 of the search it was sent to: what the redirect means.
    expect((err as SourceFetchError).details).toMatchObject({ status: 404, permanent: true });
    // The poll stops there: the comments listing is not asked as well.
    expect(api.received.map((r) => r.path)).toEqual(['/r/doesnotexist/new.json', '/subreddits/search.json']);
  });

  it('when a listing holds things none of which can be read, the poll fails naming the first problem', async () => {
    const config = await serve();
    db.posts = db.posts.map((c) => ({ ...c, kind: 't5' as 't3' }));
    const err = await pollFailure(pollOnce(redditConnector, { config: { query: 'acme', baseUrl: config.baseUrl } }));
    expect(err).toBeInstanceOf(SourceFetchError);
    expect(err.message).toMatch(/^Reddit \/search listed 2 entries and none could be read; the first is invalid at data\.children\[0\]\.kind: /);
    expect((err as SourceFetchError).details.status).toBe(200);

    // A subreddit's comments listing so: its posts are still read, and the failure names the listing.
    db.posts = structuredClone(posts.data.children);
    db.comments = db.comments.map((c) => ({ ...c, kind: 't5' as 't1' }));
    const partial = await pollOnce(redditConnector, { config });
    expect(partial.items.map((i) => i.itemKey)).toEqual(['reddit:t3_1gx0k2b', 'reddit:t3_1gwzz9a']);
    expect(partial.partialFailure?.message).toMatch(/^comments listing: Reddit \/r\/selfhosted\/comments listed one entry and none could be read; the first is invalid at data\.children\[0\]\.kind: .*; the posts listing was read$/);
    expect(partial.partialFailure?.status).toBe(200);
  });

  it('with client credentials, gets a token once, sends it to the OAuth base, and keeps it between polls', async () => {
    const config = await serve();
    const credentials = { clientId: 'earshot-app', clientSecret: 'very-secret-value' };
    const first = await pollOnce(redditConnector, { config, credentials });
    db.posts.push(post(1));
    const second = await pollOnce(redditConnector, { config, credentials, state: first.state });

    expect(second.items.map((i) => i.itemKey)).toEqual([`reddit:${post(1).data.name}`]);
    const tokenRequests = api.to('/api/v1/access_token');
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.method).toBe('POST');
    expect(tokenRequests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('earshot-app:very-secret-value').toString('base64')}`);
    expect(tokenRequests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequests[0]!.body).toBe('grant_type=client_credentials');
    const listings = api.received.filter((r) => r.path !== '/api/v1/access_token');
    expect(listings.map((r) => r.path)).toEqual(['/oauth/r/selfhosted/new', '/oauth/r/selfhosted/comments', '/oauth/r/selfhosted/new', '/oauth/r/selfhosted/comments']);
    for (const r of listings) expect(r.headers.authorization).toBe(`Bearer ${fixtureJson('reddit/access_token.json').access_token}`);
    // The stored state is not encrypted: neither the secret nor the token may end up in it.
    expect(JSON.stringify([first.state, second.state])).not.toMatch(/very-secret-value|earshot-app|app-only-token/);
  });

  it('when Reddit revokes the access token, gets a new one and retries within the same poll', async () => {
    const config = await serve();
    const credentials = { clientId: 'earshot-app', clientSecret: 'very-secret-value' };
    const issued: string[] = [];
    /** Tokens Reddit still takes; with `refuseAll`, even those it just issued are refused. */
    const valid = new Set<string>();
    let refuseAll = false;
    await api.close();
    api = await startApi((req) => {
      if (req.path === '/api/v1/access_token') {
        const token = `token-${issued.length + 1}`;
        issued.push(token);
        valid.add(token);
        return { body: { ...fixtureJson<object>('reddit/access_token.json'), access_token: token } };
      }
      const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (refuseAll || !valid.has(bearer)) return { status: 401, body: { message: 'Unauthorized', error: 401 } };
      return listing(req.path.endsWith('/new') ? db.posts : db.comments, req);
    });
    const oauth = { ...config, baseUrl: api.origin, oauthBaseUrl: `${api.origin}/oauth` };
    const first = await pollOnce(redditConnector, { config: oauth, credentials });
    valid.clear();
    db.posts.push(post(1));

    const second = await pollOnce(redditConnector, { config: oauth, credentials, state: first.state });
    expect(second.items.map((i) => i.itemKey)).toEqual([`reddit:${post(1).data.name}`]);
    const polled = api.received.slice(3).map((r) => `${r.path} ${r.headers.authorization?.match(/^Bearer (.*)/)?.[1] ?? ''}`.trim());
    expect(polled).toEqual(['/oauth/r/selfhosted/new token-1', '/api/v1/access_token', '/oauth/r/selfhosted/new token-2', '/oauth/r/selfhosted/comments token-2']);

    // A new token refused too: the poll fails after one renewal, not for good.
    refuseAll = true;
    const err = await pollFailure(pollOnce(redditConnector, { config: oauth, credentials, state: second.state }));
    expect((err as SourceFetchError).details).toMatchObject({ status: 401 });
    expect((err as SourceFetchError).details.permanent).toBeFalsy();
    expect(issued).toEqual(['token-1', 'token-2', 'token-3']);
  });

  it('when the token endpoint refuses the client credentials, the source stops for good', async () => {
    const config = await serve();
    tokenReply = { status: 401, body: { message: 'Unauthorized', error: 401 } };
    const err = await pollFailure(pollOnce(redditConnector, { config, credentials: { clientId: 'x', clientSecret: 'wrong' } }));
    expect(err).toBeInstanceOf(SourceFetchError);
    expect((err as SourceFetchError).details).toMatchObject({ status: 401, permanent: true });
    expect(err.message).not.toContain('wrong');
  });

  it('when the token endpoint answers with a cut-off or failed body, the error does not quote the token', async () => {
    const config = await serve();
    const credentials = { clientId: 'earshot-app', clientSecret: 'very-secret-value' };
    tokenReply = { status: 200, body: '{"access_token": "SECRET-REDDIT-TOKEN-eyJhbGciOiJSUzI1NiJ9", "token_type": "bearer", "expires_in": 86' };
    const cut = await pollFailure(pollOnce(redditConnector, { config, credentials }));
    expect(cut.message).toMatch(/malformed JSON/);
    expect(cut.message).not.toContain('SECRET-REDDIT-TOKEN');

    tokenReply = { status: 502, body: '{"access_token": "SECRET-REDDIT-TOKEN-eyJhbGciOiJSUzI1NiJ9"}' };
    const failed = await pollFailure(pollOnce(redditConnector, { config, credentials }));
    expect(failed.message).toContain('HTTP 502');
    expect(failed.message).not.toContain('SECRET-REDDIT-TOKEN');
  });

  it('when Reddit answers 429 with only X-Ratelimit-Reset, the poll waits for the reset', async () => {
    api = await startApi(() => ({ status: 429, headers: { 'x-ratelimit-used': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '37' }, body: { message: 'Too Many Requests', error: 429 } }));
    const err = await pollFailure(pollOnce(redditConnector, { config: { subreddit: 'selfhosted', baseUrl: api.origin } }));
    expect((err as SourceFetchError).details).toMatchObject({ status: 429, retryAfterMs: 37_000 });
  });

  it('takes exactly one of query or subreddit, and names what is wrong', () => {
    const parse = (v: unknown) => redditConnector.config.safeParse(v);
    expect(parse({ subreddit: '/r/SelfHosted' }).data).toMatchObject({ subreddit: 'SelfHosted' });
    expect(parse({ query: 'acme', subreddit: 'x1' }).error?.issues[0]).toMatchObject({ path: ['subreddit'], message: 'give exactly one of query or subreddit' });
    expect(parse({}).error?.issues[0]).toMatchObject({ path: ['query'], message: 'give exactly one of query or subreddit' });
    expect(parse({ subreddit: 'no spaces' }).error?.issues[0]?.path).toEqual(['subreddit']);
    expect(redditConnector.credentials!.safeParse({ clientId: 'a' }).success).toBe(false);
    expect(redditConnector.endpoint(parse({ subreddit: 'selfhosted' }).data!)).toBe('https://www.reddit.com/r/selfhosted/new.json');
  });

  itHandlesUpstreamFailures(redditConnector, (origin) => ({ subreddit: 'selfhosted', baseUrl: origin }));
});

describe('reddit text', () => {
  // The audit's post (rd5): old Reddit's headings without a space, emphasis, a link, a spoiler, and
  // the `&#x200B;` the new editor writes for an empty paragraph. Reddit's rendering of it, as
  // raw_json=1 returns it.
  const markdown = '#Pros\n\n* **Fast** and *cheap*\n* ~~no~~ yes\n\n#Cons\n\nSee [the docs](https://acme.example/docs) &#x200B;\n\n>!spoiler: Acme is slow!<\n\n&#x200B;\n\nAcme on [r/AcmeFans](/r/AcmeFans) and [the wiki](/r/AcmeFans/wiki/faq?x=1&y=2), #acme_love';
  const html =
    '<!-- SC_OFF --><div class="md"><h1>Pros</h1>\n\n<ul>\n<li><strong>Fast</strong> and <em>cheap</em></li>\n<li><del>no</del> yes</li>\n</ul>\n\n<h1>Cons</h1>\n\n' +
    '<p>See <a href="https://acme.example/docs">the docs</a> &#x200B;</p>\n\n<p><span class="md-spoiler-text">spoiler: Acme is slow</span></p>\n\n<p>&#x200B;</p>\n\n' +
    '<p>Acme on <a href="/r/AcmeFans">r/AcmeFans</a> and <a href="/r/AcmeFans/wiki/faq?x=1&amp;y=2">the wiki</a>, #acme_love</p>\n</div><!-- SC_ON -->';
  const expected = 'Pros\nFast and cheap\nno yes\nCons\nSee the docs (https://acme.example/docs)\nspoiler: Acme is slow\nAcme on r/AcmeFans and the wiki (https://www.reddit.com/r/AcmeFans/wiki/faq?x=1&y=2), #acme_love';
  const escape = (h: string) => h.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  async function readPost(fields: Record<string, unknown>) {
    await serve();
    db.posts = [{ ...post(1), data: { ...post(1).data, title: 'Acme review', ...fields } }];
    db.comments = [];
    const result = await pollOnce(redditConnector, { config: { query: 'acme', baseUrl: api.origin } });
    return result.items[0]!;
  }

  it("a post is stored as the text of Reddit's rendering: no Markdown, headings no hashtags, links with their targets", async () => {
    const item = await readPost({ selftext: markdown, selftext_html: html });
    expect(item.text).toBe(expected);
    expect(item.hashtags).toEqual(['acme_love']);
    expect(item.text).not.toMatch(/&#x200B;|\u200B|\*\*|~~|>!|\]\(/);
  });

  it('reads the rendering HTML-escaped as Reddit sends it without raw_json=1, the same way', async () => {
    const item = await readPost({ selftext: markdown, selftext_html: escape(html) });
    expect(item.text).toBe(expected);
    expect(item.hashtags).toEqual(['acme_love']);
  });

  it('without a rendering, cleans up the Markdown itself to the same text', async () => {
    const item = await readPost({ selftext: markdown, selftext_html: null });
    expect(item.text).toBe(expected);
    expect(item.hashtags).toEqual(['acme_love']);
  });

  it('a comment is read from body_html, and from its Markdown body without one', async () => {
    await serve();
    const body = '> quoted\n\nI moved off **Acme**: see [their blog](https://acme.example/blog) #migration, 5 * 3 = 15, snake_case kept, \\*literal\\*';
    const bodyHtml =
      '<div class="md"><blockquote>\n<p>quoted</p>\n</blockquote>\n\n<p>I moved off <strong>Acme</strong>: see <a href="https://acme.example/blog">their blog</a> #migration, 5 * 3 = 15, snake_case kept, *literal*</p>\n</div>';
    db.posts = [];
    db.comments = [
      { ...comment(1), data: { ...comment(1).data, body, body_html: bodyHtml } },
      { ...comment(2), data: { ...comment(2).data, body, body_html: null } },
    ];
    const result = await pollOnce(redditConnector, { config: { subreddit: 'selfhosted', baseUrl: api.origin } });
    const text = 'quoted\nI moved off Acme: see their blog (https://acme.example/blog) #migration, 5 * 3 = 15, snake_case kept, *literal*';
    expect(result.items.map((i) => i.text)).toEqual([text, text]);
    for (const item of result.items) expect(item.hashtags).toEqual(['migration']);
  });

  it('keeps Czech, Persian, Hindi and Tamil text as written, with their hashtags', async () => {
    const words = 'Acme je skvělá, žluťoučký kůň\n\nآکمه عالی است #کتاب‌خوانی\n\nआक्मे बहुत अच्छा है #आक्मे\n\nஅக்மே நன்றாக உள்ளது';
    const rendered = `<div class="md">${words.split('\n\n').map((p) => `<p>${p}</p>`).join('\n\n')}</div>`;
    for (const [i, fields] of [{ selftext: words, selftext_html: rendered }, { selftext: words, selftext_html: null }].entries()) {
      if (i > 0) await api.close();
      const item = await readPost(fields);
      expect(item.text).toBe(words.replace(/\n\n/g, '\n'));
      expect(item.hashtags).toEqual(['کتاب‌خوانی', 'आक्मे']);
    }
  });

  it('cleans up long and hostile Markdown in linear time', async () => {
    const { textFromRedditMarkdown } = await import('../../src/connectors/reddit.text.js');
    const n = 200_000;
    for (const hostile of ['['.repeat(n), '[a](' + 'x'.repeat(n), '*'.repeat(n), `a${' '.repeat(n)}b`, '\\'.repeat(n), '- '.repeat(n) + 'x', '>'.repeat(n), '#'.repeat(n)]) {
      const started = performance.now();
      textFromRedditMarkdown(hostile);
      expect(performance.now() - started, hostile.slice(0, 10)).toBeLessThan(500);
    }
  });
});

describe('a subreddit whose one listing fails', () => {
  it('when the comments listing answers 500, returns the posts, names the listing, and keeps the comments cursor where it was', async () => {
    const config = await serve();
    const first = await pollOnce(redditConnector, { config });
    db.posts.push(post(5));
    db.comments.push(comment(5));
    await api.close();
    let commentsDown = true;
    api = await startApi((req) => {
      if (req.path === '/r/selfhosted/new.json') return listing(db.posts, req);
      if (commentsDown) return { status: 500, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>500 Internal Server Error</h1></body></html>' };
      return listing(db.comments, req);
    });
    const moved = { ...config, baseUrl: api.origin };

    const partial = await pollOnce(redditConnector, { config: moved, state: first.state });
    expect(partial.items.map((i) => i.itemKey)).toEqual([`reddit:${post(5).data.name}`]);
    expect(partial.partialFailure).toEqual({ message: `comments listing: HTTP 500 from ${api.origin}/r/selfhosted/comments.json: 500 Internal Server Error; the posts listing was read`, status: 500 });
    const listings = (state: unknown) => (state as { listings: Record<string, unknown> }).listings;
    expect(listings(partial.state).comments).toEqual(listings(first.state).comments);
    expect(listings(partial.state).posts).not.toEqual(listings(first.state).posts);

    // Once it answers again, the comment posted meanwhile is read; nothing is missed.
    commentsDown = false;
    const recovered = await pollOnce(redditConnector, { config: moved, state: partial.state });
    expect(recovered.items.map((i) => i.itemKey)).toEqual([`reddit:${comment(5).data.name}`]);
    expect(recovered.partialFailure).toBeUndefined();
  });

  it('when the posts listing fails, the comments are still read', async () => {
    const config = await serve();
    await api.close();
    api = await startApi((req) => (req.path.endsWith('/comments.json') ? listing(db.comments, req) : { status: 502, body: 'Bad Gateway' }));
    const result = await pollOnce(redditConnector, { config: { ...config, baseUrl: api.origin } });
    expect(result.items.map((i) => i.itemKey)).toEqual(['reddit:t1_lz3k9qe']);
    expect(result.partialFailure).toEqual({ message: `posts listing: HTTP 502 from ${api.origin}/r/selfhosted/new.json: Bad Gateway; the comments listing was read`, status: 502 });
    expect(Object.keys((result.state as { listings: object }).listings)).toEqual(['comments']);
  });

  it('a rate limit on either listing fails the whole poll, for the wait to apply to both', async () => {
    const config = await serve();
    await api.close();
    api = await startApi((req) => (req.path.endsWith('/comments.json') ? { status: 429, headers: { 'retry-after': '60' }, body: 'slow down' } : listing(db.posts, req)));
    const err = await pollFailure(pollOnce(redditConnector, { config: { ...config, baseUrl: api.origin } }));
    expect((err as SourceFetchError).details).toMatchObject({ status: 429, retryAfterMs: 60_000 });
  });
});

describe('a subreddit Reddit refuses', () => {
  /** Reddit's own answers (rderr.mjs in the audit): the reason in a JSON body. */
  async function refusedWith(status: number, body: unknown, subreddit = 'acmeprivate') {
    api = await startApi(() => ({ status, body }));
    const err = await pollFailure(pollOnce(redditConnector, { config: { subreddit, baseUrl: api.origin } }));
    expect(err).toBeInstanceOf(SourceFetchError);
    return err as SourceFetchError;
  }

  it('a private one (403) is said in words and polled again on the backoff, not stopped', async () => {
    const err = await refusedWith(403, { reason: 'private', message: 'Forbidden', error: 403 });
    expect(err.message).toBe(
      'r/acmeprivate is private: Reddit answered 403 and shows it only to its approved members; it is polled again less and less often (at longest every 6 hours) and read again once it is public',
    );
    expect(err.details).toMatchObject({ status: 403 });
    expect(err.details.permanent).toBeFalsy();
    expect(api.received).toHaveLength(1);
  });

  it('a banned one (404, reason banned) stops the source', async () => {
    const err = await refusedWith(404, { reason: 'banned', message: 'Not Found', error: 404 }, 'acmebanned');
    expect(err.message).toBe('r/acmebanned is banned: Reddit answered 404 (banned)');
    expect(err.details).toMatchObject({ status: 404, permanent: true });
  });

  it('one Reddit does not know (404 without a reason) stops the source', async () => {
    const err = await refusedWith(404, { message: 'Not Found', error: 404 }, 'acmegone');
    expect(err.message).toBe('r/acmegone does not exist or is banned: Reddit answered 404');
    expect(err.details).toMatchObject({ status: 404, permanent: true });
  });

  it('a quarantined one stops the source; another 403 reason is named and retried', async () => {
    const quarantined = await refusedWith(403, { reason: 'quarantined', quarantine_message: 'This community is quarantined', message: 'Forbidden', error: 403 });
    expect(quarantined.message).toMatch(/^r\/acmeprivate is quarantined: Reddit answered 403/);
    expect(quarantined.details.permanent).toBe(true);
    await api.close();
    const other = await refusedWith(403, { reason: 'gold_only', message: 'Forbidden', error: 403 });
    expect(other.message).toBe('r/acmeprivate cannot be read: Reddit answered 403 (gold_only)');
    expect(other.details.permanent).toBeFalsy();
  });

  it("a 403 or 404 that is not Reddit's own answer (a proxy's page) is an ordinary failure, backed off", async () => {
    const blocked = await refusedWith(403, '<html><body>Blocked</body></html>');
    expect(blocked.message).toBe(`HTTP 403 from ${api.origin}/r/acmeprivate/new.json: Blocked`);
    expect(blocked.details.permanent).toBeFalsy();
    await api.close();
    const search = await pollFailure(pollOnce(redditConnector, { config: { query: 'acme', baseUrl: (api = await startApi(() => ({ status: 404, body: { message: 'Not Found', error: 404 } }))).origin } }));
    expect((search as SourceFetchError).details.permanent).toBeFalsy();
  });
});
