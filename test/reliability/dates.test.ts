import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss, type FeedItem } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, startUpstream, storedItems, type Upstream } from './support.js';

// RELIABILITY 8 through the pipeline: what a feed's dates become in the database and the API.
// The promise in src/domain/text/dates.ts: unknown stays unknown (bucketed by fetch time), a date
// after the fetch (beyond a day's tolerance) is clamped to the fetch time, one before 1995 to 1995.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let key: string;
let sourceId: string;

const hour = 3600_000;
const item = (guid: string, pubDate?: string): FeedItem => ({
  guid,
  title: `Acme story ${guid}`,
  description: `Acme news number ${guid}.`,
  link: `https://news.example.com/${guid}`,
  ...(pubDate !== undefined ? { pubDate } : {}),
});
const items = [
  item('future', 'Sat, 01 Jan 2150 00:00:00 GMT'),
  item('ancient', 'Thu, 01 Jan 1970 00:00:00 GMT'),
  item('undated'),
  item('garbage', 'the day after tomorrow, probably'),
  item('yesterday', new Date(Date.now() - 24 * hour).toUTCString()),
  item('soon', new Date(Date.now() + hour).toUTCString()),
];

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  upstream.routes.set('/feed', { body: rss(items) });
  s = await createTestStack();
  cleanup.add(() => s.close());
  key = (await s.workspace('Dates')).key;
  await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
  sourceId = (await addSource(s, key, { url: upstream.url('/feed') })).id;
  await s.tick();
});
afterAll(() => cleanup.run());

type ApiMention = { title: string; publishedAt: string | null; fetchedAt: string };
const byGuid = async () => {
  const res = await s.request('GET', '/v1/mentions?since=1990-01-01T00:00:00Z&until=2200-01-01T00:00:00Z&limit=100', { key });
  expect(res.status).toBe(200);
  return res.json.items as ApiMention[];
};
const guidOf = (m: ApiMention) => m.title.replace('Acme story ', '');
const rowFor = <R extends { item_key: string }>(rows: R[], guid: string): R => {
  const row = rows.find((r) => r.item_key.endsWith(guid));
  if (!row) throw new Error(`no stored row for ${guid}`);
  return row;
};

describe('dates from a feed never silently become "now"', () => {
  it('an item dated 2150 is stored clamped to its fetch time and marked clamped; one dated 1970 is clamped to 1995', async () => {
    const stored = await storedItems(s, sourceId);
    const future = rowFor(stored, 'future');
    const ancient = rowFor(stored, 'ancient');
    expect(future.date_quality).toBe('clamped');
    expect(future.published_at!.getTime()).toBe(future.fetched_at.getTime());
    expect(ancient.date_quality).toBe('clamped');
    expect(ancient.published_at!.toISOString()).toBe('1995-01-01T00:00:00.000Z');

    const api = Object.fromEntries((await byGuid()).map((m) => [guidOf(m), m]));
    expect(api.future!.publishedAt).toBe(api.future!.fetchedAt);
    expect(api.ancient!.publishedAt).toBe('1995-01-01T00:00:00.000Z');
  });

  it('an item with no date or a garbage date has publishedAt null and is ordered by its fetch time', async () => {
    const stored = await storedItems(s, sourceId);
    for (const guid of ['undated', 'garbage']) {
      const row = rowFor(stored, guid);
      expect(row.published_at, guid).toBeNull();
      expect(row.date_quality, guid).toBe('unknown');
      expect(row.occurred_at.getTime(), guid).toBe(row.fetched_at.getTime());
    }
    const page = await byGuid();
    const api = Object.fromEntries(page.map((m) => [guidOf(m), m]));
    expect(api.undated!.publishedAt).toBeNull();
    expect(api.garbage!.publishedAt).toBeNull();
    expect(rowFor(stored, 'soon').date_quality).toBe('exact');
    // Newest first: an hour from now, then everything at the fetch time, then yesterday, then 1995.
    const order = page.map(guidOf);
    expect(order[0]).toBe('soon');
    expect(order.slice(1, 4).sort()).toEqual(['future', 'garbage', 'undated']);
    expect(order.slice(4)).toEqual(['yesterday', 'ancient']);
  });

  it("a new source's first poll is marked backlog, and items found by later polls are not", async () => {
    const first = await storedItems(s, sourceId);
    expect(first).toHaveLength(items.length);
    expect(first.every((r) => r.is_backlog)).toBe(true);

    upstream.routes.set('/feed', { body: rss([item('fresh', new Date().toUTCString()), ...items]) });
    await fetchNow(s, key, sourceId);
    const after = await storedItems(s, sourceId);
    expect(after).toHaveLength(items.length + 1);
    const fresh = after.filter((r) => !r.is_backlog);
    expect(fresh.map((r) => r.item_key)).toEqual([expect.stringContaining('fresh')]);
  });
});
