import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource, type PollDeps } from '../../src/domain/sources/poll.usecases.js';
import { rss, type FeedItem } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, pollDepsOf, startUpstream, storedItems, type Upstream } from './support.js';

// RELIABILITY 10: the same fetch processed twice, concurrently, stores each item once; and the
// same story from two sources of one workspace is one mention, the copy that names a brand when
// the first one stored named none.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let key: string;
let pollDeps: PollDeps;

const story = (guid: string, link: string): FeedItem => ({ guid, title: `Acme ${guid}`, description: `Acme did ${guid} today.`, link });
const batch = Array.from({ length: 300 }, (_, i) => story(`item-${i}`, `https://news.example.com/item/${i}`));

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  s = await createTestStack();
  cleanup.add(() => s.close());
  key = (await s.workspace('Twice')).key;
  await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
  // The fetch job's own dependencies, as src/workers/index.ts builds them.
  pollDeps = pollDepsOf(s);
});
afterAll(() => cleanup.run());

describe('ingest is idempotent', () => {
  it('the same poll run twice at the same moment stores each item once, and both runs succeed', async () => {
    upstream.routes.set('/twice', { body: rss(batch) });
    const { id } = await addSource(s, key, { url: upstream.url('/twice') });
    // Both requests are held until both have arrived, so both polls parse and write at once.
    upstream.hold();
    const polls = [pollSource({ ...pollDeps, sourceId: id, now: new Date() }), pollSource({ ...pollDeps, sourceId: id, now: new Date() })];
    await upstream.arrived('/twice', 2);
    upstream.release();
    const outcomes = await Promise.all(polls);

    for (const o of outcomes) expect(o).toMatchObject({ outcome: 'polled', items: batch.length });
    const inserted = outcomes.map((o) => (o.outcome === 'polled' ? o.inserted : NaN));
    expect(inserted[0]! + inserted[1]!).toBe(batch.length);
    const rows = await storedItems(s, id);
    expect(rows).toHaveLength(batch.length);
    expect(new Set(rows.map((r) => r.item_key)).size).toBe(batch.length);
    const links = await s.db.selectFrom('mention_brands').select('mention_id').execute();
    expect(links).toHaveLength(batch.length);
  });

  it('"poll now" while a fetch of the source is in flight does not start a second one', async () => {
    upstream.routes.set('/once', { body: rss(Array.from({ length: 5 }, (_, i) => story(`once-${i}`, `https://once.example.com/${i}`))) });
    const { id } = await addSource(s, key, { url: upstream.url('/once') });
    upstream.hold();
    expect((await s.request('POST', `/v1/sources/${id}/fetch`, { key })).status).toBe(202);
    await upstream.arrived('/once');
    expect((await s.request('POST', `/v1/sources/${id}/fetch`, { key })).status).toBe(202);
    await s.services.queues.add('sources.tick', {});
    // Give a wrongly admitted second fetch every chance to reach the server before the first ends.
    await new Promise((r) => setTimeout(r, 300));
    upstream.release();
    await s.drain();
    expect(upstream.requests.filter((r) => r.path === '/once')).toHaveLength(1);
    expect(await storedItems(s, id)).toHaveLength(5);
  });

  it('the same story from two sources of the workspace (same canonical URL) is one mention', async () => {
    upstream.routes.set('/wire', { body: rss([story('wire-1', 'https://www.news.example.com/scoop/?utm_source=wire#top'), story('wire-2', 'https://news.example.com/other')]) });
    upstream.routes.set('/blog', { body: rss([story('blog-7', 'http://news.example.com/scoop?utm_medium=rss'), story('blog-8', 'https://blog.example.com/own')]) });
    const wire = await addSource(s, key, { url: upstream.url('/wire') });
    const blog = await addSource(s, key, { url: upstream.url('/blog') });
    await fetchNow(s, key, wire.id);
    await fetchNow(s, key, blog.id);
    const stored = await s.db
      .selectFrom('mentions')
      .select(['source_id', 'item_key'])
      .where('canonical_url', '=', 'news.example.com/scoop')
      .execute();
    expect(stored).toEqual([{ source_id: wire.id, item_key: expect.stringContaining('wire-1') }]);
    expect((await storedItems(s, blog.id)).map((r) => r.item_key)).toEqual([expect.stringContaining('blog-8')]);
    // And again: a re-poll of both adds nothing.
    upstream.routes.set('/blog', { body: rss([story('blog-7', 'http://news.example.com/scoop?utm_medium=rss'), story('blog-8', 'https://blog.example.com/own')], 'changed') });
    await fetchNow(s, key, blog.id);
    expect(await storedItems(s, blog.id)).toHaveLength(1);
  });

  describe('a copy that names a brand takes the place of a stored copy that named none', () => {
    const plain = (guid: string, link: string): FeedItem => ({ guid, title: 'Weather report', description: 'A sunny day in Prague.', link });
    const rowsAt = (canonical: string) =>
      s.db
        .selectFrom('mentions')
        .select(['id', 'source_id', 'item_key', 'title', 'matched', 'sentiment_label'])
        .where('canonical_url', '=', canonical)
        .execute();
    it("another source's copy: one row, now the brand's mention, with its links, scores, counts and live event", async () => {
      upstream.routes.set('/titles', { body: rss([plain('t-1', 'http://news.example.org/story-9')]) });
      upstream.routes.set('/full', { body: rss([{ guid: 'f-1', title: 'Acme recall announced', description: 'Acme recalls its faulty kettles. Terrible news.', link: 'https://www.news.example.org/story-9/?utm_source=rss' }]) });
      const titles = await addSource(s, key, { url: upstream.url('/titles') });
      const full = await addSource(s, key, { url: upstream.url('/full') });
      await fetchNow(s, key, titles.id);
      expect(await rowsAt('news.example.org/story-9')).toEqual([expect.objectContaining({ source_id: titles.id, matched: false, sentiment_label: 'unscored' })]);
      const daysBefore = await s.db.selectFrom('brand_days').select('mentions').execute();

      await fetchNow(s, key, full.id);
      const [row, ...others] = await rowsAt('news.example.org/story-9');
      expect(others).toEqual([]);
      expect(row).toMatchObject({ source_id: full.id, item_key: expect.stringContaining('f-1'), title: 'Acme recall announced', matched: true, sentiment_label: 'negative' });
      const listed = await s.request('GET', `/v1/mentions?q=recall&since=2000-01-01T00:00:00Z`, { key });
      expect(listed.json.items.map((m: { id: string }) => String(m.id))).toEqual([String(row!.id)]);
      expect(await s.db.selectFrom('mention_events').select('seq').where('mention_id', '=', row!.id).execute()).toHaveLength(1);
      const daysAfter = await s.db.selectFrom('brand_days').select('mentions').execute();
      const total = (rows: Array<{ mentions: number }>) => rows.reduce((sum, r) => sum + r.mentions, 0);
      expect(total(daysAfter) - total(daysBefore)).toBe(1);

      // Polled again (both feeds changed), nothing moves and nothing is counted twice.
      upstream.routes.set('/titles', { body: rss([plain('t-1', 'http://news.example.org/story-9'), plain('t-2', 'http://news.example.org/story-10')]) });
      upstream.routes.set('/full', { body: rss([{ guid: 'f-1', title: 'Acme recall announced', description: 'Acme recalls its faulty kettles. Terrible news.', link: 'https://www.news.example.org/story-9/?utm_source=rss' }], 'again') });
      await fetchNow(s, key, titles.id);
      await fetchNow(s, key, full.id);
      expect(await rowsAt('news.example.org/story-9')).toEqual([row]);
      expect(total(await s.db.selectFrom('brand_days').select('mentions').execute()) - total(daysBefore)).toBe(1);
      expect(await s.db.selectFrom('mention_brands').select('mention_id').where('mention_id', '=', row!.id).execute()).toHaveLength(1);
    });

    it('a stored copy that named a brand stays, whatever a later copy says', async () => {
      upstream.routes.set('/first', { body: rss([{ guid: 'x-1', title: 'Acme opens a shop', description: 'Acme opens a shop downtown.', link: 'https://news.example.org/shop' }]) });
      upstream.routes.set('/second', { body: rss([{ guid: 'y-1', title: 'Acme opens a shop, and it is great', description: 'Acme opens a wonderful shop.', link: 'https://news.example.org/shop' }]) });
      const first = await addSource(s, key, { url: upstream.url('/first') });
      const second = await addSource(s, key, { url: upstream.url('/second') });
      await fetchNow(s, key, first.id);
      await fetchNow(s, key, second.id);
      expect(await rowsAt('news.example.org/shop')).toEqual([expect.objectContaining({ source_id: first.id, title: 'Acme opens a shop', matched: true })]);
    });

    it('an item stored when it named no brand, edited to name one, becomes a mention at the next poll', async () => {
      upstream.routes.set('/edited', { body: rss([plain('e-1', 'https://news.example.org/edited')]) });
      const edited = await addSource(s, key, { url: upstream.url('/edited') });
      await fetchNow(s, key, edited.id);
      const [before] = await rowsAt('news.example.org/edited');
      expect(before).toMatchObject({ matched: false });
      upstream.routes.set('/edited', { body: rss([{ guid: 'e-1', title: 'Weather report, with Acme', description: 'A sunny day for Acme in Prague.', link: 'https://news.example.org/edited' }]) });
      await fetchNow(s, key, edited.id);
      expect(await rowsAt('news.example.org/edited')).toEqual([
        expect.objectContaining({ id: before!.id, source_id: edited.id, title: 'Weather report, with Acme', matched: true }),
      ]);
    });
  });
});
