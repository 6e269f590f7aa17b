import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, fetchNow, getSource } from '../reliability/support.js';
import { startApi, type ApiServer, type Received, type Reply } from './api-server.js';

// A Reddit source polled through the whole stack (real Postgres and Redis, the API's "poll now"),
// its Reddit a server on 127.0.0.1 answering in Reddit's format: what a subreddit whose comments
// listing fails stores, what its health says, and how Reddit's refusals of a subreddit read.

const now = Math.floor(Date.now() / 1000);

const thing = (kind: 't1' | 't3', id: string, ago: number, fields: Record<string, unknown>) => ({
  kind,
  data: {
    id,
    name: `${kind}_${id}`,
    author: 'acme_watcher',
    created_utc: now - ago,
    permalink: `/r/halfbroken/comments/${kind === 't3' ? id : `p0st001/x/${id}`}/`,
    url: `https://www.reddit.com/r/halfbroken/comments/${id}/`,
    subreddit_name_prefixed: 'r/halfbroken',
    score: 3,
    ...fields,
  },
});
const listingOf = (children: unknown[]): Reply => ({ body: { kind: 'Listing', data: { after: null, dist: children.length, modhash: '', children, before: null } } });

// The audit's post (rd5), with Reddit's rendering of it.
const POST = thing('t3', 'p0st001', 300, {
  title: 'Acme review',
  selftext: '#Pros\n\n* **Fast** and *cheap*\n\n#Cons\n\nSee [the docs](https://acme.example/docs) &#x200B;\n\n>!spoiler: Acme is slow!<',
  selftext_html:
    '<!-- SC_OFF --><div class="md"><h1>Pros</h1>\n\n<ul>\n<li><strong>Fast</strong> and <em>cheap</em></li>\n</ul>\n\n<h1>Cons</h1>\n\n<p>See <a href="https://acme.example/docs">the docs</a> &#x200B;</p>\n\n<p><span class="md-spoiler-text">spoiler: Acme is slow</span></p>\n</div><!-- SC_ON -->',
  num_comments: 1,
});
const COMMENT = thing('t1', 'c0mm001', 60, { body: 'Acme support fixed it #acmecloud', body_html: '<div class="md"><p>Acme support fixed it #acmecloud</p>\n</div>' });

let commentsDown = true;
let comments: unknown[] = [];

function route(req: Received): Reply {
  if (req.path === '/r/halfbroken/new.json') return listingOf([POST]);
  if (req.path === '/r/halfbroken/comments.json') {
    return commentsDown ? { status: 500, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>500 Internal Server Error</h1></body></html>' } : listingOf(comments);
  }
  if (req.path.startsWith('/r/acmeprivate/')) return { status: 403, body: { reason: 'private', message: 'Forbidden', error: 403 } };
  if (req.path.startsWith('/r/acmebanned/')) return { status: 404, body: { reason: 'banned', message: 'Not Found', error: 404 } };
  if (req.path.startsWith('/r/acmemisspelt/')) return { status: 302, headers: { location: '/subreddits/search.json?q=acmemisspelt' }, body: '' };
  if (req.path === '/subreddits/search.json') return listingOf([]);
  if (req.path.startsWith('/r/acmefans/')) return listingOf([]);
  return { status: 500, body: 'unexpected request' };
}

let s: TestStack;
let api: ApiServer;
let key: string;

beforeAll(async () => {
  // Ingest on the event loop: the threads' warm-up is not what this file is about.
  s = await createTestStack({ config: { INGEST_THREADS: '0' } });
  api = await startApi(route);
  key = (await s.workspace('Reddit health')).key;
  const brand = await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
  expect(brand.status, brand.text).toBe(201);
});
afterAll(async () => {
  await s?.close();
  await api?.close();
});

type ApiMention = { text: string; hashtags: string[]; source: { id: string } };
const mentionsOf = async (sourceId: string) =>
  ((await s.request('GET', '/v1/mentions?limit=200', { key })).json.items as ApiMention[]).filter((m) => m.source.id === sourceId);

describe('a subreddit whose comments listing fails', () => {
  it('stores its posts, shows the failing listing in its health, and reads the comments once they answer', async () => {
    const { id } = await addSource(s, key, { type: 'reddit', subreddit: 'halfbroken', baseUrl: api.origin, intervalSeconds: 60 });
    await fetchNow(s, key, id);

    const partly = await getSource(s, key, id);
    expect(partly).toMatchObject({
      enabled: true,
      lastStatus: 500,
      lastError: `comments listing: HTTP 500 from ${api.origin}/r/halfbroken/comments.json: 500 Internal Server Error; the posts listing was read`,
      consecutiveFailures: 0,
    });
    expect((partly as typeof partly & { lastSucceededAt: string | null }).lastSucceededAt).toBe(partly.lastFetchedAt);
    // On its interval, not backed off: the posts keep coming.
    expect(new Date(partly.nextFetchAt).getTime() - new Date(partly.lastFetchedAt!).getTime()).toBeLessThanOrEqual(66_000);
    const [post] = await mentionsOf(id);
    expect(post).toMatchObject({
      text: 'Pros\nFast and cheap\nCons\nSee the docs (https://acme.example/docs)\nspoiler: Acme is slow',
      hashtags: [],
    });

    // The comment was posted before this poll; the comments cursor did not move past it.
    commentsDown = false;
    comments = [COMMENT];
    await fetchNow(s, key, id);
    const healthy = await getSource(s, key, id);
    expect(healthy).toMatchObject({ lastStatus: 200, lastError: null, consecutiveFailures: 0 });
    const stored = await mentionsOf(id);
    expect(stored.map((m) => m.text).sort()).toEqual(['Acme support fixed it #acmecloud', post!.text]);
    expect(stored.find((m) => m.text.startsWith('Acme support'))!.hashtags).toEqual(['acmecloud']);
  });
});

describe('a subreddit Reddit refuses', () => {
  it('a private one keeps being polled, backed off, with its refusal in words', async () => {
    const { id } = await addSource(s, key, { type: 'reddit', subreddit: 'acmeprivate', baseUrl: api.origin, intervalSeconds: 60 });
    await fetchNow(s, key, id);
    const source = await getSource(s, key, id);
    expect(source).toMatchObject({ enabled: true, disabledReason: null, lastStatus: 403, consecutiveFailures: 1 });
    expect(source.lastError).toMatch(/^r\/acmeprivate is private: Reddit answered 403 /);
    expect(source.lastError).not.toContain('{');
  });

  it('a banned one is stopped with the reason, and re-enabled by its owner with PATCH', async () => {
    const { id } = await addSource(s, key, { type: 'reddit', subreddit: 'acmebanned', baseUrl: api.origin, intervalSeconds: 60 });
    await fetchNow(s, key, id);
    const source = await getSource(s, key, id);
    expect(source).toMatchObject({ enabled: false, lastStatus: 404, disabledReason: 'r/acmebanned is banned: Reddit answered 404 (banned)', nextFetchAt: null });

    const patched = await s.request('PATCH', `/v1/sources/${id}`, { key, body: { enabled: true } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('a misspelled one is stopped with a 404, not the 200 of the search Reddit sent it to, and a corrected name polls again', async () => {
    const { id } = await addSource(s, key, { type: 'reddit', subreddit: 'acmemisspelt', baseUrl: api.origin, intervalSeconds: 60 });
    await fetchNow(s, key, id);
    const source = await getSource(s, key, id);
    expect(source).toMatchObject({
      enabled: false,
      lastStatus: 404,
      disabledReason: 'r/acmemisspelt does not exist: Reddit redirected /r/acmemisspelt/new.json to its subreddit search (check the spelling)',
    });

    const patched = await s.request('PATCH', `/v1/sources/${id}`, { key, body: { subreddit: 'acmefans' } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ enabled: true, disabledReason: null, lastError: null });
    await fetchNow(s, key, id);
    expect(await getSource(s, key, id)).toMatchObject({ enabled: true, lastStatus: 200, lastError: null, consecutiveFailures: 0 });
  });
});
