import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rss } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { cleanupList, fetchNow, getSource, startUpstream, type Upstream } from '../reliability/support.js';

// Follow-ups to the Sources review: a re-pointed source starts with a clean health record; a
// refused URL names the field that holds it; a host name that cannot be looked up is told apart
// from one that does not exist.
//
// DNS is scripted, never the network: names under `.invalid` do not exist (ENOTFOUND, as RFC 6761
// promises), names under `.dns-down.test` meet a resolver that cannot answer right now (EAI_AGAIN),
// and `feed.public.test` resolves to a public address; `scriptedDns` answers for other names a test
// scripts (an error code, or an address). Everything else goes to the real resolver.
const scriptedDns = new Map<string, string>();
(globalThis as { scriptedDns?: Map<string, string> }).scriptedDns = scriptedDns;
vi.mock('node:dns', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:dns')>();
  const lookup = (hostname: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as (err: NodeJS.ErrnoException | null, address?: unknown, family?: number) => void;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    const fail = (code: string) =>
      process.nextTick(() => cb(Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, syscall: 'getaddrinfo', hostname })));
    const scripted = (globalThis as { scriptedDns?: Map<string, string> }).scriptedDns?.get(hostname);
    if (scripted?.startsWith('E')) return fail(scripted);
    if (scripted) return process.nextTick(() => (all ? cb(null, [{ address: scripted, family: 4 }]) : cb(null, scripted, 4)));
    if (hostname.endsWith('.invalid')) return fail('ENOTFOUND');
    if (hostname.endsWith('.dns-down.test')) return fail('EAI_AGAIN');
    if (hostname === 'feed.public.test') {
      return process.nextTick(() => (all ? cb(null, [{ address: '93.184.216.34', family: 4 }]) : cb(null, '93.184.216.34', 4)));
    }
    return (actual.lookup as (...args: unknown[]) => void)(hostname, options, callback);
  };
  // The source files read `dns.lookup` from the default export.
  return { ...actual, lookup, default: { ...(actual as unknown as { default: typeof actual }).default, lookup } };
});

const cleanup = cleanupList();
let s: TestStack;
let strict: TestStack;
let upstream: Upstream;
let key: string;
let strictKey: string;

const feed = rss([{ guid: 'ok-1', title: 'Acme ok', description: 'Acme is fine' }]);

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  s = await createTestStack();
  cleanup.add(() => s.close());
  strict = await createTestStack({ config: { ALLOW_PRIVATE_NETWORKS: 'false' } });
  cleanup.add(() => strict.close());
  key = (await s.workspace('Followups')).key;
  strictKey = (await strict.workspace('Strict')).key;
});
afterAll(() => cleanup.run());

/** A source on its own path answering `status`; the path is returned for re-pointing. */
async function sourceAnswering(name: string, status: number, body = 'upstream says no') {
  upstream.routes.set(`/${name}`, { status, body });
  const res = await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: upstream.url(`/${name}`), intervalSeconds: 60 } });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

const patch = (id: string, body: Record<string, unknown>) => s.request('PATCH', `/v1/sources/${id}`, { key, body });
const waitAfterPoll = (source: { lastFetchedAt: string | null; nextFetchAt: string | null }) =>
  new Date(source.nextFetchAt!).getTime() - new Date(source.lastFetchedAt!).getTime();

describe('a source given a new URL or query starts with a clean health record', () => {
  it("a new URL clears the old one's failures, status and error, and its first failure backs off as a first", async () => {
    const id = await sourceAnswering('broken-1', 500);
    for (let i = 0; i < 3; i++) await fetchNow(s, key, id);
    const failing = await getSource(s, key, id);
    expect(failing).toMatchObject({ consecutiveFailures: 3, lastStatus: 500 });
    // The third failure waits 192–288 s: the backoff the new URL must not inherit.
    expect(waitAfterPoll(failing)).toBeGreaterThan(180_000);

    upstream.routes.set('/fixed-1', { status: 404, body: 'not here either' });
    const res = await patch(id, { url: upstream.url('/fixed-1') });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ consecutiveFailures: 0, lastStatus: null, lastError: null, lastFetchedAt: null, enabled: true, disabledReason: null });
    expect(new Date(res.json.nextFetchAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await getSource(s, key, id)).toMatchObject({ consecutiveFailures: 0, lastStatus: null, lastError: null });

    await fetchNow(s, key, id);
    const first = await getSource(s, key, id);
    expect(first).toMatchObject({ consecutiveFailures: 1, lastStatus: 404 });
    expect(first.lastError).toContain('404');
    // A first failure waits one interval (60 s), give or take the 20 % jitter.
    expect(waitAfterPoll(first)).toBeLessThanOrEqual(72_000);
  });

  it("a new query clears an API source's health as a new URL does", async () => {
    const created = await s.request('POST', '/v1/sources', { key, body: { type: 'hackernews', query: 'acme', baseUrl: upstream.url('/hn-down') } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    await s.services.sourceRepository.recordFailure(id, { now: new Date(), status: 502, error: 'HTTP 502', nextFetchAt: new Date(Date.now() + 600_000), disable: false });
    const res = await patch(id, { query: 'acme coffee' });
    expect(res.json).toMatchObject({ query: 'acme coffee', consecutiveFailures: 0, lastStatus: null, lastError: null });
  });

  it('sending back the stored URL keeps the health record: nothing was re-pointed', async () => {
    const id = await sourceAnswering('still-broken', 500);
    await fetchNow(s, key, id);
    const res = await patch(id, { url: upstream.url('/still-broken') });
    expect(res.json).toMatchObject({ consecutiveFailures: 1, lastStatus: 500 });
    expect(res.json.lastError).toContain('500');
  });

  it('the stored URL spelled another way keeps the health record and the backoff: the target is the same', async () => {
    const id = await sourceAnswering('respelled-broken', 500);
    await fetchNow(s, key, id);
    const before = await getSource(s, key, id);
    expect(before).toMatchObject({ consecutiveFailures: 1, lastStatus: 500 });
    const respelled = upstream.url('/respelled-broken').replace('http://', 'HTTP://') + '#x';
    const res = await patch(id, { url: respelled });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ consecutiveFailures: 1, lastStatus: 500, nextFetchAt: before.nextFetchAt });
    expect(res.json.lastError).toContain('500');
  });

  it('a source its owner disabled shows no next poll, and gets one when enabled again', async () => {
    upstream.routes.set('/paused-1', { body: feed });
    const created = await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: upstream.url('/paused-1'), enabled: false } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ enabled: false, nextFetchAt: null });
    const listed = await s.request('GET', '/v1/sources', { key });
    expect(listed.json.items.find((item: { id: string }) => item.id === created.json.id)).toMatchObject({ nextFetchAt: null });

    const resumed = await patch(created.json.id, { enabled: true });
    expect(resumed.status, resumed.text).toBe(200);
    expect(new Date(resumed.json.nextFetchAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect((await patch(created.json.id, { enabled: false })).json.nextFetchAt).toBeNull();
  });

  it('a source Earshot disabled on a 410 stays disabled when its URL is only spelled another way', async () => {
    const id = await sourceAnswering('gone-respelled', 410);
    await fetchNow(s, key, id);
    const res = await patch(id, { url: upstream.url('/gone-respelled') + '#again' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ enabled: false, lastStatus: 410 });
    expect(res.json.disabledReason).not.toBeNull();
  });

  it('a source Earshot disabled on a 410 is enabled again by a new URL and polled at once; the reason of the old URL is gone', async () => {
    const id = await sourceAnswering('gone-1', 410, 'this feed has moved on');
    await fetchNow(s, key, id);
    // Disabled, it has no next poll to show.
    expect(await getSource(s, key, id)).toMatchObject({ enabled: false, lastStatus: 410, nextFetchAt: null });

    upstream.routes.set('/moved-1', { body: feed });
    const res = await patch(id, { url: upstream.url('/moved-1') });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0, lastStatus: null, lastError: null });
    expect(new Date(res.json.nextFetchAt).getTime()).toBeLessThanOrEqual(Date.now());

    await fetchNow(s, key, id);
    expect(await getSource(s, key, id)).toMatchObject({ enabled: true, lastStatus: 200, consecutiveFailures: 0, lastError: null });
  });

  it("a new URL's first poll is its backlog, as a new source's is: its history is not news", async () => {
    upstream.routes.set('/first-feed', { body: rss([{ guid: 'first-1', title: 'Acme first', description: 'Acme old news' }]) });
    const created = await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: upstream.url('/first-feed'), intervalSeconds: 60 } });
    const id = created.json.id as string;
    await fetchNow(s, key, id);
    upstream.routes.set('/second-feed', { body: rss([{ guid: 'second-1', title: 'Acme second', description: 'Acme history of another feed' }]) });
    expect((await patch(id, { url: upstream.url('/second-feed') })).status).toBe(200);
    await fetchNow(s, key, id);

    const rows = await s.db.selectFrom('mentions').select(['item_key', 'is_backlog']).where('source_id', '=', id).orderBy('id').execute();
    expect(rows).toEqual([
      { item_key: 'first-1', is_backlog: true },
      { item_key: 'second-1', is_backlog: true },
    ]);
  });

  it('a source its owner disabled stays disabled when its URL changes, and so does one whose edit says enabled: false', async () => {
    const mine = await sourceAnswering('paused', 200);
    expect((await patch(mine, { enabled: false })).json.enabled).toBe(false);
    const moved = await patch(mine, { url: upstream.url('/paused-2') });
    expect(moved.json).toMatchObject({ enabled: false, disabledReason: null });

    const gone = await sourceAnswering('gone-2', 410);
    await fetchNow(s, key, gone);
    const kept = await patch(gone, { url: upstream.url('/gone-2b'), enabled: false });
    expect(kept.status, kept.text).toBe(200);
    // Still off, now by the owner's word: the old URL's 410 no longer describes it.
    expect(kept.json).toMatchObject({ enabled: false, disabledReason: null, lastStatus: null, lastError: null, consecutiveFailures: 0 });
  });

  it('documents what a new URL does to health and to a source Earshot disabled', async () => {
    const doc = (await s.request('GET', '/openapi.json')).json;
    const described = JSON.stringify(doc.components.schemas.UpdateSource);
    expect(described).toMatch(/health/i);
    expect(described).toMatch(/410/);
  });
});

describe('a refused URL names the field that holds it', () => {
  const refused = async (method: 'POST' | 'PATCH', path: string, body: Record<string, unknown>) => {
    const res = await strict.request(method, path, { key: strictKey, body });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe('sources.url_not_allowed');
    return res.json.error as { message: string; fields: { field: string; message: string }[] };
  };

  it('on create: url for a feed, baseUrl and oauthBaseUrl for an API, instance for a Mastodon host', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'rss', url: 'http://127.0.0.1:9/feed' }, 'url'],
      [{ type: 'hackernews', query: 'acme', baseUrl: 'http://127.0.0.1:9' }, 'baseUrl'],
      [{ type: 'reddit', subreddit: 'acme', baseUrl: 'http://93.184.216.34', oauthBaseUrl: 'http://10.0.0.1' }, 'oauthBaseUrl'],
      [{ type: 'reddit', subreddit: 'acme', baseUrl: 'http://10.0.0.1', oauthBaseUrl: 'http://93.184.216.34' }, 'baseUrl'],
      [{ type: 'mastodon', instance: '127.0.0.1', hashtag: 'acme' }, 'instance'],
    ];
    for (const [body, field] of cases) {
      const error = await refused('POST', '/v1/sources', body);
      expect(error.fields, JSON.stringify(body)).toEqual([{ field, message: expect.stringMatching(/loopback|private|not allowed|address/i) }]);
      expect(error.message.startsWith(`${field}: `), error.message).toBe(true);
    }
  });

  it('on edit, the field of the merged config that holds the refused URL', async () => {
    const created = await strict.request('POST', '/v1/sources', {
      key: strictKey,
      body: { type: 'reddit', subreddit: 'acme', baseUrl: 'http://93.184.216.34', oauthBaseUrl: 'http://93.184.216.34' },
    });
    expect(created.status, created.text).toBe(201);
    const error = await refused('PATCH', `/v1/sources/${created.json.id}`, { oauthBaseUrl: 'http://169.254.169.254' });
    expect(error.fields.map((f) => f.field)).toEqual(['oauthBaseUrl']);
  });
});

describe('a host name that cannot be looked up at save time', () => {
  it('a name that does not exist is refused with sources.url_not_allowed saying it does not resolve, naming the field', async () => {
    const res = await strict.request('POST', '/v1/sources', { key: strictKey, body: { type: 'rss', url: 'https://feed.example.invalid/rss' } });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe('sources.url_not_allowed');
    expect(res.json.error.message).toMatch(/^url: feed\.example\.invalid does not resolve/);
    expect(res.json.error.fields).toEqual([{ field: 'url', message: expect.stringMatching(/does not resolve/) }]);
  });

  it('a temporary DNS failure is not the URL\'s fault: the source is saved, and the connect-time check judges it when it is polled', async () => {
    const res = await strict.request('POST', '/v1/sources', { key: strictKey, body: { type: 'rss', url: 'https://feed.dns-down.test/rss' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ url: 'https://feed.dns-down.test/rss', enabled: true });
    // And on edit.
    const edited = await strict.request('PATCH', `/v1/sources/${res.json.id}`, { key: strictKey, body: { url: 'https://other.dns-down.test/rss' } });
    expect(edited.status, edited.text).toBe(200);
  });

  it('an accepted name is judged again at every fetch: a lookup that still fails is the source\'s error, and a private answer is refused', async () => {
    scriptedDns.set('later.dns-check.test', 'EAI_AGAIN');
    const res = await strict.request('POST', '/v1/sources', { key: strictKey, body: { type: 'rss', url: `http://later.dns-check.test:${upstream.port}/late` } });
    expect(res.status, res.text).toBe(201);
    const id = res.json.id as string;
    await fetchNow(strict, strictKey, id);
    const failed = await getSource(strict, strictKey, id);
    expect(failed).toMatchObject({ enabled: true, consecutiveFailures: 1 });
    expect(failed.lastError).toMatch(/EAI_AGAIN/);

    // The resolver comes back with a loopback address: the fetch is refused and the server never reached.
    upstream.routes.set('/late', { body: feed });
    scriptedDns.set('later.dns-check.test', '127.0.0.1');
    const before = upstream.connections();
    await fetchNow(strict, strictKey, id);
    const refused = await getSource(strict, strictKey, id);
    expect(refused.consecutiveFailures).toBe(2);
    expect(refused.lastError).toMatch(/later\.dns-check\.test resolves to a private, loopback or reserved address/);
    // The address is not told: the resolver would be the client's oracle for internal names.
    expect(refused.lastError).not.toMatch(/127\.0\.0\.1|loopback address/);
    expect(upstream.connections()).toBe(before);
  });

  it('a name that resolves to a public address is accepted', async () => {
    const res = await strict.request('POST', '/v1/sources', { key: strictKey, body: { type: 'rss', url: 'https://feed.public.test/rss' } });
    expect(res.status, res.text).toBe(201);
  });
});
