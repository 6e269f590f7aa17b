import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestCompute } from '../../src/domain/mentions/compute.js';
import { pollSource } from '../../src/domain/sources/poll.usecases.js';
import { rss, startFeedServer, type FeedItem, type FeedServer } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, getSource, pollDepsOf, startUpstream, storedItems, type Upstream } from './support.js';

// RELIABILITY 5 through a real poll: an unchanged feed costs no parsing and no writes. The
// client-level checks (a 304 reads as not modified, an equal body hash too) are in
// test/infra/http/conditional.test.ts; the e2e test counts rows after a 304. What no test showed:
// that nothing downstream of the fetch runs (no feed read, no item scored) and that no stored row
// is touched (rollup upserts would bump counters even when no mention is new). The witness for
// "no writes" is each row's xmin, which any UPDATE, including ON CONFLICT DO UPDATE, changes.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let feeds: FeedServer;
let key: string;

const items: FeedItem[] = Array.from({ length: 5 }, (_, i) => ({
  guid: `same-${i}`,
  title: `Acme story ${i}`,
  description: `Acme news number ${i} #acme`,
  link: `https://same.example.com/${i}`,
  pubDate: new Date(Date.now() - (i + 1) * 3_600_000).toUTCString(),
}));

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  feeds = await startFeedServer();
  cleanup.add(() => feeds.close());
  s = await createTestStack();
  cleanup.add(() => s.close());
  await s.stopWorkers();
  key = (await s.workspace('Unchanged feeds')).key;
  const brand = await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
  expect(brand.status, brand.text).toBe(201);
});
afterAll(() => cleanup.run());

/** The stack's compute, counting what it is asked to read and to prepare. */
function countingCompute() {
  const calls = { parseFeed: 0, feedsPrepared: 0, itemsPrepared: 0 };
  const compute: IngestCompute = {
    ...s.services.compute,
    async parseFeed(body, opts) {
      calls.parseFeed++;
      return s.services.compute.parseFeed(body, opts);
    },
    async prepare(request) {
      if (request.feed) calls.feedsPrepared++;
      else calls.itemsPrepared += request.items.length;
      return s.services.compute.prepare(request);
    },
  };
  return { compute, calls };
}

/** Every row the poll's items wrote, with its xmin: unchanged xmins mean nothing was written. */
async function writtenRows() {
  const tables = ['mentions', 'mention_brands', 'mention_events', 'mention_rollups', 'brand_hours', 'hashtag_rollups', 'brand_sources'];
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await sql<{ v: string }>`select xmin::text || ':' || md5(t::text) as v from ${sql.table(table)} t order by 1`.execute(s.db);
    out[table] = rows.map((r) => r.v);
  }
  return out;
}

async function pollTwice(sourceId: string) {
  const eventsBefore = (await writtenRows()).mention_events!.length;
  const first = countingCompute();
  const polled = await pollSource({ ...pollDepsOf(s, { compute: first.compute }), sourceId, now: new Date() });
  expect(polled).toMatchObject({ outcome: 'polled', inserted: items.length, matched: items.length, notModified: false });
  expect(first.calls.feedsPrepared + first.calls.parseFeed).toBeGreaterThan(0);
  const before = await writtenRows();
  expect(before.brand_hours!.length).toBeGreaterThan(0);
  expect(before.mention_events).toHaveLength(eventsBefore + items.length);

  const second = countingCompute();
  const again = await pollSource({ ...pollDepsOf(s, { compute: second.compute }), sourceId, now: new Date() });
  return { again, calls: second.calls, before, after: await writtenRows() };
}

describe('an unchanged feed costs no parsing and no writes', () => {
  it('a feed without validators whose body hashes the same as last time is neither read nor scored, and no mention, rollup or event row is written', async () => {
    upstream.routes.set('/no-validators', { body: rss(items) });
    const { id } = await addSource(s, key, { url: upstream.url('/no-validators'), intervalSeconds: 60 });
    const { again, calls, before, after } = await pollTwice(id);

    expect(again).toMatchObject({ outcome: 'polled', inserted: 0, matched: 0, notModified: true });
    expect(calls).toEqual({ parseFeed: 0, feedsPrepared: 0, itemsPrepared: 0 });
    expect(after).toEqual(before);
    // The poll itself is still recorded: health and the next fetch are the source's to show.
    expect(await getSource(s, key, id)).toMatchObject({ lastStatus: 200, consecutiveFailures: 0, lastError: null });
    expect(upstream.requests.filter((r) => r.path === '/no-validators')).toHaveLength(2);
    expect(await storedItems(s, id)).toHaveLength(items.length);
  });

  it('a feed answering 304 to its ETag is neither read nor scored, and no mention, rollup or event row is written', async () => {
    feeds.routes.set('/etag.xml', { body: rss(items.map((i) => ({ ...i, guid: `etag-${i.guid}`, link: `${i.link}/etag` }))) });
    const { id } = await addSource(s, key, { url: feeds.url('/etag.xml'), intervalSeconds: 60 });
    const { again, calls, before, after } = await pollTwice(id);

    expect(feeds.requests.at(-1)!.headers['if-none-match']).toBeDefined();
    expect(again).toMatchObject({ outcome: 'polled', inserted: 0, matched: 0, notModified: true });
    expect(calls).toEqual({ parseFeed: 0, feedsPrepared: 0, itemsPrepared: 0 });
    expect(after).toEqual(before);
    expect(await getSource(s, key, id)).toMatchObject({ lastStatus: 304, consecutiveFailures: 0 });
  });

  it('a changed body is read again (the witness that the checks above can fail)', async () => {
    upstream.routes.set('/changes', { body: rss(items.map((i) => ({ ...i, guid: `c-${i.guid}`, link: `${i.link}/c` }))) });
    const { id } = await addSource(s, key, { url: upstream.url('/changes'), intervalSeconds: 60 });
    await pollSource({ ...pollDepsOf(s), sourceId: id, now: new Date() });
    upstream.routes.set('/changes', { body: rss([{ guid: 'c-new', title: 'Acme new', description: 'Acme new' }, ...items.map((i) => ({ ...i, guid: `c-${i.guid}`, link: `${i.link}/c` }))]) });
    const { compute, calls } = countingCompute();
    const again = await pollSource({ ...pollDepsOf(s, { compute }), sourceId: id, now: new Date() });
    expect(again).toMatchObject({ outcome: 'polled', inserted: 1, notModified: false });
    expect(calls.feedsPrepared + calls.parseFeed).toBeGreaterThan(0);
  });
});
